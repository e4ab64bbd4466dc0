"""API tokens: random secrets shown once; only their SHA-256 hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.api_models import ApiToken

TOKEN_PREFIX = "rsd_"


class TokenError(ValueError):
    """A token operation that cannot be done (duplicate name, unknown token)."""


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str) -> str:
    """Create a token named `name` and return it (the only time it is ever visible)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("a token name is 1 to 100 characters")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise TokenError(f"a token named {name!r} exists already; revoke it or choose another name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=hash_token(token), prefix=token[:10]))
    session.flush()
    return token


def list_tokens(session: Session) -> list[dict[str, Any]]:
    """Every token's name, prefix, dates and whether it is revoked (never the token)."""
    return [
        {
            "id": t.id, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
            "last_used_at": t.last_used_at, "revoked_at": t.revoked_at, "active": t.revoked_at is None,
        }
        for t in session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    ]  # fmt: skip


def revoke_token(session: Session, name: str) -> None:
    """Revoke the token named `name` (it stops working at once)."""
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise TokenError(f"no token named {name!r}")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)


def verify_token(session: Session, token: str) -> ApiToken | None:
    """The active token row matching `token`, its last use recorded; None if unknown or revoked."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = datetime.now(UTC)
    return row
