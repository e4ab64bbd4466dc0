import pytest

from rasad.urls import InvalidURL, canonicalize_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTPS://WWW.Orient-News.net:443/ar/news_show/200537/?utm_source=fb&fbclid=x#comments",
            "https://www.orient-news.net/ar/news_show/200537/",
        ),
        ("https://x.com/news.php?b=2&id=12&a=1", "https://x.com/news.php?a=1&b=2&id=12"),
        (
            "https://arabi21.com/story/1601234/تركيا",
            "https://arabi21.com/story/1601234/%D8%AA%D8%B1%D9%83%D9%8A%D8%A7",
        ),
        ("  http://127.0.0.1:8765/syriatv/x?gclid=1  ", "http://127.0.0.1:8765/syriatv/x"),
    ],
)
def test_canonicalize(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


def test_canonical_form_is_stable() -> None:
    url = "https://arabi21.com/story/1601234/تركيا?utm_medium=x&page=2"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


def test_percent_encoded_and_raw_arabic_agree() -> None:
    raw = "https://www.syria.tv/سياسة/خبر"
    encoded = "https://www.syria.tv/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/%D8%AE%D8%A8%D8%B1"
    assert canonicalize_url(raw) == canonicalize_url(encoded)


@pytest.mark.parametrize("bad", ["", "ftp://x.com/a", "/relative/path", "mailto:a@b.c", "https://"])
def test_rejects_non_http(bad: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url(bad)
