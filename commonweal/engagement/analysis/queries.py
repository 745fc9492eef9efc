"""Reading a consultation's results: the kept tallies shaped into suppressed tables for one view (everyone, a
ward, a monitoring answer, or both), the themes of its free-text answers, and the public summary the 'we did' page
shows. A few queries whatever the number of responses: the tallies are read, never the responses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from .. import monitoring
from ..models import Answer, Consultation, Question, Response
from ..models_analysis import ANSWERED, EVERY_WARD, OUTSIDE, WARD_NOT_KNOWN, AnswerTag, GroupSize, Tally
from ..suppression import ANSWERED as ANSWERED_ROW
from ..suppression import EVERYONE, OTHER, Analysis, Group, Refused, Shape, Shown
from ..tallies import FIELDS

OTHER_LABEL = "Other (combined)"
NOT_KNOWN_LABEL = "Ward not known"
NOT_ANSWERED_LABEL = "Not answered"
QUOTES = 3


def _raw_ward(ward: int) -> str:
    return "" if ward == EVERY_WARD else "none" if ward == WARD_NOT_KNOWN else str(ward)


def _row(kind: str, option: int, rank: int) -> Any:
    if option == ANSWERED:
        return ANSWERED_ROW
    return (option, rank) if kind == Question.Kind.RANKING else option


def shape_of(question: Question, pins: list[int]) -> Shape:
    """The table one question makes (see suppression.Shape)."""
    K = Question.Kind
    if question.kind in {K.SINGLE, K.MULTIPLE}:
        options = tuple(range(len(question.options)))
        if question.kind == K.MULTIPLE:
            return Shape(question.pk, (*options, ANSWERED_ROW), multiple=True)
        return Shape(question.pk, (*options, ANSWERED_ROW), ((ANSWERED_ROW, options),))
    if question.kind == K.SCALE:
        points = tuple(range(1, question.scale_points + 1))
        return Shape(question.pk, (*points, ANSWERED_ROW), ((ANSWERED_ROW, points),))
    if question.kind == K.RANKING:
        places = range(1, len(question.options) + 1)
        cells = tuple((o, r) for o in range(len(question.options)) for r in places)
        lines = [(ANSWERED_ROW, tuple((o, r) for o in range(len(question.options)))) for r in places]
        lines += [(ANSWERED_ROW, tuple((o, r) for r in places)) for o in range(len(question.options))]
        return Shape(question.pk, (*cells, ANSWERED_ROW), tuple(lines))
    if question.kind == K.PIN:
        wards = tuple(sorted(set(pins)))
        return Shape(question.pk, (*wards, ANSWERED_ROW), ((ANSWERED_ROW, wards),))
    return Shape(question.pk, (ANSWERED_ROW,))


@dataclass
class Results:
    """One consultation's results, ready to be cut into any view a person may ask for."""

    consultation: Consultation
    questions: list[Question]
    analysis: Analysis
    ward_names: dict[str, str]
    pins: dict[int, list[int]] = field(default_factory=dict)

    def ward_label(self, key: str) -> str:
        if key == OTHER:
            return OTHER_LABEL
        return self.ward_names.get(key, NOT_KNOWN_LABEL)

    def ward_choices(self) -> list[tuple[str, str]]:
        keys = self.analysis.ward_group_keys()
        named = sorted((k for k in keys if k != OTHER), key=lambda k: self.ward_label(k))
        return [(k, self.ward_label(k)) for k in named] + ([(OTHER, OTHER_LABEL)] if OTHER in keys else [])

    def pooled_wards(self) -> list[str]:
        return sorted(self.ward_label(w) for w, g in self.analysis.ward_groups.items() if g == OTHER)

    def value_label(self, name: str, value: str) -> str:
        if value == OTHER:
            return OTHER_LABEL
        return monitoring.label(name, value) or NOT_ANSWERED_LABEL

    def answer_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The monitoring answers one may filter by, grouped by question (value groups of 10 or more)."""
        grouped = []
        for name in FIELDS:
            order = [v for v, _label in monitoring.FILTERS[name][1]] + ["", OTHER]
            keys = sorted(self.analysis.value_group_keys(name), key=lambda v: order.index(v) if v in order else 99)
            if keys:
                grouped.append((field_label(name), [(f"{name}:{v}", self.value_label(name, v)) for v in keys]))
        return grouped


def field_label(name: str) -> str:
    short = {
        "age_band": "Age",
        "sex": "Sex",
        "ethnic_group": "Ethnic group",
        "religion": "Religion",
        "disability": "Disability",
        "carer": "Carer",
    }
    return short.get(name, name)


def results_for(consultation: Consultation, *, split_field: str = "") -> Results:
    """The consultation's kept tallies for everyone, each ward, each monitoring answer, and, when `split_field`
    is given, each ward with that field's answers (the only combined tallies read)."""
    from commonweal.places.models import Ward

    questions = list(consultation.questions.order_by("position", "pk"))
    kinds = {q.pk: q.kind for q in questions}
    sizes = {
        (_raw_ward(w), f, v): n
        for w, f, v, n in GroupSize.objects.filter(consultation=consultation).values_list(
            "ward", "field", "value", "count"
        )
    }
    wanted = Q(field="") | Q(ward=EVERY_WARD)
    if split_field:
        wanted |= Q(field=split_field)
    counts: dict[tuple[Any, Any, Group], int] = {}
    pins: dict[int, set[int]] = defaultdict(set)
    rows = Tally.objects.filter(wanted, consultation=consultation).values_list(
        "question_id", "option", "rank", "ward", "field", "value", "count"
    )
    for question, option, rank, ward, name, value, n in rows:
        if question not in kinds:
            continue
        if kinds[question] == Question.Kind.PIN and option != ANSWERED:
            pins[question].add(option)
        counts[(question, _row(kinds[question], option, rank), (_raw_ward(ward), name, value))] = n
    shapes = [shape_of(q, sorted(pins.get(q.pk, ()))) for q in questions]
    names = {str(pk): name for pk, name in Ward.objects.values_list("pk", "name")}
    analysis = Analysis(shapes, sizes, counts, FIELDS)
    return Results(
        consultation=consultation,
        questions=questions,
        analysis=analysis,
        ward_names=names,
        pins={q: sorted(p) for q, p in pins.items()},
    )


