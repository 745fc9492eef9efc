"""The Open Referral UK API (read-only, public), served under /api/oruk/ with its document at /api/docs.

The endpoints, parameters and page envelope are the ORUK 3.0 profile's (oruk_openapi/openapi.json),
with the HSDS 3.0 parameters and /organizations that the profile leaves out. Query parameters are read
here rather than by ninja's typed parameters, so that every mistake gets a 400 with a sentence that says
what is wrong (ninja would answer 422 with pydantic's wording). Filtering of services goes through
search.search_services, the same search as the 'Find help' page.
"""

from __future__ import annotations

import json
import logging
import math
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import InterfaceError, OperationalError
from django.db.models import Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from ninja import NinjaAPI

from commonweal.accounts.models import Organisation
from commonweal.core.chunks import keyset_chunks
from commonweal.core.fields import written_date
from commonweal.core.openapi import extend
from commonweal.core.views import RETRY_AFTER_SECONDS
from commonweal.places.models import CouncilArea
from commonweal.places.services import PostcodeError, look_up_postcode

from . import changes, oruk
from .models import Taxonomy, TaxonomyTerm
from .oruk_openapi import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_PROXIMITY_METRES,
    MAX_SEARCH_LENGTH,
    served_document,
)
from .search import SearchQuery, every_hit_id, search_services

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Open Referral UK",
    version="3.0",
    urls_namespace="oruk",
    docs_url=None,  # our document is the profile's, served at /api/docs (urls_api.py), not ninja's
    openapi_url=None,
)

NDJSON = "application/x-ndjson"
NDJSON_CHUNK = 500
MAX_AGE = 150
DAYS = {
    "MO": "MO",
    "TU": "TU",
    "WE": "WE",
    "TH": "TH",
    "FR": "FR",
    "SA": "SA",
    "SU": "SU",
    "MONDAY": "MO",
    "TUESDAY": "TU",
    "WEDNESDAY": "WE",
    "THURSDAY": "TH",
    "FRIDAY": "FR",
    "SATURDAY": "SA",
    "SUNDAY": "SU",
}
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}
EXAMPLE_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")


# --- errors ------------------------------------------------------------------------------------


@dataclass
class Problem:
    parameter: str
    message: str


class ApiError(Exception):
    """A request we will not answer with data: 400 (what is wrong with it) or 404 (no such record)."""

    def __init__(self, status: int, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = list(problems)


REASONS = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def error_response(status: int, message: str, problems: Sequence[Problem] = ()) -> JsonResponse:
    body: dict[str, Any] = {"status": status, "error": REASONS.get(status, ""), "message": message}
    if problems:
        body["problems"] = [{"parameter": p.parameter, "message": p.message} for p in problems]
    return JsonResponse(body, status=status)


@api.exception_handler(ApiError)
def _answer_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.message, exc.problems)


@api.exception_handler(Http404)
def _answer_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "There is nothing at this address. The API's endpoints are listed at /api/docs.")


def unavailable_response() -> JsonResponse:
    """The database cannot be reached (stopped, restarting): a 503 a client can retry, not a 500."""
    response = error_response(503, "The service is unavailable. Please try again in a few minutes.")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _answer_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("The ORUK API could not reach the database on %s", request.get_full_path())
    return unavailable_response()


