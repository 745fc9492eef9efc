"""Finding services: one function behind the 'Find help' page, the ORUK API and the benchmarks.

CONTRACT (other modules rely on these names and shapes; the internals may change):
- `SearchQuery`: what someone asked for. Every field is optional and they combine with AND.
- `search_services(query, page=, per_page=, unit=, one_per_name=)` -> `SearchPage` of `SearchHit`s, best first
  (most relevant to the words, then nearest when `near` is given, otherwise by name). With `one_per_name`
  an organisation's services of one name (the same help at several places) are one hit, counted once.
  `unit="service"` gives one hit per service; `unit="service_at_location"` one per service at a location.
  Only published, active services of published organisations are ever returned.
- `reindex_services(ids)` brings the search index up to date for those services (None: all of them);
  every write to a service, its organisation, locations or terms calls it (imports call it once, in bulk).

HOW (the internals): `SearchEntry` holds one narrow row per public service at each public location (or
one with no location); `SearchText` its words and tags, one row per service; `SearchHours` its weekly
openings, one row per day. Words are matched by the database's own full-text index (SQLite FTS5 with porter
stemming on SearchText; PostgreSQL tsvectors 'english' with GIN on a copy of the words in each entry, so a
search reads one table), after the words are read
as a resident means them (search_text.read_query): a word the index has never seen is split into two it
has ('foodbank') or corrected to the nearest it has, two words may match as one, and everyday words
('lonely') also match what services call that help (search_data/synonyms.json). Filters on whole
services (category, vocabulary, organisation, ward, cost, delivery) are tags in the same index, so one
pass over it answers the words and those filters together. 'Most relevant' is a score from the
service's own name and categories only (`keywords`; its organisation's name, broader categories and
descriptions are the other text): every word there, what an everyday word means there, the words as
typed there, some of them there (see `_score`); equals are ordered by distance, then by name. PostgreSQL
ranks the services with every word in their names alone first, and counts the rest, when they fill the page.
Distance is the equirectangular approximation in plain arithmetic, after a latitude/longitude box that
the point index answers. Without words, SQLite looks for the nearest in widening rings and counts the rest
apart; PostgreSQL does it in one statement, in rings only when the distance has no limit. With words, every
match within the distance is scored in one statement.

Meaning of the filters:
- `term_ids`: any of the terms or any term below them; `taxonomy_id`: any term of that vocabulary.
- `ward_id`: a location in the ward, or the service says it serves the ward.
- `open_at`: a weekly schedule that covers that day and time on the council's clock (opens at or
  before it, closes after it, valid that day).
- `day`, `start_time`, `end_time` (ORUK): one weekly schedule on that day that opens at or before
  `start_time` and closes at or after `end_time`.
- `delivery`: the service is delivered in at least one of the ways asked for.
- `minimum_age`, `maximum_age`: the person's ages (one of them alone means one age) must all be served.
- `near` without `within_metres`: everything with a place, nearest first; services with no place are left out.
- A schedule given for one place of a service counts only there when searching by place
  (unit="service_at_location"), and anywhere for the service as a whole.
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
from django.db.models import Max, Min
from django.utils import timezone

from commonweal.core.bulk import streamed_copies, write_rows
from commonweal.places.models import Ward

from . import changes, search_text
from .models import (
    ADDRESS_FIELDS,
    Location,
    Schedule,
    SearchEntry,
    SearchHours,
    SearchText,
    SearchWord,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    is_public_place,
    is_public_service,
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
    others: int = 0  # one_per_name: how many other places of the same name this hit stands for


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
TEXT = SearchText._meta.db_table
HOURS = SearchHours._meta.db_table
FTS = "directory_search_fts"  # SQLite only (migration 0002)
SERVICE_WARDS = Service.wards_served.through._meta.db_table
# The nearest are looked for within these distances (metres) before the whole distance asked for.
RINGS = (1_000.0, 10_000.0, 100_000.0)
# SQLite reads the database through memory mapping: each request's fresh connection then reads the
# index at memory speed instead of with a system call per page.
SQLITE_MMAP_BYTES = 1 << 30


def _vendor() -> str:
    return connection.vendor


@dataclass
class _Sql:
    """The conditions of one search statement and their parameters, in order."""

    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.where.append(condition)
        self.params.extend(params)

    def copy(self) -> _Sql:
        return _Sql(list(self.where), list(self.params))

    @property
    def source(self) -> str:
        return f"{ENTRY} e"

    @property
    def clause(self) -> str:
        return " AND ".join(self.where) or "1 = 1"


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _hours_condition(sql: _Sql, query: SearchQuery, *, by_place: bool) -> None:
    """A weekly opening that fits the times asked: of the service, or (by place) of it at that place."""
    conditions: list[str] = []
    params: list[Any] = []
    if query.open_at is not None:
        local = timezone.localtime(query.open_at) if timezone.is_aware(query.open_at) else query.open_at
        at, today = _minutes(local.time()), connection.ops.adapt_datefield_value(local.date())
        conditions += ["h.day = %s", "h.opens <= %s", "h.closes > %s"]
        conditions += ["(h.valid_from IS NULL OR h.valid_from <= %s)", "(h.valid_to IS NULL OR h.valid_to >= %s)"]
        params += [local.weekday(), at, at, today, today]
    if query.day:
        code = query.day.strip().upper()[:2]
        conditions.append("h.day = %s")
        params.append(DAYS.index(code) if code in DAYS else -1)
    if query.start_time is not None:
        conditions.append("h.opens <= %s")
        params.append(_minutes(query.start_time))
    if query.end_time is not None:
        conditions.append("h.closes >= %s")
        params.append(_minutes(query.end_time))
    where = " AND ".join(conditions)
    if by_place:
        sql.add(
            f"(e.service_id IN (SELECT h.service_id FROM {HOURS} h WHERE {where} AND h.service_at_location_id IS NULL)"
            f" OR e.service_at_location_id IN (SELECT h.service_at_location_id FROM {HOURS} h WHERE {where}"
            " AND h.service_at_location_id IS NOT NULL))",
            *params,
            *params,
        )
    else:
        sql.add(f"e.service_id IN (SELECT h.service_id FROM {HOURS} h WHERE {where})", *params)


# Tags: what a service is, as tokens in their own column of the full-text index, so the index itself
# answers the filters on whole services (with the words, in one pass) without reading any rows.
DELIVERY_TAGS = {"in_person": "inperson", "by_phone": "byphone", "online": "online"}


def _tag_groups(query: SearchQuery, *, ward_as_tag: bool) -> list[list[str]]:
    """The filters on whole services as groups of tags: every group must hold, any tag in a group may."""
    groups: list[list[str]] = []
    if query.term_ids:
        # A service is tagged with each of its terms and every term above them.
        groups.append([f"t{int(pk)}" for pk in query.term_ids])
    if query.taxonomy_id is not None:
        groups.append([f"x{int(query.taxonomy_id)}"])
    if query.organisation_id is not None:
        groups.append([f"o{int(query.organisation_id)}"])
    if query.is_free is not None:
        groups.append(["free" if query.is_free else "paid"])
    ways = [DELIVERY_TAGS[way] for way in DELIVERY if way in query.delivery]
    if ways:
        groups.append(ways)
    if ward_as_tag and query.ward_id is not None:
        groups.append([f"w{int(query.ward_id)}"])
    return groups


def _text_condition(sql: _Sql, plan: search_text.Plan, groups: list[list[str]]) -> None:
    """Every clause of the words (as the database stems them) in the service's text, and every group of tags."""
    if not plan.clauses and not groups:
        return
    if _vendor() == "sqlite":
        parts = [f"{{keywords document}} : ({_fts_plan(plan.clauses)})"] if plan.clauses else []
        parts += [f"tags : ({' OR '.join(group)})" for group in groups]
        sql.add(f"e.service_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)", " AND ".join(parts))
        return
    # One tsvector holds the words and the tags ('#free': no word begins with '#'), unweighted (migration 0003),
    # so one GIN scan answers both exactly: PostgreSQL need not read each row found to check it. It is on each
    # entry (migration 0004), so nothing is joined.
    tsquery, values = _words_and_tags(plan.clauses, groups)
    sql.add(f"e.search_vector @@ {tsquery}", *values)


