"""GET/POST/DELETE /subscriptions: alert subscriptions, validated by the alerts package. Token required."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy.orm import Session

from db.subscriptions import add_subscription, remove_subscription
from db.subscriptions import list_subscriptions as listed
from rasad.api.deps import get_session, require_token
from rasad.api.problems import problem_responses
from rasad.api.routes.params import KeyPath
from rasad.text.validation import check_text

router = APIRouter(tags=["subscriptions"], dependencies=[Depends(require_token)], responses=problem_responses(401, 422))


def _clean(field: str, max_chars: int) -> AfterValidator:
    """No NUL, lone surrogate or control character, at most `max_chars`: a 422 naming the field otherwise."""
    return AfterValidator(lambda v: v if v is None else check_text(v, field=field, max_chars=max_chars))


SafeStr = Annotated[str, Field(max_length=2000), _clean("target", 2000)]


class SubscriptionIn(BaseModel):
    """A new subscription: a rule (see `rasad alerts`), a channel and its target, instant or digest."""

    name: Annotated[str, Field(min_length=1, max_length=100), _clean("name", 100)]
    rule: dict[str, Any] = Field(default_factory=dict, description="topic, persons, countries, keywords, outlets …")
    channel: Literal["webhook", "email", "apprise"]
    target: SafeStr
    secret: Annotated[str | None, Field(max_length=200), _clean("secret", 200)] = None
    digest_cron: Annotated[str | None, Field(max_length=100), _clean("digest_cron", 100)] = None
    digest_tz: Annotated[str | None, Field(max_length=64), _clean("digest_tz", 64)] = None
    language: Literal["ar", "en"] = Field(default="ar", description="language of the alert messages")


class SubscriptionOut(BaseModel):
    """A stored subscription (targets redacted)."""

    id: int
    name: str
    channel: str
    target: str
    rule: str
    mode: str
    next_digest: str | None
    enabled: bool
    language: str


class SubscriptionCreated(SubscriptionOut):
    """The new subscription; its full `target` and `secret` (webhooks) are shown only now."""

    secret: str | None = None


@router.get("/subscriptions", response_model=list[SubscriptionOut], summary="Alert subscriptions")
def list_subscriptions(session: Session = Depends(get_session)) -> list[SubscriptionOut]:
    """Every subscription, oldest first."""
    return [SubscriptionOut.model_validate(asdict(v)) for v in listed(session)]


@router.post(
    "/subscriptions",
    response_model=SubscriptionCreated,
    status_code=201,
    summary="Subscribe",
    responses=problem_responses(400, 413),
)
def create_subscription(body: SubscriptionIn, session: Session = Depends(get_session)) -> SubscriptionCreated:
    """Validate and store a subscription (same rules as `rasad alerts subscribe`)."""
    _check_rule_shape(body.rule)
    try:
        view, secret = add_subscription(
            session, body.name, body.rule, channel=body.channel, target=body.target, secret=body.secret,
            digest_cron=body.digest_cron, digest_tz=body.digest_tz, language=body.language,
        )  # fmt: skip
    except ValueError as exc:
        raise HTTPException(422, str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid") from exc
    return SubscriptionCreated.model_validate({**asdict(view), "secret": secret})


@router.delete(
    "/subscriptions/{name}", status_code=204, response_class=Response, responses=problem_responses(404),
    summary="Unsubscribe",
)  # fmt: skip
def delete_subscription(name: KeyPath, session: Session = Depends(get_session)) -> Response:
    """Delete the subscription named `name` and its notification history."""
    try:
        remove_subscription(session, name)
    except ValueError as exc:
        raise HTTPException(404, str(exc).strip().splitlines()[0]) from exc
    return Response(status_code=204)


def _check_rule_shape(rule: dict[str, Any]) -> None:
    """Refuse rules that are not small JSON (deep nesting, NUL bytes) before they reach the validator."""
    text = repr(rule)
    if len(text) > 5000 or "\x00" in text:
        raise HTTPException(422, "invalid rule: too large or contains NUL bytes")