@api.exception_handler(Exception)
def _answer_anything_else(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Still JSON and still CORS, so a client's browser can read it; the traceback goes to the log.
    logger.exception("The ORUK API failed on %s", request.get_full_path())
    return error_response(500, "Something went wrong on our side. Please try again later.")


# --- reading query parameters ------------------------------------------------------------------


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


class Params:
    """The request's query parameters, read one by one; every problem is kept and reported together."""

    def __init__(self, request: HttpRequest) -> None:
        self.query = request.GET
        self.problems: list[Problem] = []
        for name, values in self.query.lists():
            if any("\x00" in value for value in values):
                self.problem(name, f"{name} contains a NUL character, which is not allowed.")

    def problem(self, name: str, message: str) -> None:
        if not any(p.parameter == name for p in self.problems):
            self.problems.append(Problem(name, message))

    def raw(self, name: str) -> str:
        value = self.query.get(name, "")
        return "" if "\x00" in value else value.strip()

    def text(self, name: str, *, max_length: int = MAX_SEARCH_LENGTH) -> str:
        value = self.raw(name)
        if len(value) > max_length:
            self.problem(name, f"{name} must be {max_length} characters or fewer; it has {len(value):,}.")
            return ""
        return value

    def whole(self, name: str, *, default: int | None, low: int, high: int | None = None) -> int | None:
        value = self.raw(name)
        if not value:
            return default
        limits = f"from {low} to {high}" if high is not None else f"{low} or more"
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            self.problem(name, f"{name} must be a whole number {limits} (you sent '{_shown(value)}').")
            return default
        return number

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if not value or value in FALSE:
            return False
        if value in TRUE:
            return True
        self.problem(name, f"{name} must be true or false (you sent '{_shown(value)}').")
        return False

    def uuids(self, name: str, *, several: bool = False) -> list[uuid.UUID]:
        value = self.raw(name)
        if not value:
            return []
        parts = [part.strip() for part in value.split(",")] if several else [value]
        found: list[uuid.UUID] = []
        for part in parts:
            try:
                found.append(uuid.UUID(part))
            except ValueError:
                self.problem(name, f"{name} must be an id (a UUID such as {EXAMPLE_ID}); '{_shown(part)}' is not one.")
                return []
        return found

    def one_uuid(self, name: str) -> uuid.UUID | None:
        found = self.uuids(name)
        return found[0] if found else None

    def moment(self, name: str) -> datetime | None:
        value = self.raw(name)
        if not value:
            return None
        try:
            if len(value) == 10:
                moment = datetime.combine(date.fromisoformat(value), time.min)
            else:
                moment = datetime.fromisoformat(value)
        except ValueError:
            written = written_date(value)  # '1 April 2024', as people write a date, is taken too
            if written is None:
                self.problem(
                    name,
                    f"{name} must be a date, or a date and time, in ISO 8601 form, such as 2024-05-01 or "
                    f"2024-05-01T09:30:00Z, or a date such as 1 May 2024 (you sent '{_shown(value)}').",
                )
                return None
            moment = datetime.combine(written, time.min)
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        # PostgreSQL refuses an offset beyond ±15:59, which ISO 8601 text may still carry: such a time goes in UTC.
        offset = moment.utcoffset()
        if offset is None or abs(offset) < timedelta(hours=16):
            return moment
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            self.problem(name, f"{name} is outside the dates this service can read (you sent '{_shown(value)}').")
            return None

    def clock(self, name: str) -> time | None:
        value = self.raw(name)
        if not value:
            return None
        if not _CLOCK.match(value):
            self.problem(name, f"{name} must be a time of day such as 09:30 or 17:00:00 (you sent '{_shown(value)}').")
            return None
        return time.fromisoformat(value)

    def day(self, name: str) -> str | None:
        value = self.raw(name)
        if not value:
            return None
        code = DAYS.get(value.upper())
        if code is None:
            self.problem(name, f"{name} must be one of MO, TU, WE, TH, FR, SA, SU (you sent '{_shown(value)}').")
        return code

    def metres(self, name: str) -> float | None:
        value = self.raw(name)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (0 < number <= MAX_PROXIMITY_METRES):  # also refuses nan and infinity
            self.problem(
                name,
                f"{name} must be a distance in metres, more than 0 and at most {MAX_PROXIMITY_METRES:,} "
                f"(you sent '{_shown(value)}').",
            )
            return None
        return number

    def choice(self, name: str, choices: Sequence[str]) -> str:
        value = self.raw(name).lower() or choices[0]
        if value not in choices:
            self.problem(name, f"{name} must be {' or '.join(choices)} (you sent '{_shown(value)}').")
            return choices[0]
        return value

    def check(self) -> None:
        if self.problems:
            message = " ".join(p.message for p in self.problems)
            raise ApiError(400, message, self.problems)


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    ndjson: bool

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page


def read_page(request: HttpRequest, filters: Callable[[Params], dict[str, Any]]) -> tuple[Paging, dict[str, Any]]:
    """A read-only list operation's paging and its own filters (read by `filters`), every problem reported
    together: ApiError 405 for a method other than GET, 400 for bad parameters. The other apps' open-data feeds
    (blockages, consultations) page as the directory does."""
    if request.method != "GET":
        raise ApiError(405, "This API is read-only: use GET.")
    params = Params(request)
    page = params.whole("page", default=1, low=1, high=MAX_PAGE)
    per_page = params.whole("per_page", default=DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE)
    found = filters(params)
    params.check()
    return Paging(page or 1, per_page or DEFAULT_PER_PAGE, False), found


def _paging(params: Params) -> Paging:
    page = params.whole("page", default=1, low=1, high=MAX_PAGE)
    per_page = params.whole("per_page", default=DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE)
    ndjson = params.choice("format", ("json", "ndjson")) == "ndjson"
    return Paging(page or 1, per_page or DEFAULT_PER_PAGE, ndjson)


def _record_id(kind: str, value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ApiError(
            400,
            f"'{_shown(value)}' is not a {kind} id: ids are UUIDs, such as {EXAMPLE_ID}.",
            [Problem("id", "Ids are UUIDs.")],
        ) from None


def _not_found(kind: str, record_id: uuid.UUID) -> ApiError:
    return ApiError(404, f"There is no published {kind} with id {record_id}.")


# --- answers -----------------------------------------------------------------------------------


def page_envelope(contents: list[Any], *, total: int, paging: Paging) -> dict[str, Any]:
    """The ORUK page: how many in all, how many pages, where this one is, and its contents."""
    total_pages = max(1, math.ceil(total / paging.per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def ndjson_response(items: Iterable[dict[str, Any]]) -> StreamingHttpResponse:
    lines = (json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    return StreamingHttpResponse(lines, content_type=NDJSON)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _queryset_page(queryset: QuerySet[Any], paging: Paging) -> tuple[list[Any], int]:
    total = queryset.count()
    return list(queryset[paging.start : paging.start + paging.per_page]), total


# --- the root --------------------------------------------------------------------------------


@api.get("/", url_name="api_details")
def api_details(request: HttpRequest) -> dict[str, Any]:
    council = CouncilArea.current()
    details: dict[str, Any] = {
        "version": oruk.HSDS_VERSION,
        "profile": oruk.PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("oruk:docs")),
        "description": "The community directory: services, the organisations that run them and where.",
    }
    if council:
        publisher: dict[str, Any] = {"name": council.name, "website": _base_url(request)}
        if council.org_id:
            publisher["identifier"] = council.org_id
        details["publisher"] = publisher
    return details


# --- services and services at locations --------------------------------------------------------


def _service_query(params: Params) -> SearchQuery | None:
    """The search the filters ask for; None when a filter names something that does not exist,
    so that nothing can match (an unknown term is not the same as no term)."""
    words = params.text("search")
    term_uuids = params.uuids("taxonomy_term_id", several=True)
    taxonomy_uuid = params.one_uuid("taxonomy_id")
    organisation_uuid = params.one_uuid("organization_id")
    modified_after = params.moment("modified_after")
    minimum_age = params.whole("minimum_age", default=None, low=0, high=MAX_AGE)
    maximum_age = params.whole("maximum_age", default=None, low=0, high=MAX_AGE)
    day = params.day("day")
    start_time = params.clock("start_time")
    end_time = params.clock("end_time")
    proximity = params.metres("proximity")
    postcode_text = params.text("postcode", max_length=20)
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        params.problem("minimum_age", "minimum_age must not be more than maximum_age.")
    near = None
    if proximity is not None and not postcode_text:
        params.problem("proximity", "proximity needs a postcode: say where to measure the distance from.")
    if postcode_text:
        try:
            found = look_up_postcode(postcode_text)
        except PostcodeError as error:
            params.problem("postcode", error.message)
        else:
            near = (found.latitude, found.longitude)
    params.check()

    missing = False
    term_ids: tuple[int, ...] = ()
    if term_uuids:
        term_ids = tuple(TaxonomyTerm.objects.filter(uuid__in=term_uuids).values_list("pk", flat=True))
        missing = missing or not term_ids
    taxonomy_id = None
    if taxonomy_uuid:
        taxonomy_id = Taxonomy.objects.filter(uuid=taxonomy_uuid).values_list("pk", flat=True).first()
        missing = missing or taxonomy_id is None
    organisation_id = None
    if organisation_uuid:
        organisation_id = (
            Organisation.objects.public().filter(uuid=organisation_uuid).values_list("pk", flat=True).first()
        )
        missing = missing or organisation_id is None
    if missing:
        return None
    return SearchQuery(
        words=words,
        term_ids=term_ids,
        taxonomy_id=taxonomy_id,
        organisation_id=organisation_id,
        day=day,
        start_time=start_time,
        end_time=end_time,
        near=near,
        within_metres=proximity,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        modified_after=modified_after,
    )


def _services(ids: list[int], *, full: bool, minimal: bool, base_url: str) -> list[dict[str, Any]]:
    queryset = (oruk.services_in_full() if full else oruk.services_for_list()).filter(pk__in=ids)
    if minimal:
        queryset = oruk.services_for_list().filter(pk__in=ids)
    # Search answers only for public services; checking again (in Python: the rows are loaded anyway) guards
    # against an index that has not yet caught up with a service withdrawn a moment ago.
    found = [s for s in oruk.in_order(queryset, ids) if s.is_public]
    if minimal:
        return [oruk.service_minimal(s) for s in found]
    render: Callable[..., dict[str, Any]] = oruk.service_record if full else oruk.service_list_item
    return [render(s, base_url=base_url) for s in found]


def _service_at_locations(ids: list[int], *, full: bool, base_url: str) -> list[dict[str, Any]]:
    queryset = oruk.service_at_locations_in_full() if full else oruk.service_at_locations_for_list()
    found = [sal for sal in oruk.in_order(queryset.filter(pk__in=ids), ids) if sal.is_public]
    render = oruk.service_at_location_record if full else oruk.service_at_location_list_item
    return [render(sal, base_url=base_url) for sal in found]


def _hits(
    paging: Paging, query: SearchQuery | None, unit: str, items: Callable[[list[int]], list[dict[str, Any]]]
) -> Any:
    """A page of what the search finds (or, with format=ndjson, all of it) as ORUK items: services, or services
    at their locations (unit 'service_at_location'), which `items` makes from the ids in the search's order."""
    field = f"{unit}_id"
    if paging.ndjson:
        # Everything found, a chunk at a time in id order (keyset paging: no OFFSET, no count per chunk).
        chunks = every_hit_id(query, unit=unit, chunk=NDJSON_CHUNK) if query is not None else iter(())
        return ndjson_response(item for chunk in chunks for item in items(chunk))
    if query is None:
        return page_envelope([], total=0, paging=paging)
    found = search_services(query, page=paging.page, per_page=paging.per_page, unit=unit)
    ids = [value for hit in found.hits if (value := getattr(hit, field)) is not None]
    return page_envelope(items(ids), total=found.total, paging=paging)


@api.get("/services", url_name="services")
def services(request: HttpRequest) -> Any:
    """A page of services (or, with format=ndjson, every one found). A page is the same for everyone who asks
    the same question of the same address, so its JSON is made once for each version of the directory
    (changes.kept) and reused; a question with a mistake in it is never kept, and is answered afresh each time."""
    params = Params(request)
    paging = _paging(params)
    if paging.ndjson:
        return _services_found(request, params, paging)
    parts = (_base_url(request), sorted((key, sorted(values)) for key, values in request.GET.lists()))
    content = changes.kept(
        "oruk-services",
        parts,
        lambda: api.renderer.render(request, _services_found(request, params, paging), response_status=200),
    )
    return HttpResponse(content, content_type=api.get_content_type())


def _services_found(request: HttpRequest, params: Params, paging: Paging) -> Any:
    full = params.boolean("full")
    minimal = params.boolean("minimal")
    query = _service_query(params)  # reports every problem so far, with its own
    base_url = _base_url(request)
    return _hits(paging, query, "service", lambda ids: _services(ids, full=full, minimal=minimal, base_url=base_url))


@api.get("/services/{id}", url_name="service")
def service(request: HttpRequest, id: str) -> Any:
    record_id = _record_id("service", id)
    found = oruk.services_in_full().filter(uuid=record_id).first()
    if found is None or not found.is_public:
        raise _not_found("service", record_id)
    return oruk.service_record(found, base_url=_base_url(request))


@api.get("/service_at_locations", url_name="service_at_locations")
def service_at_locations(request: HttpRequest) -> Any:
    params = Params(request)
    paging = _paging(params)
    full = params.boolean("full")
    query = _service_query(params)
    base_url = _base_url(request)
    return _hits(
        paging, query, "service_at_location", lambda ids: _service_at_locations(ids, full=full, base_url=base_url)
    )


@api.get("/service_at_locations/{id}", url_name="service_at_location")
def service_at_location(request: HttpRequest, id: str) -> Any:
    record_id = _record_id("service_at_location", id)
    found = oruk.service_at_locations_in_full().filter(uuid=record_id).first()
    if found is None or not found.is_public:
        raise _not_found("service_at_location", record_id)
    return oruk.service_at_location_record(found, base_url=_base_url(request))


# --- organisations -----------------------------------------------------------------------------


def _organisation_filters(params: Params) -> tuple[str, tuple[int, ...], int | None, bool]:
    """(words, term ids, taxonomy id, nothing can match)."""
    words = params.text("search")
    term_uuids = params.uuids("taxonomy_term_id", several=True)
    taxonomy_uuid = params.one_uuid("taxonomy_id")
    params.check()
    term_ids: tuple[int, ...] = ()
    missing = False
    if term_uuids:
        term_ids = tuple(TaxonomyTerm.objects.filter(uuid__in=term_uuids).values_list("pk", flat=True))
        missing = not term_ids
    taxonomy_id = None
    if taxonomy_uuid:
        taxonomy_id = Taxonomy.objects.filter(uuid=taxonomy_uuid).values_list("pk", flat=True).first()
        missing = missing or taxonomy_id is None
    return words, term_ids, taxonomy_id, missing


@api.get("/organizations", url_name="organizations")
def organizations(request: HttpRequest) -> Any:
    params = Params(request)
    paging = _paging(params)
    full = params.boolean("full")
    full_service = params.boolean("full_service")
    words, term_ids, taxonomy_id, missing = _organisation_filters(params)
    base_url = _base_url(request)
    matching = oruk.organisations_matching(words, term_ids, taxonomy_id)
    if missing:
        matching = matching.none()

    def render(orgs: Iterable[Any]) -> list[dict[str, Any]]:
        if full or full_service:
            services = "full" if full_service else "list"
            return [oruk.organisation_record(o, base_url=base_url, services=services) for o in orgs]
        return [oruk.organisation_list_item(o, base_url=base_url) for o in orgs]

    if full or full_service:
        loaded = oruk.organisations_in_full(full_services=full_service)
    else:
        loaded = Organisation.objects.public()
    if paging.ndjson:
        # Every organisation in primary-key order: stable, and cheap to resume from, a chunk at a time.
        return ndjson_response(
            item
            for ids in keyset_chunks(matching.values_list("pk", flat=True), NDJSON_CHUNK)
            for item in render(oruk.in_order(loaded.filter(pk__in=ids), ids))
        )
    total = matching.count()
    ids = list(matching.values_list("pk", flat=True)[paging.start : paging.start + paging.per_page])
    return page_envelope(render(oruk.in_order(loaded.filter(pk__in=ids), ids)), total=total, paging=paging)


@api.get("/organizations/{id}", url_name="organization")
def organization(request: HttpRequest, id: str) -> Any:
    record_id = _record_id("organization", id)
    params = Params(request)
    full_service = params.boolean("full_service")
    params.check()
    found = oruk.organisations_in_full(full_services=full_service).public().filter(uuid=record_id)
    org = found.first()
    if org is None:
        raise _not_found("organization", record_id)
    return oruk.organisation_record(org, base_url=_base_url(request), services="full" if full_service else "list")


# --- vocabulary --------------------------------------------------------------------------------


@api.get("/taxonomies", url_name="taxonomies")
def taxonomies(request: HttpRequest) -> Any:
    params = Params(request)
    paging = _paging(params)
    words = params.text("search")
    params.check()
    found = Taxonomy.objects.order_by("name", "pk")
    for word in words.split():
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if paging.ndjson:
        return ndjson_response(oruk.taxonomy_record(t) for chunk in keyset_chunks(found, NDJSON_CHUNK) for t in chunk)
    page, total = _queryset_page(found, paging)
    return page_envelope([oruk.taxonomy_record(t) for t in page], total=total, paging=paging)


@api.get("/taxonomies/{id}", url_name="taxonomy")
def taxonomy(request: HttpRequest, id: str) -> Any:
    record_id = _record_id("taxonomy", id)
    found = Taxonomy.objects.filter(uuid=record_id).first()
    if found is None:
        raise _not_found("taxonomy", record_id)
    terms = found.terms.select_related("taxonomy", "parent").order_by("position", "name", "pk")
    return oruk.taxonomy_record(found, terms=terms)


@api.get("/taxonomy_terms", url_name="taxonomy_terms")
def taxonomy_terms(request: HttpRequest) -> Any:
    params = Params(request)
    paging = _paging(params)
    words = params.text("search")
    taxonomy_uuid = params.one_uuid("taxonomy_id")
    parent_uuid = params.one_uuid("parent_id")
    top_only = params.boolean("top_only")
    params.check()
    found = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by(
        "taxonomy__name", "position", "name", "pk"
    )
    for word in words.split():
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if taxonomy_uuid:
        found = found.filter(taxonomy__uuid=taxonomy_uuid)
    if parent_uuid:
        found = found.filter(parent__uuid=parent_uuid)
    if top_only:
        found = found.filter(parent__isnull=True)
    if paging.ndjson:
        return ndjson_response(
            oruk.taxonomy_term_record(t) for chunk in keyset_chunks(found, NDJSON_CHUNK) for t in chunk
        )
    page, total = _queryset_page(found, paging)
    return page_envelope([oruk.taxonomy_term_record(t) for t in page], total=total, paging=paging)


@api.get("/taxonomy_terms/{id}", url_name="taxonomy_term")
def taxonomy_term(request: HttpRequest, id: str) -> Any:
    record_id = _record_id("taxonomy_term", id)
    found = TaxonomyTerm.objects.select_related("taxonomy", "parent").filter(uuid=record_id).first()
    if found is None:
        raise _not_found("taxonomy_term", record_id)
    return oruk.taxonomy_term_record(found)


# --- the document ------------------------------------------------------------------------------


def openapi_document(request: HttpRequest) -> JsonResponse:
    """GET /api/docs: the profile's OpenAPI document, adapted to this server."""
    if request.method not in ("GET", "HEAD"):
        return error_response(405, "Only GET is allowed here.")
    council = CouncilArea.current()
    document = served_document(
        server_url=request.build_absolute_uri(reverse("oruk:api_details")).rstrip("/"),
        council=council.name if council else "The council",
    )
    # Other apps' open data (the Solutions Framework's blockages) is documented in the same document.
    extend(document, api_root=request.build_absolute_uri("/api"))
    return JsonResponse(document, json_dumps_params={"indent": 1})


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/: a JSON 404 (with CORS, like every API answer), or the same address
    without its trailing slash when that is an endpoint (/services/ -> /services)."""
    if request.path.endswith("/") and len(request.path) > 1:
        try:
            match = resolve(request.path.rstrip("/"))
        except Resolver404:
            match = None
        if match is not None and match.url_name and match.namespace == "oruk":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path.rstrip("/") + (f"?{query}" if query else ""))
    return error_response(404, "There is nothing at this address. The API's endpoints are listed at /api/docs.")