# --- a view of the results ------------------------------------------------------------------------------------


@dataclass
class TableRow:
    label: str
    count: Shown
    percent: int | None = None
    extra: str = ""


@dataclass
class QuestionResult:
    question: Question
    answered: Shown
    rows: list[TableRow]
    note: str = ""  # the average, or why it is not shown
    themes: list[dict[str, Any]] = field(default_factory=list)


def _percent(count: Shown, base: Shown) -> int | None:
    if count.hidden or base.hidden or not base.value:
        return None
    return round(100 * (count.value or 0) / base.value)


def view(results: Results, group: Group) -> list[QuestionResult]:
    """Every question's table for one view (`results.analysis.check(group)` first)."""
    analysis = results.analysis
    found = []
    for question in results.questions:
        q = question.pk

        def cell(row: Any, q: int = q) -> Shown:
            return analysis.shown(q, row, group)

        answered = cell(ANSWERED_ROW)
        rows: list[TableRow] = []
        note = ""
        K = Question.Kind
        if question.kind in {K.SINGLE, K.MULTIPLE}:
            rows = [
                TableRow(str(label), cell(i), _percent(cell(i), answered)) for i, label in enumerate(question.options)
            ]
        elif question.kind == K.SCALE:
            points = range(1, question.scale_points + 1)
            for point in points:
                words = (
                    question.scale_low if point == 1 else question.scale_high if point == question.scale_points else ""
                )
                label = f"{point} ({words})" if words else str(point)
                rows.append(TableRow(label, cell(point), _percent(cell(point), answered)))
            if answered.hidden or not answered.value:
                note = ""
            elif any(r.count.hidden for r in rows):
                note = "The average is not shown: with it, a count that is not shown could be worked out."
            else:
                mean = sum(p * (cell(p).value or 0) for p in points) / (answered.value or 1)
                note = f"Average: {mean:.1f} out of {question.scale_points}"
        elif question.kind == K.RANKING:
            places = range(1, len(question.options) + 1)
            for i, label in enumerate(question.options):
                first = cell((i, 1))
                placed = [cell((i, r)) for r in places]
                if any(c.hidden for c in placed):
                    average = "not shown"
                else:
                    total = sum(c.value or 0 for c in placed)
                    average = (
                        f"{sum(r * (c.value or 0) for r, c in zip(places, placed, strict=True)) / total:.1f}"
                        if total
                        else ""
                    )
                rows.append(TableRow(str(label), first, _percent(first, answered), average))
        elif question.kind == K.PIN:
            for ward in results.pins.get(q, []):
                label = "Outside the borough" if ward == OUTSIDE else results.ward_names.get(str(ward), "A ward")
                rows.append(TableRow(label, cell(ward), _percent(cell(ward), answered)))
            rows.sort(key=lambda r: r.label)
        found.append(QuestionResult(question=question, answered=answered, rows=rows, note=note))
    return found


def parse_group(results: Results, ward: str, answer: str) -> Group:
    """The group a filter asks for, or Refused saying why it may not be shown."""
    name, value = "", ""
    if answer:
        name, _sep, value = answer.partition(":")
        if name not in FIELDS:
            raise Refused("Choose one of the equality monitoring answers from the list.")
    group = (ward, name, value)
    results.analysis.check(group)
    return group


