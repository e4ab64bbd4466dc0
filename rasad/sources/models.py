"""The shape of one outlet in the sources file."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from cssselect import HTMLTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from rasad.text.validation import check_country, check_host, check_language, check_text

_TRANSLATOR = HTMLTranslator()


class Selectors(BaseModel):
    """Per-outlet CSS selectors; each one is optional and overrides generic extraction."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    body: str | None = None
    published: str | None = None
    author: str | None = None
    remove: list[str] = Field(default_factory=list, description="elements dropped before extraction")
    article_links: str | None = Field(default=None, description="links to articles on listing pages")

    @field_validator("title", "body", "published", "author", "article_links")
    @classmethod
    def _selector_compiles(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else compiled_selector(value, f"selectors.{info.field_name}")

    @field_validator("remove")
    @classmethod
    def _selectors_compile(cls, values: list[str]) -> list[str]:
        return [compiled_selector(value, "selectors.remove") for value in values]


def compiled_selector(value: str, field: str) -> str:
    """`value` when it is a CSS selector parsel can run (as XPath), else ValueError naming the field."""
    value = check_text(value, field=field, max_chars=500)
    try:
        _TRANSLATOR.css_to_xpath(value)
    except SelectorError as exc:
        raise ValueError(f"{field} is not a valid CSS selector ({value!r}): {exc}") from exc
    return value


class Source(BaseModel):
    """One news outlet: where to find its new articles and how to read them."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    name: str
    language: str = "ar"
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 of the outlet's base")
    base_url: str
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    listing_pages: list[str] = Field(default_factory=list)
    article_pattern: str | None = Field(default=None, description="regex on an article URL's path relative to base_url")
    selectors: Selectors = Field(default_factory=Selectors)
    interval_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60, description="until its publishing is known")
    min_interval_minutes: int | None = Field(default=None, ge=1, le=7 * 24 * 60, description="adaptive polling floor")
    max_interval_minutes: int | None = Field(default=None, ge=1, le=7 * 24 * 60, description="adaptive ceiling")
    enabled: bool = True
    verified: bool = False
    notes: str | None = None

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str) -> str:
        value = check_text(value, field="base_url", max_chars=500)
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"base_url must be an http(s) URL, got {value!r}")
        try:
            host = urlsplit(value).hostname or ""
        except ValueError as exc:
            raise ValueError(f"base_url is not a valid URL: {exc}") from exc
        check_host(host, field="base_url's host")
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Source:
        low, high = self.min_interval_minutes, self.max_interval_minutes
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_interval_minutes ({low}) is over max_interval_minutes ({high})")
        return self

    @field_validator("name")
    @classmethod
    def _name_is_one_line(cls, value: str) -> str:
        return check_text(value, field="name", max_chars=200)

    @field_validator("notes")
    @classmethod
    def _notes_are_text(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, field="notes", max_chars=2000, multiline=True)

    @field_validator("feeds", "sitemaps", "listing_pages")
    @classmethod
    def _paths_are_one_line(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return [check_text(v, field=str(info.field_name), max_chars=2000) for v in values]

    @field_validator("country")
    @classmethod
    def _country_is_iso(cls, value: str | None) -> str | None:
        return None if value is None else check_country(value)

    @field_validator("language")
    @classmethod
    def _language_is_iso(cls, value: str) -> str:
        return check_language(value)

    @field_validator("article_pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"article_pattern is not a valid regex: {exc}") from exc
        return value

    def absolute(self, url: str) -> str:
        """Resolve a feed, sitemap or listing path against the base URL (relative paths have no '/')."""
        return urljoin(self.base_url, url)

    def relative_path(self, url: str) -> str | None:
        """The part of `url` after the base URL, or None when `url` lies outside this outlet."""
        if url.startswith(self.base_url):
            return url[len(self.base_url) :]

        # Tolerate http/https and www. differences between the configured base and real links.
        def strip(u: str) -> str:
            return re.sub(r"^https?://(www\.)?", "", u)

        base, candidate = strip(self.base_url), strip(url)
        if candidate.startswith(base):
            return candidate[len(base) :]
        return None

    def is_article_url(self, url: str) -> bool:
        """Whether a link found on a listing page is an article of this outlet."""
        path = self.relative_path(url)
        if path is None:
            return False
        if self.article_pattern:
            return re.search(self.article_pattern, path) is not None
        # Without a pattern: a deep-enough path with a long slug or a numeric id looks like an article.
        segments = [s for s in path.split("?")[0].split("/") if s]
        return len(segments) >= 2 and (
            any(s.isdigit() and len(s) >= 4 for s in segments) or any(len(s) >= 25 for s in segments)
        )
