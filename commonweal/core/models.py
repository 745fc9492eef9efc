"""The platform's own records."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class WorkflowEvent(models.Model):
    """One step taken by core.workflow.take(): which record, which step, from and to, who, when and the note.

    Not registered with the audit log: it is itself a record of events, written once and never changed, and
    the status change it records is in the audit log already (take() saves under the actor).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(max_length=40)
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_event_record")]

    def __str__(self) -> str:
        return f"{self.workflow} {self.object_id}: {self.transition}"
