"""The demo borough's citizens' panel: a skewed pool of 2,000, a selection of 110 drawn in public, and a draft."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from commonweal.panels import demo
from commonweal.panels.models import Selection, Volunteer
from commonweal.panels.pool.queries import pool_against_profile
from commonweal.places.categories import AGE, ETHNIC_GROUPS, ETHNICITY, TENURE, TENURES

pytestmark = pytest.mark.django_db


def _row(tables: Any, feature: str, value: str) -> Any:
    table = next(t for t in tables if t.feature == feature)
    return next(r for r in table.rows if r.value == value)


def test_the_demo_pool_is_skewed_the_way_real_pools_are(demo_borough: Any) -> None:
    assert Volunteer.objects.filter(is_demo=True).count() >= 1990  # a rare repeated address is skipped
    tables, total, from_profile = pool_against_profile()
    assert from_profile
    older = _row(tables, AGE, "60 and over")
    owners = _row(tables, TENURE, TENURES[0])
    white = _row(tables, ETHNICITY, ETHNIC_GROUPS[3])
    for row in (older, owners, white):
        assert row.borough_share is not None and row.pool_share > row.borough_share + 0.05


def test_the_demo_has_a_selection_of_110_drawn_from_its_published_number_and_a_draft(demo_borough: Any) -> None:
    drawn = Selection.objects.get(title=demo.DRAWN_TITLE)
    assert drawn.status == Selection.Status.DRAWN and drawn.k == 110
    assert drawn.method == Selection.Method.LEXIMIN and drawn.m == 1000
    assert drawn.random_number == demo.PUBLISHED_NUMBER and drawn.drawn_index == int(demo.PUBLISHED_NUMBER) % 1000
    assert drawn.members.filter(selected=True).count() == 110
    assert 0 < drawn.min_probability <= drawn.upper_bound + 1e-9
    # Its result was loaded from the one kept for this pool and these quotas, not computed again for minutes.
    kept = json.loads(gzip.decompress(demo.RESULT_FILE.read_bytes()))
    assert kept["pool"] == demo.pool_digest(drawn.pool) and drawn.seconds == kept["seconds"]
    draft = Selection.objects.get(title=demo.DRAFT_TITLE)
    assert draft.status == Selection.Status.DRAFT and draft.quotas.exists()