def group_label(results: Results, group: Group) -> str:
    ward, name, value = group
    parts = []
    if ward:
        parts.append(results.ward_label(ward))
    if name:
        parts.append(f"{field_label(name)}: {results.value_label(name, value)}")
    return ", ".join(parts) or "Everyone who responded"


# --- themes ------------------------------------------------------------------------------------------------------


def theme_counts(consultation: Consultation, *, quotes: bool) -> dict[int, list[dict[str, Any]]]:
    """Per free-text question, its themes with how many answers carry each (and, if asked, a few quotes)."""
    counted = (
        AnswerTag.objects.filter(theme__consultation=consultation, answer__response__status="submitted")
        .values("answer__question_id", "theme_id", "theme__name", "theme__description")
        .annotate(n=Count("pk"))
        .order_by("answer__question_id", "-n", "theme__name")
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_theme: dict[tuple[int, int], dict[str, Any]] = {}
    for row in counted:
        item = {
            "id": row["theme_id"],
            "name": row["theme__name"],
            "description": row["theme__description"],
            "count": row["n"],
            "quotes": [],
        }
        found[row["answer__question_id"]].append(item)
        by_theme[(row["answer__question_id"], row["theme_id"])] = item
    if quotes and by_theme:
        picked = (
            AnswerTag.objects.filter(theme__consultation=consultation, answer__response__status="submitted")
            .annotate(
                place=Window(
                    RowNumber(), partition_by=[F("theme_id"), F("answer__question_id")], order_by=F("pk").asc()
                )
            )
            .filter(place__lte=QUOTES)
            .values_list("answer__question_id", "theme_id", "answer__text")
        )
        for question, theme, text in picked:
            if (question, theme) in by_theme:
                by_theme[(question, theme)]["quotes"].append(text[:300])
    return dict(found)


def public_summary(consultation: Consultation) -> list[dict[str, Any]]:
    """What the public 'we did' page may show of the responses: per question, everyone's counts with small-number
    suppression (a hidden count is None, with `small` True when it is 1 to 9), and the themes of free-text answers
    given by 10 or more people, with their counts and no quotes.

    Each item: {"question": Question, "answered": int | None, "rows": [{"label", "count", "small", "percent"}],
    "note": str, "themes": [{"name", "count"}]}."""
    results = results_for(consultation)
    themes = theme_counts(consultation, quotes=False)
    summary = []
    for item in view(results, EVERYONE):
        summary.append(
            {
                "question": item.question,
                "answered": item.answered.value,
                "rows": [
                    {"label": r.label, "count": r.count.value, "small": r.count.small, "percent": r.percent}
                    for r in item.rows
                ],
                "note": item.note,
                "themes": [
                    {"name": t["name"], "count": t["count"]}
                    for t in themes.get(item.question.pk, [])
                    if t["count"] >= 10
                ],
            }
        )
    return summary


def text_answers(question: Question) -> Any:
    """A free-text question's submitted, non-empty answers, oldest first, each with its tags' themes."""
    return (
        Answer.objects.filter(question=question, response__status="submitted")
        .exclude(text="")
        .order_by("pk")
        .prefetch_related("tags__theme")
    )


# --- every response as a spreadsheet ------------------------------------------------------------------------------

CSV_BATCH = 2000
# Every monitoring answer, as given (ethnicity in its 19 categories), for those allowed to see them.
MONITORING_COLUMNS = {
    "age_band": "Age",
    "sex": "Sex",
    "gender_identity": "Gender same as sex registered at birth",
    "sexual_orientation": "Sexual orientation",
    "ethnicity": "Ethnicity",
    "religion": "Religion",
    "disability": "Disability",
    "carer": "Carer",
}


def _question_columns(question: Question) -> list[str]:
    name = f"Q{question.position}. {question.text}"
    if question.kind == Question.Kind.TEXT:
        return [name, f"{name} (themes)"]
    if question.kind == Question.Kind.PIN:
        return [f"{name} (latitude)", f"{name} (longitude)", f"{name} (ward)"]
    return [name]


def _question_cells(question: Question, answer: tuple[Any, ...] | None, themes: list[str], pins: Any) -> list[Any]:
    K = Question.Kind
    if answer is None:
        return [""] * len(_question_columns(question))
    choices, scale, text, lat, lon = answer
    options = list(question.options or [])

    def label(position: Any) -> str:
        return str(options[position]) if isinstance(position, int) and 0 <= position < len(options) else ""

    if question.kind == K.SINGLE:
        return [label(choices[0]) if choices else ""]
    if question.kind == K.MULTIPLE:
        return ["; ".join(label(p) for p in choices or [])]
    if question.kind == K.RANKING:
        return ["; ".join(f"{place}. {label(p)}" for place, p in enumerate(choices or [], start=1))]
    if question.kind == K.SCALE:
        return [scale if scale is not None else ""]
    if question.kind == K.TEXT:
        return [text, "; ".join(sorted(themes))]
    if lat is None:
        return ["", "", ""]
    ward = pins.ward(lat, lon)
    return [lat, lon, pins.names.get(ward, "Outside the borough")]


def responses_csv(consultation: Consultation, *, personal: bool) -> tuple[list[str], Any]:
    """The header and the rows of every submitted response, a column (or two, or three) per question. Names,
    email addresses, groups and monitoring answers only when `personal`. The responses are read in chunks and
    each chunk's answers and themes in one query each, so 50,000 responses take about 75 queries."""
    from ..tallies import PinWards

    questions = list(consultation.questions.order_by("position", "pk"))
    header = ["Response", "Submitted", "Channel", "Ward"]
    if personal:
        header += ["Name", "Email address", "On behalf of", "Hear back"]
        header += list(MONITORING_COLUMNS.values())
    for question in questions:
        header += _question_columns(question)
    channels = {value: str(label) for value, label in Response.Channel.choices}
    has_pins = any(q.kind == Question.Kind.PIN for q in questions)

    def rows() -> Any:
        pins = PinWards() if has_pins else None
        columns = ["pk", "uuid", "submitted_at", "channel", "ward__name"]
        if personal:
            columns += ["name", "email", "organisation__name", "hear_back", "user__full_name", "user__email"]
            columns += [f"monitoring__{name}" for name in MONITORING_COLUMNS]
        found = (
            Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)
            .order_by("pk")
            .values_list(*columns)
            .iterator(chunk_size=CSV_BATCH)
        )
        batch: list[tuple[Any, ...]] = []
        for row in found:
            batch.append(row)
            if len(batch) == CSV_BATCH:
                yield from _batch_rows(batch, questions, personal, channels, pins)
                batch = []
        if batch:
            yield from _batch_rows(batch, questions, personal, channels, pins)

    return header, rows()