def _filters(sql: _Sql, query: SearchQuery, *, per_service: bool, by_place: bool) -> None:
    """The conditions on each entry: the ward (for places), times, ages and when it changed."""
    if query.ward_id is not None and not per_service:
        served = f"e.service_id IN (SELECT sw.service_id FROM {SERVICE_WARDS} sw WHERE sw.ward_id = %s)"
        sql.add(f"(e.ward_id = %s OR {served})", query.ward_id, query.ward_id)
    if query.open_at is not None or query.day or query.start_time is not None or query.end_time is not None:
        _hours_condition(sql, query, by_place=by_place)
    if query.minimum_age is not None or query.maximum_age is not None:
        youngest = query.minimum_age if query.minimum_age is not None else query.maximum_age
        oldest = query.maximum_age if query.maximum_age is not None else query.minimum_age
        sql.add("(e.minimum_age IS NULL OR e.minimum_age <= %s)", youngest)
        sql.add("(e.maximum_age IS NULL OR e.maximum_age >= %s)", oldest)
    if query.modified_after is not None:
        sql.add("e.updated_at > %s", connection.ops.adapt_datetimefield_value(query.modified_after))


# Words hold letters and digits only and tags are ours, so nothing in them is FTS5 or tsquery syntax.


def _fts_phrase(phrase: search_text.Phrase) -> str:
    """A phrase for FTS5: its words side by side, unless it has a stop word ('stay and play'), whose places in
    every text FTS5 would have to read; then its other words anywhere (PostgreSQL leaves stop words out too)."""
    words = [word for word in phrase if word not in search_text.STOPWORDS]
    if len(words) == len(phrase):
        return f'"{" ".join(phrase)}"'
    return " AND ".join(f'"{word}"' for word in words) or '""'


def _fts_alternative(alternative: search_text.Alternative) -> str:
    return " AND ".join(_fts_phrase(phrase) for phrase in alternative.phrases)


def _fts_clause(clause: search_text.Clause) -> str:
    return "(" + " OR ".join(f"({_fts_alternative(alt)})" for alt in clause.to_match) + ")"


def _fts_plan(clauses: Sequence[search_text.Clause]) -> str:
    return " AND ".join(_fts_clause(clause) for clause in clauses)


def _ts_alternative(alternative: search_text.Alternative) -> str:
    return " & ".join("(" + " <-> ".join(phrase) + ")" for phrase in alternative.phrases)


def _ts_clause(clause: search_text.Clause) -> str:
    return "(" + " | ".join(f"({_ts_alternative(alt)})" for alt in clause.to_match) + ")"


def _tsquery(clauses: Sequence[search_text.Clause]) -> str:
    """A PostgreSQL tsquery for the clauses, for to_tsquery('english') to stem."""
    return " & ".join(_ts_clause(clause) for clause in clauses)


def _tags_tsquery(groups: list[list[str]]) -> str:
    """A tsquery, as it is written, for every group of tags: the index holds each tag as '#tag', unstemmed."""
    return " & ".join("(" + " | ".join(f"'#{tag}'" for tag in group) + ")" for group in groups)


def _words_and_tags(clauses: Sequence[search_text.Clause], groups: list[list[str]]) -> tuple[str, list[str]]:
    """SQL for one tsquery of the words (stemmed) and the tags (as written), and its values."""
    parts = [("to_tsquery('english', %s)", _tsquery(clauses))] if clauses else []
    parts += [("%s::tsquery", _tags_tsquery(groups))] if groups else []
    return "(" + " && ".join(sql for sql, _ in parts) + ")", [value for _, value in parts]


