"""What every page needs: the council's name, the navigation for this person, and whether this is a demo."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest

from commonweal.accounts.models import User
from commonweal.places.models import CouncilArea

from .navigation import navigation_for

SERVICE_NAME = "Commonweal"


def platform(request: HttpRequest) -> dict[str, Any]:
    council = CouncilArea.current()
    return {
        "service_name": SERVICE_NAME,
        "council_name": council.name if council else "Your council",
        "area_name": council.area_name if council else "your area",
        "council": council,
        "navigation": navigation_for(cast(User, request.user), request.path),
        "demo_mode": settings.COMMONWEAL_DEMO,
    }
