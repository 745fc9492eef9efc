"""Reads for funding's open pages: the open data page, the spreadsheet download and where the money went.

What counts: the grants 360Giving publishes (giving360.PUBLISHED_STATUSES: accepted and completed), so the
page and the files always agree. Money by theme and by ward is each grant split equally between its
application's themes or wards in whole pounds (money.total_by), so every table adds up to the money awarded.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Sum
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core.caching import kept
from commonweal.core.money import WHOLE, pounds
from commonweal.directory.gaps import class_breaks, class_of, decile_summary, key_labels
from commonweal.framework.models import Element, Framework
from commonweal.places.models import CouncilArea, Lsoa, Ward
from commonweal.places.ward_links import WardLink

from ..models import Application, MatchFunding, Tranche
from ..money import total_by
from . import giving360, giving360_quality, giving360_xlsx

ZERO = Decimal("0")
CACHE_SECONDS = 600
# How many of the most recent grants the open data page validates against the schema (see quality_report).
SCHEMA_CHECKED = 2000
# How many warnings (and schema problems) are kept for the page to list; the summary counts every one.
WARNINGS_KEPT = 200
LATEST = 10
# The columns the ward table can be sorted by: key -> heading.
WARD_SORTS: dict[str, str] = {
    "ward": "Ward",
    "amount": "Awarded",
    "per_1000": "£ per 1,000 residents",
    "decile": "Median IMD decile",
}


# --- what is published, and when it changed ----------------------------------------------------------


def fingerprint() -> str:
    """A short digest that changes whenever anything the published files say changes."""
    grants = giving360.published_grants()
    applications = Application.objects.filter(grant__status__in=giving360.PUBLISHED_STATUSES)
    parts = [
        grants.aggregate(n=Count("pk"), latest=Max("updated_at"), total=Sum("amount")),
        # Which wards and themes, not only how many: an officer may swap one ward for another.
        applications.aggregate(
            latest=Max("updated_at"),
            ward_count=Count("wards"),
            theme_count=Count("themes"),
            ward_sum=Sum("wards"),
            theme_sum=Sum("themes"),
        ),
        # The recipients as the files name them: a group that renames itself or gains a charity number.
        Organisation.objects.filter(applications__in=applications).aggregate(latest=Max("updated_at")),
        Tranche.objects.filter(grant__in=grants, status=Tranche.Status.PAID).aggregate(
            n=Count("pk"), latest=Max("paid_on"), total=Sum("amount")
        ),
        MatchFunding.objects.filter(application__in=applications).aggregate(
            n=Count("pk"), latest=Max("recorded_at"), total=Sum("amount")
        ),
        Framework.objects.aggregate(latest=Max("updated_at")),
        list(CouncilArea.objects.values_list("pk", "name", "org_id")),
        settings.COMMONWEAL_360GIVING_PREFIX,
        settings.COMMONWEAL_BASE_URL,
        giving360_xlsx.FORMAT_VERSION,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


@dataclass
class OpenDataSummary:
    count: int
    total: Decimal
    last_modified: Any
    council: CouncilArea | None


def open_data_summary() -> OpenDataSummary:
    """How many grants the files hold, their total, and when they last changed."""
    found = giving360.published_grants().aggregate(n=Count("pk"), total=Sum("amount"), latest=Max("updated_at"))
    return OpenDataSummary(
        count=found["n"] or 0,
        total=found["total"] or ZERO,
        last_modified=found["latest"],
        council=CouncilArea.current(),
    )


@dataclass
class QualityReport:
    """What officers see: schema problems, and the quality checks' warnings with a count for each kind."""

    schema_errors: list[str]
    warnings: list[giving360_quality.QualityWarning]
    summary: list[tuple[str, int]]
    schema_checked: int = 0
    total: int = 0


GRANT_INDEX = re.compile(r"^grants/(\d+)")


def _named(error: str, grants: list[dict[str, Any]]) -> str:
    """'grants/3/currency: …' -> '360G-…-CPF-3/currency: …': an officer knows a grant by its id."""
    found = GRANT_INDEX.match(error)
    if found is None or int(found.group(1)) >= len(grants):
        return error
    return f"{grants[int(found.group(1))].get('id', found.group(0))}{error[found.end() :]}"


def quality_report() -> QualityReport:
    """Validate the package and run the quality checks, kept while nothing published changes.

    The quality checks read every grant. The schema check reads the SCHEMA_CHECKED most recent grants (each
    takes a few milliseconds, and the records all come from the same code); `export_360giving --check`
    validates the whole file."""
    return kept(f"funding-open-quality:{fingerprint()}", QualityReport, _quality_report, seconds=CACHE_SECONDS)


def _quality_report() -> QualityReport:
    package = giving360.build_package()
    grants = package["grants"]
    checked = grants[-SCHEMA_CHECKED:]
    schema_errors = giving360.validate_package({**package, "grants": checked}) if checked else []
    schema_errors = [_named(error, checked) for error in schema_errors]
    warned = giving360_quality.check_grants(grants, today=timezone.localdate())
    return QualityReport(
        schema_errors[:WARNINGS_KEPT],
        warned[:WARNINGS_KEPT],  # the summary counts them all; the page lists the first few
        giving360_quality.summary(warned),
        len(checked),
        len(grants),
    )


