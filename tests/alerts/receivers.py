"""Real receivers on loopback for alert tests: an HTTP webhook endpoint and an SMTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.conftest import free_port


@dataclass
class ReceivedRequest:
    """One request the webhook receiver accepted (or refused while down)."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """An HTTP server in a thread that records requests; `up=False` answers 503; `stop()`/`start()` close the port.

    With `redirect` set, a POST to `/hook` is answered `307 Location: <redirect>`; every other path
    answers 200 to any method, so a followed redirect shows in `received`.
    """

    port: int
    up: bool = True
    redirect: str | None = None
    received: list[ReceivedRequest] = field(default_factory=list)
    refused: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """Where subscriptions should POST."""
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        """Listen (again) on the same port."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    if not receiver.up:
                        receiver.refused += 1
                        self.send_response(503)
                        self.end_headers()
                        return
                    receiver.received.append(ReceivedRequest(self.path, dict(self.headers.items()), body))
                if receiver.redirect and self.path == "/hook":
                    self.send_response(307)
                    self.send_header("Location", receiver.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def do_GET(self) -> None:
                with receiver._lock:
                    receiver.received.append(ReceivedRequest(self.path, dict(self.headers.items()), b""))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close the port: connections are refused until `start()`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)

    def bodies(self) -> list[dict[str, Any]]:
        """Every accepted body, parsed."""
        with self._lock:
            return [r.json() for r in self.received]


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A running webhook receiver on a free loopback port."""
    receiver = WebhookReceiver(port=free_port())
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


class MailSink:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[MailSink, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port: yields its sink and port."""
    from aiosmtpd.controller import Controller

    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()
