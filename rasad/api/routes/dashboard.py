"""The dashboard: server-rendered, right-to-left pages over the same read models as the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from db.api_tokens import verify_token
from db.pages import quarantined_pages
from db.queries.articles import ArticleFilters, article_detail
from db.queries.events import EventFilters, events_per_month, find_events
from db.queries.outlets import articles_per_day, list_crawl_runs, list_sources
from db.queries.people import list_persons, person_detail
from db.queries.search import search_articles
from db.subscriptions import add_subscription, list_subscriptions, remove_subscription
from rasad.api.charts import bar_chart, line_chart
from rasad.api.deps import TOKEN_COOKIE, get_session
from rasad.api.markup import entity_spans, marked_paragraphs
from rasad.api.routes.params import SAFE_TEXT, IdPath, KeyPath
from rasad.extraction.topics import load_topics
from rasad.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    change_label,
    describe,
    labels,
    person_name,
    place_name,
    status_label,
)

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.filters["person"] = person_name  # "Hakan Fidan" | person(lang)
templates.env.filters["place"] = place_name
router = APIRouter(include_in_schema=False)


def dashboard_access(request: Request, session: Session = Depends(get_session)) -> bool:
    """Whether the browser holds a valid token (needed for reads when RASAD_API_READ_AUTH=true)."""
    token = request.cookies.get(TOKEN_COOKIE)
    valid = bool(token) and verify_token(session, token or "") is not None
    if request.app.state.api_settings.read_auth and not valid:
        raise HTTPException(303, "login required", headers={"Location": "/login"})
    return valid


LANG_COOKIE = "rasad_lang"
LANG_COOKIE_SECONDS = 365 * 24 * 3600


def page_language(request: Request) -> str:
    """`?lang=` when given, else the language cookie, else Arabic."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    """Render a template with the shared context, in the page's language (a `?lang=` choice is remembered)."""
    lang = page_language(request)
    words = labels(lang)
    other = "en" if lang == "ar" else "ar"
    shared = {
        "nav": name.split(".")[0], "lang": lang, "dir": words.direction, "ui": words.ui,
        "switch_url": str(request.url.include_query_params(lang=other)), "switch_lang": other,
        "describe": lambda dev: describe(dev, lang), "status_label": lambda s: status_label(s, lang),
        "change_label": lambda c: change_label(c, lang),
    }  # fmt: skip
    response = templates.TemplateResponse(request, name, {**shared, **context})
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_COOKIE_SECONDS, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    person: Annotated[str | None, Query(max_length=200, pattern=SAFE_TEXT)] = None,
    status: Annotated[str | None, Query(max_length=20, pattern=SAFE_TEXT)] = None,
    topic: Annotated[str | None, Query(max_length=64, pattern=SAFE_TEXT)] = None,
    session: Session = Depends(get_session),
    _: bool = Depends(dashboard_access),
) -> HTMLResponse:
    """The timeline with charts, of one topic or of all."""
    filters = EventFilters(person=person or None, status=status or None, topic=topic or None)
    events = find_events(session, filters, limit=100).items
    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=29 - i)).isoformat() for i in range(30)]
    per_day = articles_per_day(session, days=30, today=today)
    return render(
        request, "timeline.html", events=events, person=person or "", status=status or "", topic=topic or "",
        topics=[{"id": t.spec.id, "name": t.spec.name} for t in load_topics()],
        articles_chart=line_chart(per_day, days), events_chart=bar_chart(events_per_month(session)[-24:],
                                                                          label="events per month"),
    )  # fmt: skip


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500, pattern=SAFE_TEXT)] = "",
    outlet: Annotated[str | None, Query(max_length=64, pattern=SAFE_TEXT)] = None,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]*$")] = None,
    session: Session = Depends(get_session),
    _: bool = Depends(dashboard_access),
) -> HTMLResponse:
    """A search box and its results with highlighted snippets."""
    page = None
    if q.strip():
        filters = ArticleFilters(outlets=[outlet] if outlet else [])
        page = search_articles(session, q, filters, 20, cursor or None)
    return render(request, "search.html", q=q, outlet=outlet or "", page=page)


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: IdPath, session: Session = Depends(get_session), _: bool = Depends(dashboard_access)
) -> HTMLResponse:
    """One article with its entities marked in the text."""
    detail = article_detail(session, article_id)
    if detail is None:
        raise HTTPException(404, f"article {article_id} does not exist")
    paragraphs = marked_paragraphs(detail["body"], entity_spans(detail))
    return render(request, "article.html", a=detail, paragraphs=paragraphs)


