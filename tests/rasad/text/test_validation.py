"""User-given text is refused with a one-line reason: NUL, lone surrogates, control characters, bad codes."""

from __future__ import annotations

import re

import pytest

from rasad.text.validation import check_country, check_host, check_language, check_text


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a\x00b", "holds NUL"),
        ("a\ud800b", "holds a lone surrogate"),
        ("bell\x07", "holds control character U+0007"),
        ("two\nlines", "holds control character U+000A"),
        ("   ", "is empty"),
        ("x" * 201, "is 201 characters long, at most 200"),
    ],
)
def test_bad_text_is_refused_with_the_reason(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"name {reason}")):
        check_text(value, field="name", max_chars=200)


def test_good_text_passes_stripped() -> None:
    assert check_text("  عنب بلدي ", field="name", max_chars=200) == "عنب بلدي"
    assert check_text("سطر\nوسطر\tآخر", field="notes", max_chars=50, multiline=True) == "سطر\nوسطر\tآخر"
    assert check_text("", field="notes", max_chars=50, required=False) == ""


def test_country_and_language_codes() -> None:
    assert check_country("sy") == "SY" and check_country("TR") == "TR"
    for bad in ("XYZ", "XX", "", "S"):
        with pytest.raises(ValueError, match="ISO 3166"):
            check_country(bad)
    assert check_language("ar") == "ar" and check_language("ar-SY") == "ar-SY" and check_language("ara") == "ara"
    for bad in ("zz", "arabic", "", "a r"):
        with pytest.raises(ValueError, match="ISO 639"):
            check_language(bad)


def test_hosts() -> None:
    for good in ("www.enabbaladi.net", "localhost", "عنب.com", "xn--mgbh0fb.xn--kgbechtv", "127.0.0.1", "[::1]"):
        assert check_host(good) == good
    for bad in ("exa mple.com", "a..b", "-bad.com", "bad-.com", "under_score.com", "", "a" * 64 + ".com"):
        with pytest.raises(ValueError, match="not a valid host name"):
            check_host(bad)
