"""Webhook signatures: HMAC-SHA256 of the exact body, sent as `X-Rasad-Signature: sha256=<hex>`."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Rasad-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def new_secret() -> str:
    """A random signing secret for a webhook subscription created without one."""
    return secrets.token_hex(24)


def sign(secret: str, body: bytes) -> str:
    """The signature header value for `body`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the signature of `body` (constant-time comparison); what receivers do."""
    return header is not None and hmac.compare_digest(sign(secret, body), header)
