"""Turn page bytes into text, trying the encodings an Arabic news page plausibly uses."""

from __future__ import annotations

import codecs
import re

from rasad.cleaning.language import arabic_share
from rasad.cleaning.models import Rejected

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A windows-1256 reading counts as Arabic when this share of its letters is Arabic script.
_CP1256_MIN_ARABIC = 0.5
# Above this share of U+FFFD in a lossy UTF-8 reading the bytes are not text at all.
_MAX_REPLACEMENT_SHARE = 0.1
# Text has next to no control bytes; images, PDFs and compressed bodies have many.
_MAX_CONTROL_SHARE = 0.01
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
# Prose has spaces: a "clean" windows-1256 reading of random bytes does not.
_MIN_SPACE_SHARE = 0.05


def _codec(name: str | None) -> str | None:
    """The Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    # Browsers treat these labels as windows-1252 / windows-1256 supersets; so do we.
    name = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "iso-8859-6": "cp1256"}.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def meta_charset(raw: bytes) -> str | None:
    """The charset named in the page's `<meta charset>` / http-equiv tag or XML declaration."""
    head = raw[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def decode_page(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return (text, codec used).

    Order: a byte-order mark, the declared charset (HTTP header), the page's `<meta charset>`,
    windows-1256 when it decodes cleanly to Arabic, then UTF-8 with replacement characters.
    Raises `Rejected("undecodable")` when even the lossy reading is mostly garbage.
    """
    sample = raw[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE and not utf16:
        raise Rejected("undecodable", f"binary content: {controls} control bytes in the first {len(sample)}")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name if name == "utf-16" else "utf-8-sig"), name
            except UnicodeDecodeError:
                break
    utf8 = _try_utf8(raw)
    tried: list[str] = []
    for label in (declared, meta_charset(raw)):
        codec = _codec(label)
        if codec is None or codec in tried:
            continue
        tried.append(codec)
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        # Non-ASCII bytes that form valid UTF-8 are UTF-8 whatever a single-byte label claims:
        # servers default to "iso-8859-1" and templates copy stale <meta> tags.
        if utf8 is not None and _is_single_byte(codec):
            return utf8, "utf-8"
        # A latin-1 label on Arabic bytes reads as mojibake: windows-1256 is what the page meant.
        if codec == "cp1252" and arabic_share(text) < 0.05:
            cp1256 = _try_cp1256(raw)
            if cp1256 is not None:
                return cp1256, "cp1256"
        return text, codec
    if utf8 is not None or raw.isascii():
        return raw.decode("utf-8"), "utf-8"
    cp1256 = _try_cp1256(raw)
    if cp1256 is not None:
        return cp1256, "cp1256"
    text = raw.decode("utf-8", errors="replace")
    if text and text.count("\ufffd") / len(text) > _MAX_REPLACEMENT_SHARE:
        raise Rejected("undecodable", f"no charset decodes these {len(raw)} bytes (tried {tried or 'none'})")
    return text, "utf-8"


def _try_cp1256(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1256")
    except UnicodeDecodeError:
        return None
    if arabic_share(text) < _CP1256_MIN_ARABIC or text.count(" ") < _MIN_SPACE_SHARE * len(text):
        return None
    return text


def _try_utf8(raw: bytes) -> str | None:
    """The strict UTF-8 reading of bytes that contain non-ASCII, else None."""
    if raw.isascii():
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "windows", "latin", "mac-", "koi8"))