def _batch_rows(
    batch: list[tuple[Any, ...]], questions: list[Question], personal: bool, channels: dict[str, str], pins: Any
) -> Any:
    from django.utils import timezone

    ids = [row[0] for row in batch]
    answers: dict[tuple[int, int], tuple[Any, ...]] = {}
    text_answers: dict[int, tuple[int, int]] = {}
    for pk, response, question_id, choices, scale, text, lat, lon in Answer.objects.filter(
        response_id__in=ids
    ).values_list("pk", "response_id", "question_id", "choices", "scale", "text", "lat", "lon"):
        answers[(response, question_id)] = (choices, scale, text, lat, lon)
        if text:
            text_answers[pk] = (response, question_id)
    themes: dict[tuple[int, int], list[str]] = defaultdict(list)
    if text_answers:
        for answer, name in AnswerTag.objects.filter(answer_id__in=list(text_answers)).values_list(
            "answer_id", "theme__name"
        ):
            themes[text_answers[answer]].append(name)
    here = timezone.get_current_timezone()
    for row in batch:
        pk, uuid, submitted_at, channel, ward = row[:5]
        when = submitted_at.astimezone(here).date().isoformat() if submitted_at else ""
        cells: list[Any] = [str(uuid), when, channels.get(channel, channel), ward or ""]
        if personal:
            name, email, group, hear_back, user_name, user_email, *given = row[5:]
            cells += [name or user_name or "", email or user_email or "", group or "", "Yes" if hear_back else "No"]
            cells += [monitoring.label(f, v or "") for f, v in zip(MONITORING_COLUMNS, given, strict=True)]
        for question in questions:
            cells += _question_cells(question, answers.get((pk, question.pk)), themes.get((pk, question.pk), []), pins)
        yield cells


def csv_chunks(header: list[str], rows: Any, *, per_chunk: int = 500) -> Any:
    """The CSV file in chunks of rows (fewer, bigger writes than a line at a time), every cell made safe for a
    spreadsheet as core.csvsafe makes it (text that would run as a formula gets a leading apostrophe)."""
    import csv
    import io

    from commonweal.core.csvsafe import FORMULA_STARTS, safe_cell

    def safe(value: Any) -> Any:
        if value is None:
            return ""
        if type(value) is str:
            return "'" + value if value.startswith(FORMULA_STARTS) else value
        return safe_cell(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(cell) for cell in header])
    waiting = 0
    for row in rows:
        writer.writerow([safe(cell) for cell in row])
        waiting += 1
        if waiting == per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
            waiting = 0
    yield buffer.getvalue()
