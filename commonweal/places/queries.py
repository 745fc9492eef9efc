"""Reads for the places pages: each function shapes what one page shows."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from statistics import median_low
from typing import Any

from django.db.models import Count, Max, Prefetch, Sum
from django.urls import reverse
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from commonweal.core.caching import kept

from .categories import AGE, CATEGORIES, CHARACTERISTICS
from .models import CouncilArea, Locality, Lsoa, ProfileCount, Ward
from .profile import band_start

DECILES = range(1, 11)


def area_summary() -> dict[str, Any]:
    council = CouncilArea.current()
    return {
        "council": council,
        "ward_count": Ward.objects.count(),
        "locality_count": Locality.objects.count(),
    }


@dataclass(frozen=True)
class WardFigures:
    """What a table row or map feature says about one ward's deprivation."""

    ward: Ward
    lsoa_count: int
    median_decile: int | None
    most_deprived_share: float | None  # share of its LSOAs in the most deprived 20% of England

    @property
    def most_deprived_percent(self) -> int | None:
        return None if self.most_deprived_share is None else round(self.most_deprived_share * 100)


def _figures(ward: Ward, lsoas: list[Lsoa]) -> WardFigures:
    deciles = [lsoa.imd_decile for lsoa in lsoas if lsoa.imd_decile is not None]
    return WardFigures(
        ward=ward,
        lsoa_count=len(lsoas),
        median_decile=median_low(deciles) if deciles else None,
        most_deprived_share=(sum(1 for d in deciles if d <= 2) / len(deciles)) if deciles else None,
    )


def _wards_with_lsoas(wards: Any) -> list[WardFigures]:
    wards = wards.prefetch_related(Prefetch("lsoas", queryset=Lsoa.objects.only("id", "ward_id", "imd_decile")))
    return [_figures(ward, list(ward.lsoas.all())) for ward in wards]


def _feature(figures: WardFigures) -> dict[str, Any]:
    ward = figures.ward
    return {
        "type": "Feature",
        "geometry": ward.boundary,
        "properties": {
            "name": ward.name,
            "url": reverse("places:ward", args=[ward.code]),
            "decile": figures.median_decile,
            "label": f"{ward.name}: median deprivation decile {figures.median_decile or 'unknown'}",
        },
    }


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def places_index() -> dict[str, Any]:
    """The council's wards with their deprivation figures, its localities, and a map of them all."""
    council = CouncilArea.current()
    if council is None:
        return {"council": None, "wards": [], "localities": [], "map_data": None}
    wards = _wards_with_lsoas(Ward.objects.filter(council=council))
    localities = Locality.objects.filter(council=council).annotate(ward_count=Count("wards"))
    return {
        "council": council,
        "wards": wards,
        "localities": list(localities),
        "map_data": _collection([_feature(figures) for figures in wards]),
        "deciles": DECILES,
    }


def ward_page(code: str) -> dict[str, Any] | None:
    """One ward: its figures, the spread of its LSOAs across deprivation deciles, and the map of them."""
    ward = Ward.objects.select_related("council").filter(code=code).first()
    if ward is None:
        return None
    lsoas = list(ward.lsoas.order_by("imd_rank", "code"))
    counts = Counter(lsoa.imd_decile for lsoa in lsoas)
    ranked = [lsoa for lsoa in lsoas if lsoa.imd_rank is not None]
    lsoa_features = [
        {
            "type": "Feature",
            "geometry": lsoa.boundary,
            "properties": {
                "name": lsoa.name,
                "decile": lsoa.imd_decile,
                "label": f"{lsoa.name}: deprivation decile {lsoa.imd_decile or 'unknown'}",
            },
        }
        for lsoa in lsoas
        if lsoa.boundary
    ]
    return {
        "ward": ward,
        "council": ward.council,
        "figures": _figures(ward, lsoas),
        "lsoas": lsoas,
        "decile_counts": [(decile, counts.get(decile, 0)) for decile in DECILES],
        "most_deprived": ranked[0] if ranked else None,
        "localities": list(ward.localities.order_by("name")),
        "map_data": {
            "outline": _collection([{"type": "Feature", "geometry": ward.boundary, "properties": {"name": ward.name}}]),
            "areas": _collection(lsoa_features),
        },
        "deciles": DECILES,
    }


