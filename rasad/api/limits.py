"""Refuse request bodies over the configured size before the application reads them."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rasad.api.problems import PROBLEM_TYPE


class BodySizeLimit:
    """ASGI middleware: 413 for a Content-Length over `max_bytes`, or a longer chunked body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, send)
            return
        if length is None and scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            # A chunked body has no declared length: read it (at most max_bytes) before the app sees it,
            # since FastAPI turns any error while it reads a body into a 400.
            messages = await self._buffered(receive)
            if messages is None:
                await self._refuse(scope, send)
                return
            await self.app(scope, _replay(messages, receive), send)
            return
        await self.app(scope, receive, send)

    async def _buffered(self, receive: Receive) -> list[Message] | None:
        """The request's body messages, or None once they go over the limit."""
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                return None
            if not message.get("more_body", False):
                return messages

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body: dict[str, Any] = {
            "type": "about:blank", "title": "Content Too Large", "status": 413,
            "detail": f"request body over {self.max_bytes} bytes", "instance": scope.get("path"),
        }  # fmt: skip
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start", "status": 413,
                "headers": [(b"content-type", PROBLEM_TYPE.encode()), (b"content-length", str(len(payload)).encode())],
            }
        )  # fmt: skip
        await send({"type": "http.response.body", "body": payload})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive callable that gives the buffered messages first, then waits on the real one (disconnects)."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
