"""Text that users give us (names, keywords, notes, hosts, codes), checked before anything is stored.

PostgreSQL text cannot hold NUL, a lone surrogate cannot be encoded to UTF-8 at all, and control
characters corrupt terminals, logs and CSV exports: each is refused with a message that names the
field and the offending character, so the CLI prints one line and the API answers 422.
"""

from __future__ import annotations

import re
import unicodedata

import pycountry

_ALLOWED_IN_MULTILINE = frozenset("\n\t")
_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:-[A-Za-z0-9]{2,8})*$")


def _bad_character(value: str, multiline: bool) -> str | None:
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            return "a lone surrogate"
        if category == "Cc" and not (multiline and char in _ALLOWED_IN_MULTILINE):
            return "NUL" if char == "\x00" else f"control character U+{ord(char):04X}"
    return None


def check_text(value: str, *, field: str, max_chars: int, multiline: bool = False, required: bool = True) -> str:
    """`value` stripped, or ValueError: empty when required, too long, or holding NUL, surrogates or controls."""
    problem = _bad_character(value, multiline)
    if problem:
        raise ValueError(f"{field} holds {problem}")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{field} is empty")
    if len(value) > max_chars:
        raise ValueError(f"{field} is {len(value)} characters long, at most {max_chars}")
    return value


def check_country(value: str, *, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code (any case in, upper case out), or ValueError."""
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{field} must be an ISO 3166 alpha-2 country code (e.g. SY, TR), got {value!r}")
    return code


def check_language(value: str, *, field: str = "language") -> str:
    """An ISO 639 language code, optionally with subtags (`ar`, `en`, `ar-SY`), or ValueError."""
    match = _LANGUAGE_TAG.match(value.strip())
    primary = match.group(1) if match else ""
    known = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else pycountry.languages.get(alpha_3=primary)
    if known is None:
        raise ValueError(f"{field} must be an ISO 639 language code (e.g. ar, en), got {value!r}")
    return value.strip()


def check_host(host: str, *, field: str = "host") -> str:
    """A host name (letters of any script, digits, hyphens; dot-separated labels) or an IP literal."""
    bare = host.strip().rstrip(".")
    if bare.startswith("[") and bare.endswith("]"):
        return host  # an IPv6 literal, parsed by the URL library
    labels = bare.split(".")
    if not bare or len(bare) > 253 or not all(_HOST_LABEL.match(label) and "_" not in label for label in labels):
        raise ValueError(f"{field} is not a valid host name: {host!r}")
    return host