def _related(plan: search_text.Plan) -> list[search_text.Clause]:
    """The everyday words' meanings, as one clause any of which may match."""
    found = [alt for clause in plan.clauses for alt in clause.alternatives if alt.related]
    return [search_text.Clause(tuple(found))] if found else []


# How much each kind of match weighs: every clause in the service's name or categories (by what was typed or
# what it means) most, then what an everyday word means in them ('food': a lunch club filed under community
# meals before 'Holiday activities and food'), then, among those alike, a word or phrase of them in the
# service's own name and, once more, everything typed in it ('Food bank' before 'Emergency food parcels'; the
# two together weigh less than a meaning); what matches only in the rest of the text weighs nothing. Only the
# first is a pass over the full-text index; the rest are read from each row found. The first outweighs all the
# rest together, so the services with every clause in their names come first: PostgreSQL ranks those alone
# when they fill the page (see _ranked).
EVERY_CLAUSE_IN_NAMES, MEANING_IN_NAMES, IN_OWN_NAME = 6, 3, 1
# At most this many words and phrases are looked for in the name itself.
NAME_PHRASES = 16


def _phrases_in(column: str, phrases: list[str], weight: int) -> tuple[str, list[Any]]:
    """SQL that is `weight` when the folded text in `column` holds any of the phrases from the start of a word
    ('food bank' is in 'food banks'), otherwise 0. No stemming: plain text, read row by row, quick."""
    # The index's text holds one part a line (search_text.document): a line break is a space between words.
    spaced = f"(' ' || REPLACE({column}, %s, ' ') || ' ')"
    return (
        f"CASE WHEN {' OR '.join([f'{spaced} LIKE %s'] * len(phrases))} THEN {weight} ELSE 0 END",
        [value for phrase in phrases for value in ("\n", f"% {phrase}%")],
    )


def _in_names(plan: search_text.Plan, groups: list[list[str]]) -> tuple[str, list[Any]]:
    """SQL that is true when a service has every clause in its names (keywords), and its values: the full-text
    index's own test (stemmed). On SQLite one more pass over the FTS5 index, with the query's own tag filters
    (a category, free, a way of getting help) so that it skips the rest; on PostgreSQL the keywords' own GIN
    index."""
    if _vendor() == "sqlite":
        tags = "".join(f" AND tags : ({' OR '.join(group)})" for group in groups)
        statement = f"e.service_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"
        return statement, [f"keywords : ({_fts_plan(plan.clauses)}){tags}"]
    return "e.keywords_vector @@ to_tsquery('english', %s)", [_tsquery(plan.clauses)]


def _score(plan: search_text.Plan, groups: list[list[str]]) -> tuple[tuple[str, list[Any]], int]:
    """SQL for how well a service matches: the weights above, added up. Only names and categories count
    (keywords in the index); the order among equals is left to distance or name.

    Every clause in them is _in_names. What an everyday word means and the name itself are looked for in the
    text of each row found. Returns the SQL and its values, and the best score any service could have."""
    in_names, values = _in_names(plan, groups)
    parts = [f"CASE WHEN {in_names} THEN {EVERY_CLAUSE_IN_NAMES} ELSE 0 END"]
    params: list[Any] = list(values)
    # SQLite reads a service's keywords once a row, in the subquery below; PostgreSQL has them on the entry.
    keywords = "k.keywords" if _vendor() == "sqlite" else "e.keywords"
    best = EVERY_CLAUSE_IN_NAMES
    meanings = list(
        dict.fromkeys(
            " ".join(phrase) for clause in _related(plan) for alt in clause.alternatives for phrase in alt.phrases
        )
    )[:NAME_PHRASES]
    if meanings:
        sql, values = _phrases_in(keywords, meanings, MEANING_IN_NAMES)
        if _vendor() == "sqlite":
            sql = f"(SELECT {sql} FROM {TEXT} k WHERE k.service_id = e.service_id)"
        parts.append(sql)
        params += values
        best += MEANING_IN_NAMES
    phrases = list(
        dict.fromkeys(
            " ".join(phrase)
            for clause in plan.clauses
            for alt in clause.alternatives
            for phrase in alt.phrases
            if len(" ".join(phrase)) >= search_text.MIN_CORRECTABLE
        )
    )[:NAME_PHRASES]
    if phrases:
        sql, values = _phrases_in("e.sort_name", phrases, IN_OWN_NAME)
        parts.append(sql)
        params += values
        best += IN_OWN_NAME
        # And more when the name holds everything typed ('Food bank' before 'Emergency food parcels').
        every: list[str] = []
        for clause in plan.clauses:
            either: list[str] = []
            for alt in clause.alternatives:
                if not alt.related:
                    both = [_phrases_in("e.sort_name", [" ".join(phrase)], 1) for phrase in alt.phrases]
                    either.append("(" + " AND ".join(f"{sql} = 1" for sql, _ in both) + ")")
                    params += [value for _, values in both for value in values]
            every.append("(" + " OR ".join(either) + ")")
        parts.append(f"CASE WHEN {' AND '.join(every)} THEN {IN_OWN_NAME} ELSE 0 END")
        best += IN_OWN_NAME
    return ("(" + " + ".join(parts) + ")", params), best