def locality_page(slug: str) -> dict[str, Any] | None:
    """A locality: its wards with their figures, their combined population, and a map of them."""
    locality = Locality.objects.select_related("council").filter(slug=slug).first()
    if locality is None:
        return None
    wards = _wards_with_lsoas(locality.wards.order_by("name"))
    return {
        "locality": locality,
        "council": locality.council,
        "wards": wards,
        "population": sum(figures.ward.population for figures in wards),
        "map_data": _collection([_feature(figures) for figures in wards]),
        "deciles": DECILES,
    }


# --- the base layer every map draws: the council's boundary and its wards -------------------------------

# Five decimal places of a degree is about a metre: finer than any boundary line drawn on a screen.
BOUNDARY_PLACES = 5
BOUNDARY_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class BoundaryLayer:
    """The council's outline and its wards as one compact GeoJSON document, and its ETag."""

    body: bytes
    etag: str


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, BOUNDARY_PLACES)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _compact(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}


def _boundaries_version() -> str:
    """Changes whenever a ward is added, removed or redrawn (its bounding box moves), in one small query."""
    figures = Ward.objects.aggregate(
        count=Count("pk"), last=Max("pk"), box=Sum("min_lat") + Sum("max_lat") + Sum("min_lon") + Sum("max_lon")
    )
    return f"{figures['count']}:{figures['last']}:{figures['box']!r}"


def _build_boundary_layer() -> BoundaryLayer:
    wards = list(Ward.objects.select_related("council").order_by("name").only("code", "name", "boundary", "council"))
    features: list[dict[str, Any]] = []
    councils: dict[int, tuple[str, list[Any]]] = {}
    for ward in wards:
        if not ward.boundary:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": _compact(ward.boundary),
                "properties": {"kind": "ward", "code": ward.code, "name": ward.name},
            }
        )
        councils.setdefault(ward.council_id, (ward.council.name, []))[1].append(shape(ward.boundary))
    for name, shapes in councils.values():
        # Wards meet edge to edge, so their union is the council's own boundary; a tiny buffer closes slivers
        # where generalised ward lines do not quite meet.
        outline = unary_union([piece.buffer(0.00001) for piece in shapes]).buffer(-0.00001)
        properties = {"kind": "council", "name": name}
        features.insert(0, {"type": "Feature", "geometry": _compact(mapping(outline)), "properties": properties})
    body = json.dumps(_collection(features), separators=(",", ":")).encode()
    return BoundaryLayer(body=body, etag=hashlib.sha256(body).hexdigest()[:32])


def boundary_layer() -> BoundaryLayer:
    """The base layer for every map, kept in the shared cache until a ward changes."""
    key = f"places-boundaries:{_boundaries_version()}"
    return kept(key, BoundaryLayer, _build_boundary_layer, seconds=BOUNDARY_CACHE_SECONDS)


@dataclass(frozen=True)
class NamedPlace:
    """A ward or locality named in words a person typed, with the middle of it to search near."""

    name: str
    latitude: float
    longitude: float


# Words that join a place name to what is wanted: 'food bank in Mitcham', 'youth club near Morden'.
PLACE_JOINS = ("in", "near", "around", "at")


