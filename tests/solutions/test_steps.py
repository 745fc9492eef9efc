"""A blockage's life on the workflow engine: routed, timed in working days, put on hold and taken off it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commonweal.solutions.errors import WorkflowError
from commonweal.solutions.models import Blockage, Stage
from commonweal.solutions.steps import take_step
from tests.solutions import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=LONDON)


@pytest.fixture
def two_departments(make_user: Any) -> dict[str, Any]:
    parks = factories.department("Parks and green spaces")
    highways = factories.department("Highways")
    champion = make_user("champion")
    category = factories.category("Trees and planting", parks, highways, champion=champion)
    return {
        "parks": parks,
        "highways": highways,
        "champion": champion,
        "category": category,
        "parks_officer": make_user("officer", organisation=parks),
        "other_officer": make_user("officer"),
        "raiser": make_user("resident"),
    }


def test_a_blockage_needing_two_departments_gets_both_and_a_champion(two_departments: dict[str, Any]) -> None:
    t = two_departments
    blockage = factories.blockage(category=t["category"], raised_by=t["raiser"], now=at(2026, 12, 23))
    assert {p.department for p in blockage.parts.all()} == {t["parks"], t["highways"]}
    assert blockage.champion == t["champion"]
    assert blockage.stage == Stage.ACKNOWLEDGE
    # Five working days from Wednesday 23 December 2026, across Christmas and New Year: Monday 4 January.
    assert blockage.due_on == date(2027, 1, 4)


def test_waiting_for_the_raiser_stops_the_clock_and_answering_goes_back(
    two_departments: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_departments
    blockage = factories.blockage(category=t["category"], raised_by=t["raiser"], now=at(2027, 2, 1))
    take_step(blockage=blockage, name="acknowledge", by=t["parks_officer"], now=at(2027, 2, 2))
    blockage.refresh_from_db()
    assert blockage.stage == Stage.AGREE_STEPS
    due = blockage.due_on
    with django_capture_on_commit_callbacks(execute=True):
        take_step(blockage=blockage, name="wait", by=t["parks_officer"], note="Which tree species?", now=at(2027, 2, 3))
    assert "Which tree species?" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [t["raiser"].email]
    # A week later (five working days) the raiser answers: back to acknowledged, due five working days later.
    take_step(blockage=blockage, name="reply", by=t["raiser"], note="Scots pine", now=at(2027, 2, 10))
    blockage.refresh_from_db()
    assert blockage.status == Blockage.Status.ACKNOWLEDGED
    assert blockage.due_on is not None and due is not None
    assert (blockage.due_on - due).days == 7


def test_an_officer_of_another_department_is_refused(two_departments: dict[str, Any]) -> None:
    t = two_departments
    blockage = factories.blockage(category=t["category"], raised_by=t["raiser"])
    with pytest.raises(PermissionDenied):
        take_step(blockage=blockage, name="acknowledge", by=t["other_officer"])


def test_a_step_out_of_order_says_why(two_departments: dict[str, Any]) -> None:
    t = two_departments
    blockage = factories.blockage(category=t["category"], raised_by=t["raiser"])
    with pytest.raises(WorkflowError, match="raised, so it cannot be resolved now"):
        take_step(blockage=blockage, name="resolve", by=t["parks_officer"], note="Done")
