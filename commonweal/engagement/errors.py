"""Engagement's domain errors, imported by every layer without pulling in the workflows."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from commonweal.core.workflow import WorkflowError as CoreWorkflowError


class EngagementError(ValidationError):
    """Bad input to an engagement write; each message is a full sentence fit to show beside its field."""


class WorkflowError(EngagementError, CoreWorkflowError):
    """A step a consultation (or a budget) cannot take from where it stands; the message says why."""
