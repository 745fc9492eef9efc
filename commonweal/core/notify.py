"""Email to people about their own records, and a Django email backend that sends it through GOV.UK Notify.

`email_on_commit` sends a plain-text message (Notify's house style: short paragraphs, a reference, what happens
next, a link) once the transaction that caused it commits, so a write that fails sends nothing.

Notify itself: a Django email backend that sends each message with Notify's API.

Notify sends from templates, so the service needs one email template whose subject is `((subject))` and whose
body is `((body))`; set COMMONWEAL_EMAIL_BACKEND=commonweal.core.notify.NotifyEmailBackend,
COMMONWEAL_NOTIFY_API_KEY and COMMONWEAL_NOTIFY_TEMPLATE_ID (COMMONWEAL_NOTIFY_BASE_URL only for testing).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
NOTIFY_API = "https://api.notifications.service.gov.uk"


def site_url(path: str) -> str:
    """An address people can follow from an email."""
    return f"{settings.COMMONWEAL_BASE_URL}{path}"


def one_line(text: str, limit: int = 150) -> str:
    """Names go into subject lines, which must be one line."""
    return " ".join(str(text).split())[:limit]


def email_on_commit(*, to: Iterable[str], subject: str, template: str, context: dict[str, Any]) -> None:
    """Send one plain-text email to each address once the current transaction commits (nothing if it fails);
    one message each, so people's addresses are not shared with each other."""
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return
    body = render_to_string(template, context)
    subject = one_line(subject, 178)

    def send() -> None:
        for address in recipients:
            EmailMessage(subject=subject, body=body, to=[address]).send(fail_silently=True)

    transaction.on_commit(send)


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = getattr(settings, "COMMONWEAL_NOTIFY_API_KEY", "")
        self.template_id = getattr(settings, "COMMONWEAL_NOTIFY_TEMPLATE_ID", "")
        self.base_url = getattr(settings, "COMMONWEAL_NOTIFY_BASE_URL", "") or NOTIFY_API
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured(
                "GOV.UK Notify needs COMMONWEAL_NOTIFY_API_KEY and COMMONWEAL_NOTIFY_TEMPLATE_ID to send email."
            )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(self.api_key, base_url=self.base_url)
        sent = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("GOV.UK Notify did not take an email to %s", message.recipients())
                continue
            sent += 1
        return sent
