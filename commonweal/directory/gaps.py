"""Where the gaps are: per ward, what the directory holds beside how many people live there and how deprived it is.

Every count is made in SQL, a handful of GROUP BY queries over the whole council rather than one per ward, so the
page stays fast with 100,000 services. The arithmetic on the counts (per 1,000 residents, map classes, sorting)
is plain Python at the bottom of the module.

What counts where (the page says the same in words):
- A service counts in a ward when it is published and running, its organisation is published, and it serves the
  ward (its wards served) or is delivered at a published location in the ward. It counts once per ward, however
  many of its locations are there; a service serving three wards counts in each of them.
- An organisation counts in a ward when it is published and serves the ward, has a published location there, or
  is based at a postcode there. With a category chosen, only those that run a published, running service in it.
- An asset counts in its own ward, or failing that its location's, when it is published.
- Categories are the top-level terms of the vocabulary: a service is in the category of each of its terms'
  top-level ancestors.
- Deprivation is the median IMD 2019 decile of the ward's small areas (LSOAs), as the wards page shows it,
  with the most deprived decile among them beside it in the CSV.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median_low
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Field, Model

from commonweal.accounts.models import Organisation
from commonweal.places.models import CouncilArea, Lsoa, Postcode, Ward

from .models import Asset, ListingStatus, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .vocabulary import STARTER_NAME

# The measures the map can be shaded by: key -> what the key calls it.
MEASURES: dict[str, str] = {
    "services_per_1000": "Services per 1,000 residents",
    "organisations_per_1000": "Organisations per 1,000 residents",
    "assets_per_1000": "Assets per 1,000 residents",
    "services": "Services",
    "organisations": "Organisations",
    "assets": "Assets",
}
DEFAULT_MEASURE = "services_per_1000"
# The columns the table can be sorted by: key -> (heading, numeric?).
SORTS: dict[str, str] = {
    "ward": "Ward",
    "population": "Population",
    "decile": "Median IMD decile",
    "organisations": "Organisations",
    "organisations_per_1000": "Organisations per 1,000",
    "services": "Services",
    "services_per_1000": "Services per 1,000",
    "assets": "Assets",
    "assets_per_1000": "Assets per 1,000",
}
MAP_CLASSES = 5
# How long counts are kept when nothing the fingerprint sees has changed (see ward_gaps).
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Category:
    """A top-level term of the vocabulary: the level the gaps are counted at."""

    id: int
    code: str
    name: str


@dataclass
class WardGaps:
    """One ward's row: who lives there, how deprived it is, and what the directory holds for it."""

    ward_id: int
    code: str
    name: str
    population: int
    lsoa_count: int = 0
    median_decile: int | None = None
    most_deprived_decile: int | None = None
    organisations: int = 0
    services: int = 0
    assets: int = 0
    services_by_category: dict[int, int] = field(default_factory=dict)
    assets_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def organisations_per_1000(self) -> float | None:
        return per_thousand(self.organisations, self.population)

    @property
    def services_per_1000(self) -> float | None:
        return per_thousand(self.services, self.population)

    @property
    def assets_per_1000(self) -> float | None:
        return per_thousand(self.assets, self.population)

    def value(self, key: str) -> Any:
        """The figure a sort or map measure names."""
        if key == "ward":
            return self.name
        if key == "decile":
            return self.median_decile
        return getattr(self, key)


@dataclass
class GapsReport:
    council: CouncilArea | None
    taxonomy: Taxonomy | None
    categories: list[Category]
    category: Category | None
    asset_kind: str | None
    wards: list[WardGaps]
    # Across the council, each record counted once however many wards it reaches.
    total_organisations: int = 0
    total_services: int = 0
    total_assets: int = 0

    @property
    def population(self) -> int:
        return sum(ward.population for ward in self.wards)


# --- queries ----------------------------------------------------------------------------------------


