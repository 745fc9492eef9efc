"""Reads for the public directory pages: each function shapes what one page shows, in a few queries.

The public sees only published records (a service also needs to be running and its organisation
published). The people who manage an organisation, and officers and administrators, also see its
records that wait for approval or were withdrawn, and the pages say so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.roles import Role
from commonweal.core.words import time_words
from commonweal.places.models import Locality, Ward
from commonweal.places.ward_links import WardLink

from .listing_text import NoteVerdict, check_time_note, cost_note_repeats
from .models import Asset, Location, Schedule, Service, ServiceAtLocation, TaxonomyTerm, is_public_service, is_stale
from .search import SearchPage, SearchQuery, search_services
from .search_text import miles

Viewer = User | AnonymousUser
MODERATORS = (Role.OFFICER, Role.ADMIN)


# --- who may see what ----------------------------------------------------------------------------


def is_moderator(user: Viewer) -> bool:
    return bool(user.is_authenticated and isinstance(user, User) and user.has_role(*MODERATORS))


def can_see_unpublished(user: Viewer, organisation: Organisation | None) -> bool:
    """Officers and administrators, and the people who manage the organisation, may see its hidden records."""
    if not user.is_authenticated or not isinstance(user, User):
        return False
    if user.has_role(*MODERATORS):
        return True
    return organisation is not None and can_manage_organisation(user, organisation)


def hidden_reason(record: Any) -> str:
    """Why the public cannot see a record ('' when it can), for the banner its managers see."""
    organisation = record if isinstance(record, Organisation) else getattr(record, "organisation", None)
    if record.listing_status == ListingStatus.PENDING:
        return "This listing is waiting for approval. The public cannot see it yet."
    if record.listing_status == ListingStatus.REJECTED:
        return "This listing was not approved. The public cannot see it."
    if record.listing_status == ListingStatus.WITHDRAWN:
        return "This listing has been withdrawn. The public cannot see it."
    if isinstance(record, Service) and record.status != Service.Status.ACTIVE:
        return f"This service is marked ‘{record.get_status_display()}’, so the public cannot see it."
    if organisation is not None and record is not organisation and not organisation.is_published:
        return "Its organisation is waiting for approval, so the public cannot see this listing yet."
    return ""


def web_address(url: str) -> str:
    """A website to link to, only if it is an ordinary web address (never javascript: or data:)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


# --- words for times, ages, distances ------------------------------------------------------------

