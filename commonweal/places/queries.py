"""Reads for the places pages."""

from __future__ import annotations

from typing import Any

from .models import CouncilArea, Locality, Ward


def area_summary() -> dict[str, Any]:
    council = CouncilArea.current()
    return {
        "council": council,
        "ward_count": Ward.objects.count(),
        "locality_count": Locality.objects.count(),
    }
