"""Reads for money beyond the council: the register of funding sources, match funding, leverage, community
needs and pledges. One function per page; leverage figures are shaped as rows others can reuse.

Leverage is the secured money and valued in-kind support a grant attracted from beyond the council (match,
other external and in kind) for each pound of council grant awarded (grants not declined or withdrawn).
By theme and by ward, each grant AND its match funding are split equally between its application's themes
or wards in whole pounds (money.total_by), so the rows add up to the overall figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Case, DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from commonweal.core.money import WHOLE
from commonweal.framework.models import Element
from commonweal.places.models import Ward

from ..models import Application, CommunityNeed, Fulfilment, FundingSource, Grant, MatchFunding, Pledge
from ..money import leverage, total_by

ZERO = Decimal("0")
PER_PAGE = 20
SOON_DAYS = 30
NO_THEME = "No theme recorded"
NO_WARD = "No ward recorded"
COUNTED_GRANTS = Q(status__in=[Grant.Status.OFFERED, Grant.Status.ACCEPTED, Grant.Status.COMPLETED])
LIVE_PLEDGES = [Pledge.Status.PLEDGED, Pledge.Status.ACCEPTED, Pledge.Status.DELIVERED, Pledge.Status.VERIFIED]
DONE_PLEDGES = [Pledge.Status.DELIVERED, Pledge.Status.VERIFIED]
MONEY_FIELD: Any = DecimalField(max_digits=14, decimal_places=2)


def theme_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Element.objects.filter(kind=Element.Kind.THEME).values_list("pk", "name")]


def ward_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Ward.objects.order_by("name").values_list("pk", "name")]


def _paginate(queryset: QuerySet[Any], page: int) -> Page:
    paginator = Paginator(queryset, PER_PAGE)
    return paginator.get_page(page)


# --- the register ---------------------------------------------------------------------------------


def _sources(
    *,
    words: str = "",
    theme_id: int | None = None,
    amount: Decimal | None = None,
    deadline: str = "",
    sort: str = "deadline",
    include_inactive: bool = False,
    today: date | None = None,
) -> QuerySet[FundingSource]:
    today = today or timezone.localdate()
    found = FundingSource.objects.all()
    if not include_inactive:
        found = found.filter(is_active=True)
    for word in words.split()[:10]:
        found = found.filter(Q(funder__icontains=word) | Q(name__icontains=word) | Q(what_they_fund__icontains=word))
    if theme_id is not None:
        found = found.filter(themes__pk=theme_id)
    if amount is not None:
        found = found.filter(Q(min_amount__isnull=True) | Q(min_amount__lte=amount)).filter(
            Q(max_amount__isnull=True) | Q(max_amount__gte=amount)
        )
    if deadline == "open":
        found = found.filter(is_active=True).filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    elif deadline == "soon":
        found = found.filter(is_active=True, deadline__gte=today, deadline__lte=today + timedelta(days=SOON_DAYS))
    elif deadline == "rolling":
        found = found.filter(is_active=True, deadline__isnull=True)
    if sort == "funder":
        order = ["funder", "name", "pk"]
    else:
        # Deadlines still to come first, soonest first; then rolling programmes; then deadlines passed.
        found = found.annotate(
            _when=Case(
                When(deadline__gte=today, then=Value(0)), When(deadline__isnull=True, then=Value(1)), default=Value(2)
            )
        )
        order = ["_when", "deadline", "funder", "name", "pk"]
    return (
        found.order_by(*order)
        .distinct()
        .prefetch_related(Prefetch("themes", queryset=Element.objects.order_by("position", "pk")))
    )


def sources_page(*, page: int = 1, **filters: Any) -> dict[str, Any]:
    """The register of external funding: one page of the programmes matching the filters."""
    found = _sources(**filters)
    pages = _paginate(found, page)
    today = filters.get("today") or timezone.localdate()
    return {"sources": list(pages.object_list), "pages": pages, "total": pages.paginator.count, "today": today}


def sources_for_csv(*, include_inactive: bool = False) -> Iterator[list[Any]]:
    """Every programme in the register, one row each, for a spreadsheet."""
    for source in _sources(sort="funder", include_inactive=include_inactive).iterator(chunk_size=500):
        yield [
            source.funder,
            source.funder_org_id,
            source.name,
            source.what_they_fund,
            source.eligibility,
            "; ".join(theme.name for theme in source.themes.all()),
            source.min_amount,
            source.max_amount,
            source.deadline.isoformat() if source.deadline else "Rolling",
            source.url,
            "Yes" if source.is_active else "No",
        ]


SOURCES_CSV_HEADER = [
    "Funder",
    "Funder org-id",
    "Programme",
    "What they fund",
    "Who can apply",
    "Themes",
    "Smallest grant (GBP)",
    "Largest grant (GBP)",
    "Next deadline",
    "Web page",
    "Open to applications",
]


def source_page(pk: int, *, include_inactive: bool) -> FundingSource | None:
    found = FundingSource.objects.filter(pk=pk).prefetch_related("themes")
    if not include_inactive:
        found = found.filter(is_active=True)
    return found.first()


def source_choices() -> list[tuple[str, str]]:
    return [(str(s.pk), f"{s.funder}: {s.name}") for s in FundingSource.objects.only("pk", "funder", "name")]


# --- match funding --------------------------------------------------------------------------------


def match_funding_page(application: Application) -> dict[str, Any]:
    """An application's match funding and in-kind support, with totals secured and applied for."""
    rows = list(
        MatchFunding.objects.filter(application=application).select_related("source", "recorded_by").order_by("pk")
    )
    secured = sum((r.amount for r in rows if r.status == MatchFunding.Status.SECURED), ZERO)
    pending = sum((r.amount for r in rows if r.status == MatchFunding.Status.PENDING), ZERO)
    by_kind = [
        (label, sum((r.amount for r in rows if r.kind == kind and r.status == MatchFunding.Status.SECURED), ZERO))
        for kind, label in MatchFunding.Kind.choices
    ]
    grant = Grant.objects.filter(application=application).filter(COUNTED_GRANTS).first()
    return {
        "rows": rows,
        "secured": secured,
        "pending": pending,
        "by_kind": by_kind,
        "grant": grant,
        "ratio": leverage(secured, grant.amount) if grant else None,
    }


