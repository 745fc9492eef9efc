"""Emails about events, each with the event's .ics attached, sent once the transaction that caused them commits
(so a write that fails sends nothing), one message per person so nobody sees another's address.

core.notify.email_on_commit sends plain text only; these need an attachment, so they are built here in the
same way (the same subject rules, the same plain-text templates)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from commonweal.core import notify

from ..models import Event
from . import ics


def email_with_calendar_on_commit(
    *, to: Iterable[str], subject: str, template: str, context: dict[str, Any], event: Event
) -> None:
    """One email to each address, with the event's .ics attached, once the current transaction commits."""
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return
    body = render_to_string(template, context)
    subject = notify.one_line(subject, 178)
    calendar = ics.event_calendar(event)

    def send() -> None:
        for address in recipients:
            message = EmailMessage(subject=subject, body=body, to=[address])
            message.attach(ics.FILENAME, calendar, ics.CONTENT_TYPE)
            message.send(fail_silently=True)

    transaction.on_commit(send)


def personal_emails_on_commit(
    *, messages: list[tuple[str, dict[str, Any]]], subject: str, template: str, event: Event | None = None
) -> None:
    """One email each, each with its own context (its own cancel link), the .ics attached when `event` is given."""
    subject = notify.one_line(subject, 178)
    rendered = [(address, render_to_string(template, context)) for address, context in messages if address]
    calendar = ics.event_calendar(event) if event is not None else None

    def send() -> None:
        for address, body in rendered:
            message = EmailMessage(subject=subject, body=body, to=[address])
            if calendar is not None:
                message.attach(ics.FILENAME, calendar, ics.CONTENT_TYPE)
            message.send(fail_silently=True)

    if rendered:
        transaction.on_commit(send)
