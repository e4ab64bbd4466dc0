from pathlib import Path

import pytest

from rasad.cleaning.rules import RuleKind, RulesError, line_key, load_rules, load_rules_file


def test_arabic_rules_load_and_cover_every_kind():
    rules = load_rules("ar")
    assert rules.language == "ar"
    kinds = {rule.kind for rule in rules.rules}
    assert kinds == set(RuleKind)
    assert rules.months[line_key("كانون الثاني")] == 1


def test_marker_keys_ignore_spelling_punctuation_and_emoji():
    assert line_key("إقرأ أيضاً:") == line_key("اقرأ ايضا")
    assert line_key("💡 أهم المواضيع") == line_key("أهم المواضيع")


def test_unknown_language_has_no_rules():
    assert load_rules("xx").rules == ()


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "zz.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_bad_regex_error_names_file_and_rule(tmp_path):
    path = _write(
        tmp_path,
        "language: zz\nrules:\n  - id: ok_rule\n    kind: drop_line\n    markers: [a]\n"
        "  - id: broken\n    kind: drop_line\n    patterns: ['(unclosed']\n",
    )
    with pytest.raises(RulesError) as err:
        load_rules_file(path)
    message = str(err.value)
    assert "zz.yaml" in message and "rules[1]" in message and "broken" in message and "does not compile" in message


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("  - id: x\n    kind: explode\n    markers: [a]\n", "kind"),
        ("  - id: x\n    kind: drop_line\n", "at least one of"),
        ("  - id: x\n    kind: dateline\n    harvest_date: true\n    patterns: ['\\d+']\n", "year/month/day"),
        ("  - id: x\n    kind: drop_line\n    markers: ['!!']\n", "no letters"),
        (
            "  - id: x\n    kind: drop_line\n    markers: [a]\n  - id: x\n    kind: drop_line\n    markers: [b]\n",
            "duplicate",
        ),
        ("  - id: x\n    kind: drop_line\n    markers: [a]\n    colour: red\n", "colour"),
    ],
)
def test_invalid_entries_are_rejected_with_a_reason(tmp_path, entry, expected):
    path = _write(tmp_path, "language: zz\nrules:\n" + entry)
    with pytest.raises(RulesError, match=expected):
        load_rules_file(path)


def test_unreadable_yaml_is_a_rules_error(tmp_path):
    path = _write(tmp_path, "language: [unclosed\n")
    with pytest.raises(RulesError, match=r"zz\.yaml"):
        load_rules_file(path)