# --- leverage -------------------------------------------------------------------------------------


class LeverageRow(NamedTuple):
    """One line of a leverage table: council pounds awarded, external pounds attracted, and £ per council £1."""

    name: str
    council: Decimal
    external: Decimal
    ratio: Decimal | None


@dataclass
class GrantFacts:
    """What every leverage table is built from, read in a handful of queries whatever the number of grants."""

    grants: list[tuple[int, Decimal, int, str]] = field(default_factory=list)  # application, amount, fund, name
    external: dict[int, Decimal] = field(default_factory=dict)  # by application
    themes: dict[int, list[int]] = field(default_factory=dict)  # application -> theme ids
    wards: dict[int, list[int]] = field(default_factory=dict)  # application -> ward ids


def grant_facts() -> GrantFacts:
    """Counted grants with their secured external money and their applications' themes and wards (4 queries)."""
    counted = Grant.objects.filter(COUNTED_GRANTS)
    applications = counted.values("application_id")
    facts = GrantFacts()
    facts.grants = [
        (app, amount, fund, name)
        for app, amount, fund, name in counted.order_by("pk").values_list(
            "application_id", "amount", "application__round__fund_id", "application__round__fund__name"
        )
    ]
    facts.external = dict(
        MatchFunding.objects.filter(status=MatchFunding.Status.SECURED, application_id__in=applications)
        .values("application_id")
        .annotate(total=Sum("amount"))
        .values_list("application_id", "total")
    )
    for app, theme in (
        Application.themes.through.objects.filter(application_id__in=applications)
        .order_by("element__position", "element_id")
        .values_list("application_id", "element_id")
    ):
        facts.themes.setdefault(app, []).append(theme)
    for app, ward in (
        Application.wards.through.objects.filter(application_id__in=applications)
        .order_by("ward__name", "ward_id")
        .values_list("application_id", "ward_id")
    ):
        facts.wards.setdefault(app, []).append(ward)
    return facts


