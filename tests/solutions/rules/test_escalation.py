"""The daily breach task: late stages flagged on the right working day, escalated to the champion, then to the
stewards, once each, with one digest email per person."""

from __future__ import annotations

import threading
from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from commonweal.solutions.escalation import escalate_late_blockages
from commonweal.solutions.models import Blockage, Escalation, SolutionsSettings, Stage
from commonweal.solutions.steps import take_step
from tests.solutions import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Raised on Thursday 18 March 2027: acknowledging is due five working days later, Thursday 25 March. Good
# Friday (26th) and Easter Monday (29th) are bank holidays in England, so it is first late on Tuesday 30 March.
RAISED = datetime(2027, 3, 18, 10, tzinfo=LONDON)
DUE = date(2027, 3, 25)


@pytest.fixture
def case(make_user: Any) -> dict[str, Any]:
    parks = factories.department("Parks and Green Spaces")
    highways = factories.department("Highways")
    champion = make_user("champion")
    category = factories.category("Trees and planting", parks, highways, champion=champion)
    blockage = factories.blockage(category=category, raised_by=make_user("resident"), now=RAISED)
    return {
        "blockage": blockage,
        "category": category,
        "champion": champion,
        "steward": make_user("steward"),
        "officer": make_user("officer", organisation=parks),
        "parks": parks,
    }


def run(day: date, capture: Any) -> Any:
    with capture(execute=True):
        return escalate_late_blockages(today=day)


def test_a_stage_due_before_easter_is_not_late_on_the_bank_holidays(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert case["blockage"].due_on == DUE
    for day in (date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 29)):
        result = run(day, django_capture_on_commit_callbacks)
        assert result.breached == 0 and result.to_champions == 0
    assert not Escalation.objects.exists()
    assert mail.outbox == []
    result = run(date(2027, 3, 30), django_capture_on_commit_callbacks)
    blockage = Blockage.objects.get(pk=case["blockage"].pk)
    assert result.breached == 1
    assert blockage.breached_on == date(2027, 3, 30)
    assert blockage.escalation_level == 1