DAY_NAMES = dict(
    zip(Schedule.DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


def days_words(days: list[str]) -> str:
    """'MO,TU,WE,TH,FR' -> 'Monday to Friday'; 'MO,WE' -> 'Mondays and Wednesdays'."""
    known = [day for day in Schedule.DAYS if day in days]
    if not known:
        return ""
    if len(known) == 7:
        return "Every day"
    positions = [Schedule.DAYS.index(day) for day in known]
    if len(known) >= 3 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{DAY_NAMES[known[0]]} to {DAY_NAMES[known[-1]]}"
    plural = [f"{DAY_NAMES[day]}s" for day in known]
    return plural[0] if len(plural) == 1 else f"{', '.join(plural[:-1])} and {plural[-1]}"


@dataclass(frozen=True)
class ScheduleLine:
    """One line of a service's opening times: the structured times in words, the group's note if it adds
    something, and (for the group and officers only) a note held back because its times differ."""

    schedule: Schedule
    words: str
    note: str = ""
    held_note: str = ""
    held_times: str = ""


def schedule_line(schedule: Schedule) -> ScheduleLine:
    """A schedule for the service page: a note that repeats the times is left out, one that contradicts them held."""
    words = schedule_words(schedule)
    note = schedule.description.strip()
    check = check_time_note(note, opens=schedule.opens_at, closes=schedule.closes_at, words=words)
    if not words:
        return ScheduleLine(schedule, note)
    if check.verdict is NoteVerdict.CONTRADICTS:
        stated = " and ".join(time_words(value) for value in check.stated)
        return ScheduleLine(schedule, words, held_note=note, held_times=stated)
    return ScheduleLine(schedule, words, note=note if check.verdict is NoteVerdict.SHOW else "")


def schedule_words(schedule: Schedule) -> str:
    """The days and times a schedule holds as data, as a resident would say them ('Mondays and Wednesdays,
    10am to midday'), without the group's note."""
    parts: list[str] = []
    if schedule.freq == Schedule.Freq.WEEKLY:
        parts.append(days_words(schedule.days))
    elif schedule.bymonthday:
        parts.append(f"Every month on day {schedule.bymonthday.replace(',', ', ')}")
    if schedule.opens_at and schedule.closes_at:
        parts.append(f"{time_words(schedule.opens_at)} to {time_words(schedule.closes_at)}")
    text = ", ".join(part for part in parts if part)
    if schedule.valid_to:
        text += f" (until {schedule.valid_to:%-d %B %Y})"
    return text


def is_open_at(schedules: list[Schedule], when: datetime, *, place: ServiceAtLocation | None = None) -> bool:
    """Whether a weekly schedule covers this moment on the council's clock, as search's 'open now' does."""
    local = timezone.localtime(when)
    day, at, today = Schedule.DAYS[local.weekday()], local.time(), local.date()
    for schedule in schedules:
        if schedule.freq != Schedule.Freq.WEEKLY or not schedule.opens_at or not schedule.closes_at:
            continue
        if schedule.service_at_location_id and place is not None and schedule.service_at_location_id != place.pk:
            continue
        if schedule.valid_from and schedule.valid_from > today or schedule.valid_to and schedule.valid_to < today:
            continue
        if day in schedule.days and schedule.opens_at <= at < schedule.closes_at:
            return True
    return False


def ages_words(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"Ages {minimum} to {maximum}"
    if minimum is not None:
        return f"Ages {minimum} and over"
    if maximum is not None:
        return f"Ages {maximum} and under"
    return "All ages"


def delivery_words(service: Service) -> str:
    ways = [
        w
        for w, on in (("in person", service.in_person), ("by phone", service.by_phone), ("online", service.online))
        if on
    ]
    return (", ".join(ways[:-1]) + " and " + ways[-1] if len(ways) > 1 else ways[0]).capitalize() if ways else ""


def distance_words(metres: float | None) -> str:
    if metres is None:
        return ""
    distance = miles(metres)
    if distance < 0.1:
        return "Less than 0.1 miles away"
    if round(distance, 1) == 1.0:
        return "1 mile away"
    return f"{distance:.1f} miles away" if distance < 10 else f"{distance:.0f} miles away"


# --- find help -----------------------------------------------------------------------------------


# reverse() for a page of results: each route is worked out once per process, then each value put in.
_SAMPLES = {"directory:service": "00000000-0000-4000-8000-000000000000", "directory:organisation": "sample-slug"}


@cache
def _route(name: str) -> str:
    return reverse(name, args=[_SAMPLES[name]])


def _address(name: str, value: str) -> str:
    return _route(name).replace(_SAMPLES[name], value, 1)


@dataclass(frozen=True)
class ResultOrganisation:
    name: str
    slug: str


@dataclass(frozen=True)
class ResultService:
    """What a result shows of its service: read as plain values, which is quicker than building model instances."""

    pk: int
    uuid: UUID
    name: str
    description: str
    is_free: bool
    fees_description: str
    last_checked_at: datetime | None
    organisation: ResultOrganisation

    @property
    def is_stale(self) -> bool:
        return is_stale(self.last_checked_at)


@dataclass
class Result:
    """One service in the list of results, with what a resident needs to choose between them.

    Addresses and shortened text are worked out here, once, rather than by the template for each result.
    """

    number: int
    service: ResultService
    location: dict[str, Any] | None  # LOCATION_FIELDS' values
    distance: str
    categories: list[str]
    open_now: bool
    has_hours: bool
    # The weekly times 'open now' is worked out from, for a page of results kept longer than a minute.
    schedules: list[Schedule] = field(default_factory=list)
    # How many other places the organisation offers this service at, under the same name (shown as one result).
    other_places: int = 0
    url: str = ""
    organisation_url: str = ""
    summary: str = ""
    address: str = ""

    def __post_init__(self) -> None:
        self.url = _address("directory:service", str(self.service.uuid))
        self.organisation_url = _address("directory:organisation", self.service.organisation.slug)
        description = self.service.description
        self.summary = description if len(description) <= 220 else description[:219].rstrip() + "…"
        if self.location is not None:
            place = self.location
            parts = (place["address_1"], place["address_2"], place["city"], place["postcode"])
            self.address = ", ".join(part for part in parts if part) or place["name"]

    @property
    def map_point(self) -> dict[str, Any] | None:
        location = self.location
        if location is None or location["latitude"] is None or location["longitude"] is None:
            return None
        return {
            "number": self.number,
            "name": self.service.name,
            "organisation": self.service.organisation.name,
            "url": self.url,
            "address": self.address,
            "lat": location["latitude"],
            "lon": location["longitude"],
        }


@dataclass
class Pages:
    """What govuk/pagination.html reads from a Django Page, for a page of search results."""

    number: int
    num_pages: int

    @property
    def paginator(self) -> Pages:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def search_choices() -> dict[str, list[tuple[str, Any]]]:
    """The categories (grouped under their top-level term) and wards that 'Find help' offers."""
    terms = list(TaxonomyTerm.objects.select_related("taxonomy").only("code", "name", "parent_id", "taxonomy__name"))
    children: dict[int | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    categories: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for top in children.get(None, []):
        if top.code in seen:
            continue
        seen.add(top.code)
        below = [(t.code, t.name) for t in children.get(top.pk, []) if t.code not in seen]
        seen.update(code for code, _ in below)
        if below:
            categories.append((top.name, [(top.code, f"All {top.name.lower()}"), *below]))
        else:
            categories.append((top.code, top.name))
    wards = [(code, name) for code, name in Ward.objects.order_by("name").values_list("code", "name")]
    return {"categories": categories, "wards": wards}


def terms_for(code: str) -> tuple[int, ...]:
    return tuple(TaxonomyTerm.objects.filter(code=code).values_list("pk", flat=True)) if code else ()


def ward_id_for(code: str) -> int | None:
    return Ward.objects.filter(code=code).values_list("pk", flat=True).first() if code else None


RESULT_FIELDS = (
    "uuid",
    "name",
    "description",
    "is_free",
    "fees_description",
    "last_checked_at",
    "organisation__slug",
    "organisation__name",
    # For service.is_public: the index may lag a moment behind a service withdrawn or stopped.
    "listing_status",
    "status",
    "organisation__listing_status",
)
SCHEDULE_FIELDS = (
    "service_id",
    "service_at_location_id",
    "freq",
    "byday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
)
LOCATION_FIELDS = ("name", "address_1", "address_2", "city", "postcode", "latitude", "longitude")


def find_help(query: SearchQuery, *, page: int, per_page: int = 20, now: datetime | None = None) -> dict[str, Any]:
    """One page of services for the 'Find help' page: the results in order, their map points, the paging."""
    now = now or timezone.now()
    found: SearchPage = search_services(query, page=page, per_page=per_page, one_per_name=True)
    if found.page > found.total_pages >= 1:  # past the end (an old link, a typed address): show the last page
        found = search_services(query, page=found.total_pages, per_page=per_page, one_per_name=True)
    ids = [hit.service_id for hit in found.hits]
    services = {row["id"]: row for row in Service.objects.filter(pk__in=ids).order_by().values("id", *RESULT_FIELDS)}
    categories: dict[int, list[str]] = {}
    for service_id, name in Service.terms.through.objects.filter(service_id__in=ids).values_list(
        "service_id", "taxonomyterm__name"
    ):
        categories.setdefault(service_id, []).append(name)
    schedules: dict[int, list[Schedule]] = {}
    # No ordering: sorting by the model's order would walk the whole table by its index.
    for schedule in Schedule.objects.filter(service_id__in=ids).order_by().only(*SCHEDULE_FIELDS):
        schedules.setdefault(schedule.service_id, []).append(schedule)
    location_ids = [hit.location_id for hit in found.hits if hit.location_id]
    locations = (
        {
            row["id"]: row
            for row in Location.objects.filter(pk__in=location_ids).order_by().values("id", *LOCATION_FIELDS)
        }
        if location_ids
        else {}
    )
    results: list[Result] = []
    first = (found.page - 1) * found.per_page + 1
    for offset, hit in enumerate(found.hits):
        row = services.get(hit.service_id)
        # Removed or hidden between the search and now.
        if row is None or not is_public_service(
            row["listing_status"], row["status"], row["organisation__listing_status"]
        ):
            continue
        times = schedules.get(hit.service_id, [])
        results.append(
            Result(
                number=first + offset,
                service=ResultService(
                    pk=row["id"],
                    uuid=row["uuid"],
                    name=row["name"],
                    description=row["description"],
                    is_free=row["is_free"],
                    fees_description=row["fees_description"],
                    last_checked_at=row["last_checked_at"],
                    organisation=ResultOrganisation(row["organisation__name"], row["organisation__slug"]),
                ),
                location=locations.get(hit.location_id) if hit.location_id else None,
                distance=distance_words(hit.distance_metres),
                categories=sorted(categories.get(hit.service_id, [])),
                open_now=is_open_at(times, now),
                has_hours=any(s.opens_at for s in times),
                schedules=times,
                other_places=hit.others,
            )
        )
    points = [point for point in (result.map_point for result in results) if point]
    return {
        "results": results,
        "total": found.total,
        "suggestion": found.suggestion,
        "pages": Pages(number=found.page, num_pages=found.total_pages),
        "first_number": first,
        "map_points": points,
    }


# --- organisation and service pages --------------------------------------------------------------


def organisation_page(slug: str, viewer: Viewer) -> dict[str, Any] | None:
    """An organisation with its services, places, wards and themes; None if this person may not see it."""
    organisation = Organisation.objects.filter(slug=slug).prefetch_related("wards_served", "themes").first()
    if organisation is None:
        return None
    insider = can_see_unpublished(viewer, organisation)
    if not organisation.is_published and not insider:
        return None
    services = organisation.services.prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.only("id", "name"))
    )
    locations = organisation.locations.select_related("ward")
    assets = organisation.assets.all()
    if not insider:
        services, locations, assets = services.public(), locations.public(), assets.public()
    services_list = list(services.order_by("name"))
    for service in services_list:
        service.organisation = organisation  # no query per service for the banner's reason
    locations_list = list(locations.order_by("name", "address_1"))
    return {
        "organisation": organisation,
        "hidden_reason": hidden_reason(organisation) if insider else "",
        "insider": insider,
        "website": web_address(organisation.website),
        "can_manage": isinstance(viewer, User) and can_manage_organisation(viewer, organisation),
        "services": [(service, hidden_reason(service) if insider else "") for service in services_list],
        "locations": locations_list,
        "assets": list(assets.order_by("name")),
        "wards": list(organisation.wards_served.all()),
        "themes": list(organisation.themes.all()),
        "map_points": [
            {
                "name": loc.name or loc.one_line_address,
                "address": loc.one_line_address,
                "lat": loc.latitude,
                "lon": loc.longitude,
            }
            for loc in locations_list
            if loc.latitude is not None and loc.longitude is not None
        ],
    }


def service_page(uuid: UUID, viewer: Viewer, *, now: datetime | None = None) -> dict[str, Any] | None:
    """A service with everything a resident needs to get help from it; None if this person may not see it."""
    now = now or timezone.now()
    service = (
        Service.objects.filter(uuid=uuid)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("parent")),
            Prefetch(
                "schedules",
                queryset=Schedule.objects.select_related("service_at_location__location").order_by("opens_at", "pk"),
            ),
            "contacts",
            "cost_options",
            "wards_served",
            "themes",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__ward", "location__organisation").order_by(
                    "pk"
                ),
            ),
        )
        .first()
    )
    if service is None:
        return None
    insider = can_see_unpublished(viewer, service.organisation)
    if not service.is_public and not insider:
        return None
    places = [sal for sal in service.service_at_locations.all() if insider or sal.location.is_public]
    schedules = list(service.schedules.all())
    fees = service.fees_description
    return {
        "service": service,
        "organisation": service.organisation,
        "hidden_reason": hidden_reason(service) if insider else "",
        "insider": insider,
        "website": web_address(service.url),
        "places": places,
        "schedules": [schedule_line(schedule) for schedule in schedules],
        # 'Free' is said once: a cost note that only says 'Free.' again is left out.
        "fees_note": "" if cost_note_repeats(fees, is_free=service.is_free) else fees,
        "open_now": is_open_at(schedules, now),
        "ages": ages_words(service.minimum_age, service.maximum_age),
        "delivery": delivery_words(service),
        "categories": list(service.terms.all()),
        "contacts": list(service.contacts.all()),
        "cost_options": list(service.cost_options.all()),
        "wards": list(service.wards_served.all()),
        "themes": list(service.themes.all()),
        "map_points": [
            {
                "name": sal.location.name or sal.location.one_line_address,
                "address": sal.location.one_line_address,
                "lat": sal.location.latitude,
                "lon": sal.location.longitude,
            }
            for sal in places
            if sal.location.latitude is not None and sal.location.longitude is not None
        ],
    }


