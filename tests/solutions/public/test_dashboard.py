"""The dashboard for stewards and champions: figures checked against small data counted by hand, its charts
(accessible SVG with a table beside each), and the same figures as a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.solutions.models import AssetTransfer, Blockage, BlockageEvent, Escalation, Stage
from commonweal.solutions.public.queries import dashboard, percentile
from tests.solutions.public.conftest import raise_one

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_exempt")]
LONDON = ZoneInfo("Europe/London")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=LONDON)


def test_percentiles_interpolate_between_the_nearest_ranks() -> None:
    assert percentile({}, 0.5) is None
    assert percentile({7: 1}, 0.9) == 7
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1, 10: 1}, 0.5) == 3
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1, 10: 1}, 0.9) == pytest.approx(7.6)  # 4 + 0.6 x (10 - 4)
    assert percentile({5: 1, 15: 1}, 0.5) == 10
    assert percentile({2: 3, 9: 1}, 0.5) == 2  # 2, 2, 2, 9


def ended(blockage: Blockage, stage: Stage, days: int, *, late: bool = False, transition: str = "acknowledge") -> None:
    """A step that ended `stage` after `days` working days, as steps.take_step records it."""
    BlockageEvent.objects.create(
        blockage=blockage,
        transition=transition,
        from_status="raised",
        to_status="acknowledged",
        stage=stage.value,
        stage_working_days=days,
        stage_late=late,
    )


@pytest.fixture
def measured(borough: dict[str, Any]) -> dict[str, Any]:
    """Five blockages whose acknowledging took 1, 2, 3, 4 and 10 working days (the 10 late); two of them had steps
    agreed in 5 and 15; two resolved and one not; three escalations; one asset transfer in its business case."""
    t = borough
    made = [raise_one(t, now=at(2026, 2, 2)), raise_one(t, now=at(2026, 2, 9))]
    made += [raise_one(t, category=t["licensing"], ward=t["other_ward"], now=at(2026, 5, 4)) for _ in range(3)]
    for blockage, days in zip(made, (1, 2, 3, 4, 10), strict=True):
        ended(blockage, Stage.ACKNOWLEDGE, days, late=days > 5)
    ended(made[0], Stage.AGREE_STEPS, 5, transition="agree_steps")
    ended(made[1], Stage.AGREE_STEPS, 15, transition="agree_steps", late=True)
    for blockage, transition, status in (
        (made[0], "resolve", Blockage.Status.RESOLVED),
        (made[1], "resolve", Blockage.Status.LEARNING_SHARED),
        (made[2], "not_resolvable", Blockage.Status.NOT_RESOLVABLE),
    ):
        BlockageEvent.objects.create(
            blockage=blockage, transition=transition, from_status="in_progress", to_status=status, at=at(2026, 5, 20)
        )
        Blockage.objects.filter(pk=blockage.pk).update(status=status, closed_at=at(2026, 5, 20))
        blockage.parts.update(blockage_status=status)
    for level in (1, 1, 2):
        Escalation.objects.create(
            blockage=made[3 if level == 2 else len(Escalation.objects.all())],
            stage=Stage.ACKNOWLEDGE,
            stage_started_at=timezone.now(),
            level=level,
            due_on=timezone.localdate(),
        )
    from tests.directory.factories import AssetFactory

    now = timezone.now()
    AssetTransfer.objects.create(
        asset=AssetFactory(),
        organisation=t["parks"],
        proposed_use="A community garden.",
        community_benefit="Food and friends.",
        status=AssetTransfer.Status.BUSINESS_CASE,
        started_at=now - timedelta(days=365),
        stage_started_at=now,
    )
    return {"blockages": made, **t}


def test_the_figures_match_what_was_counted_by_hand(measured: dict[str, Any]) -> None:
    figures = dashboard()
    times = {t.stage: t for t in figures["stage_times"]}

    assert figures["total"] == 5
    assert (times["acknowledge"].count, times["acknowledge"].median) == (5, 3)
    assert times["acknowledge"].p90 == pytest.approx(7.6)
    assert times["acknowledge"].late == 1
    assert (times["agree_steps"].median, times["agree_steps"].p90) == (10, 14)
    assert times["resolve"].count == 0 and times["resolve"].median is None
    assert figures["decisions"] == {"resolved": 2, "not_resolvable": 1, "closed": 3, "share": 67}
    assert figures["breaches"]["stages_late"] == 2
    assert (figures["breaches"]["to_champion"], figures["breaches"]["to_stewards"]) == (2, 1)
    by_category = {row["name"]: row for row in figures["by_category"]}
    assert by_category["Trees and planting"] == {"name": "Trees and planting", "total": 2, "open": 0, "resolved": 2}
    assert by_category["Licences and permits"]["total"] == 3
    by_department = {row["name"]: row["total"] for row in figures["by_department"]}
    assert by_department == {"Highways": 5, "Parks and green spaces": 2}
    assert {row["name"]: row["total"] for row in figures["by_ward"]} == {
        measured["ward"].name: 2,
        measured["other_ward"].name: 3,
    }
    trend = {row["quarter"]: row for row in figures["trend"]}
    assert trend["2026 Q1"] == {"quarter": "2026 Q1", "raised": 2, "resolved": 0}
    assert trend["2026 Q2"] == {"quarter": "2026 Q2", "raised": 3, "resolved": 2}
    business_case = next(r for r in figures["transfers"] if r["stage"] == "Business case")
    assert business_case["count"] == 1 and 11.5 < business_case["oldest_months"] < 12.5


def test_a_steward_sees_charts_with_a_table_beside_each(
    client: Client, measured: dict[str, Any], make_user: Any
) -> None:
    client.force_login(make_user("steward"))
    page = client.get(reverse("solutions:dashboard")).content.decode()
    for chart in ("chart-departments", "chart-categories", "chart-wards", "chart-stage-times", "chart-trend"):
        assert f'role="img" aria-labelledby="{chart}-title" id="{chart}"' in page
        assert f'<title id="{chart}-title">' in page
    assert page.count('<table class="govuk-table">') == 6
    assert "67% (2 of the 3 decided)" in page
    assert "7.6" in page


def test_a_champion_may_see_it_and_an_officer_may_not(client: Client, measured: dict[str, Any], make_user: Any) -> None:
    assert client.get(reverse("solutions:dashboard"))["Location"].startswith("/accounts/login/")
    client.force_login(measured["officer"])
    assert client.get(reverse("solutions:dashboard")).status_code == 403
    assert client.get(reverse("solutions:dashboard_csv")).status_code == 403
    client.force_login(measured["champion"])
    assert client.get(reverse("solutions:dashboard")).status_code == 200


def test_the_csv_holds_the_same_figures(client: Client, measured: dict[str, Any], make_user: Any) -> None:
    client.force_login(make_user("steward"))
    response = client.get(reverse("solutions:dashboard_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="solutions-dashboard.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Section", "Name", "Figure", "Value"]
    assert ["Stage", "Acknowledge", "Median working days", "3"] in rows
    assert ["Stage", "Acknowledge", "90th percentile working days", "7.6"] in rows
    assert ["Decisions", "", "Share resolved (%)", "67"] in rows
    assert ["Department", "Highways", "Total", "5"] in rows
    assert ["Breaches", "", "Escalated to the stewards", "1"] in rows


def test_a_name_that_looks_like_a_formula_is_defused_in_the_csv(
    client: Client, borough: dict[str, Any], make_user: Any
) -> None:
    from tests.solutions import factories

    raise_one(borough, category=factories.category("=HYPERLINK(evil)", borough["parks"]))
    client.force_login(make_user("steward"))
    content = b"".join(client.get(reverse("solutions:dashboard_csv")).streaming_content).decode()
    assert "'=HYPERLINK(evil)" in content


def test_the_dashboard_reads_the_same_number_of_queries_for_2_or_20_blockages(
    client: Client, borough: dict[str, Any], make_user: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_user("steward"))
    for _ in range(2):
        raise_one(borough)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("solutions:dashboard"))
    for n in range(18):
        raise_one(borough, category=borough["licensing"], now=at(2025, 1 + n % 12, 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("solutions:dashboard"))


def test_the_kept_figures_change_as_soon_as_a_blockage_is_raised(borough: dict[str, Any]) -> None:
    before = dashboard()["total"]
    assert dashboard()["total"] == before  # read again: the same figures, from the cache
    raise_one(borough)
    assert dashboard()["total"] == before + 1