# --- the spreadsheet --------------------------------------------------------------------------------


def xlsx_path(digest: str) -> Path:
    """Where the spreadsheet of the published grants in the state `digest` (a fingerprint()) is kept."""
    return Path(settings.VAR_DIR) / "cache" / "funding-360giving" / f"360giving-{digest}.xlsx"


def xlsx_ready(digest: str) -> Path | None:
    """The spreadsheet of the published grants in the state `digest` (a fingerprint()), if it has been built."""
    target = xlsx_path(digest)
    return target if target.exists() else None


# --- where the money went ---------------------------------------------------------------------------


@dataclass
class FundRow:
    name: str
    slug: str
    grants: int
    amount: Decimal


@dataclass
class ThemeRow:
    theme_id: int | None
    name: str
    amount: Decimal


@dataclass
class WardRow:
    ward_id: int
    code: str
    name: str
    population: int
    amount: Decimal = ZERO
    grants: int = 0
    median_decile: int | None = None

    @property
    def per_1000(self) -> Decimal | None:
        """Pounds awarded per 1,000 residents; None when nobody is counted as living there."""
        if self.population <= 0:
            return None
        return (self.amount * 1000 / self.population).quantize(Decimal("1"))

    def value(self, key: str) -> Any:
        if key == "ward":
            return self.name
        if key == "decile":
            return self.median_decile
        if key == "per_1000":
            return self.per_1000
        return self.amount


@dataclass
class LatestGrant:
    recipient: str
    amount: Decimal
    award_date: Any
    fund: str
    themes: list[str]
    wards: list[str]


@dataclass
class MoneyReport:
    council: CouncilArea | None
    total: Decimal
    count: int
    by_fund: list[FundRow]
    by_theme: list[ThemeRow]
    wards: list[WardRow]
    not_in_a_ward: Decimal
    latest: list[LatestGrant] = field(default_factory=list)


def _links(through: Any, column: str, application_ids: set[int]) -> dict[int, list[int]]:
    """Application id -> the ids it links to through a many-to-many table, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(application_id__in=application_ids).values_list("application_id", column)
    for application_id, other in rows.order_by("application_id", column):
        found[application_id].append(other)
    return found


def _or_none(ids: list[int] | None) -> list[int | None]:
    """A grant's keys, or [None] so that money with no theme (or ward) is still counted, under None."""
    return [*ids] if ids else [None]


def where_money_went() -> MoneyReport:
    """Money awarded by fund, by theme and by ward (split equally), every ward beside its deprivation; kept
    while nothing published changes, so a busy public page does not add up 10,000 grants each time."""
    return kept(f"funding-open-money:{fingerprint()}", MoneyReport, _where_money_went, seconds=CACHE_SECONDS)


def _where_money_went() -> MoneyReport:
    council = CouncilArea.current()
    grants = list(
        giving360.published_grants().values_list(
            "amount", "application_id", "application__round__fund__name", "application__round__fund__slug"
        )
    )
    application_ids = {row[1] for row in grants}
    themes_of = _links(Application.themes.through, "element_id", application_ids)
    wards_of = _links(Application.wards.through, "ward_id", application_ids)

    funds: dict[str, FundRow] = {}
    for amount, _, fund_name, fund_slug in grants:
        row = funds.setdefault(fund_slug, FundRow(fund_name, fund_slug, 0, ZERO))
        row.grants += 1
        row.amount += amount

    by_theme = total_by(((amount, _or_none(themes_of.get(app))) for amount, app, _, _ in grants), WHOLE)
    theme_names = dict(Element.objects.filter(pk__in=[k for k in by_theme if k]).values_list("pk", "name"))
    theme_rows = [ThemeRow(pk, theme_names.get(pk, ""), amount) for pk, amount in by_theme.items() if pk]
    theme_rows.sort(key=lambda row: (-row.amount, row.name))
    if None in by_theme:
        theme_rows.append(ThemeRow(None, "No theme given", by_theme[None]))

    by_ward = total_by(((amount, _or_none(wards_of.get(app))) for amount, app, _, _ in grants), WHOLE)
    grants_in: dict[int, int] = defaultdict(int)
    for _, app, _, _ in grants:
        for ward_id in set(wards_of.get(app, [])):
            grants_in[ward_id] += 1
    ward_rows: list[WardRow] = []
    if council is not None:
        deciles: dict[int, list[int]] = defaultdict(list)
        lsoas = Lsoa.objects.filter(ward__council=council, imd_decile__isnull=False)
        for lsoa_ward, decile in lsoas.values_list("ward_id", "imd_decile"):
            if lsoa_ward is not None and decile is not None:
                deciles[lsoa_ward].append(decile)
        for ward in Ward.objects.filter(council=council).only("pk", "code", "name", "population").order_by("name"):
            ward_rows.append(
                WardRow(
                    ward_id=ward.pk,
                    code=ward.code,
                    name=ward.name,
                    population=ward.population,
                    amount=by_ward.get(ward.pk, ZERO),
                    grants=grants_in.get(ward.pk, 0),
                    median_decile=decile_summary(deciles.get(ward.pk, []))[0],
                )
            )
    counted = {row.ward_id for row in ward_rows}
    # Money for wards outside the council's own (none, unless the data says otherwise) counts with no ward.
    elsewhere = sum((amount for key, amount in by_ward.items() if key is not None and key not in counted), ZERO)
    return MoneyReport(
        council=council,
        total=sum((row[0] for row in grants), ZERO),
        count=len(grants),
        by_fund=sorted(funds.values(), key=lambda row: (-row.amount, row.name)),
        by_theme=theme_rows,
        wards=ward_rows,
        not_in_a_ward=by_ward.get(None, ZERO) + elsewhere,
        latest=latest_grants(),
    )


