"""The demo borough's Solutions Framework: routing rules, blockages in every state made by the real steps, some
late and escalated, a case study, an asset transfer at its sign-offs; loading it again adds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.solutions.demo import CONIFERS, load_demo_solutions
from commonweal.solutions.models import (
    AssetTransfer,
    Blockage,
    BlockageEvent,
    CaseStudy,
    Category,
    Escalation,
    SignOff,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_blockage_in_every_state(demo_borough: Any) -> None:
    statuses = set(Blockage.objects.filter(is_demo=True).values_list("status", flat=True))
    assert statuses >= set(Blockage.Status.values) - {Blockage.Status.UNCONFIRMED}


def test_the_conifers_went_to_two_departments_and_the_champion_and_became_a_case_study(demo_borough: Any) -> None:
    conifers = Blockage.objects.get(is_demo=True, title=CONIFERS)
    assert conifers.status == Blockage.Status.LEARNING_SHARED
    assert set(conifers.departments.values_list("name", flat=True)) == {
        "Parks and Green Spaces (demo)",
        "Highways (demo)",
    }
    assert conifers.champion is not None and conifers.champion.email.startswith("champion@")
    steps = list(conifers.events.order_by("at").values_list("transition", flat=True))
    assert steps == ["acknowledge", "agree_steps", "start", "resolve", "share_learning"]
    assert CaseStudy.objects.get(blockage=conifers).is_published
    assert conifers.joined.count() == 1


def test_histories_are_dated_in_the_past_in_order(demo_borough: Any) -> None:
    for blockage in Blockage.objects.filter(is_demo=True):
        times = [e.at for e in blockage.events.order_by("pk")]
        assert times == sorted(times)
        assert all(t >= blockage.raised_at for t in times)


def test_some_demo_blockages_are_late_and_escalated_to_the_champion_and_the_stewards(demo_borough: Any) -> None:
    assert Blockage.objects.filter(is_demo=True, breached_on__isnull=False).exists()
    levels = set(Escalation.objects.filter(blockage__is_demo=True).values_list("level", flat=True))
    assert levels == {1, 2}
    # The one waiting for its raiser is paused: its clock stopped, nothing escalated since.
    waiting = Blockage.objects.get(is_demo=True, status=Blockage.Status.WAITING)
    assert waiting.paused_at is not None
    assert not waiting.escalations.filter(at__gt=waiting.paused_at).exists()


def test_the_demo_champion_has_cases_to_champion(demo_borough: Any) -> None:
    assert Blockage.objects.filter(is_demo=True, champion__email__startswith="champion@").count() >= 5
    assert Category.objects.filter(champion__email__startswith="champion@").count() >= 3


def test_an_asset_transfer_waits_at_its_sign_offs_with_one_signed(demo_borough: Any) -> None:
    transfer = AssetTransfer.objects.get(is_demo=True)
    assert transfer.status == AssetTransfer.Status.SIGN_OFFS
    assert transfer.asset.kind == "space" and transfer.asset.organisation.kind == "council_department"
    outcomes = sorted(transfer.sign_offs.values_list("outcome", flat=True))
    assert outcomes == [SignOff.Outcome.SIGNED, SignOff.Outcome.WAITING, SignOff.Outcome.WAITING]
    assert [e.transition for e in transfer.events.order_by("at")] == [
        "offer_support",
        "ask_for_business_case",
        "request_sign_offs",
    ]


def test_loading_the_demo_again_adds_nothing(demo_borough: Any) -> None:
    counts = (
        Blockage.objects.count(),
        BlockageEvent.objects.count(),
        Escalation.objects.count(),
        Category.objects.count(),
        AssetTransfer.objects.count(),
        SignOff.objects.count(),
        CaseStudy.objects.count(),
    )
    load_demo_solutions(demo_borough)
    assert counts == (
        Blockage.objects.count(),
        BlockageEvent.objects.count(),
        Escalation.objects.count(),
        Category.objects.count(),
        AssetTransfer.objects.count(),
        SignOff.objects.count(),
        CaseStudy.objects.count(),
    )