def gaps_taxonomy() -> Taxonomy | None:
    """The vocabulary the gaps are counted in: the starter one while it is there, else the oldest."""
    return Taxonomy.objects.filter(name=STARTER_NAME).first() or Taxonomy.objects.order_by("pk").first()


def top_level_categories(taxonomy: Taxonomy | None) -> list[Category]:
    if taxonomy is None:
        return []
    terms = TaxonomyTerm.objects.filter(taxonomy=taxonomy, parent__isnull=True).order_by("position", "name")
    return [Category(term.pk, term.code, term.name) for term in terms]


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    found = model._meta.get_field(name)
    assert isinstance(found, Field) and found.column
    return connection.ops.quote_name(found.column)


class _Sql:
    """Table and column names quoted for this database, so the SQL reads close to the models."""

    def __init__(self) -> None:
        served = Service.wards_served.through
        org_served = Organisation.wards_served.through
        terms = Service.terms.through
        self.service = _table(Service)
        self.organisation = _table(Organisation)
        self.location = _table(Location)
        self.sal = _table(ServiceAtLocation)
        self.asset = _table(Asset)
        self.ward = _table(Ward)
        self.postcode = _table(Postcode)
        self.term = _table(TaxonomyTerm)
        self.served = _table(served)
        self.served_service = _column(served, "service")
        self.served_ward = _column(served, "ward")
        self.org_served = _table(org_served)
        self.org_served_org = _column(org_served, "organisation")
        self.org_served_ward = _column(org_served, "ward")
        self.terms = _table(terms)
        self.terms_service = _column(terms, "service")
        self.terms_term = _column(terms, "taxonomyterm")

    def tops(self) -> str:
        """A recursive CTE mapping every term of a vocabulary to its top-level ancestor (one parameter: taxonomy)."""
        return (
            f"WITH RECURSIVE tops(id, top) AS ("  # noqa: S608 - names from the models; values are parameters
            f" SELECT t.id, t.id FROM {self.term} t WHERE t.taxonomy_id = %s AND t.parent_id IS NULL"
            f" UNION ALL"
            f" SELECT t.id, tops.top FROM {self.term} t JOIN tops ON t.parent_id = tops.id) "
        )

    def service_wards(self) -> str:
        """(ward_id, service_id) for every ward a service serves or is delivered in (one parameter: status)."""
        return (
            f"SELECT sw.{self.served_ward} AS ward_id, sw.{self.served_service} AS service_id FROM {self.served} sw"  # noqa: S608 - names from the models; values are parameters
            f" UNION"
            f" SELECT l.ward_id AS ward_id, sal.service_id AS service_id FROM {self.sal} sal"
            f" JOIN {self.location} l ON l.id = sal.location_id"
            f" WHERE l.ward_id IS NOT NULL AND l.listing_status = %s"
        )

    def organisation_wards(self) -> str:
        """(ward_id, organisation_id) for every ward an organisation serves, has a place in, or is based in."""
        return (
            f"SELECT ow.{self.org_served_ward} AS ward_id, ow.{self.org_served_org} AS organisation_id"  # noqa: S608 - names from the models; values are parameters
            f" FROM {self.org_served} ow"
            f" UNION"
            f" SELECT l.ward_id AS ward_id, l.organisation_id AS organisation_id FROM {self.location} l"
            f" WHERE l.ward_id IS NOT NULL AND l.organisation_id IS NOT NULL AND l.listing_status = %s"
            f" UNION"
            f" SELECT pc.ward_id AS ward_id, o2.id AS organisation_id FROM {self.organisation} o2"
            f" JOIN {self.postcode} pc ON pc.postcode = o2.postcode"
        )

    def running_services(self) -> str:
        """Ids of the services the public can see: published, running, organisation published (3 parameters)."""
        return (
            f"SELECT s.id FROM {self.service} s JOIN {self.organisation} o ON o.id = s.organisation_id"  # noqa: S608 - names from the models; values are parameters
            f" WHERE s.listing_status = %s AND s.status = %s AND o.listing_status = %s"
        )

    def in_category(self) -> str:
        """Ids of services with a term under one top-level category (1 parameter: the category; needs tops)."""
        return (
            f"SELECT st.{self.terms_service} FROM {self.terms} st"  # noqa: S608 - names from the models; values are parameters
            f" JOIN tops ON tops.id = st.{self.terms_term} WHERE tops.top = %s"
        )


