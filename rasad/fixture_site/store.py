"""The fixture site's articles: the seeds plus those published while it runs, persisted in a state dir.

State directory layout:
    published.json        every published article, so a restarted site still serves them
    inbox/*.json          publish requests dropped as files; picked up on the next HTTP request
    inbox/done/           requests that were published
    inbox/failed/         invalid requests, each with a `<name>.error` text file beside it
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rasad.fixture_site.content import Article, load_seed_articles
from rasad.fixture_site.outlets import OUTLETS, slugify


class PublishError(ValueError):
    """A publish request that cannot be honoured (unknown outlet, missing title, bad date, ...)."""


class ArticleStore:
    """Thread-safe set of the articles of all outlets, keyed by outlet and relative path."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.inbox = state_dir / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._articles: list[Article] = load_seed_articles()
        self._published_file = state_dir / "published.json"
        if self._published_file.exists():
            saved = json.loads(self._published_file.read_text(encoding="utf-8"))
            self._articles.extend(Article.from_json(item) for item in saved)

    def articles(self, outlet: str) -> list[Article]:
        """The outlet's articles, newest first: published ones by publication order, then the seeds."""
        with self._lock:
            mine = [a for a in self._articles if a.outlet == outlet]

        def order(article: Article) -> tuple[int, str]:
            return (article.seq, (article.published_datetime or datetime.min).isoformat())

        return sorted(mine, key=order, reverse=True)

    def find(self, outlet: str, path: str) -> Article | None:
        """The article at `path` (relative, not percent-encoded) of `outlet`, if any."""
        with self._lock:
            for article in self._articles:
                if article.outlet == outlet and article.path == path:
                    return article
        return None

    def publish(self, request: Any) -> Article:
        """Add an article from a publish request (dict with outlet, title, body, published?, slug?)."""
        fields = _validate(request)
        site = OUTLETS[fields["outlet"]]
        with self._lock:
            mine = [a for a in self._articles if a.outlet == site.id]
            article_id = None
            if site.numeric_ids:
                article_id = 1 + max((int(a.article_id) for a in mine if a.article_id), default=100000)
            base_slug = slugify(fields["slug"] or fields["title"])
            slug, n = base_slug, 1
            while True:
                path = site.article_path(slug, fields["date"], article_id)
                if not any(a.path == path for a in mine):
                    break
                n += 1
                slug = f"{base_slug}-{n}"
            article = Article(
                outlet=site.id,
                path=path,
                title=fields["title"],
                published=fields["published"],
                body=[{"p": paragraph} for paragraph in fields["paragraphs"]],
                section=fields["section"],
                article_id=None if article_id is None else str(article_id),
                seq=1 + max((a.seq for a in self._articles), default=0),
            )
            self._articles.append(article)
            self._save()
        return article

    def process_inbox(self) -> list[Article]:
        """Publish every `*.json` request in the inbox, moving each to `done/` or `failed/`."""
        published = []
        for request_file in sorted(self.inbox.glob("*.json")):
            with self._lock:
                if not request_file.exists():  # another request thread got it first
                    continue
                try:
                    request = json.loads(request_file.read_text(encoding="utf-8"))
                    published.append(self.publish(request))
                except (OSError, ValueError) as exc:  # JSONDecodeError and PublishError are ValueErrors
                    failed = _move(request_file, self.inbox / "failed")
                    failed.with_name(failed.name + ".error").write_text(f"{exc}\n", encoding="utf-8")
                else:
                    _move(request_file, self.inbox / "done")
        return published

    def _save(self) -> None:
        saved = [a.to_json() for a in self._articles if a.seed is None]
        tmp = self._published_file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self._published_file)


def _validate(request: Any) -> dict[str, Any]:
    if not isinstance(request, dict):
        raise PublishError("the request must be a JSON object")
    outlet = request.get("outlet")
    if outlet not in OUTLETS:
        raise PublishError(f"unknown outlet {outlet!r}; known: {', '.join(OUTLETS)}")
    title, body = request.get("title"), request.get("body")
    if not isinstance(title, str) or not title.strip():
        raise PublishError("'title' must be a non-empty string")
    if not isinstance(body, str) or not body.strip():
        raise PublishError("'body' must be a non-empty string (paragraphs separated by blank lines)")
    slug = request.get("slug")
    if slug is not None and (not isinstance(slug, str) or not slug.strip()):
        raise PublishError("'slug' must be a non-empty string when given")
    section = request.get("section", "أخبار")
    if not isinstance(section, str):
        raise PublishError("'section' must be a string when given")
    published_text = request.get("published")
    now = datetime.now().astimezone().replace(microsecond=0)
    if published_text is None:
        published: date | datetime = now
    elif "T" in str(published_text):  # a moment: the article's history as an outlet's feed would show it
        try:
            moment = datetime.fromisoformat(str(published_text))
        except ValueError:
            raise PublishError(f"'published' must be YYYY-MM-DD or an ISO moment, got {published_text!r}") from None
        published = (moment if moment.tzinfo else moment.astimezone()).replace(microsecond=0)
    else:
        try:
            day = date.fromisoformat(str(published_text))
        except ValueError:
            raise PublishError(f"'published' must be YYYY-MM-DD, got {published_text!r}") from None
        # Published today: stamp the current time so "new since the last crawl" comparisons hold.
        published = now if day == now.date() else day
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]
    return {
        "outlet": outlet,
        "title": title.strip(),
        "paragraphs": paragraphs,
        "published": published,
        "date": published.date() if isinstance(published, datetime) else published,
        "slug": slug.strip() if slug else None,
        "section": section,
    }


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target, n = folder / path.name, 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}-{n}{path.suffix}"
    shutil.move(str(path), target)
    return target
