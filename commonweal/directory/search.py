"""Finding services: one function behind the 'Find help' page, the ORUK API and the benchmarks.

CONTRACT (other modules rely on these names and shapes; the internals may change):
- `SearchQuery`: what someone asked for. Every field is optional and they combine with AND.
- `search_services(query, page=, per_page=, unit=)` -> `SearchPage` of `SearchHit`s, best first
  (nearest first when `near` is given, otherwise most relevant to the words, otherwise by name).
  `unit="service"` gives one hit per service; `unit="service_at_location"` one per service at a location.
  Only published, active services of published organisations are ever returned.
- `reindex_services(ids)` brings the search index up to date for those services (None: all of them);
  every write to a service, its organisation, locations or terms calls it (imports call it once, in bulk).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q

from .models import ListingStatus, Service, ServiceAtLocation

UNITS = ("service", "service_at_location")
DELIVERY = ("in_person", "by_phone", "online")


@dataclass(frozen=True)
class SearchQuery:
    words: str = ""
    term_ids: tuple[int, ...] = ()  # taxonomy terms; a term includes its children
    taxonomy_id: int | None = None
    ward_id: int | None = None
    organisation_id: int | None = None
    open_at: datetime | None = None  # 'open now': a weekly schedule covers this day and time
    day: str | None = None  # ORUK 'day' (MO..SU)
    start_time: time | None = None  # ORUK: open at or before, until at or after
    end_time: time | None = None
    is_free: bool | None = None
    delivery: frozenset[str] = field(default_factory=frozenset)  # any of DELIVERY
    near: tuple[float, float] | None = None  # (latitude, longitude)
    within_metres: float | None = None  # only with near
    minimum_age: int | None = None  # the person's age range must be served
    maximum_age: int | None = None
    modified_after: datetime | None = None


@dataclass(frozen=True)
class SearchHit:
    service_id: int
    location_id: int | None = None
    service_at_location_id: int | None = None
    distance_metres: float | None = None


@dataclass
class SearchPage:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    # The words as corrected for spelling, when a correction changed what was found ("Did you mean …").
    suggestion: str | None = None

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


def search_services(query: SearchQuery, *, page: int = 1, per_page: int = 20, unit: str = "service") -> SearchPage:
    """The services that match every part of the query, one page of them, best first."""
    services = Service.objects.filter(
        listing_status=ListingStatus.PUBLISHED,
        status=Service.Status.ACTIVE,
        organisation__listing_status=ListingStatus.PUBLISHED,
    )
    for word in query.words.split():
        services = services.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if query.term_ids:
        services = services.filter(Q(terms__in=query.term_ids) | Q(terms__parent__in=query.term_ids)).distinct()
    if query.organisation_id:
        services = services.filter(organisation_id=query.organisation_id)
    if query.is_free is not None:
        services = services.filter(is_free=query.is_free)
    if query.modified_after:
        services = services.filter(updated_at__gt=query.modified_after)
    start = (page - 1) * per_page
    if unit == "service_at_location":
        sals = ServiceAtLocation.objects.filter(service__in=services).order_by("service__name", "pk")
        total = sals.count()
        hits = [SearchHit(s.service_id, s.location_id, s.pk) for s in sals[start : start + per_page]]
    else:
        services = services.order_by("name", "pk")
        total = services.count()
        hits = [SearchHit(pk) for pk in services.values_list("pk", flat=True)[start : start + per_page]]
    return SearchPage(hits=hits, total=total, page=page, per_page=per_page)


def reindex_services(ids: Iterable[int] | None = None) -> None:
    """Bring the search index up to date for these services (None: every service)."""
