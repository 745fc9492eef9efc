"""Email through GOV.UK Notify: each recipient gets one request to Notify's email endpoint with the template and
the message's subject and body, signed with the service's key. A local HTTP server stands in for Notify's API."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

SERVICE_ID = str(uuid.uuid4())
KEY = f"commonweal_test-{SERVICE_ID}-{uuid.uuid4()}"
TEMPLATE = str(uuid.uuid4())


@pytest.fixture
def notify(settings: Any) -> Iterator[list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "auth": self.headers.get("Authorization", ""), "body": body})
            answer = json.dumps({"id": str(uuid.uuid4())}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "commonweal.core.notify.NotifyEmailBackend"
    settings.COMMONWEAL_NOTIFY_API_KEY = KEY
    settings.COMMONWEAL_NOTIFY_TEMPLATE_ID = TEMPLATE
    settings.COMMONWEAL_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield received
    server.shutdown()
    server.server_close()


def test_an_email_goes_through_notify_to_each_recipient(notify: list[dict[str, Any]]) -> None:
    sent = mail.send_mail("Your listing", "Please check it.", None, ["a@example.org", "b@example.org"])
    assert sent == 1
    assert [r["path"] for r in notify] == ["/v2/notifications/email"] * 2
    assert [r["body"]["email_address"] for r in notify] == ["a@example.org", "b@example.org"]
    assert all(r["body"]["template_id"] == TEMPLATE for r in notify)
    assert notify[0]["body"]["personalisation"] == {"subject": "Your listing", "body": "Please check it."}
    assert all(r["auth"].startswith("Bearer ") for r in notify)


def test_notify_without_its_key_refuses_plainly(settings: Any) -> None:
    settings.EMAIL_BACKEND = "commonweal.core.notify.NotifyEmailBackend"
    settings.COMMONWEAL_NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="COMMONWEAL_NOTIFY_API_KEY"):
        mail.send_mail("x", "y", None, ["a@example.org"])
