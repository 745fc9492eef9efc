"""Accounts' domain errors, imported by every layer."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class AccountsError(ValidationError):
    """Bad input to an accounts write; each message is a full sentence fit to show beside its field."""
