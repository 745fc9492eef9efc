"""The kept aggregates of a consultation's results: counts per question, option, ward and monitoring answer,
kept up to date as each response is submitted, so the results page reads a few hundred rows, not 50,000
responses. The analysis area owns the tables (models_analysis) and the reading; responding calls `count_response`
inside the transaction that submits a response, so a response is counted exactly once or not at all.

`rebuild` works the same counts out again from the answers (a few GROUP BY queries): after a bulk load, or to
check the kept ones (tests prove the two agree).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, IntegerField, Value, When

from . import monitoring
from .models import Answer, Consultation, Monitoring, Question, Response
from .models_analysis import ANSWERED, EVERY_WARD, OUTSIDE, WARD_NOT_KNOWN, CountedResponse, GroupSize, Tally

# The monitoring answers results may be filtered by (ethnicity by its broad group).
FIELDS: tuple[str, ...] = tuple(monitoring.FILTERS)

GroupKey = tuple[int, str, str]  # (ward, field, value)
TallyKey = tuple[int, int, int, int, str, str]  # (question, option, rank, ward, field, value)


def groups_of(ward_id: int | None, answers: dict[str, str]) -> list[GroupKey]:
    """The groups one respondent is counted in: everyone, their ward, each monitoring answer ("" when not
    given), and their ward with each monitoring answer."""
    ward = ward_id if ward_id is not None else WARD_NOT_KNOWN
    found: list[GroupKey] = [(EVERY_WARD, "", ""), (ward, "", "")]
    for name in FIELDS:
        value = answers.get(name, "")
        found += [(EVERY_WARD, name, value), (ward, name, value)]
    return found


def monitoring_answers(given: Monitoring | None) -> dict[str, str]:
    """A response's monitoring answers as the filters read them."""
    if given is None:
        return {}
    return {name: getattr(given, name, "") or "" for name in FIELDS}


def pin_ward(lat: float | None, lon: float | None) -> int:
    from commonweal.places.services import ward_for_point

    if lat is None or lon is None:
        return OUTSIDE
    ward = ward_for_point(lat, lon)
    return ward.pk if ward is not None else OUTSIDE


class PinWards:
    """Which ward each of many pins is in: the wards' boundaries read once (for a rebuild or an export), not one
    query per pin."""

    def __init__(self) -> None:
        from shapely.geometry import shape
        from shapely.prepared import prep

        from commonweal.places.models import Ward

        self.wards = [
            (pk, name, (min_lat, max_lat, min_lon, max_lon), prep(shape(boundary)))
            for pk, name, min_lat, max_lat, min_lon, max_lon, boundary in Ward.objects.values_list(
                "pk", "name", "min_lat", "max_lat", "min_lon", "max_lon", "boundary"
            )
            if boundary
        ]
        self.names = {pk: name for pk, name, _box, _shape in self.wards}

    def ward(self, lat: float | None, lon: float | None) -> int:
        """The pin's ward id, or OUTSIDE."""
        from shapely.geometry import Point

        if lat is None or lon is None:
            return OUTSIDE
        point = None
        for pk, _name, (min_lat, max_lat, min_lon, max_lon), prepared in self.wards:
            if min_lat is not None and not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
                continue
            point = point or Point(lon, lat)
            if prepared.covers(point):
                return pk
        return OUTSIDE


def has_answer(kind: str, choices: Any, scale: int | None, text: str, lat: float | None) -> bool:
    """An answer that says something (an empty one, kept by a draft, is not counted as answered)."""
    if kind == Question.Kind.TEXT:
        return bool(text)
    if kind == Question.Kind.SCALE:
        return scale is not None
    if kind == Question.Kind.PIN:
        return lat is not None
    return bool(choices)


def answer_rows(kind: str, choices: list[int], scale: int | None, pin: int) -> list[tuple[int, int]]:
    """The (option, rank) rows one answer adds to, beside ANSWERED (a position that is not a whole number, which
    responding never stores, is left out rather than failing the submission)."""
    choices = [int(p) for p in choices if isinstance(p, int) or (isinstance(p, str) and p.isdigit())]
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
        return [(int(position), 0) for position in dict.fromkeys(choices)]
    if kind == Question.Kind.RANKING:
        return [(int(position), place) for place, position in enumerate(dict.fromkeys(choices), start=1)]
    if kind == Question.Kind.SCALE and scale is not None:
        return [(scale, 0)]
    if kind == Question.Kind.PIN:
        return [(pin, 0)]
    return []