def _row(name: str, council: Decimal, external: Decimal) -> LeverageRow:
    return LeverageRow(name, council, external, leverage(external, council))


def leverage_overall(facts: GrantFacts | None = None) -> LeverageRow:
    facts = facts or grant_facts()
    council = sum((amount for _, amount, _, _ in facts.grants), ZERO)
    external = sum((facts.external.get(app, ZERO) for app, *_ in facts.grants), ZERO)
    return _row("All funds", council, external)


def leverage_by_fund(facts: GrantFacts | None = None) -> list[LeverageRow]:
    """Council and external pounds, and £ per council £1, for each fund that has awarded grants."""
    facts = facts or grant_facts()
    council: dict[int, Decimal] = {}
    external: dict[int, Decimal] = {}
    names: dict[int, str] = {}
    for app, amount, fund, name in facts.grants:
        names[fund] = name
        council[fund] = council.get(fund, ZERO) + amount
        external[fund] = external.get(fund, ZERO) + facts.external.get(app, ZERO)
    return [_row(names[f], council[f], external[f]) for f in sorted(names, key=lambda f: (names[f].lower(), f))]


def _split_rows(
    facts: GrantFacts, keys_of: dict[int, list[int]], names: dict[int, str], missing: str
) -> list[LeverageRow]:
    def keys(app: int) -> list[int | None]:
        found: list[int | None] = list(keys_of.get(app, []))
        return found or [None]

    council = total_by(((amount, keys(app)) for app, amount, _, _ in facts.grants), WHOLE)
    external = total_by(((facts.external.get(app, ZERO), keys(app)) for app, *_ in facts.grants), WHOLE)
    ordered = [key for key in names if key in council]
    rows = [_row(names[key], council[key], external.get(key, ZERO)) for key in ordered]
    if None in council:
        rows.append(_row(missing, council[None], external.get(None, ZERO)))
    return rows


def leverage_by_theme(facts: GrantFacts | None = None) -> list[LeverageRow]:
    """Leverage by framework theme: each grant and its match funding split equally between its themes."""
    facts = facts or grant_facts()
    used = {theme for themes in facts.themes.values() for theme in themes}
    names = dict(Element.objects.filter(pk__in=used).order_by("position", "pk").values_list("pk", "name"))
    return _split_rows(facts, facts.themes, names, NO_THEME)


def leverage_by_ward(facts: GrantFacts | None = None) -> list[LeverageRow]:
    """Leverage by ward: each grant and its match funding split equally between the wards it serves."""
    facts = facts or grant_facts()
    used = {ward for wards in facts.wards.values() for ward in wards}
    names = dict(Ward.objects.filter(pk__in=used).order_by("name", "pk").values_list("pk", "name"))
    return _split_rows(facts, facts.wards, names, NO_WARD)


def _with_bars(rows: list[LeverageRow]) -> list[tuple[LeverageRow, int]]:
    """Each row with the width (0–100) of its bar of £ per council £1, scaled to the table's largest."""
    top = max((row.ratio for row in rows if row.ratio is not None), default=ZERO)
    return [(row, int((row.ratio or ZERO) / top * 100) if top > 0 else 0) for row in rows]


def leverage_page() -> dict[str, Any]:
    """The leverage page: overall, by fund, by theme and by ward, read once."""
    facts = grant_facts()
    secured = MatchFunding.objects.filter(
        status=MatchFunding.Status.SECURED, application__grant__in=Grant.objects.filter(COUNTED_GRANTS)
    )
    by_kind = dict(secured.values("kind").annotate(total=Sum("amount")).values_list("kind", "total"))
    return {
        "overall": leverage_overall(facts),
        "by_kind": [(label, by_kind.get(kind, ZERO)) for kind, label in MatchFunding.Kind.choices],
        "by_fund": _with_bars(leverage_by_fund(facts)),
        "by_theme": _with_bars(leverage_by_theme(facts)),
        "by_ward": _with_bars(leverage_by_ward(facts)),
        "grant_count": len(facts.grants),
    }


