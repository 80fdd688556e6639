"""Notifications for tests, and two real servers on 127.0.0.1: a chat webhook that records
what it is sent (or answers 500, or sleeps past the timeout) and a small SMTP server that can
refuse chosen addresses, so delivery is tested against real protocols rather than mocks."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import override_settings

from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.notifications.models import Kind, Notification, WebhookEndpoint
from twoway.notifications.services import Draft, notifications_send


def notify(
    organisation: Organisation,
    user: User,
    *,
    title: str = "Your mentorship has been quiet for 3 weeks",
    url: str = "/o/acme/mentorships/",
    kind: str = Kind.NUDGE,
    count: int = 1,
) -> list[Notification]:
    drafts = [
        Draft(user_id=user.pk, kind=kind, title=title if count == 1 else f"{title} #{i}", url=url)
        for i in range(count)
    ]
    return notifications_send(organisation=organisation, drafts=drafts)


# --- A chat webhook ------------------------------------------------------------------------------


@dataclass
class WebhookServer:
    """Answers ``status`` after ``delay`` seconds and records every POST (path and JSON);
    with ``location`` it answers a redirect there."""

    status: int = 200
    delay: float = 0.0
    location: str = ""
    received: list[tuple[str, Any]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/services/T000/B000/secret-token") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def webhook_server(
    *, status: int = 200, delay: float = 0.0, location: str = ""
) -> Iterator[WebhookServer]:
    """The server on 127.0.0.1, and webhooks to private addresses allowed while it runs (a test
    of the guard turns that off again)."""
    state = WebhookServer(status=status, delay=delay, location=location)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"null")
            state.received.append((self.path, body))
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                if state.location:
                    self.send_header("Location", state.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the client gave up (timeout)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(TWOWAY_WEBHOOK_ALLOW_PRIVATE=True):
            yield state
    finally:
        server.shutdown()
        server.server_close()


def connect_webhook(
    organisation: Organisation, server: WebhookServer, *, service: str = "slack"
) -> WebhookEndpoint:
    """Stored directly: the settings page only accepts https, the test server speaks http."""
    return WebhookEndpoint.objects.create(
        organisation=organisation, service=service, url=server.url(), is_active=True
    )


# --- An SMTP server ------------------------------------------------------------------------------


@dataclass
class SmtpServer:
    refuse: dict[str, str]  # address -> the reply to RCPT TO, e.g. "550 5.1.1 no such user"
    messages: list[tuple[list[str], str]] = field(default_factory=list)
    port: int = 0


@contextmanager
def smtp_server(*, refuse: dict[str, str] | None = None) -> Iterator[SmtpServer]:
    """A minimal SMTP server (enough for smtplib) and Django's real SMTP backend pointed at it."""
    state = SmtpServer(refuse=refuse or {})

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            recipients: list[str] = []
            self.reply("220 localhost ready")
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                command = raw.decode().strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in {"EHLO", "HELO"}:
                    self.reply("250 localhost")
                elif verb == "MAIL":
                    recipients = []
                    self.reply("250 OK")
                elif verb == "RCPT":
                    address = command.split(":", 1)[1].strip().strip("<>").lower()
                    if address in state.refuse:
                        self.reply(state.refuse[address])
                    else:
                        recipients.append(address)
                        self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    lines = []
                    while (line := self.rfile.readline()) not in {b".\r\n", b""}:
                        lines.append(line.decode())
                    state.messages.append((recipients, "".join(lines)))
                    self.reply("250 queued")
                elif verb == "RSET":
                    recipients = []
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=state.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=5,
        ):
            yield state
    finally:
        server.shutdown()
        server.server_close()