def _run(statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def _tune_connection() -> None:
    if _vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")


def _to_metres(squared: float | None) -> float | None:
    return None if squared is None else math.sqrt(max(squared, 0.0)) * search_text.METRES_PER_DEGREE


Found = tuple[list[SearchHit], int]
COLUMNS = "e.service_id, e.location_id, e.service_at_location_id"
# Services one organisation lists under one name (the same help at several places) show as one result.
ONE_PER_SERVICE = ("e.service_id",)
ONE_PER_NAME = ("e.organisation_id", "e.sort_name")


def _count(sql: _Sql, *, distinct: Sequence[str] = ()) -> int:
    if not distinct:
        return int(_run(f"SELECT COUNT(*) FROM {sql.source} WHERE {sql.clause}", sql.params)[0][0])
    inner = f"SELECT DISTINCT {', '.join(distinct)} FROM {sql.source} WHERE {sql.clause}"
    return int(_run(f"SELECT COUNT(*) FROM ({inner}) d", sql.params)[0][0])


def _by_name(sql: _Sql, offset: int, limit: int) -> Found:
    statement = f"SELECT {COLUMNS} FROM {sql.source} WHERE {sql.clause} ORDER BY e.sort_name, e.service_id, e.id"
    rows = _run(f"{statement} LIMIT %s OFFSET %s", [*sql.params, limit, offset])
    # A short page tells the total without counting.
    total = offset + len(rows) if len(rows) < limit and (rows or not offset) else _count(sql)
    return [SearchHit(*row) for row in rows], total


@dataclass
class _Ranked:
    """One page of ranked hits, with what the ring search needs: each hit's group and score."""

    hits: list[SearchHit]
    total: int
    groups: list[tuple[int, str]]  # (organisation id, sort name) of each hit
    scores: list[float]


def _ranked(
    sql: _Sql,
    *,
    score: tuple[str, list[Any]],
    distance: tuple[str, list[Any]] | None,
    one_per: Sequence[str],
    offset: int,
    limit: int,
    top: tuple[str, list[Any]] | None = None,
) -> _Ranked:
    """Best score first, then nearest (when there is a place to be near), then by name: every match is scored
    in one statement. With `one_per`, each service (or each name of an organisation) once, at its best entry,
    with how many other entries it stands for.

    With `top` (_in_names: every clause in the names), the matches it picks, which outrank every other, are
    ranked first on their own; when they fill the page, the rest are only counted. A broad search ('debt'
    within five miles: eleven thousand services, a few thousand with 'debt' in their names) then scores a
    fraction of what it finds. A service's entries share its names, so they are all among the best or none is."""
    if top is not None:
        first = sql.copy()
        first.add(top[0], *top[1])
        page = _ranked(first, score=score, distance=distance, one_per=one_per, offset=offset, limit=limit)
        if len(page.hits) == limit:
            # How many other places each name stands for is counted over everything found, as is the total.
            page.total = _count_others(sql, page) if one_per == ONE_PER_NAME else _count(sql, distinct=one_per)
            return page
    score_sql, score_params = score
    distance_sql, distance_params = distance if distance is not None else ("NULL", [])
    inner = (
        f"SELECT e.id, {COLUMNS}, e.organisation_id, e.sort_name, {score_sql} AS score, {distance_sql} AS distance "
        f"FROM {sql.source} WHERE {sql.clause}"
    )
    params = [*score_params, *distance_params, *sql.params]
    # SQLite would work the score out again for every place the statement below names it (it folds a subquery
    # into the one around it): made once into a table of its own, a broad search takes two thirds of the time.
    # PostgreSQL computes each row's score once either way, and would lose its plans for the rows it keeps.
    with_scores = f"WITH y AS MATERIALIZED ({inner}) " if _vendor() == "sqlite" else ""
    scored = "y" if with_scores else f"({inner}) y"
    order = "score DESC, distance, sort_name, service_id, id"
    shown = "service_id, location_id, service_at_location_id, distance, {others}, organisation_id, sort_name, score"
    if one_per:
        keys = ", ".join(column.replace("e.", "y.") for column in one_per)
        others = f"COUNT(*) OVER (PARTITION BY {keys}) - 1" if one_per == ONE_PER_NAME else "0"
        statement = (
            f"{with_scores}SELECT {shown.format(others='x.others')}, COUNT(*) OVER () "
            f"FROM (SELECT y.*, ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY y.score DESC, y.distance, y.service_id,"
            f" y.id) AS nth, {others} AS others FROM {scored}) x WHERE x.nth = 1 "
            f"ORDER BY {', '.join(f'x.{part}' for part in order.split(', '))} LIMIT %s OFFSET %s"
        )
    else:
        statement = (
            f"{with_scores}SELECT {shown.format(others='0')}, COUNT(*) OVER () "
            f"FROM {scored} ORDER BY {', '.join(f'y.{part}' for part in order.split(', '))} LIMIT %s OFFSET %s"
        )
    rows = _run(statement, [*params, limit, offset])
    total = int(rows[0][-1]) if rows else (_count(sql, distinct=one_per) if offset else 0)
    return _Ranked(
        hits=[SearchHit(s, loc, sal, _to_metres(d), int(n)) for s, loc, sal, d, n, *_ in rows],
        total=total,
        groups=[(row[5], row[6]) for row in rows],
        scores=[float(row[7]) for row in rows],
    )


def _within(sql: _Sql, near: tuple[float, float], metres: float | None, distance: tuple[str, list[Any]]) -> _Sql:
    """The conditions and these: a place, inside the box around `near`, and no further than `metres`."""
    ring = sql.copy()
    ring.add("e.latitude IS NOT NULL")
    if metres is not None:
        box = search_text.bounding_box(near[0], near[1], metres)
        ring.add("e.latitude BETWEEN %s AND %s", box.min_lat, box.max_lat)
        ring.add("e.longitude BETWEEN %s AND %s", box.min_lon, box.max_lon)
        expression, params = distance
        ring.add(f"{expression} <= %s", *params, (metres / search_text.METRES_PER_DEGREE) ** 2)
    return ring


DISTANCE = "((e.latitude - %s) * (e.latitude - %s) + (e.longitude - %s) * (e.longitude - %s) * %s)"


def _distance(near: tuple[float, float]) -> tuple[str, list[Any]]:
    """SQL for the square of the distance from `near` in degrees of latitude (equirectangular), and its values."""
    lat, lon = near
    return DISTANCE, [lat, lat, lon, lon, math.cos(math.radians(lat)) ** 2]


def _nearest(
    sql: _Sql,
    near: tuple[float, float],
    within: float | None,
    offset: int,
    limit: int,
    *,
    one_per: Sequence[str],
    score: tuple[str, list[Any]] = ("0", []),
    best: float = 0,
    top: tuple[str, list[Any]] | None = None,
) -> Found:
    """Best score first, then nearest, reading ring by ring until a ring fills the page with the best score any
    service can have (nothing further away can come before them), then counting up to `within`."""
    distance = _distance(near)
    # SQLite sorts and numbers rows slowly, so it reads outwards ring by ring and counts the rest apart.
    # PostgreSQL sorts quickly but would match the words again for each ring: it reads everything in one
    # statement unless there is no limit to the distance at all.
    if _vendor() == "sqlite":
        radii: list[float | None] = [r for r in RINGS if within is None or r < within * 0.75]
    else:
        radii = list(RINGS) if within is None else []
    radii.append(within)
    for n, radius in enumerate(radii):
        ring = _within(sql, near, radius, distance)
        page = _ranked(ring, score=score, distance=distance, one_per=one_per, offset=offset, limit=limit, top=top)
        if n == len(radii) - 1:
            return page.hits, page.total
        if len(page.hits) == limit and page.scores[-1] >= best:
            everywhere = _within(sql, near, within, distance)
            if one_per == ONE_PER_NAME:  # the other places of each result anywhere within the distance
                total = _count_others(everywhere, page)
                return page.hits, total
            return page.hits, _count(everywhere, distinct=one_per)
    return [], 0  # not reached: the last ring always returns


def _count_others(sql: _Sql, page: _Ranked) -> int:
    """Set each hit's count of other places of its name to the count over everything `sql` finds, and return how
    many names of organisations it finds (the total, in the same statement)."""
    organisations = sorted({organisation for organisation, _ in page.groups})
    grouped = (
        f"SELECT e.organisation_id, e.sort_name, COUNT(*) - 1 AS others, COUNT(*) OVER () AS total "
        f"FROM {sql.source} WHERE {sql.clause} GROUP BY e.organisation_id, e.sort_name"
    )
    statement = f"SELECT * FROM ({grouped}) g WHERE g.organisation_id IN ({_placeholders(organisations)})"
    rows = _run(statement, [*sql.params, *organisations])
    counts = {(row[0], row[1]): int(row[2]) for row in rows}
    page.hits = [
        SearchHit(hit.service_id, hit.location_id, hit.service_at_location_id, hit.distance_metres, counts.get(g, 0))
        for hit, g in zip(page.hits, page.groups, strict=True)
    ]
    return int(rows[0][3]) if rows else 0


def _prepared(query: SearchQuery, unit: str) -> tuple[_Sql, search_text.Plan, list[list[str]], bool]:
    """The conditions of a search: (statement parts, what its words mean, its tag filters, nearest place per
    service)."""
    _tune_connection()
    plan = read_words(query.words)
    by_place = unit == "service_at_location"
    pick_nearest = not by_place and query.near is not None
    per_service = not by_place and not pick_nearest
    sql = _Sql()
    if per_service:
        sql.add("e.is_first = %s", True)
    if by_place:
        sql.add("e.service_at_location_id IS NOT NULL")
    groups = _tag_groups(query, ward_as_tag=per_service)
    _text_condition(sql, plan, groups)
    _filters(sql, query, per_service=per_service, by_place=by_place)
    return sql, plan, groups, pick_nearest


def every_hit_id(query: SearchQuery, *, unit: str = "service", chunk: int = 500) -> Iterator[list[int]]:
    """The ids of everything the query finds (services, or services at their locations), `chunk` at a time in
    id order, for bulk readers (format=ndjson): keyset paging on the id, so no OFFSET and no count, and each
    chunk costs the same however far in it is."""
    if unit not in UNITS:
        raise ValueError(f"Search for a unit of {' or '.join(UNITS)}, not {unit!r}.")
    sql, _, _, _ = _prepared(query, unit)
    if query.near is not None:
        sql = _within(sql, query.near, query.within_metres, _distance(query.near))
    column = f"e.{unit}_id"
    statement = (
        f"SELECT DISTINCT {column} FROM {sql.source} WHERE {sql.clause} AND {column} > %s ORDER BY {column} LIMIT %s"
    )
    last = 0
    while True:
        ids = [int(row[0]) for row in _run(statement, [*sql.params, last, chunk])]
        if ids:
            yield ids
        if len(ids) < chunk:
            return
        last = ids[-1]


def search_services(
    query: SearchQuery, *, page: int = 1, per_page: int = 20, unit: str = "service", one_per_name: bool = False
) -> SearchPage:
    """The services that match every part of the query, one page of them, best first.

    `one_per_name` (unit "service" only): an organisation's services of one name, at several places, are one hit
    (the best or nearest of them), which says how many other places it stands for."""
    if unit not in UNITS:
        raise ValueError(f"Search for a unit of {' or '.join(UNITS)}, not {unit!r}.")
    page, per_page = max(1, int(page)), max(1, int(per_page))
    sql, plan, groups, pick_nearest = _prepared(query, unit)
    offset = (page - 1) * per_page
    grouped = one_per_name and unit == "service"
    one_per: Sequence[str] = ONE_PER_NAME if grouped else ONE_PER_SERVICE if pick_nearest else ()
    asked = bool(plan.clauses or sql.where[1:])
    score, best = _score(plan, groups) if plan.clauses else (("0", []), 0)
    # PostgreSQL ranks the best matches apart (see _ranked); on SQLite that was no quicker over the mix.
    top = _in_names(plan, groups) if plan.clauses and _vendor() == "postgresql" else None
    if query.near is not None:
        hits, total = _nearest(
            sql, query.near, query.within_metres, offset, per_page, one_per=one_per, score=score, best=best, top=top
        )
    elif plan.clauses or (grouped and asked):
        page_ = _ranked(sql, score=score, distance=None, one_per=one_per, offset=offset, limit=per_page, top=top)
        hits, total = page_.hits, page_.total
    else:
        # The whole directory A to Z (nobody asked anything): read in name order from the index, not grouped.
        hits, total = _by_name(sql, offset, per_page)
    return SearchPage(hits=hits, total=total, page=page, per_page=per_page, suggestion=plan.suggestion)


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
    """Whether any service holds the word, as the database stems it ('cooking' is known if 'cook' is)."""
    if _vendor() == "sqlite":
        statement = f"SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s LIMIT 1"
        return bool(_run(statement, [f'{{keywords document}} : "{word}"']))
    statement = f"SELECT 1 FROM {ENTRY} WHERE search_vector @@ to_tsquery('english', %s) LIMIT 1"
    one = search_text.Clause((search_text.Alternative(((word,),)),))
    return bool(_run(statement, [_tsquery([one])]))


def read_words(text: str) -> search_text.Plan:
    """What the words typed mean (search_text.read_query), against the words the index holds."""
    if not search_text.query_words(text):
        return search_text.Plan()
    known = vocabulary()
    everyday = search_text.synonyms().words
    if not all(word in known or word in everyday for word in search_text.query_words(text)):
        known = vocabulary(refresh=True)
    return search_text.read_query(text, vocabulary=known, is_known=_index_knows)


# --- writing the index ---------------------------------------------------------------------------

CHUNK = 5000


# What an entry copies from its service for the filters (cost, how it is delivered, ages) and for 'latest first'.
_FACTS = ("is_free", "in_person", "by_phone", "online", "minimum_age", "maximum_age", "updated_at")
_ENTRY_COLUMNS = (
    "service_id",
    "organisation_id",
    "location_id",
    "service_at_location_id",
    "ward_id",
    "latitude",
    "longitude",
    *_FACTS,
    "is_first",
    "name",
    "sort_name",
)
_TEXT_COLUMNS = ("keywords", "document", "tags")
_INSERTS = (
    (ENTRY, _ENTRY_COLUMNS),
    (TEXT, ("service_id", *_TEXT_COLUMNS)),
    (HOURS, ("service_id", "service_at_location_id", "day", "opens", "closes", "valid_from", "valid_to")),
)


def _words_on_entries() -> bool:
    """Whether each entry carries its service's words (PostgreSQL: its full-text index is on the entries,
    migration 0004; SQLite's FTS5 table reads SearchText)."""
    return _vendor() == "postgresql"


def _inserts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not _words_on_entries():
        return _INSERTS
    (entry, columns), *rest = _INSERTS
    return ((entry, (*columns, *_TEXT_COLUMNS)), *rest)


_SERVICE_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "description",
    "eligibility_description",
    "fees_description",
    "languages",
    *_FACTS,
    "organisation__name",
    "organisation__description",
)
_PLACE_FIELDS = ("id", "service_id", "location_id")
_LOCATION_FIELDS = (
    "id",
    "listing_status",
    "name",
    *ADDRESS_FIELDS,
    "ward_id",
)
_SCHEDULE_FIELDS = ("service_id", "service_at_location_id", "byday", "opens_at", "closes_at", "valid_from", "valid_to")


