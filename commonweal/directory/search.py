"""Finding services: one function behind the 'Find help' page, the ORUK API and the benchmarks.

CONTRACT (other modules rely on these names and shapes; the internals may change):
- `SearchQuery`: what someone asked for. Every field is optional and they combine with AND.
- `search_services(query, page=, per_page=, unit=)` -> `SearchPage` of `SearchHit`s, best first
  (nearest first when `near` is given, otherwise most relevant to the words, otherwise by name).
  `unit="service"` gives one hit per service; `unit="service_at_location"` one per service at a location.
  Only published, active services of published organisations are ever returned.
- `reindex_services(ids)` brings the search index up to date for those services (None: all of them);
  every write to a service, its organisation, locations or terms calls it (imports call it once, in bulk).

HOW (the internals): `SearchEntry` holds one flat row per public service at each public location (or one
with no location). Words are matched by the database's own full-text index beside it (SQLite FTS5 with
porter stemming, PostgreSQL tsvector 'english' with GIN), after words the index has never seen are
corrected to the nearest word it has (search_text.nearest_word). Distance is the equirectangular
approximation in plain arithmetic, after a latitude/longitude box that the point index answers.

Meaning of the filters:
- `term_ids`: any of the terms or any term below them; `taxonomy_id`: any term of that vocabulary.
- `ward_id`: a location in the ward, or the service says it serves the ward.
- `open_at`: a weekly schedule that covers that day and time (opens at or before, closes after).
- `day`, `start_time`, `end_time` (ORUK): one weekly schedule on that day that opens at or before
  `start_time` and closes at or after `end_time`.
- `delivery`: the service is delivered in at least one of the ways asked for.
- `minimum_age`, `maximum_age`: the person's ages (one of them alone means one age) must all be served.
- `near` without `within_metres`: everything with a place, nearest first; services with no place are left out.
"""

# ruff: noqa: S608  -- the SQL here is built from our own table names and %s placeholders; every value
#                      anyone typed is passed as a parameter, and words reach FTS5 as letters and digits only.
from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from commonweal.places.models import Ward

