"""The directory's domain errors, imported by every layer without pulling in the workflows."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from commonweal.core.workflow import WorkflowError as CoreWorkflowError


class DirectoryError(ValidationError):
    """Bad input to a directory write; each message is a full sentence fit to show beside its field."""


class WorkflowError(DirectoryError, CoreWorkflowError):
    """A transition that cannot be taken from where the record stands; the message says why."""
