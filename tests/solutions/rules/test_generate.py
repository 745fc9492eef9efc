"""The benchmark's generator makes blockages as the steps would have left them, and the daily task runs over
them in a fixed number of queries however many there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.solutions import clock
from commonweal.solutions.escalation import escalate_late_blockages
from commonweal.solutions.generate import generate_blockages
from commonweal.solutions.models import Blockage, BlockageEvent, Escalation, Part

pytestmark = pytest.mark.django_db


def test_generated_blockages_have_histories_parts_and_clocks(db: None) -> None:
    made = generate_blockages(blockages=300, seed=7)
    assert made.counts["blockages"] == Blockage.objects.count() == 300
    assert set(Blockage.objects.values_list("status", flat=True)) == set(Blockage.Status.values) - {"unconfirmed"}
    conifers = Blockage.objects.filter(status=Blockage.Status.LEARNING_SHARED).first()
    assert conifers is not None
    assert list(conifers.events.order_by("at").values_list("transition", flat=True)) == [
        "acknowledge",
        "agree_steps",
        "start",
        "resolve",
        "share_learning",
    ]
    assert BlockageEvent.objects.filter(stage_working_days__isnull=False).exists()
    assert Part.objects.filter(blockage_status=Blockage.Status.IN_PROGRESS).exists()
    assert not Blockage.objects.filter(status=Blockage.Status.RAISED, due_on__isnull=True).exists()
    waiting = Blockage.objects.filter(status=Blockage.Status.WAITING)
    assert waiting.exists() and not waiting.filter(paused_at__isnull=True).exists()


def test_the_daily_task_does_not_do_more_queries_as_late_blockages_grow(db: None, settings: Any) -> None:
    def run(n: int, seed: int) -> int:
        generate_blockages(blockages=n, seed=seed)
        with CaptureQueriesContext(connection) as ctx:
            escalate_late_blockages(today=clock.today())
        return len(ctx.captured_queries)

    few = run(40, 1)
    Escalation.objects.all().delete()
    many = run(400, 2)
    # The working-day arithmetic is once per distinct due date, and the writes are in bulk: nothing per blockage.
    assert Escalation.objects.count() > 100
    assert many <= few + 4
