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
