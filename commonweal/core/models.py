"""The platform's own records."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Step(models.Model):
    """What a record of a workflow step holds: which step, from and to, when, and the note. Who took it is each
    model's own field, as each keeps people's records differently."""

    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class WorkflowEvent(Step):
    """One step taken by core.workflow.take(), on any record: which workflow, which step, who, when and the note.

    Not registered with the audit log (core.audit.NOT_AUDITED says why).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(max_length=40)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta(Step.Meta):
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_event_record")]

    def __str__(self) -> str:
        return f"{self.workflow} {self.object_id}: {self.transition}"


class RetentionPeriod(models.Model):
    """How long the council keeps one kind of record, in months; the daily retention task applies it and the
    privacy notice (core:privacy) is written from it, so changing a period changes both."""

    class Kind(models.TextChoices):
        DECLINED_ATTACHMENTS = "declined_attachments", "Files attached to funding applications not funded or withdrawn"
        REPORTER_EMAILS = "reporter_emails", "Email addresses left on reports about directory listings"
        AUDIT_ENTRIES = "audit_entries", "The audit log of changes to records"
        PANEL_VOLUNTEERS = "panel_volunteers", "Citizens' panel volunteers' details, from the day they agreed"

    kind = models.CharField(max_length=30, choices=Kind.choices, unique=True)
    months = models.PositiveIntegerField("months")
    what_happens = models.CharField(max_length=200, help_text="What is done when the period ends, for the notice.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.months} months"

    @property
    def minimum_months(self) -> int:
        return RETENTION_MINIMUM_MONTHS.get(self.kind, (0, ""))[0]


# The shortest period a kind may be set to, and why: the audit log records who approved and paid grants, which
# are financial records the council must keep for six years (Limitation Act 1980 s.5; HMRC's record keeping).
RETENTION_MINIMUM_MONTHS: dict[str, tuple[int, str]] = {
    RetentionPeriod.Kind.AUDIT_ENTRIES: (
        72,
        "The audit log records who approved and paid grants: financial records must be kept for at least 6 years "
        "(72 months) under the Limitation Act 1980 and HMRC's rules.",
    ),
}


class RateCount(models.Model):
    """How many times one key (an address, a listing) did one thing in one window of time: core.ratelimit's
    counters, in the database every server shares, so that counting and checking is one atomic UPDATE."""

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
