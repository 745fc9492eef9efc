"""The stale-listing reminder: a background task that emails the people who run each organisation whose
listing nobody has confirmed for a year (accounts.models.STALE_AFTER).

Each organisation's members are reminded once; if the listing is still stale they are reminded again only
after REMIND_AGAIN_AFTER. The task is enqueued daily by `commonweal remind_stale_listings` (run from cron).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from commonweal.accounts.models import Organisation
from commonweal.accounts.queries import addresses_of_members

from .models import Asset, Location, Service
from .services import site_url

logger = logging.getLogger(__name__)

REMIND_AGAIN_AFTER = timedelta(days=30)
KIND_NAMES = {Organisation: "Organisation", Service: "Service", Location: "Location", Asset: "Asset"}


@dataclass(frozen=True)
class StaleRecord:
    kind: str
    name: str
    last_checked_at: datetime | None
    model: type
    pk: int


def _stale_records_by_organisation() -> dict[int, list[StaleRecord]]:
    """Every published record nobody has confirmed within a year, grouped by the organisation it belongs to."""
    found: dict[int, list[StaleRecord]] = {}
    for organisation in Organisation.objects.published().stale().only("pk", "name", "last_checked_at"):
        found.setdefault(organisation.pk, []).append(
            StaleRecord("Organisation", organisation.name, organisation.last_checked_at, Organisation, organisation.pk)
        )
    for model in (Service, Location, Asset):
        records = (
            model.objects.published()
            .stale()
            .filter(organisation__isnull=False)
            .only("pk", "name", "last_checked_at", "organisation_id")
        )
        for record in records:
            found.setdefault(record.organisation_id, []).append(
                StaleRecord(KIND_NAMES[model], str(record), record.last_checked_at, model, record.pk)
            )
    return found


_recipients = addresses_of_members  # one rule for who hears about an organisation's records


def _due(stale: dict[int, list[StaleRecord]], now: datetime) -> QuerySet[Organisation]:
    """The organisations with stale records whose members were not reminded within REMIND_AGAIN_AFTER."""
    return (
        Organisation.objects.published()
        .filter(pk__in=stale)
        .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=now - REMIND_AGAIN_AFTER))
        .order_by("pk")
    )


def reminders_due(*, now: datetime | None = None) -> int:
    """How many organisations a reminder would go to now (those with nobody to email included)."""
    return _due(_stale_records_by_organisation(), now or timezone.now()).count()


def send_stale_reminders(*, now: datetime | None = None) -> int:
    """Email each stale organisation's members, at most once every REMIND_AGAIN_AFTER; returns how many
    organisations were reminded."""
    now = now or timezone.now()
    stale = _stale_records_by_organisation()
    organisations = _due(stale, now)
    sent = 0
    connection = get_connection()
    for organisation in organisations:
        recipients = _recipients(organisation)
        if not recipients:
            continue  # nobody to remind: officers see it among the stale listings
        records = sorted(stale[organisation.pk], key=lambda r: (r.kind != "Organisation", r.name))
        body = render_to_string(
            "directory/emails/stale_reminder.txt",
            {"organisation": organisation, "records": records, "link": site_url(reverse("directory:my_listings"))},
        )
        subject = f"Please check your listing: {' '.join(organisation.name.split())[:150]}"
        # One message each, so members' addresses are not shared with each other.
        emails = [
            EmailMessage(subject=subject, body=body, to=[address], connection=connection) for address in recipients
        ]
        try:
            connection.send_messages(emails)
        except Exception:  # one bad address or a mail server hiccup must not stop the others
            logger.exception("Could not send the stale-listing reminder for organisation %s", organisation.pk)
            continue
        with transaction.atomic():
            # A reminder is not a change to the record: update() leaves updated_at and the audit log alone.
            Organisation.objects.filter(pk=organisation.pk).update(stale_reminded_at=now)
            for model in (Service, Location, Asset):
                ids = [r.pk for r in records if r.model is model]
                if ids:
                    model.objects.filter(pk__in=ids).update(stale_reminded_at=now)
        sent += 1
    return sent


@task()
def remind_stale_listings() -> int:
    """The background task: remind the members of every organisation with stale records."""
    return send_stale_reminders()