# --- community assets ----------------------------------------------------------------------------

ASSETS_PER_PAGE = 50
# The map shows at most this many assets; the list below it pages through all of them.
ASSETS_ON_MAP = 2000


def asset_filter_choices() -> dict[str, list[tuple[str, Any]]]:
    return {
        "wards": list(Ward.objects.order_by("name").values_list("code", "name")),
        "localities": list(Locality.objects.order_by("name").values_list("slug", "name")),
    }


def asset_point(asset: Asset) -> tuple[float, float] | None:
    """Where an asset is on the map; never for a person's gift, which may be their home."""
    if asset.kind == Asset.Kind.GIFT:
        return None
    if asset.latitude is not None and asset.longitude is not None:
        return (asset.latitude, asset.longitude)
    location = asset.location
    if location is not None and location.latitude is not None and location.longitude is not None:
        return (location.latitude, location.longitude)
    return None


def _in_ward(ward_code: str) -> Q:
    """An asset is in a ward if it says so, or else if its place is there."""
    return Q(ward__code=ward_code) | Q(ward__isnull=True, location__ward__code=ward_code)


def assets_page(*, ward_code: str = "", locality_slug: str = "", kind: str = "", page: int = 1) -> dict[str, Any]:
    """Published community assets, filtered by ward or locality and kind: counts by kind, a map and a list."""
    assets = Asset.objects.public()
    if ward_code:
        assets = assets.filter(_in_ward(ward_code))
    if locality_slug:
        wards = Ward.objects.filter(localities__slug=locality_slug)
        assets = assets.filter(Q(ward__in=wards) | Q(ward__isnull=True, location__ward__in=wards))
    by_kind = Counter(dict(assets.order_by().values_list("kind").annotate(n=Count("pk"))))
    kinds = [(value, label, by_kind.get(value, 0)) for value, label in Asset.Kind.choices]
    if kind:
        assets = assets.filter(kind=kind)
    total = sum(n for value, _, n in kinds if not kind or value == kind)
    num_pages = max(1, -(-total // ASSETS_PER_PAGE))
    page = min(max(1, page), num_pages)
    in_order = (
        assets.select_related("ward", "location__ward", "organisation")
        .annotate(ward_name=Coalesce("ward__name", "location__ward__name"))
        .order_by(F("ward_name").asc(nulls_last=True), "kind", "name", "pk")
    )
    listed = in_order[(page - 1) * ASSETS_PER_PAGE : page * ASSETS_PER_PAGE]
    rows = list(listed)
    on_map = (
        assets.exclude(kind=Asset.Kind.GIFT)
        .select_related("location")
        .only("uuid", "name", "kind", "latitude", "longitude", "location__latitude", "location__longitude")[
            :ASSETS_ON_MAP
        ]
    )
    points = []
    for asset in on_map:
        point = asset_point(asset)
        if point:
            points.append(
                {
                    "name": asset.name,
                    "kind": asset.get_kind_display(),
                    "url": reverse("directory:asset", args=[asset.uuid]),
                    "lat": point[0],
                    "lon": point[1],
                }
            )
    return {
        "assets": rows,
        "kinds": kinds,
        "total": total,
        "pages": Pages(number=page, num_pages=num_pages),
        "map_points": points,
    }


def asset_page(uuid: UUID, viewer: Viewer) -> dict[str, Any] | None:
    """A community asset as the public may see it; a gift shows only the name its giver chose to show."""
    asset = (
        Asset.objects.filter(uuid=uuid)
        .select_related("organisation", "ward", "location__ward")
        .prefetch_related("themes")
        .first()
    )
    if asset is None:
        return None
    insider = can_see_unpublished(viewer, asset.organisation) or (
        viewer.is_authenticated and asset.offered_by_id is not None and asset.offered_by_id == viewer.pk
    )
    organisation_public = asset.organisation is None or asset.organisation.is_published
    if not asset.is_public and not insider:
        return None
    point = asset_point(asset)
    is_gift = asset.kind == Asset.Kind.GIFT
    return {
        "asset": asset,
        "is_gift": is_gift,
        "hidden_reason": hidden_reason(asset) if insider else "",
        "ward": asset.ward or (asset.location.ward if asset.location else None),
        "address": "" if is_gift or asset.location is None else asset.location.one_line_address,
        "show_organisation": asset.organisation is not None and (organisation_public or insider),
        "themes": list(asset.themes.all()),
        "map_points": [{"name": asset.name, "lat": point[0], "lon": point[1]}] if point else [],
    }


# --- groups, and what is in a ward (for the ward's page in places) -------------------------------------------

GROUPS_PER_PAGE = 50


def _groups(ward: Ward | None) -> QuerySet[Organisation]:
    """Published groups and organisations; in a ward, those with a place there or that (or whose services) serve
    it."""
    groups = Organisation.objects.public()
    if ward is not None:
        groups = groups.filter(
            Q(pk__in=Location.objects.public().filter(ward=ward).values("organisation_id"))
            | Q(pk__in=Service.objects.public().filter(wards_served=ward).values("organisation_id"))
            | Q(wards_served=ward)
        ).distinct()
    return groups


def groups_page(*, ward_code: str = "", page: int = 1) -> dict[str, Any]:
    """A page of groups and organisations, A to Z, with how many public services each runs."""
    ward = Ward.objects.filter(code=ward_code).first() if ward_code else None
    groups = _groups(ward)
    total = groups.count()
    num_pages = max(1, -(-total // GROUPS_PER_PAGE))
    page = min(max(1, page), num_pages)
    public_services = Count("services", filter=Q(services__in=Service.objects.public()), distinct=True)
    listed = groups.annotate(service_count=public_services).order_by("name", "pk")
    return {
        "ward": ward,
        "groups": list(listed[(page - 1) * GROUPS_PER_PAGE : page * GROUPS_PER_PAGE]),
        "total": total,
        "pages": Pages(number=page, num_pages=num_pages),
    }


def ward_links(ward: Ward) -> list[WardLink]:
    """Services, groups and community assets in a ward, each with the list to see them all."""
    services = search_services(SearchQuery(ward_id=ward.pk), page=1, per_page=1).total
    groups = _groups(ward).count()
    assets = Asset.objects.public().filter(_in_ward(ward.code)).count()
    ward_query = f"?{urlencode({'ward': ward.code})}"
    return [
        WardLink(
            order=10,
            title="Help and activities",
            summary=f"{services} {'service' if services == 1 else 'services'} run here or serve people here.",
            url=reverse("directory:search") + ward_query,
            link_text=f"Find help in {ward.name}",
            testid="ward-services",
        ),
        WardLink(
            order=20,
            title="Groups and organisations",
            summary=f"{groups} {'group meets or works' if groups == 1 else 'groups meet or work'} here.",
            url=reverse("directory:groups") + ward_query,
            link_text=f"See the groups in {ward.name}",
            testid="ward-groups",
        ),
        WardLink(
            order=30,
            title="Community assets",
            summary=f"{assets} community {'asset' if assets == 1 else 'assets'}: spaces, associations and more.",
            url=reverse("directory:assets") + ward_query,
            link_text=f"See the community assets in {ward.name}",
            testid="ward-assets",
        ),
    ]
