"""Reads for the pages about the platform as a whole: what is kept, and for how long."""

from __future__ import annotations

from django.db.models import QuerySet

from commonweal.core.models import RetentionPeriod


def retention_periods() -> QuerySet[RetentionPeriod]:
    return RetentionPeriod.objects.order_by("kind")
