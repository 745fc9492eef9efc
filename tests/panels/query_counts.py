"""Query-count cases for the citizens' panel's lists (see tests/test_query_counts.py)."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.utils import timezone

from commonweal.panels.models import Selection, SelectionMember, SelectionQuota
from tests.panels import factories
from tests.query_counts import Context, ListCase, label


def volunteer(context: Context, n: int) -> str:
    code = context.get("postcode") or context.setdefault("postcode", factories.postcodes(factories.wards(1))[0])
    rng = random.Random(n)  # noqa: S311 - a repeatable sequence, not a secret
    return factories.volunteer(code, n, rng, name=label("volunteer", n)).name


def selection(context: Context, n: int, status: str = Selection.Status.DRAFT) -> str:
    title = label("selection", n)
    made = Selection.objects.create(slug=f"listed-{n}", title=title, k=1, status=status)
    SelectionMember.objects.create(selection=made, number=1)
    return title


def published(context: Context, n: int) -> str:
    return selection(context, n, Selection.Status.PUBLISHED)


def _a_selection(status: str) -> Callable[[Context], None]:
    def setup(context: Context) -> None:
        context["selection"] = Selection.objects.create(
            slug="counted",
            title="Counted selection",
            k=1,
            status=status,
            pool={"features": ["sex"], "people": [], "left_out": {}},
            panels={"groups": [], "panels": [[[1], 1.0]]},
            panel_count=1,
            min_probability=0.1,
            upper_bound=0.1,
            gap=0.0,
            seconds=1.0,
            lottery=[[1]],
            lottery_size=1,
            drawn_panel=[1],
            lottery_digest="0" * 64,
            published_at=timezone.now(),
            random_number="1",
            drawn_index=0,
            drawn_at=timezone.now(),
        )

    return setup


def member(context: Context, n: int) -> str:
    """A volunteer in the selection's pool, drawn onto its panel."""
    made = volunteer(context, n)
    from commonweal.panels.models import Volunteer

    SelectionMember.objects.create(
        selection=context["selection"],
        number=n + 1,
        volunteer=Volunteer.objects.get(name=made),
        probability=0.1,
        selected=True,
    )
    return made


def quota(context: Context, n: int) -> str:
    value = label("category", n)
    SelectionQuota.objects.create(selection=context["selection"], feature="sex", value=value, position=n, min=0, max=1)
    return value


def _slug(context: Context) -> list[str]:
    return [context["selection"].slug]


CASES = [
    ListCase("panels:pool", "officer", volunteer),
    ListCase("panels:manage_selections", "officer", selection),
    ListCase("panels:selections", "anonymous", published),
    ListCase("panels:members", "officer", member, _slug, per_page=100, setup=_a_selection(Selection.Status.DRAWN)),
    ListCase("panels:manage_selection", "officer", member, _slug, setup=_a_selection(Selection.Status.DRAWN)),
    ListCase("panels:quotas", "officer", quota, _slug, setup=_a_selection(Selection.Status.DRAFT)),
    ListCase("panels:selection", "anonymous", quota, _slug, setup=_a_selection(Selection.Status.DRAWN)),
    ListCase("panels:categories_csv", "anonymous", quota, _slug, setup=_a_selection(Selection.Status.DRAWN)),
    ListCase("panels:replace", "officer", member, _slug, setup=_a_selection(Selection.Status.DRAWN)),
]

ELSEWHERE: dict[str, tuple[str, str]] = {}

NOT_LISTS = {
    # Forms and actions, and one volunteer's own status (their few selections).
    "panels:join",
    "panels:joined",
    "panels:your_status",
    "panels:status_link",
    "panels:leave",
    "panels:leave_link",
    "panels:left",
    "panels:pool_import",
    "panels:selection_new",
    "panels:relax",
    "panels:run",
    "panels:publish",
    "panels:draw",
    # Written from one selection's own JSON fields (its lottery, its frozen pool): one query however long.
    "panels:lottery_csv",
    "panels:people_csv",
}