def test_the_champion_hears_first_then_the_stewards_after_the_set_working_days(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    run(date(2027, 3, 30), django_capture_on_commit_callbacks)
    escalation = Escalation.objects.get()
    assert escalation.level == Escalation.Level.CHAMPION
    assert escalation.stage == Stage.ACKNOWLEDGE
    assert escalation.sent_to == case["champion"].full_name
    assert [m.to for m in mail.outbox] == [[case["champion"].email]]
    assert case["blockage"].reference in mail.outbox[0].body
    assert f"/solutions/cases/{case['blockage'].uuid}/" in mail.outbox[0].body or "/solutions/" in mail.outbox[0].body
    # Friday 2 April: four working days late, one short of the stewards' five.
    run(date(2027, 4, 2), django_capture_on_commit_callbacks)
    assert Escalation.objects.count() == 1
    # Monday 5 April: five working days late, so it goes on to the stewards.
    mail.outbox.clear()
    result = run(date(2027, 4, 5), django_capture_on_commit_callbacks)
    assert result.to_stewards == 1 and result.to_champions == 0
    assert [m.to for m in mail.outbox] == [[case["steward"].email]]
    assert Blockage.objects.get(pk=case["blockage"].pk).escalation_level == 2
    assert Escalation.objects.get(level=2).sent_to.startswith("The stewards: ")


def test_the_council_sets_how_long_a_breach_waits_before_the_stewards(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    SolutionsSettings.objects.update_or_create(
        pk=SolutionsSettings.current().pk, defaults={"escalate_to_stewards_after": 1}
    )
    result = run(date(2027, 3, 30), django_capture_on_commit_callbacks)
    assert (result.to_champions, result.to_stewards) == (1, 1)


def test_a_second_run_escalates_nothing_and_sends_nothing(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    run(date(2027, 4, 5), django_capture_on_commit_callbacks)
    assert Escalation.objects.count() == 2
    sent = len(mail.outbox)
    result = run(date(2027, 4, 5), django_capture_on_commit_callbacks)
    assert (result.to_champions, result.to_stewards, result.emails) == (0, 0, 0)
    assert Escalation.objects.count() == 2
    assert len(mail.outbox) == sent


def test_a_late_stage_after_a_step_is_escalated_afresh(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    run(date(2027, 3, 30), django_capture_on_commit_callbacks)
    take_step(
        blockage=case["blockage"], name="acknowledge", by=case["officer"], now=datetime(2027, 3, 30, 11, tzinfo=LONDON)
    )
    blockage = Blockage.objects.get(pk=case["blockage"].pk)
    assert blockage.escalation_level == 0 and blockage.breached_on is None
    # Agreeing the steps is due 20 working days after 30 March; a run long after escalates that stage.
    run(date(2027, 6, 1), django_capture_on_commit_callbacks)
    assert set(Escalation.objects.values_list("stage", flat=True)) == {Stage.ACKNOWLEDGE, Stage.AGREE_STEPS}


def test_a_blockage_waiting_for_its_raiser_is_not_escalated(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    take_step(
        blockage=case["blockage"], name="acknowledge", by=case["officer"], now=datetime(2027, 3, 19, 9, tzinfo=LONDON)
    )
    take_step(
        blockage=case["blockage"],
        name="wait",
        by=case["officer"],
        note="Which trees?",
        now=datetime(2027, 3, 19, 10, tzinfo=LONDON),
    )
    mail.outbox.clear()
    result = run(date(2027, 6, 30), django_capture_on_commit_callbacks)
    assert result.breached == 0
    assert not Escalation.objects.exists()
    assert mail.outbox == []


def test_a_resolved_blockage_is_not_escalated(
    case: dict[str, Any], make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Blockage.objects.filter(pk=case["blockage"].pk).update(status=Blockage.Status.RESOLVED)
    result = run(date(2027, 4, 30), django_capture_on_commit_callbacks)
    assert result.to_champions == 0
    assert not Escalation.objects.exists()


def test_each_person_gets_one_digest_listing_all_their_late_cases(
    case: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    others = [
        factories.blockage(category=case["category"], title=f"Street party road closure {n}", now=RAISED)
        for n in range(3)
    ]
    run(date(2027, 4, 5), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([case["champion"].email, case["steward"].email])
    champion_mail = next(m for m in mail.outbox if m.to == [case["champion"].email])
    assert champion_mail.subject == "4 late cases escalated to you"
    for blockage in [case["blockage"], *others]:
        assert blockage.reference in champion_mail.body


def test_a_late_case_with_no_champion_goes_to_the_least_busy_champion_and_names_them(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    parks = factories.department("Parks and Green Spaces")
    category = factories.category("Use of parks", parks)
    champion = make_user("champion")
    blockage = factories.blockage(category=category, now=RAISED)
    assert blockage.champion is None
    run(date(2027, 3, 30), django_capture_on_commit_callbacks)
    assert Blockage.objects.get(pk=blockage.pk).champion == champion
    assert [m.to for m in mail.outbox] == [[champion.email]]


def test_the_command_runs_as_if_on_the_day_given(case: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_late_blockages", "--today", "2027-03-30", stdout=out)
    assert "1 newly breached; 1 escalated to champions, 0 to the stewards" in out.getvalue()
    assert Escalation.objects.count() == 1


def test_the_command_explains_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("escalate_late_blockages", "--today", "30/03/2027")


def test_the_command_queues_the_task_by_default(db: None) -> None:
    out = StringIO()
    call_command("escalate_late_blockages", stdout=out)
    assert "Queued the breach task" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_escalate_once(postgresql: None, make_user: Any) -> None:
    from django.db import connection

    parks = factories.department("Parks and Green Spaces")
    champion = make_user("champion")
    category = factories.category("Use of parks", parks, champion=champion)
    for n in range(20):
        factories.blockage(category=category, title=f"Park event {n}", now=RAISED)
    results: list[Any] = []

    def go() -> None:
        try:
            results.append(escalate_late_blockages(today=date(2027, 3, 30)))
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Escalation.objects.count() == 20
    assert sum(r.to_champions for r in results) == 20