@router.get("/people", response_class=HTMLResponse)
def people_page(
    request: Request, session: Session = Depends(get_session), _: bool = Depends(dashboard_access)
) -> HTMLResponse:
    """People of the knowledge base, most events first."""
    return render(request, "people.html", people=list_persons(session))


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request, person_id: KeyPath, session: Session = Depends(get_session), _: bool = Depends(dashboard_access)
) -> HTMLResponse:
    """A person: roles over time, events, latest articles."""
    detail = person_detail(session, person_id)
    if detail is None:
        raise HTTPException(404, f"no person {person_id!r}")
    return render(request, "person.html", p=detail)


@router.get("/crawl", response_class=HTMLResponse)
def crawl_page(
    request: Request, session: Session = Depends(get_session), _: bool = Depends(dashboard_access)
) -> HTMLResponse:
    """Crawl status per outlet, the latest runs with their failures, and the quarantined pages."""
    return render(
        request,
        "crawl.html",
        sources=list_sources(session),
        runs=list_crawl_runs(session, limit=20),
        quarantined=quarantined_pages(session, limit=50),
    )


@router.get("/alerts", response_class=HTMLResponse)
def subscriptions_page(
    request: Request,
    error: Annotated[str | None, Query(max_length=300, pattern=SAFE_TEXT)] = None,
    authorized: bool = Depends(dashboard_access),
    session: Session = Depends(get_session),
) -> HTMLResponse:
    """Subscriptions: list, create, delete (a token is needed to see and change them)."""
    subscriptions = []
    if authorized:
        subscriptions = list_subscriptions(session)
    return render(request, "subscriptions.html", subscriptions=subscriptions, authorized=authorized, error=error)


@router.post("/alerts/new")
def subscription_create(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    channel: Annotated[str, Form(max_length=20)],
    target: Annotated[str, Form(max_length=2000)],
    topic: Annotated[str, Form(max_length=64)] = "",
    persons: Annotated[str, Form(max_length=500)] = "",
    countries: Annotated[str, Form(max_length=100)] = "",
    keywords: Annotated[str, Form(max_length=500)] = "",
    authorized: bool = Depends(dashboard_access),
    session: Session = Depends(get_session),
) -> Response:
    """Create a subscription from the form (token cookie required)."""

    if not authorized:
        return RedirectResponse("/login", status_code=303)
    rule: dict[str, Any] = {"topic": topic or None}
    for key, value in (("persons", persons), ("countries", countries), ("keywords", keywords)):
        items = [v.strip() for v in value.split(",") if v.strip()]
        if items:
            rule[key] = items
    try:
        add_subscription(session, name, rule, channel=channel, target=target)
    except ValueError as exc:
        return RedirectResponse(
            request.url_for("subscriptions_page").include_query_params(error=str(exc)[:300]), status_code=303
        )
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{name}/delete")
def subscription_delete(
    request: Request,
    name: KeyPath,
    authorized: bool = Depends(dashboard_access),
    session: Session = Depends(get_session),
) -> Response:
    """Delete a subscription (token cookie required)."""

    if not authorized:
        return RedirectResponse("/login", status_code=303)
    try:
        remove_subscription(session, name)
    except ValueError as exc:
        return RedirectResponse(
            request.url_for("subscriptions_page").include_query_params(error=str(exc)[:300]), status_code=303
        )
    return RedirectResponse("/alerts", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """Paste a token (from `rasad tokens create`) to read and manage subscriptions."""
    return render(request, "login.html", error=None)


@router.post("/login")
def login(
    request: Request, token: Annotated[str, Form(max_length=200)], session: Session = Depends(get_session)
) -> Response:
    """Check the token and keep it in an HttpOnly cookie."""
    if verify_token(session, token.strip()) is None:
        return render(request, "login.html", error="الرمز غير صالح أو ملغى (unknown or revoked token)")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token.strip(), httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout() -> Response:
    """Forget the token cookie."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response
