"""What an alert says, and how it reads as JSON, plain text and right-to-left HTML.

An alert item is a JSON-ready dict fixed when the alert is raised (so every retry sends the same
message): title, outlet, publication time, the development in one line, a two-sentence summary,
every source of the story, and links.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, select_autoescape

from rasad.i18n import DEFAULT_LANGUAGE, LANGUAGES, change_label, labels
from rasad.text.sentences import sentences as split_sentences

BRAND = "Rasad"  # in subjects as "[Rasad]" in every language: mail filters match it


def first_sentences(text: str, count: int = 2) -> str:
    """The first `count` sentences of `text` (a paragraph without final punctuation counts as one)."""
    found: list[str] = []
    for paragraph in text.splitlines():
        for sentence in split_sentences(paragraph):
            found.append(sentence)
            if len(found) == count:
                return " ".join(found)
    return " ".join(found)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (naive values from SQLite are UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def message_language(payload: dict[str, Any]) -> str:
    """The language a message is written in: the subscription's, fixed when the alert was raised (else Arabic)."""
    items = payload.get("items") or [payload]
    language = payload.get("language") or next((i.get("language") for i in items if i.get("language")), None)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def subject(payload: dict[str, Any]) -> str:
    """The e-mail subject / notification title of a message, in its language."""
    words = labels(message_language(payload)).message
    if payload.get("kind") == "digest":
        return f"[{BRAND}] " + words["digest"].format(count=len(payload.get("items") or []))
    if payload.get("kind") == "test":
        return f"[{BRAND}] {words['test']}"
    prefix = words["update"] if payload.get("kind") == "update" else words["new"]
    return f"[{BRAND}] {prefix}: {payload.get('title') or words['untitled']}"


def _item_text(item: dict[str, Any], language: str) -> list[str]:
    words = labels(language).message
    prefix = words["update"] if item.get("kind") == "update" else words["new"]
    lines = [
        f"{prefix}: {item.get('title') or words['untitled']}",
        f"{item.get('outlet')} — {item.get('published_at') or words['undated']}",
    ]
    lines += [f"{words['development']}: {d}" for d in item.get("developments") or []]
    changes = [c for c in item.get("changes") or [] if c["change"] != "new"]
    lines += [f"{words['change']}: {change_label(c, language)}" for c in changes]
    if item.get("summary"):
        lines.append(item["summary"])
    lines.append(f"{words['link']}: {item.get('url')}")
    sources = item.get("sources") or []
    if sources:
        lines.append(words["sources"].format(count=len(sources)) + ":")
        lines += [f"  - {s['outlet']}: {s.get('title') or ''} {s['url']}" for s in sources]
    if item.get("in_reply_to"):
        lines.append(f"Follows alert {item['in_reply_to']}")
    return lines


def text_body(payload: dict[str, Any]) -> str:
    """The plain-text form of a message."""
    items = payload.get("items") or [payload]
    language = message_language(payload)
    blocks = ["\n".join(_item_text(item, language)) for item in items]
    return "\n\n".join(blocks) + f"\n\n— Rasad ({payload.get('idempotency_key', '')})\n"


_HTML = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(
    """<!doctype html>
<html lang="{{ lang }}" dir="{{ dir }}"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<div dir="{{ dir }}" lang="{{ lang }}" style="font-family: Tahoma, Arial, sans-serif; text-align: start;">
{% for item in items %}
  <h2>{% if item.kind == 'update' %}[{{ words.update }}] {% endif %}
    <bdi>{{ item.title or words.untitled }}</bdi></h2>
  <p><bdi>{{ item.outlet }}</bdi> — <span dir="ltr">{{ item.published_at or words.undated }}</span></p>
  {% for line in item.developments or [] %}<p>{{ line }}</p>{% endfor %}
  {% for change in item.changes or [] %}{% if change.change != 'new' %}
  <p>{{ describe(change) }}</p>{% endif %}{% endfor %}
  {% if item.summary %}<p>{{ item.summary }}</p>{% endif %}
  <p><a href="{{ item.url }}">{{ item.url }}</a></p>
  {% if item.sources %}<ul>{% for s in item.sources %}
    <li><bdi>{{ s.outlet }}</bdi>: <a href="{{ s.url }}"><bdi>{{ s.title or s.url }}</bdi></a></li>{% endfor %}
  </ul>{% endif %}
  {% if not loop.last %}<hr>{% endif %}
{% endfor %}
</div>
</body></html>
"""
)


def html_body(payload: dict[str, Any]) -> str:
    """The HTML form of a message: right-to-left in Arabic, left-to-right in English."""
    items = payload.get("items") or [payload]
    language = message_language(payload)
    words = labels(language)
    return _HTML.render(
        title=subject(payload), items=items, lang=language, dir=words.direction, words=words.message,
        describe=lambda change: change_label(change, language),
    )  # fmt: skip


def webhook_body(payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON a webhook receives: event name, idempotency key, and the alert (or digest items)."""
    kind = payload.get("kind", "new")
    return {"event": f"alert.{kind}", **payload}
