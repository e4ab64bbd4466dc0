"""Tokens, read protection, write protection, oversized bodies and SQL injection attempts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from db.api_models import ApiToken
from db.api_tokens import create_token, hash_token, revoke_token
from db.models import Article
from db.session import session_scope
from tests.api.conftest import Store, make_client

SUBSCRIPTION = {
    "name": "analyst",
    "rule": {"persons": ["هاكان فيدان"], "countries": ["TR", "SY"]},
    "channel": "email",
    "target": "analyst@example.org",
}


def new_token(name: str = "tester") -> str:
    with session_scope() as session:
        return create_token(session, name)


def test_only_the_hash_of_a_token_is_stored(sqlite_store: Store) -> None:
    token = new_token()
    with session_scope() as session:
        row = session.scalar(select(ApiToken))
        assert row is not None
        assert row.token_hash == hash_token(token) and token not in (row.token_hash, row.prefix + "x")
        with pytest.raises(ValueError, match="exists already"):
            create_token(session, "tester")


def test_writes_need_a_valid_token(store: Store) -> None:
    token = new_token()
    with make_client() as client:
        assert client.post("/subscriptions", json=SUBSCRIPTION).status_code == 401
        assert client.get("/subscriptions").status_code == 401
        bad = client.post("/subscriptions", json=SUBSCRIPTION, headers={"Authorization": "Bearer rsd_wrong"})
        assert bad.status_code == 401 and bad.json()["detail"] == "the token is unknown or revoked"
        assert bad.headers["www-authenticate"] == "Bearer"
        auth = {"Authorization": f"Bearer {token}"}
        created = client.post("/subscriptions", json=SUBSCRIPTION, headers=auth)
        assert created.status_code == 201, created.text
        assert "Hakan Fidan" in created.json()["rule"]
        assert [s["name"] for s in client.get("/subscriptions", headers=auth).json()] == ["analyst"]
        invalid = client.post(
            "/subscriptions", json={**SUBSCRIPTION, "name": "x", "rule": {"countries": ["ZZ"]}}, headers=auth
        )
        assert invalid.status_code == 422 and "ZZ" in invalid.json()["detail"]
        assert client.delete("/subscriptions/analyst").status_code == 401
        assert client.delete("/subscriptions/analyst", headers=auth).status_code == 204
        assert client.delete("/subscriptions/analyst", headers=auth).status_code == 404
        with session_scope() as session:
            revoke_token(session, "tester")
        assert client.get("/subscriptions", headers=auth).status_code == 401


def test_reads_can_require_a_token(sqlite_store: Store) -> None:
    token = new_token()
    with make_client(read_auth=True) as client:
        refused = client.get("/articles")
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert client.get("/events", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert client.get("/articles", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert client.get("/", follow_redirects=False).status_code == 303
    with make_client() as client:
        assert client.get("/articles").status_code == 200


def test_oversized_bodies_are_refused(sqlite_store: Store) -> None:
    token = new_token()
    with make_client(max_body_bytes=4096) as client:
        big = {**SUBSCRIPTION, "rule": {"keywords": ["كلمة" * 2000]}}
        response = client.post("/subscriptions", json=big, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 413
        assert response.json()["detail"] == "request body over 4096 bytes"

        def chunks(payload: dict[str, Any]) -> Iterator[bytes]:  # no Content-Length: sent chunked
            data = json.dumps(payload).encode()
            for start in range(0, len(data), 1000):
                yield data[start : start + 1000]

        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        response = client.post("/subscriptions", content=chunks(big), headers=headers)
        assert response.status_code == 413 and response.json()["detail"] == "request body over 4096 bytes"
        small = {**SUBSCRIPTION, "name": "chunked-small"}
        response = client.post("/subscriptions", content=chunks(small), headers=headers)
        assert response.status_code == 201, response.text


INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE articles; --",
    '" OR 1=1 --',
    "orient' UNION SELECT token_hash FROM api_tokens --",
    "%' OR 1=1 OR '%",
    "\\'); DELETE FROM articles; --",
    'NEAR("x" "y")',
    "موسكو' || pg_sleep(5) || '",
]


def test_sql_injection_in_every_filter_is_harmless(client: Any, store: Store) -> None:
    with session_scope() as session:
        before = session.scalar(select(func.count(Article.id)))
    for attempt in INJECTIONS:
        for name in ("q", "outlet", "person", "place", "country", "topic"):
            response = client.get("/articles", params={name: attempt})
            assert response.status_code == 200, (name, attempt, response.text)
            assert response.json()["items"] == [], (name, attempt)
        for name in ("person", "country", "level", "topic"):
            response = client.get("/events", params={name: attempt})
            assert response.status_code == 200 and response.json()["items"] == [], (name, attempt)
        assert client.get("/crawl-runs", params={"source": attempt}).json() == []
        assert client.get(f"/persons/{attempt}").status_code in (404, 422)
        assert client.get("/search", params={"q": attempt}).status_code == 200
    with session_scope() as session:
        assert session.scalar(select(func.count(Article.id))) == before


def test_nul_bytes_and_huge_numbers_are_422_not_500(client: Any, store: Store) -> None:
    assert client.get("/articles", params={"q": "a\x00b"}).status_code == 422
    assert client.get("/articles", params={"outlet": "a\x00b"}).status_code == 422
    assert client.get("/articles/99999999999").status_code == 422
    assert client.get("/articles", params={"published_to": "9999-12-31"}).status_code == 200


def test_a_bad_string_in_a_subscription_is_422_and_nothing_is_stored(sqlite_store: Store) -> None:
    """A keyword with a lone surrogate was a 500 with the row committed, breaking every listing after it."""
    token = new_token()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with make_client() as client:
        for rule in ({"keywords": ["تطبيع\ud800"]}, {"keywords": ["a\u0000b"]}, {"persons": ["x\u0007"]}):
            body = json.dumps({**SUBSCRIPTION, "name": "hostile", "rule": rule})  # ASCII escapes, as a client sends
            response = client.post("/subscriptions", content=body, headers=headers)
            assert response.status_code == 422, response.text
        for field, value in (("name", "hostile\ud800"), ("name", "bell\u0007"), ("secret", "s" * 20 + "\u0000"),
                             ("digest_cron", "0 8 * * *\u001b"), ("target", "analyst@example.org\udfff")):  # fmt: skip
            body = json.dumps({**SUBSCRIPTION, "name": "hostile", field: value})
            response = client.post("/subscriptions", content=body, headers=headers)
            assert response.status_code == 422 and field in response.text, (field, response.text)
        french = json.dumps({**SUBSCRIPTION, "name": "hostile", "language": "fr"})
        response = client.post("/subscriptions", content=french, headers=headers)
        assert response.status_code == 422 and "language" in response.text
        listing = client.get("/subscriptions", headers=headers)
        assert listing.status_code == 200 and all(s["name"] != "hostile" for s in listing.json())
        created = client.post(
            "/subscriptions", json={**SUBSCRIPTION, "name": "english", "language": "en"}, headers=headers
        )
        assert created.status_code == 201 and created.json()["language"] == "en"