def _fold(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def named_places() -> dict[str, NamedPlace]:
    """Every ward and locality by its name, folded (lower case, no punctuation): a locality is centred on the
    middle of its wards."""
    places: dict[str, NamedPlace] = {}
    for locality in Locality.objects.prefetch_related("wards"):
        wards = list(locality.wards.all())
        if wards:
            lat = sum(w.centroid_lat for w in wards) / len(wards)
            lon = sum(w.centroid_lon for w in wards) / len(wards)
            places[_fold(locality.name)] = NamedPlace(locality.name, lat, lon)
    for ward in Ward.objects.only("name", "centroid_lat", "centroid_lon"):
        places.setdefault(_fold(ward.name), NamedPlace(ward.name, ward.centroid_lat, ward.centroid_lon))
    return places


def place_in_words(text: str, places: dict[str, NamedPlace]) -> tuple[str, NamedPlace] | None:
    """The words without a ward or locality named at their start or end ('food bank mitcham', 'mitcham food
    bank', 'food bank in Mitcham'), and that place; None if no place is named there or nothing else is asked."""
    typed = _fold(text).split()
    longest = max((len(name.split()) for name in places), default=0)
    for size in range(min(longest, len(typed) - 1), 0, -1):
        for start in (len(typed) - size, 0):
            place = places.get(" ".join(typed[start : start + size]))
            if place is None:
                continue
            rest = typed[:start] + typed[start + size :]
            if start and rest and rest[-1] in PLACE_JOINS:
                rest = rest[:-1]
            if rest:
                return " ".join(rest), place
    return None


# --- the borough profile ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileTable:
    """One characteristic of the profile: its categories with the borough's residents and share, and each ward's."""

    key: str
    name: str
    categories: list[str]
    totals: list[int]
    shares: list[float]
    wards: list[tuple[Ward, list[int]]]  # each ward's residents by category, in the categories' order
    invented: bool
    sources: list[str]

    @property
    def rows(self) -> list[tuple[str, int, str]]:
        """Each category with the borough's residents in it and their share, as the page shows them."""
        shown = zip(self.categories, self.totals, self.shares, strict=True)
        return [(category, total, f"{share:.1%}") for category, total, share in shown]


def profile_page(council: CouncilArea | None = None) -> dict[str, Any]:
    """The borough profile: for each characteristic, the borough's margins and every ward's counts (one query)."""
    council = council or CouncilArea.current()
    rows = list(
        ProfileCount.objects.filter(ward__council=council).select_related("ward").order_by("ward__name", "id")
        if council is not None
        else []
    )
    tables = []
    for key, name in CHARACTERISTICS.items():
        mine = [row for row in rows if row.characteristic == key]
        if not mine:
            continue
        seen = list(dict.fromkeys(row.category for row in mine))
        if key == AGE:
            seen.sort(key=band_start)
        else:  # the Census order first, anything else after
            seen.sort(key=lambda category: CATEGORIES[key].index(category) if category in CATEGORIES[key] else 99)
        by_ward: dict[int, tuple[Ward, dict[str, int]]] = {}
        for row in mine:
            by_ward.setdefault(row.ward_id, (row.ward, {}))[1][row.category] = row.count
        totals = [sum(counts.get(category, 0) for _, counts in by_ward.values()) for category in seen]
        everyone = sum(totals) or 1
        tables.append(
            ProfileTable(
                key=key,
                name=name,
                categories=seen,
                totals=totals,
                shares=[total / everyone for total in totals],
                wards=[(ward, [counts.get(category, 0) for category in seen]) for ward, counts in by_ward.values()],
                invented=any(row.invented for row in mine),
                sources=sorted({row.source for row in mine if row.source}),
            )
        )
    population = tables[0].wards if tables else []
    return {
        "council": council,
        "tables": tables,
        "wards": [(ward, sum(counts)) for ward, counts in population],
        "adults": sum(tables[0].totals) if tables else 0,
    }


def profile_rows(council: CouncilArea | None = None) -> Any:
    """The profile as ward_code, characteristic, category, count rows: the simple layout the import reads."""
    council = council or CouncilArea.current()
    return (
        ProfileCount.objects.filter(ward__council=council)
        .order_by("ward__code", "characteristic", "id")
        .values_list("ward__code", "characteristic", "category", "count")
        .iterator()
    )