# Each query below starts from the (ward, record) pairs and narrows them with IN (subquery) semi-joins, so
# every database reads the pairs once; joining the pairs to services and organisations instead lets SQLite,
# which keeps no statistics, choose a plan that loops over every organisation for every ward.


def _running_params() -> list[Any]:
    return [ListingStatus.PUBLISHED.value, Service.Status.ACTIVE.value, ListingStatus.PUBLISHED.value]


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@dataclass
class _ServiceFigures:
    per_ward: dict[int, int] = field(default_factory=dict)
    total: int = 0
    by_category: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))


def _in(ids: Sequence[int]) -> str:
    return ", ".join(["%s"] * len(ids)) or "NULL"


def _service_figures(q: _Sql, ward_ids: Sequence[int], taxonomy: Taxonomy | None) -> _ServiceFigures:
    """Services per ward and across the council's wards, in all and in each top-level category, in one statement.

    The (ward, service) pairs are worked out once (a materialised CTE) and counted three ways; a service with two
    terms in one category counts once in it, and a service in several wards once in the council's total. The
    wards are named by id where they are needed rather than joined: PostgreSQL never gathers statistics on a
    20-row table, and guessing from none it chose nested loops over 100,000 pairs."""
    tops = ""
    params: list[Any] = []
    if taxonomy is not None:
        tops = q.tops().removeprefix("WITH RECURSIVE ").rstrip() + ", "
        params.append(taxonomy.pk)
    sql = (
        f"WITH RECURSIVE {tops}pairs AS MATERIALIZED ("  # noqa: S608 - names from the models; values are parameters
        f"SELECT p.ward_id AS ward_id, p.service_id AS service_id FROM ({q.service_wards()}) p"
        f" WHERE p.service_id IN ({q.running_services()}))"
        f" SELECT ward_id, 0, COUNT(*) FROM pairs GROUP BY ward_id"
        f" UNION ALL SELECT 0, 0, COUNT(DISTINCT service_id) FROM pairs WHERE ward_id IN ({_in(ward_ids)})"
    )
    params += [ListingStatus.PUBLISHED.value, *_running_params(), *ward_ids]
    if taxonomy is not None:
        categorised = (
            f" FROM pairs JOIN {q.terms} st ON st.{q.terms_service} = pairs.service_id"
            f" JOIN tops ON tops.id = st.{q.terms_term}"
        )
        sql += (
            f" UNION ALL SELECT pairs.ward_id, tops.top, COUNT(DISTINCT pairs.service_id){categorised}"
            f" GROUP BY pairs.ward_id, tops.top"
        )
    figures = _ServiceFigures()
    for ward_id, top, count in _rows(sql, params):
        if ward_id and top:
            figures.by_category[ward_id][top] = count
        elif ward_id:
            figures.per_ward[ward_id] = count
        else:
            figures.total = count
    return figures


