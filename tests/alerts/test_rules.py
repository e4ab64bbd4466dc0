"""Rule validation and matching, as plain functions."""

from __future__ import annotations

import pytest

from rasad.alerts.rules import ArticleFacts, DevelopmentFacts, InvalidRule, matches, parse_rule
from rasad.text.arabic import normalize_arabic

TEXT = normalize_arabic("التقى وزير الخارجية التركي هاكان فيدان نظيره السوري في موسكو بحضور الوفد الروسي.")
MEETING = DevelopmentFacts("meeting", "planned", ("SY", "TR"), ("Hakan Fidan",))


def facts(**changes: object) -> ArticleFacts:
    values: dict[str, object] = {"source_id": "syriatv", "relevance": 0.8, "topics": ("turkey_syria_normalization",),
                                 "text_normalized": TEXT, "developments": (MEETING,)}  # fmt: skip
    values.update(changes)
    return ArticleFacts(**values)  # type: ignore[arg-type]


def test_an_empty_rule_matches_every_relevant_article() -> None:
    assert matches(parse_rule({}), facts())


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"topic": "normalization"}, True),
        ({"min_relevance": 0.9}, False),
        ({"min_relevance": 0.5}, True),
        ({"outlets": ["orient"]}, False),
        ({"outlets": ["orient", "syriatv"]}, True),
        ({"persons": ["هاكان فيدان"]}, True),  # any spelling the knowledge base knows
        ({"persons": ["Bashar al-Assad"]}, False),
        ({"countries": ["tr"]}, True),
        ({"countries": ["IQ"]}, False),
        ({"event_kinds": ["meeting"], "event_statuses": ["planned"]}, True),
        ({"event_statuses": ["held"]}, False),
        ({"keywords": ["موسكو"]}, True),
        ({"keywords": ["مُوسْكو"]}, True),  # diacritics do not matter
        ({"keywords": ["طهران"]}, False),
        ({"persons": ["Hakan Fidan"], "keywords": ["طهران"]}, False),  # every field must match
    ],
)
def test_fields_filter(rule: dict[str, object], expected: bool) -> None:
    assert matches(parse_rule(rule), facts()) is expected


def test_a_topic_is_named_by_its_id_or_its_file() -> None:
    assert parse_rule({"topic": "normalization"}).topic == "turkey_syria_normalization"
    assert parse_rule({"topic": "turkey_syria_normalization"}).topic == "turkey_syria_normalization"


def test_topic_must_be_among_the_articles_topics() -> None:
    assert not matches(parse_rule({"topic": "normalization"}), facts(topics=()))


def test_persons_and_countries_match_the_text_when_there_is_no_development() -> None:
    assert matches(parse_rule({"persons": ["Hakan Fidan"], "countries": ["RU"]}), facts(developments=()))
    assert not matches(parse_rule({"event_kinds": ["meeting"]}), facts(developments=()))


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"min_relevance": 1.5}, "min_relevance"),
        ({"persons": ["Nobody Known"]}, "unknown person"),
        ({"countries": ["XX"]}, "unknown country"),
        ({"event_kinds": ["summit"]}, "event kind"),
        ({"event_statuses": ["rumoured"]}, "event status"),
        ({"keywords": ["ا"]}, "too short"),
        ({"topic": "Not A Topic"}, "topic"),
        ({"colour": "red"}, "colour"),
        ({"keywords": ["تطبيع\ud800"]}, "keyword holds a lone surrogate"),  # once a 500 with the row committed
        ({"keywords": ["موسكو\x00"]}, "keyword holds NUL"),
        ({"persons": ["Hakan Fidan\x1b[2J"]}, "person holds control character"),
        ({"outlets": ["orient"] * 101}, "at most 100 values"),
    ],
)
def test_invalid_rules_are_refused_with_a_reason(rule: dict[str, object], reason: str) -> None:
    with pytest.raises(InvalidRule, match=reason):
        parse_rule(rule)


def test_unknown_outlets_are_refused_when_outlets_are_known() -> None:
    with pytest.raises(InvalidRule, match="unknown outlet"):
        parse_rule({"outlets": ["nosuch"]}, known_outlets=["orient"])
