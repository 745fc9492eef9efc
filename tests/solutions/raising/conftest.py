"""Raising a blockage: Merton's wards, a category routed to two departments with a champion, and the people."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.places.models import Ward
from tests.solutions import factories

# Points in Merton (Wimbledon town centre) and outside it (Trafalgar Square, Westminster).
INSIDE = (51.4214, -0.2064)
OUTSIDE = (51.5080, -0.1281)


@pytest.fixture
def raising(merton: Any, make_user: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    parks = factories.department("Parks and green spaces")
    highways = factories.department("Highways")
    champion = make_user("champion")
    trees = factories.category("Trees and planting", parks, highways, champion=champion)
    trees.description = "Planting, pruning and felling on council land."
    trees.save()
    halls = factories.category("Community buildings", parks)
    member = make_user("group_member")
    return {
        "parks": parks,
        "highways": highways,
        "champion": champion,
        "trees": trees,
        "halls": halls,
        "ward": Ward.objects.order_by("name").first(),
        "member": member,
        "group": member.memberships.get().organisation,
        "resident": make_user("resident"),
        "parks_officer": make_user("officer", organisation=parks),
    }