from . import search_text
from .models import (
    ListingStatus,
    Schedule,
    SearchEntry,
    SearchWord,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

UNITS = ("service", "service_at_location")
DELIVERY = ("in_person", "by_phone", "online")
DAYS = Schedule.DAYS


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


# --- reading the index ---------------------------------------------------------------------------

ENTRY = SearchEntry._meta.db_table
FTS = "directory_search_fts"  # SQLite only (migration 0002)
SERVICE_TERMS = Service.terms.through._meta.db_table
SERVICE_WARDS = Service.wards_served.through._meta.db_table
TERM = TaxonomyTerm._meta.db_table
SCHEDULE = Schedule._meta.db_table
# bm25 weights of the FTS5 columns: names and categories count five times the rest.
SQLITE_RANK = f"bm25({FTS}, 5.0, 1.0)"


def _vendor() -> str:
    return connection.vendor


@dataclass
class _Sql:
    """The parts of one search statement: joins, conditions and their parameters, in order."""

    joins: list[str] = field(default_factory=list)
    join_params: list[Any] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.where.append(condition)
        self.params.extend(params)


def _with_descendants(term_ids: Iterable[int]) -> list[int]:
    found = set(term_ids)
    frontier = set(found)
    while frontier:
        children = set(TaxonomyTerm.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= children
        frontier = children
    return sorted(found)


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _time(value: time) -> Any:
    """A time as the database stores a TimeField (SQLite: text), to seconds."""
    return connection.ops.adapt_timefield_value(value.replace(microsecond=0, tzinfo=None))


def _schedule_condition(sql: _Sql, query: SearchQuery) -> None:
    """A weekly schedule of the service (or of this service at this location) that fits the times asked."""
    conditions = ["s.service_id = e.service_id", "s.freq = %s"]
    params: list[Any] = [Schedule.Freq.WEEKLY]
    conditions.append("(s.service_at_location_id IS NULL OR s.service_at_location_id = e.service_at_location_id)")
    if query.open_at is not None:
        local = timezone.localtime(query.open_at) if timezone.is_aware(query.open_at) else query.open_at
        at = _time(local.time())
        today = connection.ops.adapt_datefield_value(local.date())
        conditions += ["s.byday LIKE %s", "s.opens_at <= %s", "s.closes_at > %s"]
        params += [f"%{DAYS[local.weekday()]}%", at, at]
        conditions += ["(s.valid_from IS NULL OR s.valid_from <= %s)", "(s.valid_to IS NULL OR s.valid_to >= %s)"]
        params += [today, today]
    if query.day or query.start_time or query.end_time:
        if query.day:
            conditions.append("s.byday LIKE %s")
            params.append(f"%{query.day.upper()[:2]}%")
        if query.start_time is not None:
            conditions.append("s.opens_at <= %s")
            params.append(_time(query.start_time))
        if query.end_time is not None:
            conditions.append("s.closes_at >= %s")
            params.append(_time(query.end_time))
    sql.add(f"EXISTS (SELECT 1 FROM {SCHEDULE} s WHERE {' AND '.join(conditions)})", *params)


def _filters(sql: _Sql, query: SearchQuery, *, per_service: bool) -> None:
    """Every condition but words and distance. `per_service`: reading only each service's first entry."""
    if query.term_ids:
        terms = _with_descendants(query.term_ids)
        sql.add(
            f"e.service_id IN (SELECT st.service_id FROM {SERVICE_TERMS} st "
            f"WHERE st.taxonomyterm_id IN ({_placeholders(terms)}))",
            *terms,
        )
    if query.taxonomy_id is not None:
        sql.add(
            f"e.service_id IN (SELECT st.service_id FROM {SERVICE_TERMS} st JOIN {TERM} t "
            "ON t.id = st.taxonomyterm_id WHERE t.taxonomy_id = %s)",
            query.taxonomy_id,
        )
    if query.ward_id is not None:
        served = f"e.service_id IN (SELECT sw.service_id FROM {SERVICE_WARDS} sw WHERE sw.ward_id = %s)"
        if per_service:
            sql.add(
                f"(e.service_id IN (SELECT w.service_id FROM {ENTRY} w WHERE w.ward_id = %s) OR {served})",
                query.ward_id,
                query.ward_id,
            )
        else:
            sql.add(f"(e.ward_id = %s OR {served})", query.ward_id, query.ward_id)
    if query.organisation_id is not None:
        sql.add("e.organisation_id = %s", query.organisation_id)
    if query.open_at is not None or query.day or query.start_time is not None or query.end_time is not None:
        _schedule_condition(sql, query)
    if query.is_free is not None:
        sql.add("e.is_free = %s", query.is_free)
    ways = [way for way in DELIVERY if way in query.delivery]
    if ways:
        sql.add("(" + " OR ".join(f"e.{way} = %s" for way in ways) + ")", *[True] * len(ways))
    if query.minimum_age is not None or query.maximum_age is not None:
        youngest = query.minimum_age if query.minimum_age is not None else query.maximum_age
        oldest = query.maximum_age if query.maximum_age is not None else query.minimum_age
        sql.add("(e.minimum_age IS NULL OR e.minimum_age <= %s)", youngest)
        sql.add("(e.maximum_age IS NULL OR e.maximum_age >= %s)", oldest)
    if query.modified_after is not None:
        sql.add("e.updated_at > %s", connection.ops.adapt_datetimefield_value(query.modified_after))


def _words_condition(sql: _Sql, words: list[str]) -> str:
    """Match every word (stemmed by the database); returns the SQL of a relevance score, lower is better."""
    if _vendor() == "sqlite":
        match = " ".join(f'"{word}"' for word in words)  # words hold letters and digits only
        sql.joins.append(
            f"JOIN (SELECT rowid AS entry_id, {SQLITE_RANK} AS score FROM {FTS} WHERE {FTS} MATCH %s) f "
            "ON f.entry_id = e.id"
        )
        sql.join_params.append(match)
        return "f.score"
    sql.joins.append("CROSS JOIN plainto_tsquery('english', %s) q")
    sql.join_params.append(" ".join(words))
    sql.add("e.search_vector @@ q")
    return "-ts_rank(e.search_vector, q)"


def _distance(sql: _Sql, near: tuple[float, float], within: float | None) -> tuple[str, list[Any]]:
    """Squared distance in degrees of latitude (SQL and its parameters); limits the rows when `within`."""
    lat, lon = near
    scale = math.cos(math.radians(lat))
    sql.add("e.latitude IS NOT NULL")
    if within is not None:
        box = search_text.bounding_box(lat, lon, within)
        sql.add("e.latitude BETWEEN %s AND %s", box.min_lat, box.max_lat)
        sql.add("e.longitude BETWEEN %s AND %s", box.min_lon, box.max_lon)
    expression = "((e.latitude - %s) * (e.latitude - %s) + (e.longitude - %s) * (e.longitude - %s) * %s)"
    params = [lat, lat, lon, lon, scale * scale]
    if within is not None:
        sql.add(f"{expression} <= %s", *params, (within / search_text.METRES_PER_DEGREE) ** 2)
    return expression, params


def _run(statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def _to_metres(squared: float | None) -> float | None:
    return None if squared is None else math.sqrt(max(squared, 0.0)) * search_text.METRES_PER_DEGREE


def search_services(query: SearchQuery, *, page: int = 1, per_page: int = 20, unit: str = "service") -> SearchPage:
    """The services that match every part of the query, one page of them, best first."""
    if unit not in UNITS:
        raise ValueError(f"Search for a unit of {' or '.join(UNITS)}, not {unit!r}.")
    page, per_page = max(1, int(page)), max(1, int(per_page))
    words, suggestion = corrected_words(query.words)
    by_service = unit == "service"
    # A search for whole services reads one entry each, unless it is about places: then each service's
    # nearest qualifying entry is picked below.
    pick_nearest = by_service and query.near is not None
    sql = _Sql()
    if by_service and not pick_nearest:
        sql.add("e.is_first = %s", True)
    if not by_service:
        sql.add("e.service_at_location_id IS NOT NULL")
    score = _words_condition(sql, words) if words else None
    _filters(sql, query, per_service=by_service and not pick_nearest)
    columns = "e.id, e.service_id, e.location_id, e.service_at_location_id, e.sort_name"
    distance: str = "NULL"
    distance_params: list[Any] = []
    if query.near is not None:
        distance, distance_params = _distance(sql, query.near, query.within_metres)
    # The distance appears once in the select list, so its parameters come first.
    select = f"SELECT {columns}, {distance} AS distance, {score or '0'} AS score"
    params: list[Any] = [*distance_params, *sql.join_params, *sql.params]
    if pick_nearest:
        select += ", ROW_NUMBER() OVER (PARTITION BY e.service_id ORDER BY " + distance + ", e.id) AS nth"
        params = [*distance_params, *distance_params, *sql.join_params, *sql.params]
    where = " AND ".join(sql.where) or "1 = 1"
    inner = f"{select} FROM {ENTRY} e {' '.join(sql.joins)} WHERE {where}"
    if query.near is not None:
        order = "x.distance, x.sort_name, x.service_id, x.id"
    elif score is not None:
        order = "x.score, x.sort_name, x.service_id, x.id"
    else:
        order = "x.sort_name, x.service_id, x.id"
    keep = "WHERE x.nth = 1" if pick_nearest else ""
    statement = (
        "SELECT x.service_id, x.location_id, x.service_at_location_id, x.distance, COUNT(*) OVER () AS total "
        f"FROM ({inner}) x {keep} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    rows = _run(statement, [*params, per_page, (page - 1) * per_page])
    if rows:
        total = int(rows[0][4])
    elif page == 1:
        total = 0
    else:  # past the last page: count what there is
        total = int(_run(f"SELECT COUNT(*) FROM ({inner}) x {keep}", params)[0][0])
    hits = [
        SearchHit(
            service_id=service_id,
            location_id=location_id,
            service_at_location_id=sal_id,
            distance_metres=_to_metres(distance_value),
        )
        for service_id, location_id, sal_id, distance_value, _ in rows
    ]
    return SearchPage(hits=hits, total=total, page=page, per_page=per_page, suggestion=suggestion)


# --- spelling ------------------------------------------------------------------------------------


@dataclass
class _VocabularyCache:
    version: str | None = None
    vocabulary: search_text.Vocabulary | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache = _VocabularyCache()
# Shared by every process through the platform's cache: a new value whenever the index gains words.
VOCABULARY_VERSION_KEY = "directory:search:vocabulary-version"


def _vocabulary_changed() -> None:
    cache.set(VOCABULARY_VERSION_KEY, uuid.uuid4().hex, None)


def vocabulary(*, refresh: bool = False) -> search_text.Vocabulary:
    """The index's words, read once per process and again whenever the index has gained words.

    `refresh` asks whether it has (one cache read); without it the copy in memory is used as it is.
    """
    version = _cache.version
    if refresh or _cache.vocabulary is None:
        version = cache.get(VOCABULARY_VERSION_KEY)
        if version is None:  # the cache was emptied: nobody can say what changed, so start again
            _vocabulary_changed()
            version = cache.get(VOCABULARY_VERSION_KEY)
    with _cache.lock:
        if _cache.vocabulary is None or version is None or _cache.version != version:
            frequency = dict(SearchWord.objects.values_list("word", "frequency").iterator(chunk_size=5000))
            _cache.vocabulary = search_text.Vocabulary(frequency)
            _cache.version = version
        return _cache.vocabulary


def _index_knows(word: str) -> bool:
    """Whether any entry holds the word, as the database stems it ('cooking' is known if 'cook' is)."""
    if _vendor() == "sqlite":
        statement = f"SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s LIMIT 1"
        return bool(_run(statement, [f'"{word}"']))
    statement = f"SELECT 1 FROM {ENTRY} WHERE search_vector @@ plainto_tsquery('english', %s) LIMIT 1"
    return bool(_run(statement, [word]))


def corrected_words(text: str) -> tuple[list[str], str | None]:
    """The words to search for, and the corrected query when a misspelt word was replaced."""
    query = search_text.query_words(text)
    if not query:
        return [], None
    known = vocabulary()
    if all(word in known for word in query):
        return query, None
    known = vocabulary(refresh=True)
    corrected, changed = search_text.correct(query, is_known=_index_knows, vocabulary=known)
    return corrected, (" ".join(corrected) if changed else None)


# --- writing the index ---------------------------------------------------------------------------

CHUNK = 5000
_ENTRY_COLUMNS = (
    "service_id",
    "organisation_id",
    "location_id",
    "service_at_location_id",
    "ward_id",
    "latitude",
    "longitude",
    "is_free",
    "in_person",
    "by_phone",
    "online",
    "minimum_age",
    "maximum_age",
    "updated_at",
    "is_first",
    "name",
    "sort_name",
    "keywords",
    "document",
)
_INSERT = f"INSERT INTO {ENTRY} ({', '.join(_ENTRY_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_ENTRY_COLUMNS))})"
_SERVICE_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "description",
    "eligibility_description",
    "fees_description",
    "languages",
    "is_free",
    "in_person",
    "by_phone",
    "online",
    "minimum_age",
    "maximum_age",
    "updated_at",
    "organisation__name",
    "organisation__description",
)
_PLACE_FIELDS = (
    "id",
    "service_id",
    "location_id",
    "location__name",
    "location__address_1",
    "location__address_2",
    "location__city",
    "location__postcode",
    "location__latitude",
    "location__longitude",
    "location__ward_id",
)


@dataclass
class _Lookups:
    """What every chunk needs: term names with their parents', and ward names."""

    terms: dict[int, tuple[str, int | None]]
    wards: dict[int, str]

    @classmethod
    def load(cls) -> _Lookups:
        terms: dict[int, tuple[str, int | None]] = {
            pk: (name, parent) for pk, name, parent in TaxonomyTerm.objects.values_list("id", "name", "parent_id")
        }
        return cls(terms=terms, wards=dict(Ward.objects.values_list("id", "name")))

    def term_names(self, term_id: int) -> list[str]:
        names: list[str] = []
        seen: set[int] = set()
        current: int | None = term_id
        while current is not None and current in self.terms and current not in seen:
            seen.add(current)
            name, current = self.terms[current]
            names.append(name)
        return names


def _chunks(ids: Iterable[int] | None) -> Iterator[list[int]]:
    if ids is None:
        pks = Service.objects.order_by("pk").values_list("pk", flat=True)
        chunk: list[int] = []
        for pk in pks.iterator(chunk_size=CHUNK):
            chunk.append(pk)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        return
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def _rows_for(service_ids: list[int], lookups: _Lookups) -> tuple[list[tuple[Any, ...]], dict[int, str]]:
    """The index rows for these services, and each service's whole text (for the vocabulary)."""
    services = Service.objects.filter(
        pk__in=service_ids,
        listing_status=ListingStatus.PUBLISHED,
        status=Service.Status.ACTIVE,
        organisation__listing_status=ListingStatus.PUBLISHED,
    ).values_list(*_SERVICE_FIELDS)
    found = list(services)
    if not found:
        return [], {}
    public_ids = [row[0] for row in found]
    terms: dict[int, list[str]] = {}
    through = Service.terms.through.objects.filter(service_id__in=public_ids)
    for service_id, term_id in through.values_list("service_id", "taxonomyterm_id"):
        terms.setdefault(service_id, []).extend(lookups.term_names(term_id))
    places: dict[int, list[tuple[Any, ...]]] = {}
    sals = ServiceAtLocation.objects.filter(
        service_id__in=public_ids, location__listing_status=ListingStatus.PUBLISHED
    ).order_by("service_id", "id")
    for place in sals.values_list(*_PLACE_FIELDS):
        places.setdefault(place[1], []).append(place)
    served: dict[int, list[str]] = {}
    wards_served = Service.wards_served.through.objects.filter(service_id__in=public_ids)
    for service_id, ward_id in wards_served.values_list("service_id", "ward_id"):
        served.setdefault(service_id, []).append(lookups.wards.get(ward_id, ""))

    rows: list[tuple[Any, ...]] = []
    texts: dict[int, str] = {}
    for (
        pk,
        organisation_id,
        name,
        description,
        eligibility,
        fees,
        languages,
        is_free,
        in_person,
        by_phone,
        online,
        minimum_age,
        maximum_age,
        updated_at,
        organisation_name,
        organisation_description,
    ) in found:
        own_places = places.get(pk, [])
        place_text = [
            " ".join(str(part) for part in (*place[3:8], lookups.wards.get(place[10]) or "") if part)
            for place in own_places
        ]
        keywords = search_text.document(name, organisation_name, " ".join(dict.fromkeys(terms.get(pk, []))))
        body = search_text.document(
            description,
            eligibility,
            fees,
            languages,
            organisation_description,
            *place_text,
            " ".join(served.get(pk, [])),
        )[:20000]
        texts[pk] = f"{keywords}\n{body}"
        when = connection.ops.adapt_datetimefield_value(updated_at)
        shared = (is_free, in_person, by_phone, online, minimum_age, maximum_age, when)
        tail = (name, search_text.fold(name)[:200], keywords, body)
        if not own_places:
            rows.append((pk, organisation_id, None, None, None, None, None, *shared, True, *tail))
        for n, place in enumerate(own_places):
            sal_id, _, location_id, *_, latitude, longitude, ward_id = place
            rows.append(
                (pk, organisation_id, location_id, sal_id, ward_id, latitude, longitude, *shared, n == 0, *tail)
            )
    return rows, texts


def _write_words(counts: dict[str, int], *, replace: bool) -> None:
    """Store the vocabulary (all of it, or the words it lacks) and tell every process when it grew."""
    counts = {word: n for word, n in counts.items() if len(word) <= 60}
    if replace:
        SearchWord.objects.all().delete()
        new = counts
    else:
        known: set[str] = set()
        words = list(counts)
        for start in range(0, len(words), 2000):
            known.update(SearchWord.objects.filter(word__in=words[start : start + 2000]).values_list("word", flat=True))
        new = {word: n for word, n in counts.items() if word not in known}
    if not new and not replace:
        return
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, frequency=n) for word, n in new.items()], batch_size=2000, ignore_conflicts=True
    )
    # Now for this process, and again once other processes can read the new words.
    _vocabulary_changed()
    transaction.on_commit(_vocabulary_changed)


@transaction.atomic
def reindex_services(ids: Iterable[int] | None = None) -> None:
    """Bring the search index up to date for these services (None: every service)."""
    everything = ids is None
    lookups = _Lookups.load()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if everything:
            cursor.execute(f"DELETE FROM {ENTRY}")
        for chunk in _chunks(ids):
            if not everything:
                cursor.execute(
                    f"DELETE FROM {ENTRY} WHERE service_id IN ({_placeholders(chunk)})",
                    chunk,
                )
            rows, texts = _rows_for(chunk, lookups)
            if rows:
                cursor.executemany(_INSERT, rows)
            for word, n in search_text.count_words(texts.values()).items():
                counts[word] = counts.get(word, 0) + n
    _write_words(counts, replace=everything)
