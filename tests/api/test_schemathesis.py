"""Property-based run over the OpenAPI schema: no 5xx, responses conform, errors are problem+json."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from db.api_tokens import create_token
from db.session import session_scope
from rasad.api.app import create_app
from tests.api.populate import populate

# The app resolves its database per request, so it can be built before the test's database exists.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
TOKEN: dict[str, str] = {}


@pytest.fixture(autouse=True)
def populated_store(embedded_env: Any) -> None:
    populate()
    with session_scope() as session:
        TOKEN["value"] = create_token(session, "schemathesis")


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")
@schema.parametrize()
# Derandomized: the same examples on every run. A random run sometimes sends an "object" for an
# array query parameter, which a query string carries exactly as a valid array of strings, and the
# negative-data check then calls its acceptance a failure (seen once in about three runs).
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case: Any) -> None:
    # Schema-valid but meaningless input is legitimately refused with 422 (an opaque cursor this API did
    # not issue, sort=rank without q, a rule naming an unknown person), so that one check is left out.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN['value']}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )


# A lone surrogate as JSON sends it ("\ud800") and as a URL can carry it (invalid UTF-8), NUL and control
# characters: every string field of every operation gets each of them.
HOSTILE_JSON = ["\ud800", "x\udfff", "a\x00b", "\x1b[2J", "bell\x07"]
HOSTILE_QUERY = ["%ED%A0%80", "x%00y", "%1B%5B2J", "%07", "%FF%FE"]


def _string_params(operation: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for param in operation.get("parameters", []):
        schema_ = param.get("schema", {})
        types = {schema_.get("type")} | {s.get("type") for s in schema_.get("anyOf", [])}
        if "string" in types:
            out.append((param["in"], param["name"]))
    return out


def test_hostile_strings_in_every_field_are_never_a_server_error() -> None:
    from tests.api.conftest import make_client

    headers = {"Authorization": f"Bearer {TOKEN['value']}", "Content-Type": "application/json"}

    def post(payload: dict[str, Any]) -> Any:  # json.dumps escapes lone surrogates, as a client's encoder does
        return client.post("/subscriptions", content=json.dumps(payload), headers=headers)

    with make_client() as client:
        spec = client.get("/openapi.json").json()
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                for where, name in _string_params(operation):
                    for value in HOSTILE_QUERY:
                        url = path.replace("{" + name + "}", value) if where == "path" else path
                        url = url.replace("{", "").replace("}", "")  # other path parameters: any value
                        if where == "query":
                            url += f"?{name}={value}"
                        response = client.request(method.upper(), url, headers=headers)
                        assert response.status_code < 500, (method, url, response.text)
        body = {"name": "n", "rule": {"keywords": ["موسكو"]}, "channel": "email", "target": "a@example.org"}
        for field in ("name", "target", "secret", "digest_cron", "digest_tz", "language"):
            for value in HOSTILE_JSON:
                response = post({**body, field: value})
                assert response.status_code == 422, (field, value, response.text)
        for field in ("keywords", "persons", "countries", "outlets", "event_kinds", "event_statuses"):
            for value in HOSTILE_JSON:
                response = post({**body, "rule": {field: [value]}})
                assert response.status_code == 422, (field, value, response.text)
        assert client.get("/subscriptions", headers=headers).status_code == 200
