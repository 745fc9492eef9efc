"""Reads for a selection's pages: lists, the quotas with the pool beside them, the results, and the published
files (the lottery, the anonymised pool and its categories)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .. import features as F
from ..inputs import current_pool
from ..models import Selection, SelectionMember, SelectionQuota
from ..permissions import runs_panel

PUBLIC = (Selection.Status.PUBLISHED, Selection.Status.DRAWN)


def managed_selections() -> QuerySet[Selection]:
    return (
        Selection.objects.defer(*Selection.BIG)
        .annotate(member_count=Count("members"), chosen_count=Count("members", filter=Q(members__selected=True)))
        .order_by("-created_at", "-pk")
    )


def public_selections() -> QuerySet[Selection]:
    return Selection.objects.defer(*Selection.BIG).filter(status__in=PUBLIC).order_by("-published_at", "-pk")


def selection_for(slug: str, user: Any) -> Selection:
    """A selection anyone may see once its lottery is published; before that, only those who run the panel."""
    found = Selection.objects.defer(*Selection.BIG).select_related("replaces").filter(slug=slug).first()
    if found is None or not (found.is_public or runs_panel(user)):
        raise Http404("There is no published selection at this address.")
    return found


@dataclass(frozen=True)
class QuotaRow:
    quota: SelectionQuota
    feature_name: str
    in_pool: int


def quota_rows(selection: Selection) -> tuple[list[QuotaRow], int]:
    """Each quota with how many in the pool have its category (the frozen pool once run); the pool's size."""
    quotas = list(selection.quotas.all())
    features = list(dict.fromkeys(q.feature for q in quotas))
    if selection.pool.get("people"):
        frozen = selection.pool
        names = frozen["features"]
        counts = Counter((f, row[2 + names.index(f)]) for row in frozen["people"] for f in features if f in names)
        size = len(frozen["people"])
    else:
        pool = current_pool(features)
        counts = Counter((f, values[f]) for _, _, _, values in pool.people for f in features)
        size = len(pool.people)
    rows = [QuotaRow(q, F.FEATURE_NAMES.get(q.feature, q.feature), counts[(q.feature, q.value)]) for q in quotas]
    return rows, size


BINS = (0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0001)


def histogram(selection: Selection) -> list[dict[str, Any]]:
    """How many volunteers have a chance in each band (0 to 1%, 1 to 2%, ...), for the chart and its table."""
    chances = [p or 0.0 for p in selection.members.values_list("probability", flat=True)]
    rows = []
    for low, high in zip(BINS, BINS[1:], strict=False):
        n = sum(1 for p in chances if low <= p < high)
        label = f"{low * 100:g}% to {min(high, 1.0) * 100:g}%"
        rows.append({"band": label, "volunteers": n})
    return [row for row in rows if row["volunteers"]] or rows[:1]


def members_page(selection: Selection, page: Any) -> Page[SelectionMember]:
    found = selection.members.select_related("volunteer").order_by("probability", "number")
    return Paginator(found, 100).get_page(page)


def drawn_members(selection: Selection) -> list[SelectionMember]:
    return list(
        selection.members.filter(selected=True).select_related("volunteer", "volunteer__ward").order_by("number")
    )


def lottery_rows(selection: Selection) -> Iterator[list[Any]]:
    """The published lottery: one row per panel, its number (0 to m - 1) and its volunteers' numbers."""
    for index, panel in enumerate(selection.lottery):
        yield [index, " ".join(str(n) for n in panel)]


def people_rows(selection: Selection) -> tuple[list[str], Iterator[list[Any]]]:
    """The anonymised pool in the Sortition Foundation's people layout: an id, a household and each feature."""
    features = selection.pool.get("features", [])
    header = ["id", "household", *features]
    return header, ([row[0], row[1], *row[2:]] for row in selection.pool.get("people", []))


def category_rows(selection: Selection) -> Iterator[list[Any]]:
    """The quotas in the Sortition Foundation's categories layout: feature, value, min, max."""
    for quota in selection.quotas.all():
        yield [quota.feature, quota.value, quota.min, quota.max]
