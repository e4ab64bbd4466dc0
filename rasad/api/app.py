"""The FastAPI application: JSON API (OpenAPI at /docs) and the dashboard at /."""

from __future__ import annotations

from fastapi import FastAPI

from rasad.api.limits import BodySizeLimit
from rasad.api.problems import Problem, install_problem_handlers
from rasad.api.routes import articles, crawling, dashboard, events, people, subscriptions
from rasad.settings import ApiSettings, get_settings


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the application (the database is the configured one)."""

    settings = settings or get_settings().api
    app = FastAPI(
        title="Rasad API",
        summary="Articles, people, places and the timeline of the Turkey–Syria normalization story.",
        version="1",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.api_settings = settings
    install_problem_handlers(app)
    for module in (articles, events, people, crawling, subscriptions):
        app.include_router(module.router)
    app.include_router(dashboard.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)

    original_openapi = app.openapi

    def openapi() -> dict:
        schema = original_openapi()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
