"""`{{ amount|pounds }}`, `{{ amount|pounds:True }}` (always pence), `{{ amount|pounds:False }}` (whole pounds)."""

from __future__ import annotations

from typing import Any

from django import template

from commonweal.core import money

register = template.Library()


@register.filter
def pounds(value: Any, pence: bool | None = None) -> str:
    """Money as the whole platform shows it; see `commonweal.core.money.pounds`."""
    return money.pounds(value, pence)
