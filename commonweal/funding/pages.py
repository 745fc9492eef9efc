"""What every funding page shares: the breadcrumb trail that starts Home › Funding."""

from __future__ import annotations

from django.urls import reverse


def crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    """Home › Funding, then the pages between the funding index and this one (label, address)."""
    return [("Home", reverse("home:home")), ("Funding", reverse("funding:index")), *more]
