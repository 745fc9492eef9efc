"""A small borough of blockages for the public pages: two departments, a champion, and people whose personal
details must never reach the public."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.places.models import Ward
from tests.solutions import factories


@pytest.fixture
def borough(merton: Any, make_user: Any) -> dict[str, Any]:
    parks = factories.department("Parks and green spaces")
    highways = factories.department("Highways")
    champion = make_user("champion", email="chief.champion@example.org")
    trees = factories.category("Trees and planting", parks, highways, champion=champion)
    licensing = factories.category("Licences and permits", highways)
    wards = list(Ward.objects.order_by("code")[:2])
    return {
        "parks": parks,
        "highways": highways,
        "champion": champion,
        "trees": trees,
        "licensing": licensing,
        "ward": wards[0],
        "other_ward": wards[1],
        "officer": make_user("officer", organisation=parks, email="parks.officer@example.org"),
        "raiser": make_user("resident", email="rosa.raiser@example.org"),
    }


def raise_one(t: dict[str, Any], **fields: Any) -> Any:
    """A blockage raised by a resident with every personal detail filled in."""
    fields.setdefault("category", t["trees"])
    fields.setdefault("ward", t["ward"])
    return factories.blockage(
        raised_by=t["raiser"],
        raiser_name="Rosa Secretname",
        raiser_email="rosa.private@example.org",
        raiser_phone="07700 900123",
        **fields,
    )