@dataclass
class _Lookups:
    """What every chunk needs: each term's name, parent and vocabulary, and ward names."""

    terms: dict[int, tuple[str, int | None, int]]
    wards: dict[int, str]
    term_descriptions: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Lookups:
        terms: dict[int, tuple[str, int | None, int]] = {}
        descriptions: dict[int, str] = {}
        for pk, name, parent, taxonomy, description in TaxonomyTerm.objects.values_list(
            "id", "name", "parent_id", "taxonomy_id", "description"
        ):
            terms[pk] = (name, parent, taxonomy)
            descriptions[pk] = description
        return cls(terms=terms, wards=dict(Ward.objects.values_list("id", "name")), term_descriptions=descriptions)

    def lineage(self, term_id: int) -> list[int]:
        """The term and every term above it."""
        found: list[int] = []
        current: int | None = term_id
        while current is not None and current in self.terms and current not in found:
            found.append(current)
            current = self.terms[current][1]
        return found


@dataclass(frozen=True)
class _Chunk:
    """Some services to index: these ids, or (reindexing everything) every id from `low` to `high`."""

    ids: list[int] | None = None
    low: int = 0
    high: int = 0

    def of(self, field: str) -> dict[str, Any]:
        """The filter on `field` (a service id) that picks this chunk's rows."""
        if self.ids is not None:
            return {f"{field}__in": self.ids}
        return {f"{field}__gte": self.low, f"{field}__lte": self.high}