def _services_in_category(q: _Sql, ward_ids: Sequence[int], taxonomy: Taxonomy, category: Category) -> int:
    """How many services of one category reach the council's wards, each once: from the category's terms."""
    sql = (
        f"{q.tops()}SELECT COUNT(*) FROM {q.service} s JOIN {q.organisation} o ON o.id = s.organisation_id"  # noqa: S608 - names from the models; values are parameters
        f" WHERE s.id IN ({q.in_category()})"
        f" AND s.listing_status = %s AND s.status = %s AND o.listing_status = %s"
        f" AND (s.id IN (SELECT sw.{q.served_service} FROM {q.served} sw WHERE sw.{q.served_ward} IN ({_in(ward_ids)}))"
        f" OR s.id IN (SELECT sal.service_id FROM {q.sal} sal JOIN {q.location} l ON l.id = sal.location_id"
        f" WHERE l.ward_id IN ({_in(ward_ids)}) AND l.listing_status = %s))"
    )
    params = [taxonomy.pk, category.id, *_running_params(), *ward_ids, *ward_ids, ListingStatus.PUBLISHED.value]
    return int(_rows(sql, params)[0][0] or 0)


def _organisation_counts(
    q: _Sql, ward_ids: Sequence[int], taxonomy: Taxonomy | None, category: Category | None
) -> tuple[dict[int, int], int]:
    """Organisations per ward, and across the council's wards; in a category, only those running a service in it."""
    chosen = category is not None and taxonomy is not None
    prefix = q.tops() if chosen else ""
    published = f"SELECT o.id FROM {q.organisation} o WHERE o.listing_status = %s"  # noqa: S608 - names from the models; values are parameters
    body = (
        f" FROM ({q.organisation_wards()}) p"  # noqa: S608 - names from the models; values are parameters
        f" WHERE p.organisation_id IN ({published})"
        + (
            # From the category's terms to their services: a few thousand rows, not every service.
            f" AND p.organisation_id IN (SELECT s.organisation_id FROM {q.terms} st"  # noqa: S608 - names from the models; values are parameters
            f" JOIN tops ON tops.id = st.{q.terms_term}"
            f" JOIN {q.service} s ON s.id = st.{q.terms_service}"
            f" WHERE tops.top = %s AND s.listing_status = %s AND s.status = %s)"
            if chosen
            else ""
        )
    )
    params: list[Any] = [taxonomy.pk] if chosen and taxonomy else []
    params += [ListingStatus.PUBLISHED.value, ListingStatus.PUBLISHED.value]
    if chosen and category:
        params += [category.id, ListingStatus.PUBLISHED.value, Service.Status.ACTIVE.value]
    per_ward = dict(_rows(f"{prefix}SELECT p.ward_id, COUNT(*){body} GROUP BY p.ward_id", params))
    total = _rows(
        f"{prefix}SELECT COUNT(DISTINCT p.organisation_id){body} AND p.ward_id IN ({_in(ward_ids)})",
        [*params, *ward_ids],
    )[0][0]
    return per_ward, int(total or 0)


