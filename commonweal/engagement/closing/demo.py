"""The demo borough's engagement: this area's part (engagement/demo.py calls it in order)."""

from __future__ import annotations

from commonweal.places.models import CouncilArea


def load(council: CouncilArea) -> dict[str, int]:
    """Add this area's demo rows; returns what it added, counted, for make demo to print."""
    return {}
