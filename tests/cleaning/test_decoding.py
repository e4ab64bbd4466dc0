import codecs

import pytest

from rasad.cleaning import Rejected, decode_page

ARABIC = "أعلنت وزارة الخارجية التركية عن اجتماع قريب في موسكو بين الجانبين"


@pytest.mark.parametrize(
    ("raw", "declared", "expected"),
    [
        (ARABIC.encode("utf-8"), "utf-8", "utf-8"),
        (ARABIC.encode("utf-8"), None, "utf-8"),
        (ARABIC.encode("cp1256"), None, "cp1256"),
        (ARABIC.encode("cp1256"), "windows-1256", "cp1256"),
        (ARABIC.encode("cp1256"), "ISO-8859-1", "cp1256"),  # the common server default, wrong here
        (ARABIC.encode("utf-8"), "iso-8859-1", "utf-8"),
        (b'<meta charset="windows-1256">' + ARABIC.encode("cp1256"), None, "cp1256"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">' + ARABIC.encode("cp1256"),
            "bogus",
            "cp1256",
        ),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "cp1256", "utf-8"),
        (ARABIC.encode("utf-16"), None, "utf-16"),
    ],
)
def test_decode_page(raw, declared, expected):
    text, used = decode_page(raw, declared)
    assert used == expected
    assert ARABIC in text


def test_ascii_page_is_utf8():
    assert decode_page(b"<html><body>hello</body></html>") == ("<html><body>hello</body></html>", "utf-8")


def test_binary_is_undecodable():
    with pytest.raises(Rejected) as err:
        decode_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 100)
    assert err.value.reason == "undecodable"


def test_random_high_bytes_are_not_taken_for_arabic():
    with pytest.raises(Rejected):
        decode_page(bytes(range(128, 256)) * 20)
