"""What an alert says, and how it reads as JSON, plain text and right-to-left HTML.

An alert item is a JSON-ready dict fixed when the alert is raised (so every retry sends the same
message): title, outlet, publication time, the development in one line, a two-sentence summary,
every source of the story, and links.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, select_autoescape

_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")
CHANGE_LABELS = {
    "new": "new development",
    "status": "status changed",
    "date": "date known",
    "location": "place known",
    "level": "level known",
}


def first_sentences(text: str, count: int = 2) -> str:
    """The first `count` sentences of `text` (a paragraph without final punctuation counts as one)."""
    sentences: list[str] = []
    for paragraph in text.splitlines():
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            if sentence.strip():
                sentences.append(sentence.strip())
            if len(sentences) == count:
                return " ".join(sentences)
    return " ".join(sentences)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (naive values from SQLite are UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def describe_change(change: dict[str, Any]) -> str:
    """One line for a development change: 'status changed: planned → held'."""
    label = CHANGE_LABELS.get(change["change"], change["change"])
    if change["change"] == "new":
        return label
    old = change.get("old") or "unknown"
    return f"{label}: {old} → {change.get('new')}"


def subject(payload: dict[str, Any]) -> str:
    """The e-mail subject / notification title of a message."""
    if payload.get("kind") == "digest":
        items = payload.get("items") or []
        return f"[Rasad] Digest: {len(items)} alert(s)"
    if payload.get("kind") == "test":
        return "[Rasad] Test alert"
    prefix = "Update" if payload.get("kind") == "update" else "New"
    return f"[Rasad] {prefix}: {payload.get('title') or '(untitled)'}"


def _item_text(item: dict[str, Any]) -> list[str]:
    lines = [
        f"{'UPDATE' if item.get('kind') == 'update' else 'NEW'}: {item.get('title') or '(untitled)'}",
        f"{item.get('outlet')} — {item.get('published_at') or 'undated'}",
    ]
    lines += [f"Development: {d}" for d in item.get("developments") or []]
    lines += [f"Change: {describe_change(c)}" for c in item.get("changes") or [] if c["change"] != "new"]
    if item.get("summary"):
        lines.append(item["summary"])
    lines.append(f"Link: {item.get('url')}")
    sources = item.get("sources") or []
    if sources:
        lines.append(f"Sources ({len(sources)}):")
        lines += [f"  - {s['outlet']}: {s.get('title') or ''} {s['url']}" for s in sources]
    if item.get("in_reply_to"):
        lines.append(f"Follows alert {item['in_reply_to']}")
    return lines


def text_body(payload: dict[str, Any]) -> str:
    """The plain-text form of a message."""
    items = payload.get("items") or [payload]
    blocks = ["\n".join(_item_text(item)) for item in items]
    return "\n\n".join(blocks) + f"\n\n— Rasad ({payload.get('idempotency_key', '')})\n"


_HTML = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(
    """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<div dir="rtl" lang="ar" style="font-family: Tahoma, Arial, sans-serif; text-align: right;">
{% for item in items %}
  <h2>{% if item.kind == 'update' %}<span dir="ltr" lang="en">[update]</span> {% endif %}
    <bdi>{{ item.title or '(untitled)' }}</bdi></h2>
  <p><bdi>{{ item.outlet }}</bdi> — <span dir="ltr">{{ item.published_at or 'undated' }}</span></p>
  {% for line in item.developments or [] %}<p dir="ltr" lang="en" style="text-align: left;">{{ line }}</p>{% endfor %}
  {% for change in item.changes or [] %}{% if change.change != 'new' %}
  <p dir="ltr" lang="en" style="text-align: left;">{{ describe(change) }}</p>{% endif %}{% endfor %}
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
    """The HTML form of a message: Arabic right-to-left, English lines left-to-right."""
    items = payload.get("items") or [payload]
    return _HTML.render(title=subject(payload), items=items, describe=describe_change)


def webhook_body(payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON a webhook receives: event name, idempotency key, and the alert (or digest items)."""
    kind = payload.get("kind", "new")
    return {"event": f"alert.{kind}", **payload}