def _upsert(table: str, columns: list[str], unique: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Add each row's count to the kept one, making the row if it is new: one statement per row, run together;
    the database does the adding, so two submissions at once never lose a count (SQLite and PostgreSQL alike)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    count = quote("count")
    # Names come from the models' own tables and columns, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(quote(c) for c in unique)}) "
        f"DO UPDATE SET {count} = {quote(table)}.{count} + EXCLUDED.{count}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def count_response(response: Response) -> None:
    """Add one submitted response to its consultation's kept counts (in the caller's transaction). A response
    is counted once: counting it again, or counting a draft, does nothing."""
    if response.status != Response.Status.SUBMITTED:
        return
    try:
        with transaction.atomic():
            CountedResponse.objects.create(response=response)
    except IntegrityError:
        return  # counted already
    given = Monitoring.objects.filter(response=response).first()
    groups = groups_of(response.ward_id, monitoring_answers(given))
    counts: Counter[tuple[int, int, int]] = Counter()
    answers = Answer.objects.filter(response=response).select_related("question")
    for answer in answers:
        kind = answer.question.kind
        if not has_answer(kind, answer.choices, answer.scale, answer.text, answer.lat):
            continue
        counts[(answer.question_id, ANSWERED, 0)] += 1
        pin = pin_ward(answer.lat, answer.lon) if kind == Question.Kind.PIN else OUTSIDE
        for option, rank in answer_rows(kind, list(answer.choices or []), answer.scale, pin):
            counts[(answer.question_id, option, rank)] += 1
    consultation_id = response.consultation_id
    _upsert(
        GroupSize._meta.db_table,
        ["consultation_id", "ward", "field", "value", "count"],
        ["consultation_id", "ward", "field", "value"],
        [(consultation_id, *group, 1) for group in groups],
    )
    if counts:
        _upsert(
            Tally._meta.db_table,
            ["consultation_id", "question_id", "option", "rank", "ward", "field", "value", "count"],
            ["question_id", "option", "rank", "ward", "field", "value"],
            [
                (consultation_id, question, option, rank, *group, n)
                for (question, option, rank), n in counts.items()
                for group in groups
            ],
        )


def _filled() -> Case:
    """1 when an answer says something (see has_answer), in SQL."""
    return Case(
        When(question__kind=Question.Kind.TEXT, text="", then=Value(0)),
        When(question__kind=Question.Kind.SCALE, scale__isnull=True, then=Value(0)),
        When(question__kind=Question.Kind.PIN, lat__isnull=True, then=Value(0)),
        When(
            question__kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING],
            choices=[],
            then=Value(0),
        ),
        default=Value(1),
        output_field=IntegerField(),
    )


def _choices(raw: Any) -> list[int]:
    if isinstance(raw, str):
        raw = json.loads(raw)
    return list(raw or [])


def rebuild(consultation: Consultation) -> dict[str, int]:
    """Work out the consultation's kept counts again from its submitted responses and answers, replacing the
    kept ones, and mark every submitted response counted. Returns how many rows it wrote."""
    submitted = Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)
    sizes: Counter[GroupKey] = Counter()
    tallies: Counter[TallyKey] = Counter()
    kinds = dict(consultation.questions.values_list("pk", "kind"))
    # Group sizes: one query per monitoring question (and one for wards).
    for name in ("", *FIELDS):
        column = f"monitoring__{name}" if name else None
        keys = ["ward_id", column] if column else ["ward_id"]
        for row in submitted.values(*keys).annotate(n=Count("pk")).order_by():
            ward = row["ward_id"] if row["ward_id"] is not None else WARD_NOT_KNOWN
            if column:
                value = row[column] or ""
                sizes[(EVERY_WARD, name, value)] += row["n"]
                sizes[(ward, name, value)] += row["n"]
            else:
                sizes[(EVERY_WARD, "", "")] += row["n"]
                sizes[(ward, "", "")] += row["n"]
    # Answers other than pins: grouped by what was answered (never the text itself).
    answers = (
        Answer.objects.filter(response__in=submitted)
        .exclude(question__kind=Question.Kind.PIN)
        .alias(filled=_filled())
        .filter(filled=1)
    )
    for name in ("", *FIELDS):
        column = f"response__monitoring__{name}" if name else None
        keys = ["question_id", "choices", "scale", "response__ward_id", *([column] if column else [])]
        for row in answers.values(*keys).annotate(n=Count("pk")).order_by():
            question = row["question_id"]
            ward = row["response__ward_id"] if row["response__ward_id"] is not None else WARD_NOT_KNOWN
            groups = (
                [(ward, name, row[column] or ""), (EVERY_WARD, name, row[column] or "")]
                if column
                else [
                    (ward, "", ""),
                    (EVERY_WARD, "", ""),
                ]
            )
            rows = [(ANSWERED, 0), *answer_rows(kinds[question], _choices(row["choices"]), row["scale"], OUTSIDE)]
            for group in groups:
                for option, rank in rows:
                    tallies[(question, option, rank, *group)] += row["n"]
    # Pins: each is looked up in the ward boundaries once.
    pins = Answer.objects.filter(
        response__in=submitted, question__kind=Question.Kind.PIN, lat__isnull=False
    ).values_list("question_id", "lat", "lon", "response__ward_id", *(f"response__monitoring__{n}" for n in FIELDS))
    lookup = PinWards() if pins.exists() else None
    for question, lat, lon, ward_id, *values in pins.iterator(chunk_size=2000):
        pin = lookup.ward(lat, lon) if lookup else OUTSIDE
        given = {name: value or "" for name, value in zip(FIELDS, values, strict=True)}
        for group in groups_of(ward_id, given):
            tallies[(question, ANSWERED, 0, *group)] += 1
            tallies[(question, pin, 0, *group)] += 1
    with transaction.atomic():
        Tally.objects.filter(consultation=consultation).delete()
        GroupSize.objects.filter(consultation=consultation).delete()
        GroupSize.objects.bulk_create(
            [GroupSize(consultation=consultation, ward=w, field=f, value=v, count=n) for (w, f, v), n in sizes.items()],
            batch_size=2000,
        )
        Tally.objects.bulk_create(
            [
                Tally(consultation=consultation, question_id=q, option=o, rank=r, ward=w, field=f, value=v, count=n)
                for (q, o, r, w, f, v), n in tallies.items()
            ],
            batch_size=2000,
        )
        counted = set(CountedResponse.objects.filter(response__consultation=consultation).values_list("pk", flat=True))
        CountedResponse.objects.bulk_create(
            [CountedResponse(response_id=pk) for pk in submitted.values_list("pk", flat=True) if pk not in counted],
            batch_size=2000,
        )
    return {"tallies": len(tallies), "groups": len(sizes)}
