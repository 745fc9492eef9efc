"""Writes that reach across the capabilities: the council's retention periods, and applying them."""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commonweal.core.audit import acting
from commonweal.core.files import delete_after_commit
from commonweal.core.models import RETENTION_MINIMUM_MONTHS, RetentionPeriod


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` less a number of calendar months (31 March less one month is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@transaction.atomic
def set_retention_period(*, kind: str, months: int, by: Any) -> RetentionPeriod:
    """Change how long one kind of record is kept; never below the kind's legal minimum."""
    period = RetentionPeriod.objects.select_for_update().get(kind=kind)
    minimum, why = RETENTION_MINIMUM_MONTHS.get(kind, (0, ""))
    if months < minimum:
        raise ValidationError(f"{period.get_kind_display()} must be kept for at least {minimum} months. {why}")
    if months > 1200:
        raise ValidationError("Enter a period of 1200 months (100 years) or less")
    with acting(by):
        period.months = months
        period.save()
    return period


@transaction.atomic
def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Remove what has been kept longer than the council's periods; returns how many of each kind went."""
    from auditlog.models import LogEntry

    from commonweal.directory.models import Report
    from commonweal.funding.models import Application, Attachment

    now = now or timezone.now()
    periods = dict(RetentionPeriod.objects.values_list("kind", "months"))
    done: dict[str, int] = {}

    months = periods.get(RetentionPeriod.Kind.DECLINED_ATTACHMENTS)
    if months is not None:
        cutoff = months_before(now, months)
        old = Attachment.objects.filter(
            application__status=Application.Status.REJECTED, application__decision__decided_at__lt=cutoff
        ) | Attachment.objects.filter(
            application__status=Application.Status.WITHDRAWN, application__withdrawn_at__lt=cutoff
        )
        count = 0
        for attachment in old.distinct():
            delete_after_commit(attachment.file)
            attachment.delete()
            count += 1
        done[RetentionPeriod.Kind.DECLINED_ATTACHMENTS] = count

    months = periods.get(RetentionPeriod.Kind.REPORTER_EMAILS)
    if months is not None:
        done[RetentionPeriod.Kind.REPORTER_EMAILS] = (
            Report.objects.filter(status=Report.Status.RESOLVED, resolved_at__lt=months_before(now, months))
            .exclude(reporter_email="")
            .update(reporter_email="")
        )

    months = periods.get(RetentionPeriod.Kind.AUDIT_ENTRIES)
    if months is not None:
        floor = RETENTION_MINIMUM_MONTHS[RetentionPeriod.Kind.AUDIT_ENTRIES][0]
        cutoff = months_before(now, max(months, floor))  # never below the floor, whatever the row says
        done[RetentionPeriod.Kind.AUDIT_ENTRIES] = LogEntry.objects.filter(timestamp__lt=cutoff).delete()[0]
    return done