# --- community needs and pledges ------------------------------------------------------------------


def _sum_subquery(queryset: QuerySet[Any], group: str, field_name: str) -> Coalesce:
    total = queryset.order_by().values(group).annotate(total=Sum(field_name)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def needs_with_progress() -> QuerySet[CommunityNeed]:
    """Needs with how much is pledged, delivered and delivered on finished pledges, of the need's own kind."""
    same_kind = Pledge.objects.filter(need=OuterRef("pk"), kind=OuterRef("kind"))
    delivered = Fulfilment.objects.filter(
        pledge__need=OuterRef("pk"), pledge__kind=OuterRef("kind"), pledge__status__in=LIVE_PLEDGES
    )
    finished = Fulfilment.objects.filter(
        pledge__need=OuterRef("pk"), pledge__kind=OuterRef("kind"), pledge__status__in=DONE_PLEDGES
    )
    return CommunityNeed.objects.annotate(
        pledged=_sum_subquery(same_kind.filter(status__in=LIVE_PLEDGES), "need", "quantity"),
        delivered=_sum_subquery(delivered, "pledge__need", "quantity"),
        finished=_sum_subquery(finished, "pledge__need", "quantity"),
    ).annotate(
        is_met=Case(
            When(status=CommunityNeed.Status.MET, then=Value(True)),
            When(quantity__isnull=False, quantity__gt=0, finished__gte=F("quantity"), then=Value(True)),
            default=Value(False),
        )
    )


NEED_STATUSES = [("open", "Open for pledges"), ("met", "Met"), ("closed", "Closed")]


def needs_page(
    *, kind: str = "", theme_id: int | None = None, ward_id: int | None = None, status: str = "", page: int = 1
) -> dict[str, Any]:
    """Community needs posted by groups, newest first, with their progress."""
    found: QuerySet[Any] = needs_with_progress().select_related("organisation", "theme", "ward")
    if kind:
        found = found.filter(kind=kind)
    if theme_id is not None:
        found = found.filter(theme_id=theme_id)
    if ward_id is not None:
        found = found.filter(ward_id=ward_id)
    if status == "open":
        found = found.filter(status=CommunityNeed.Status.OPEN, is_met=False)
    elif status == "met":
        found = found.filter(is_met=True)
    elif status == "closed":
        found = found.filter(status=CommunityNeed.Status.CLOSED)
    pages = _paginate(found.order_by("-created_at", "-pk"), page)
    return {"needs": list(pages.object_list), "pages": pages, "total": pages.paginator.count}


def need_page(pk: int) -> dict[str, Any] | None:
    """A need, its pledges (newest first) and its progress: pledged, delivered and needed."""
    need: Any = needs_with_progress().select_related("organisation", "theme", "ward").filter(pk=pk).first()
    if need is None:
        return None
    pledges = list(
        Pledge.objects.filter(need=need)
        .select_related("supplier")
        .annotate(delivered=_sum_subquery(Fulfilment.objects.filter(pledge=OuterRef("pk")), "pledge", "quantity"))
        .order_by("-pledged_at", "-pk")
    )
    needed = need.quantity or ZERO
    return {
        "need": need,
        "pledges": pledges,
        "needed": needed,
        "percent_pledged": _percent(need.pledged, needed),
        "percent_delivered": _percent(need.delivered, needed),
    }


def _percent(part: Decimal, whole: Decimal) -> int:
    if whole <= 0:
        return 0
    return min(100, int(part / whole * 100))


def pledge_page(pk: int) -> Any:
    """A pledge with its need, supplier and deliveries."""
    return (
        Pledge.objects.filter(pk=pk)
        .select_related("need__organisation", "need__theme", "need__ward", "supplier", "pledged_by")
        .prefetch_related(
            Prefetch("fulfilments", queryset=Fulfilment.objects.select_related("recorded_by", "confirmed_by"))
        )
        .annotate(delivered=_sum_subquery(Fulfilment.objects.filter(pledge=OuterRef("pk")), "pledge", "quantity"))
        .first()
    )