def _chunks(ids: Iterable[int] | None) -> Iterator[_Chunk]:
    if ids is None:
        # Ranges of ids, not lists: Django prepares a long IN list one value at a time.
        bounds = Service.objects.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return
        for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
            yield _Chunk(low=low, high=low + CHUNK - 1)
        return
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        part = unique[start : start + CHUNK]
        if part[-1] - part[0] + 1 == len(part):
            # Every id in between (an import's new services): a range, which the database reads by its key.
            yield _Chunk(low=part[0], high=part[-1])
        else:
            yield _Chunk(ids=part)


def _hours_rows(schedule: tuple[Any, ...], ops: Any) -> list[tuple[Any, ...]]:
    """A weekly schedule as one row per day it names (minutes from midnight; closing at midnight is 1440)."""
    service_id, place_id, byday, opens_at, closes_at, valid_from, valid_to = schedule
    opens = _minutes(opens_at) if opens_at is not None else None
    closes = _minutes(closes_at) if closes_at is not None else None
    if opens is not None and closes is not None and closes <= opens:
        closes = 24 * 60  # '10pm to midnight', or overnight: open until the day ends
    days = sorted({DAYS.index(code) for code in (part.strip().upper() for part in byday.split(",")) if code in DAYS})
    start = ops.adapt_datefield_value(valid_from)
    end = ops.adapt_datefield_value(valid_to)
    return [(service_id, place_id, day, opens, closes, start, end) for day in days]


