"""A blockage needing two departments, with the people around it: each department's officer, an officer of
another department, the champion of its category, a second champion, a steward, the group that raised it."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from tests.solutions import factories


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    parks = factories.department("Parks and green spaces")
    highways = factories.department("Highways")
    other = factories.department("Libraries")
    champion = make_user("champion")
    group = create_organisation(name="Abbey Tree Wardens", kind=Organisation.Kind.INFORMAL_GROUP)
    return {
        "parks": parks,
        "highways": highways,
        "libraries": other,
        "champion": champion,
        "second_champion": make_user("champion"),
        "steward": make_user("steward"),
        "category": factories.category("Trees and planting", parks, highways, champion=champion),
        "parks_officer": make_user("officer", organisation=parks),
        "highways_officer": make_user("officer", organisation=highways),
        "other_officer": make_user("officer", organisation=other),
        "group": group,
        "raiser": make_user("group_member", organisation=group),
        "resident": make_user("resident"),
    }


@pytest.fixture
def blockage(people: dict[str, Any]) -> Any:
    return factories.blockage(
        category=people["category"],
        raised_by=people["raiser"],
        organisation=people["group"],
        council_process="The tree planting policy.",
        tried="We emailed parks twice.",
        would_help="A named person to agree the species.",
    )
