"""The Solutions Framework's domain errors, imported by every layer without pulling in the workflows."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from commonweal.core.workflow import WorkflowError as CoreWorkflowError


class SolutionsError(ValidationError):
    """Bad input to a solutions write; each message is a full sentence fit to show beside its field."""


class WorkflowError(SolutionsError, CoreWorkflowError):
    """A step that cannot be taken from where the blockage or transfer stands; the message says why."""