@dataclass
class _Rows:
    entries: list[tuple[Any, ...]] = field(default_factory=list)
    texts: list[tuple[int, str, str, str]] = field(default_factory=list)
    hours: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class _Read:
    """What the database holds for a chunk's services, read in full before anything is made of it."""

    services: list[tuple[Any, ...]] = field(default_factory=list)
    terms: list[tuple[int, int]] = field(default_factory=list)
    links: list[tuple[int, int, int]] = field(default_factory=list)
    locations: list[tuple[Any, ...]] = field(default_factory=list)
    wards_served: list[tuple[int, int]] = field(default_factory=list)
    schedules: list[tuple[Any, ...]] = field(default_factory=list)


def _read(chunk: _Chunk) -> _Read:
    """Every read goes by primary or foreign key, and who is public is decided here rather than in SQL:
    without statistics SQLite takes `listing_status = 'published'` for a rare value and scans by it."""
    services = Service.objects.filter(**chunk.of("pk")).values_list(
        *_SERVICE_FIELDS, "listing_status", "status", "organisation__listing_status"
    )
    read = _Read(services=[row[: len(_SERVICE_FIELDS)] for row in services if is_public_service(*row[-3:])])
    if not read.services:
        return read
    read.terms = list(
        Service.terms.through.objects.filter(**chunk.of("service_id")).values_list("service_id", "taxonomyterm_id")
    )
    service_places = ServiceAtLocation.objects.filter(**chunk.of("service_id"))
    read.links = list(service_places.values_list(*_PLACE_FIELDS))
    # The places by a subquery, not a list of thousands of ids that Django would prepare one at a time.
    read.locations = list(
        Location.objects.filter(pk__in=service_places.values("location_id")).values_list(
            *_LOCATION_FIELDS, "organisation__listing_status"
        )
    )
    read.wards_served = list(
        Service.wards_served.through.objects.filter(**chunk.of("service_id")).values_list("service_id", "ward_id")
    )
    read.schedules = list(
        Schedule.objects.filter(**chunk.of("service_id"), freq=Schedule.Freq.WEEKLY).values_list(*_SCHEDULE_FIELDS)
    )
    return read


def _rows_for(read: _Read, lookups: _Lookups) -> _Rows:
    """The index rows for these services: entries, words and weekly hours (no query: see _read)."""
    found = read.services
    out = _Rows()
    if not found:
        return out
    public = {row[0] for row in found}
    terms: dict[int, list[int]] = {}
    own: dict[int, list[int]] = {}
    for service_id, term_id in read.terms:
        terms.setdefault(service_id, []).extend(lookups.lineage(term_id))
        own.setdefault(service_id, []).append(term_id)
    located = {row[0]: row[:-1] for row in read.locations if is_public_place(row[1], row[-1])}
    places: dict[int, list[tuple[Any, ...]]] = {}
    for sal_id, service_id, location_id in sorted(read.links, key=lambda link: (link[1], link[0])):
        location = located.get(location_id)
        if location is not None:
            places.setdefault(service_id, []).append((sal_id, *location))
    served: dict[int, list[int]] = {}
    for service_id, ward_id in read.wards_served:
        served.setdefault(service_id, []).append(ward_id)
    ops = connection.ops  # once: the connection is a per-thread proxy, slow to ask for every row
    adapt_time = ops.adapt_datetimefield_value
    with_words = _words_on_entries()
    for schedule in read.schedules:
        if schedule[0] in public:
            out.hours.extend(_hours_rows(schedule, ops))

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
        # A place: (service at location id, location id, status, name, address 1 and 2, city, postcode,
        # latitude, longitude, ward id).
        own_places = places.get(pk, [])
        place_text = [
            " ".join(str(part) for part in (*place[3:8], lookups.wards.get(place[10]) or "") if part)
            for place in own_places
        ]
        own_terms = list(dict.fromkeys(terms.get(pk, [])))
        direct = [term for term in dict.fromkeys(own.get(pk, [])) if term in lookups.terms]
        broader = [term for term in own_terms if term not in direct]
        wards = list(dict.fromkeys([*(place[10] for place in own_places if place[10]), *served.get(pk, [])]))
        # What weighs most in ranking: the service's own name and its own categories. Its organisation's name
        # and the broader categories ('Money and debt' above 'Benefits advice') say less about this service.
        keywords = search_text.document(name, " ".join(lookups.terms[term][0] for term in direct))
        body = search_text.document(
            organisation_name,
            " ".join(lookups.terms[term][0] for term in broader),
            " ".join(lookups.term_descriptions.get(term, "") for term in direct),
            description,
            eligibility,
            fees,
            languages,
            organisation_description,
            *place_text,
            " ".join(lookups.wards.get(ward, "") for ward in served.get(pk, [])),
        )[:20000]
        tags = [
            *(f"t{term}" for term in own_terms),
            *(f"x{taxonomy}" for taxonomy in dict.fromkeys(lookups.terms[term][2] for term in own_terms)),
            f"o{organisation_id}",
            *(f"w{ward}" for ward in wards),
            "free" if is_free else "paid",
            *(tag for tag, on in (("inperson", in_person), ("byphone", by_phone), ("online", online)) if on),
        ]
        words = (keywords, body, " ".join(tags))
        out.texts.append((pk, *words))
        when = adapt_time(updated_at)
        shared = (is_free, in_person, by_phone, online, minimum_age, maximum_age, when)
        # The name, and on PostgreSQL the words (see _inserts).
        last = (name, search_text.fold(name)[:200], *(words if with_words else ()))
        if not own_places:
            out.entries.append((pk, organisation_id, None, None, None, None, None, *shared, True, *last))
        for n, place in enumerate(own_places):
            sal_id, location_id, *_, latitude, longitude, ward_id = place
            out.entries.append(
                (pk, organisation_id, location_id, sal_id, ward_id, latitude, longitude, *shared, n == 0, *last)
            )
    return out


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


