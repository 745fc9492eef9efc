"""The panel's domain errors, imported by every layer without pulling in the workflows."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from commonweal.core.workflow import WorkflowError as CoreWorkflowError


class PanelError(ValidationError):
    """Bad input to a panel write; each message is a full sentence fit to show beside its field."""


class WorkflowError(PanelError, CoreWorkflowError):
    """A step a selection cannot take from where it stands; the message says why."""