# A ward's own list of grants on 'where the money went' shows at most this many, newest first.
WARD_GRANTS = 200


def latest_grants(limit: int = LATEST, *, ward_id: int | None = None) -> list[LatestGrant]:
    """The most recently awarded published grants (those naming one ward, if given): recipient, amount, fund,
    themes and wards."""
    published = giving360.published_grants()
    if ward_id is not None:
        published = published.filter(application__wards=ward_id)
    grants = (
        published.select_related("application__organisation", "application__round__fund")
        .prefetch_related(
            Prefetch("application__themes", queryset=Element.objects.only("pk", "name").order_by("position", "pk")),
            Prefetch("application__wards", queryset=Ward.objects.only("pk", "name").order_by("name")),
        )
        .order_by("-award_date", "-pk")[:limit]
    )
    return [
        LatestGrant(
            recipient=grant.application.organisation.name,
            amount=grant.amount,
            award_date=grant.award_date,
            fund=grant.application.round.fund.name,
            themes=[theme.name for theme in grant.application.themes.all()],
            wards=[ward.name for ward in grant.application.wards.all()],
        )
        for grant in grants
    ]


def sort_wards(rows: list[WardRow], key: str, *, descending: bool = False) -> list[WardRow]:
    """Wards ordered by one column; a ward without the figure always goes last, ties read A to Z."""
    if key not in WARD_SORTS:
        key = "ward"
    known = sorted((r for r in rows if r.value(key) is not None), key=lambda r: r.name)
    known.sort(key=lambda r: r.value(key), reverse=descending)
    return known + sorted((r for r in rows if r.value(key) is None), key=lambda r: r.name)


def money_map(report: MoneyReport) -> dict[str, Any]:
    """Each ward's boundary shaded by £ per 1,000 residents, its decile in its label, and the map's key."""
    values = {row.ward_id: (float(row.per_1000) if row.per_1000 is not None else None) for row in report.wards}
    breaks = class_breaks(v for v in values.values() if v is not None)
    boundaries = dict(Ward.objects.filter(pk__in=values).values_list("pk", "boundary"))
    features = []
    for row in report.wards:
        value = row.per_1000
        shown = "not known (no population)" if value is None else f"{pounds(value, False)} per 1,000 residents"
        decile = f"median deprivation decile {row.median_decile}" if row.median_decile else "deprivation not known"
        features.append(
            {
                "type": "Feature",
                "geometry": boundaries.get(row.ward_id),
                "properties": {
                    "code": row.code,
                    "name": row.name,
                    "class": class_of(values[row.ward_id], breaks),
                    "label": f"{row.name}: {shown}, {decile}",
                },
            }
        )
    key = [{"class": band["class"], "label": _pounds_label(band["label"])} for band in key_labels(breaks)]
    return {"collection": {"type": "FeatureCollection", "features": features}, "key": key}


def _pounds_label(label: str) -> str:
    """'over 12, up to 40' -> 'over £12, up to £40'."""
    words = []
    for word in label.split(" "):
        bare = word.rstrip(",")
        try:
            number = float(bare)
        except ValueError:
            words.append(word)
            continue
        words.append(pounds(number, False) + ("," if word.endswith(",") else ""))
    return " ".join(words)


def ward_links(ward: Ward) -> list[WardLink]:
    """The money our grants brought to a ward, with the list of those grants on 'where the money went'."""
    row = next((row for row in where_money_went().wards if row.ward_id == ward.pk), None)
    grants, amount = (row.grants, row.amount) if row else (0, ZERO)
    url = reverse("funding:where_money_went") + "?" + urlencode({"ward": ward.code}) + "#grants"
    summary = (
        f"{pounds(amount)} from {grants} {'grant' if grants == 1 else 'grants'} that named {ward.name}."
        if grants
        else f"No published grant has named {ward.name} yet."
    )
    return [
        WardLink(
            order=40,
            title="Grants",
            summary=summary,
            url=url,
            link_text=f"See the grants in {ward.name}",
            testid="ward-grants",
        )
    ]