# SQLite's triggers that keep the FTS5 table in step with SearchText, as migration 0002 made them.
# Reindexing everything, or most of it (see _rebuild_fts), drops them, writes the rows, rebuilds the FTS5
# table in one pass (a quarter of the time of a trigger per row) and makes them again, all in one transaction.
SQLITE_TRIGGERS = {
    "directory_searchtext_fts_insert": (
        "CREATE TRIGGER directory_searchtext_fts_insert AFTER INSERT ON directory_searchtext BEGIN "
        "INSERT INTO directory_search_fts(rowid, keywords, document, tags) "
        "VALUES (new.service_id, new.keywords, new.document, new.tags); END"
    ),
    "directory_searchtext_fts_delete": (
        "CREATE TRIGGER directory_searchtext_fts_delete AFTER DELETE ON directory_searchtext BEGIN "
        "INSERT INTO directory_search_fts(directory_search_fts, rowid, keywords, document, tags) "
        "VALUES ('delete', old.service_id, old.keywords, old.document, old.tags); END"
    ),
    "directory_searchtext_fts_update": (
        "CREATE TRIGGER directory_searchtext_fts_update AFTER UPDATE ON directory_searchtext BEGIN "
        "INSERT INTO directory_search_fts(directory_search_fts, rowid, keywords, document, tags) "
        "VALUES ('delete', old.service_id, old.keywords, old.document, old.tags); "
        "INSERT INTO directory_search_fts(rowid, keywords, document, tags) "
        "VALUES (new.service_id, new.keywords, new.document, new.tags); END"
    ),
}
INDEX_TABLES = (ENTRY, TEXT, HOURS)
# Reindexing at least this many services (and half the directory or more) rebuilds the FTS5 table in one pass.
FTS_REBUILD_AT = 2000
# PostgreSQL's GIN indexes on SearchEntry, as migration 0004 made them. Rebuilding everything drops them
# and builds each in one pass at the end, many times quicker than adding 100,000 rows to each; the
# table is locked for searches meanwhile, so only a full rebuild does it.
POSTGRESQL_INDEXES = {
    f"directory_searchentry_{column}": f"CREATE INDEX directory_searchentry_{column} ON {ENTRY} USING GIN ({column})"
    for column in ("search_vector", "keywords_vector")
}


def services_shown_by(organisation_id: int) -> list[int]:
    """The services whose index rows an organisation's listing status shapes: its own, and other groups'
    services held at its locations (withdrawing an organisation hides its locations from the public)."""
    own = Service.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    hosted = ServiceAtLocation.objects.filter(location__organisation_id=organisation_id).values_list(
        "service_id", flat=True
    )
    return sorted({*own, *hosted})


def _rebuild_fts(ids: Sequence[int] | None) -> bool:
    """Whether to write the index without SQLite's FTS triggers and rebuild the FTS5 table once at the end.

    A rebuild reads every service's words, so it pays only when most of them are being written anyway:
    everything, or an import that brings as many services as the directory had (its first big file)."""
    if _vendor() != "sqlite":
        return False
    if ids is None:
        return True
    return len(ids) >= FTS_REBUILD_AT and 2 * len(ids) >= Service.objects.count()


def _write_index_rows(cursor: Any, rows: _Rows, counts: dict[str, int]) -> None:
    for (table, columns), values in zip(_inserts(), (rows.entries, rows.texts, rows.hours), strict=True):
        write_rows(cursor, table, columns, values)
    for word, n in search_text.count_words(f"{keywords}\n{body}" for _, keywords, body, _ in rows.texts).items():
        counts[word] = counts.get(word, 0) + n


@transaction.atomic
def reindex_services(ids: Iterable[int] | None = None) -> None:
    """Bring the search index up to date for these services (None: every service)."""
    everything = ids is None
    wanted = None if ids is None else sorted(set(ids))
    in_bulk = _rebuild_fts(wanted)
    gin_in_bulk = everything and _vendor() == "postgresql"
    lookups = _Lookups.load()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if in_bulk:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if gin_in_bulk:
            for name in POSTGRESQL_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if everything:
            for table in INDEX_TABLES:
                cursor.execute(f"DELETE FROM {table}")
        with streamed_copies():
            # Each chunk is read before the last one's rows are handed over to be written, so that on
            # PostgreSQL the server stores one chunk while this process makes the next.
            made: _Rows | None = None
            for chunk in _chunks(wanted):
                if chunk.ids is not None:
                    for table in INDEX_TABLES:
                        sql = f"DELETE FROM {table} WHERE service_id IN ({_placeholders(chunk.ids)})"
                        cursor.execute(sql, chunk.ids)
                elif not everything:
                    for table in INDEX_TABLES:
                        sql = f"DELETE FROM {table} WHERE service_id BETWEEN %s AND %s"
                        cursor.execute(sql, [chunk.low, chunk.high])
                read = _read(chunk)
                if made is not None:
                    _write_index_rows(cursor, made, counts)
                made = _rows_for(read, lookups)
            if made is not None:
                _write_index_rows(cursor, made, counts)
        if in_bulk:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
            for statement in SQLITE_TRIGGERS.values():
                cursor.execute(statement)
        if gin_in_bulk:
            # The rows' foreign keys are checked at commit; an index cannot be built while checks wait.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in POSTGRESQL_INDEXES.values():
                cursor.execute(statement)
        if everything:
            # Fresh statistics, so the planner knows how the new rows spread (first entries, places, days).
            for table in INDEX_TABLES:
                cursor.execute(f"ANALYZE {table}")
    _write_words(counts, replace=everything)
    changes.changed()  # what the search finds may differ: Find help and the API make their pages afresh
