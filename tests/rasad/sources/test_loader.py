import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from rasad.sources import Source, SourcesError, load_profile, load_sources, select_sources

SEED_OUTLETS = {"orient", "arabi21", "alaraby", "syriatv", "syrian-wp"}


def test_shipped_sources_load() -> None:
    sources = load_sources()
    ids = {s.id for s in sources}
    assert ids >= SEED_OUTLETS
    assert len(sources) >= 20
    assert all(s.verified for s in sources if s.id in SEED_OUTLETS)
    assert sum(1 for s in sources if not s.verified) >= 15
    assert all(s.base_url.startswith("https://") for s in sources)


def test_fixtures_profile_points_seed_outlets_at_the_site() -> None:
    sources = load_profile("fixtures", fixtures_url="http://127.0.0.1:9999/")
    assert {s.id for s in sources} == SEED_OUTLETS
    by_id = {s.id: s for s in sources}
    assert by_id["orient"].base_url == "http://127.0.0.1:9999/orient/"
    assert by_id["arabi21"].absolute(by_id["arabi21"].feeds[0]) == "http://127.0.0.1:9999/arabi21/feed"
    assert by_id["orient"].is_article_url("http://127.0.0.1:9999/orient/ar/news_show/1234/x")
    assert not by_id["orient"].is_article_url("http://127.0.0.1:9999/arabi21/story/1234/x")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_entry_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sources:\n"
        "  - id: good\n"
        "    name: Good\n"
        "    base_url: https://good.example/\n"
        "  - id: bad\n"
        "    name: Bad\n"
        "    base_url: not-a-url\n",
    )
    with pytest.raises(SourcesError, match=r"sources.yaml:5: source 'bad': base_url"):
        load_sources(path)


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "sources:\n  - id: x\n    name: [unclosed\n")
    with pytest.raises(SourcesError, match=r"line \d+, column \d+: invalid YAML"):
        load_sources(path)


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "sources:\n  - id: x1\n    name: X\n    base_url: https://x.example/\n    feeeds: [rss]\n")
    with pytest.raises(SourcesError, match=r":2: source 'x1': feeeds: Extra inputs"):
        load_sources(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    entry = "  - id: x1\n    name: X\n    base_url: https://x.example/\n"
    with pytest.raises(SourcesError, match="duplicate source id 'x1'"):
        load_sources(write(tmp_path, "sources:\n" + entry + entry))


def test_bad_regex_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, "sources:\n  - id: x1\n    name: X\n    base_url: https://x.example/\n    article_pattern: '(['\n"
    )
    with pytest.raises(SourcesError, match="article_pattern is not a valid regex"):
        load_sources(path)


def test_missing_file_and_wrong_shape(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")
    with pytest.raises(SourcesError, match="'sources:' list"):
        load_sources(write(tmp_path, "- just a list\n"))


def test_base_url_alone_is_enough(tmp_path: Path) -> None:
    (source,) = load_sources(write(tmp_path, "sources:\n  - id: x1\n    name: X\n    base_url: https://x.example\n"))
    assert source.base_url == "https://x.example/"
    assert source.feeds == [] and source.sitemaps == [] and source.enabled


def test_select_sources() -> None:
    sources = load_sources()
    assert [s.id for s in select_sources(sources, ["syriatv"])] == ["syriatv"]
    with pytest.raises(SourcesError, match="unknown source"):
        select_sources(sources, ["nope"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "XYZ"}, "ISO 3166"),
        ({"base_url": "https://exa mple.com/"}, "not a valid host name"),
        ({"name": "Outlet\x1b[31m"}, "control character U+001B"),
        ({"name": "x" * 5000}, "at most 200"),
        ({"name": "\ud800"}, "lone surrogate"),
        ({"language": "zz"}, "ISO 639"),
        ({"selectors": {"body": "div[[["}}, "not a valid CSS selector"),
        ({"selectors": {"remove": [".ok", "p:nth-child(x)"]}}, "not a valid CSS selector"),
        ({"feeds": ["/feed\x00"]}, "NUL"),
    ],
)
def test_a_bad_field_is_refused_where_it_enters(change: dict[str, object], message: str) -> None:
    entry: dict[str, object] = {"id": "outlet", "name": "Outlet", "base_url": "https://outlet.example/"} | change
    with pytest.raises(ValidationError, match=re.escape(message)):
        Source(**entry)  # type: ignore[arg-type]


def test_real_selectors_and_codes_pass() -> None:
    source = Source(
        id="enab", name="عنب بلدي", base_url="https://www.enabbaladi.net", country="sy", language="ar",
        selectors={"body": "div.content-area > article p", "remove": [".share", "#related", "figure figcaption"]},
    )  # fmt: skip
    assert source.country == "SY" and source.selectors.remove[-1] == "figure figcaption"


def test_a_source_stored_before_validation_is_still_read() -> None:
    from db.models import SourceRow
    from db.sources import source_from_row

    config = {"id": "old", "name": "Old", "base_url": "https://old.example/", "country": "XYZ",
              "selectors": {"body": "div[[", "remove": []}, "listing_pages": ["ar/news"]}  # fmt: skip
    source = source_from_row(SourceRow(id="old", name="Old", base_url="https://old.example/", config=config))
    assert source.id == "old" and source.listing_pages == ["ar/news"]
    assert source.country is None and source.selectors.body is None  # the fields that fail are left out