def _assets_by_kind(q: _Sql) -> dict[int, dict[str, int]]:
    """Ward -> kind of asset -> published assets in it (the asset's own ward, else its location's)."""
    sql = (
        f"SELECT COALESCE(a.ward_id, l.ward_id) AS ward_id, a.kind, COUNT(*) FROM {q.asset} a"  # noqa: S608 - names from the models; values are parameters
        f" LEFT JOIN {q.location} l ON l.id = a.location_id"
        f" WHERE a.listing_status = %s GROUP BY COALESCE(a.ward_id, l.ward_id), a.kind"
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for ward_id, kind, count in _rows(sql, [ListingStatus.PUBLISHED]):
        if ward_id is not None:
            found[ward_id][kind] = count
    return found


def _fingerprint(q: _Sql) -> str:
    """A short digest of the counted tables' sizes and latest changes: it changes when what the page counts does."""
    parts = []
    for table, changed in (
        (q.service, "updated_at"),
        (q.organisation, "updated_at"),
        (q.location, "updated_at"),
        (q.asset, "updated_at"),
        (q.term, "updated_at"),
        (q.served, "id"),
        (q.org_served, "id"),
        (q.terms, "id"),
        (q.sal, "id"),
        (q.postcode, "id"),
    ):
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - names from the models; values are parameters
        parts.append(f"(SELECT MAX({changed}) FROM {table})")  # noqa: S608 - names from the models; values are parameters
    found = _rows(f"SELECT {', '.join(parts)}", [])[0]
    return hashlib.sha256(repr(found).encode()).hexdigest()[:24]


def ward_gaps(*, category_code: str | None = None, asset_kind: str | None = None) -> GapsReport:
    """The gaps page and its CSV: every ward of the council with its figures, in one category and kind or all."""
    council = CouncilArea.current()
    taxonomy = gaps_taxonomy()
    categories = top_level_categories(taxonomy)
    category = next((c for c in categories if c.code == category_code), None) if category_code else None
    kind = asset_kind if asset_kind in Asset.Kind.values else None
    if council is None:
        return GapsReport(None, taxonomy, categories, category, kind, [])

    wards = {
        ward.pk: WardGaps(ward_id=ward.pk, code=ward.code, name=ward.name, population=ward.population)
        for ward in Ward.objects.filter(council=council).only("pk", "code", "name", "population").order_by("name")
    }
    deciles: dict[int, list[int]] = defaultdict(list)
    lsoa_counts: dict[int, int] = defaultdict(int)
    for ward_id, decile in Lsoa.objects.filter(ward__council=council).values_list("ward_id", "imd_decile"):
        lsoa_counts[ward_id] += 1
        if decile is not None:
            deciles[ward_id].append(decile)

    q = _Sql()
    # The counts are kept for a few minutes under a fingerprint of the tables they come from, so officers
    # paging, sorting and filtering do not count 100,000 services again each time; any change to those tables
    # changes the fingerprint (and so the key), and the time limit catches the rare change it cannot see.
    key = f"directory-gaps:{council.pk}:{taxonomy.pk if taxonomy else 0}:{_fingerprint(q)}"
    figures = cache.get(f"{key}:services")
    if figures is None:
        figures = _service_figures(q, list(wards), taxonomy)
        cache.set(f"{key}:services", figures, CACHE_SECONDS)
    counted = cache.get(f"{key}:organisations:{category.id if category else 0}")
    if counted is None:
        counted = _organisation_counts(q, list(wards), taxonomy, category)
        cache.set(f"{key}:organisations:{category.id if category else 0}", counted, CACHE_SECONDS)
    organisations, total_organisations = counted
    by_kind = cache.get(f"{key}:assets")
    if by_kind is None:
        by_kind = dict(_assets_by_kind(q))
        cache.set(f"{key}:assets", by_kind, CACHE_SECONDS)
    if category is None or taxonomy is None:
        services, total_services = figures.per_ward, figures.total
    else:
        services = {ward_id: found.get(category.id, 0) for ward_id, found in figures.by_category.items()}
        total_services = cache.get(f"{key}:services:{category.id}")
        if total_services is None:
            total_services = _services_in_category(q, list(wards), taxonomy, category)
            cache.set(f"{key}:services:{category.id}", total_services, CACHE_SECONDS)
    by_category = figures.by_category

    for ward_id, row in wards.items():
        row.lsoa_count = lsoa_counts.get(ward_id, 0)
        row.median_decile, row.most_deprived_decile = decile_summary(deciles.get(ward_id, []))
        row.services = services.get(ward_id, 0)
        row.organisations = organisations.get(ward_id, 0)
        row.services_by_category = by_category.get(ward_id, {})
        row.assets_by_kind = by_kind.get(ward_id, {})
        row.assets = row.assets_by_kind.get(kind, 0) if kind else sum(row.assets_by_kind.values())

    return GapsReport(
        council=council,
        taxonomy=taxonomy,
        categories=categories,
        category=category,
        asset_kind=kind,
        wards=list(wards.values()),
        total_organisations=total_organisations,
        total_services=total_services,
        total_assets=sum(row.assets for row in wards.values()),
    )


def gaps_map(report: GapsReport, measure: str) -> dict[str, Any]:
    """The map of the page: each ward's boundary with the group its figure falls in, and the key to the groups."""
    values = {row.ward_id: row.value(measure) for row in report.wards}
    label = MEASURES[measure].lower()

    def says(row: WardGaps) -> str:
        value = values[row.ward_id]
        return f"{row.name}: {label} {'not known (no population)' if value is None else f'{value:g}'}"

    collection, breaks = ward_map(report.wards, values, says)
    return {"collection": collection, "key": key_labels(breaks)}


def ward_map(
    wards: Iterable[Any], values: Mapping[int, float | None], label: Callable[[Any], str]
) -> tuple[dict[str, Any], list[float]]:
    """A choropleth of wards (each with ward_id, code and name): a GeoJSON collection of their boundaries, each
    in the group (class_of) its value falls in and labelled for screen readers, and the breaks between groups."""
    breaks = class_breaks(v for v in values.values() if v is not None)
    boundaries = dict(Ward.objects.filter(pk__in=values).values_list("pk", "boundary"))
    features = [
        {
            "type": "Feature",
            "geometry": boundaries.get(row.ward_id),
            "properties": {
                "code": row.code,
                "name": row.name,
                "class": class_of(values[row.ward_id], breaks),
                "label": label(row),
            },
        }
        for row in wards
    ]
    return {"type": "FeatureCollection", "features": features}, breaks


# --- arithmetic ---------------------------------------------------------------------------------------


def per_thousand(count: int, population: int) -> float | None:
    """Count per 1,000 residents to two decimal places; None when nobody is counted as living there."""
    if population <= 0:
        return None
    return round(count * 1000 / population, 2)


def decile_summary(deciles: Iterable[int]) -> tuple[int | None, int | None]:
    """(median decile, most deprived decile) of a ward's small areas; the median is the lower middle one."""
    values = sorted(deciles)
    if not values:
        return None, None
    return median_low(values), values[0]


def sort_wards(wards: Sequence[WardGaps], key: str, *, descending: bool = False) -> list[WardGaps]:
    """Wards ordered by one column; a ward without the figure (no population, no decile) always goes last."""
    if key not in SORTS:
        key = "ward"
    known = [w for w in wards if w.value(key) is not None]
    unknown = [w for w in wards if w.value(key) is None]
    known.sort(key=lambda w: w.name)
    known.sort(key=lambda w: w.value(key), reverse=descending)  # stable: ties still read A to Z
    return known + sorted(unknown, key=lambda w: w.name)


def class_breaks(values: Iterable[float], classes: int = MAP_CLASSES) -> list[float]:
    """Upper bounds of up to `classes` groups holding about equal numbers of wards (quantiles), lowest first.

    Equal values never straddle a break: when many wards share a value (often 0), they make one group and the
    rest are shared out over the groups that are left."""
    remaining = sorted(v for v in values if v is not None and math.isfinite(v))
    breaks: list[float] = []
    left = classes
    while remaining and left > 0:
        bound = remaining[math.ceil(len(remaining) / left) - 1]
        breaks.append(bound)
        remaining = remaining[bisect_right(remaining, bound) :]
        left -= 1
    return breaks


def class_of(value: float | None, breaks: Sequence[float]) -> int | None:
    """The group (0 is the lowest) a value falls in, or None for a ward without the figure."""
    if value is None or not breaks:
        return None
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks) - 1


def key_labels(breaks: Sequence[float]) -> list[dict[str, Any]]:
    """What the map's key says for each group: 'none', 'up to 0.5', 'over 0.5, up to 1.2' and so on."""
    key = []
    for index, bound in enumerate(breaks):
        if index:
            text = f"over {breaks[index - 1]:g}, up to {bound:g}"
        else:
            text = "none" if bound == 0 else f"up to {bound:g}"
        key.append({"class": index, "label": text})
    return key
