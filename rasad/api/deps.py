"""Request dependencies: one database session per request, and token checks."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from db.api_models import ApiToken
from db.api_tokens import verify_token
from db.session import get_sessionmaker
from rasad.settings import ApiSettings

bearer = HTTPBearer(auto_error=False, description="A token from `rasad tokens create --name NAME`.")
TOKEN_COOKIE = "rasad_token"


def get_session() -> Iterator[Session]:
    """One session per request, in one transaction: committed on success, rolled back on error."""
    factory = get_sessionmaker()
    with factory() as session, session.begin():
        yield session


def api_settings(request: Request) -> ApiSettings:
    """The settings the application was created with."""
    return request.app.state.api_settings


def _presented_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None and credentials.scheme.lower() == "bearer":
        return credentials.credentials
    return request.cookies.get(TOKEN_COOKIE)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def require_token(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: Session = Depends(get_session),
) -> ApiToken:
    """A valid, unrevoked token (Authorization: Bearer …, or the dashboard's cookie); 401 otherwise."""
    token = _presented_token(request, credentials)
    if not token:
        raise _unauthorized("this endpoint needs a token: send 'Authorization: Bearer <token>'")
    row = verify_token(session, token)
    if row is None:
        raise _unauthorized("the token is unknown or revoked")
    return row


def read_access(request: Request, session: Session = Depends(get_session)) -> None:
    """Reads are open unless RASAD_API_READ_AUTH=true, which makes them need a token too.

    The header is read by hand, not through `bearer`: with open reads, the OpenAPI schema must not
    declare read endpoints as secured.
    """
    if api_settings(request).read_auth:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=value.strip()) if value else None
        require_token(request, credentials, session)
