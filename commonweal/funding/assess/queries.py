"""Reads for assessment pages: the assessor pool, an assessor's list, the application to score, moderation and
the panel's page. Each function is shaped for one page and reads in a fixed number of queries."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.accounts.queries import email_verified, verified_user_ids

from .. import moderation
from ..models import (
    Application,
    AssessorTally,
    Assignment,
    Attachment,
    Criterion,
    Decision,
    Question,
    Round,
    Score,
)
from ..permissions import conflicted_applications

A = Application.Status
S = Assignment.Status
PER_PAGE = 50
# Rounds whose moderation figures a process keeps (a few MB each at 2,000 applications); the oldest goes first.
MODERATION_KEPT_ROUNDS = 8
KEPT_MODERATION: dict[int, tuple[str, Any]] = {}
CONFLICT_MESSAGE = "You declared a conflict of interest in this application, so you cannot see or score it."
NOT_ASSIGNED_MESSAGE = "You are not an assessor of this application, so you cannot see or score it."
# Applications an assessor can be given: submitted, or already being assessed with a gap to fill.
ASSIGNABLE = (A.SUBMITTED, A.IN_ASSESSMENT)
# The applications moderation looks at: submitted, being assessed or decided (not drafts nor withdrawn ones).
MODERATED = (A.SUBMITTED, A.IN_ASSESSMENT, A.APPROVED, A.REJECTED)


class Standing(Enum):
    """Where a person stands as an assessor of one application."""

    ASSESSOR = "assessor"  # assigned, and declared no conflict
    CONFLICTED = "conflicted"  # declared a conflict of interest: sees nothing of it, whoever else they are
    NOT_ASSESSOR = "not assessor"  # not assigned, or not yet declared


# --- who may see what --------------------------------------------------------------------------------


def assessor_standing(user: Any, application: Application) -> Standing:
    """Whether this person is the application's assessor, has declared a conflict in it, or is neither."""
    if user is None or not user.is_authenticated:
        return Standing.NOT_ASSESSOR
    statuses = set(Assignment.objects.filter(application=application, assessor=user).values_list("status", flat=True))
    if S.CONFLICTED in statuses:
        return Standing.CONFLICTED
    if statuses & {S.CLEAR, S.SCORED}:
        return Standing.ASSESSOR
    return Standing.NOT_ASSESSOR


def assessor_refusal(user: Any, application: Application) -> str | None:
    """Why this person may not see the application as its assessor, or None if they may.

    Engineer B's attachment view asks this too: a conflicted assessor is refused with CONFLICT_MESSAGE.
    """
    standing = assessor_standing(user, application)
    if standing is Standing.ASSESSOR:
        return None
    return CONFLICT_MESSAGE if standing is Standing.CONFLICTED else NOT_ASSIGNED_MESSAGE


def scores_locked(application: Application) -> str | None:
    """Why the application's scores can no longer change, or None while they can: assessors may change their
    scores while it is being assessed and until the panel decides."""
    if Decision.objects.filter(application=application).exists():
        return "The panel has decided on this application, so its scores can no longer change."
    if application.status != A.IN_ASSESSMENT:
        return "This application is no longer being assessed, so its scores cannot change."
    return None


def assignment_for(user: User, pk: int) -> Assignment:
    """The assessor's own assignment; anyone else, or a conflicted assessor, is refused saying why."""
    assignment = (
        Assignment.objects.select_related("application__round__fund", "application__organisation").filter(pk=pk).first()
    )
    if assignment is None:
        raise Http404("There is no assessment at this address.")
    if assignment.assessor_id != user.pk:
        raise PermissionDenied(NOT_ASSIGNED_MESSAGE)
    if assignment.status == S.CONFLICTED:
        raise PermissionDenied(CONFLICT_MESSAGE)
    return assignment


# --- the pool ----------------------------------------------------------------------------------------


@dataclass
class PoolMember:
    user: User
    to_declare: int
    to_score: int
    scored: int
    conflicted: int
    verified: bool = True

    @property
    def load(self) -> int:
        return self.to_declare + self.to_score + self.scored


def assessors_page(round: Round) -> dict[str, Any]:
    """The pool with each assessor's load in this round, and how many applications still need assessors."""
    in_round = Q(assignments__application__round=round)
    people = round.assessors.order_by("full_name", "email").annotate(
        to_declare=Count("assignments", filter=in_round & Q(assignments__status=S.AWAITING_DECLARATION)),
        to_score=Count("assignments", filter=in_round & Q(assignments__status=S.CLEAR)),
        scored=Count("assignments", filter=in_round & Q(assignments__status=S.SCORED)),
        conflicted=Count("assignments", filter=in_round & Q(assignments__status=S.CONFLICTED)),
    )
    members = list(people)
    confirmed = verified_user_ids(p.pk for p in members)
    pool = [PoolMember(p, p.to_declare, p.to_score, p.scored, p.conflicted, p.pk in confirmed) for p in members]
    scored_ids = set(
        Score.objects.filter(assignment__application__round=round).values_list("assignment__assessor_id", flat=True)
    )
    active = (
        Application.objects.filter(round=round, status__in=ASSIGNABLE)
        .annotate(n=Count("assignments", filter=~Q(assignments__status=S.CONFLICTED)))
        .values_list("status", "n")
    )
    wanted = round.assessors_per_application
    statuses: Counter[str] = Counter()
    short = 0
    for status, n in active:
        statuses[status] += 1
        short += n < wanted
    return {
        "round": round,
        "pool": pool,
        "has_scored": scored_ids,
        "submitted": statuses[A.SUBMITTED],
        "in_assessment": statuses[A.IN_ASSESSMENT],
        "short": short,
    }


# --- an assessor's own list --------------------------------------------------------------------------


# What an assessor can narrow their list to: the work left (declare, then score) and the work done.
ASSESSMENT_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "to-score": ("Still to score", (S.AWAITING_DECLARATION, S.CLEAR)),
    "done": ("Done", (S.SCORED, S.CONFLICTED)),
}


def my_assessments(user: User, show: str = "") -> dict[str, Any]:
    """Every application this person was asked to assess (or those still to score, or done), newest round first,
    with counts by status."""
    assignments = list(
        Assignment.objects.filter(assessor=user)
        .select_related("application__organisation", "application__round__fund")
        .order_by("-application__round__closes_at", "application__reference")
    )
    counts = Counter(a.status for a in assignments)
    show = show if show in ASSESSMENT_FILTERS else ""
    return {
        "assignments": [a for a in assignments if a.status in ASSESSMENT_FILTERS[show][1]] if show else assignments,
        "counts": [(label, counts[value]) for value, label in S.choices],
        "total": len(assignments),
        "show": show,
        "filters": {key: label for key, (label, _) in ASSESSMENT_FILTERS.items()},
        # In a pool but not given applications until they confirm their email address: say so, with the link.
        "waiting_to_confirm": not email_verified(user) and Round.objects.filter(assessors=user).exists(),
    }


# --- the application to score ------------------------------------------------------------------------


@dataclass
class Answer:
    question: Question
    text: str
    files: list[tuple[Attachment, str]] = field(default_factory=list)


@dataclass
class CriterionMark:
    criterion: Criterion
    score: int | None
    comment: str


def score_page(assignment: Assignment) -> dict[str, Any]:
    """The application as its assessor sees it, with the round's criteria and what they have entered so far."""
    application = Application.objects.select_related("organisation", "round__fund", "pot").get(
        pk=assignment.application_id
    )
    files: dict[int, list[tuple[Attachment, str]]] = defaultdict(list)
    for attachment in Attachment.objects.filter(application=application):
        url = reverse("funding:attachment", args=[application.uuid, attachment.pk])
        files[attachment.question_id].append((attachment, url))
    answers = [
        Answer(question, _answer_text(application.answers.get(str(question.pk))), files.get(question.pk, []))
        for question in Question.objects.filter(round=application.round)
    ]
    given = {s.criterion_id: s for s in Score.objects.filter(assignment=assignment)}
    marks = [
        CriterionMark(c, given[c.pk].score if c.pk in given else None, given[c.pk].comment if c.pk in given else "")
        for c in Criterion.objects.filter(round=application.round)
    ]
    return {
        "assignment": assignment,
        "application": application,
        "themes": list(application.themes.order_by("name").values_list("name", flat=True)),
        "answers": answers,
        "marks": marks,
        "decided": Decision.objects.filter(application=application).exists(),
        "can_change": scores_locked(application) is None,
    }


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


# --- moderation --------------------------------------------------------------------------------------


STATUS_LABELS = {value: str(label) for value, label in A.choices}


def _one_place(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@dataclass
class ModerationRow:
    application_id: int
    reference: str
    title: str
    organisation: str
    status: str
    figures: moderation.Figures
    uuid: UUID | None = None  # read only for the rows a page shows

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def shown(self) -> dict[str, str]:
        """The figures as the page prints them, to one decimal place."""
        f = self.figures
        return {
            "mean": _one_place(f.mean),
            "minimum": _one_place(f.minimum),
            "maximum": _one_place(f.maximum),
            "spread": _one_place(f.spread),
            "stdev": _one_place(f.stdev),
        }


@dataclass
class AssessorLeaning:
    name: str
    count: int
    mean: float
    difference: float


@dataclass
class Moderation:
    rows: list[ModerationRow]
    leanings: list[AssessorLeaning]
    overall_mean: float | None
    criteria: list[tuple[int, str, int]]


def moderation_rows(round: Round) -> Moderation:
    """Moderation figures for every application of a round being assessed or decided.

    Four queries and no adding up of scores: each application's figures come from its ApplicationTally and each
    assessor's leaning from their AssessorTally, both kept up to date as scores are saved (assess.totals); only
    the assessors now on each application are counted here, since assigning and declaring move them.
    """
    criteria = list(Criterion.objects.filter(round=round).values_list("pk", "name", "weight"))
    applications = list(
        Application.objects.filter(round=round, status__in=MODERATED)
        .order_by("reference")
        .values_list(
            "pk",
            "reference",
            "title",
            "organisation__name",
            "status",
            "tally__scored",
            "tally__mean",
            "tally__minimum",
            "tally__maximum",
            "tally__stdev",
            "tally__outliers",
            "tally__criteria_gaps",
        )
    )
    assigned = dict(
        Assignment.objects.filter(application__round=round)
        .exclude(status=S.CONFLICTED)
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    wanted = round.assessors_per_application
    rows: list[ModerationRow] = []
    for pk, reference, title, organisation, status, scored, mean, low, high, stdev, outliers, gaps in applications:
        figures = moderation.figures_from_tally(
            assigned=assigned.get(pk, 0),
            wanted=wanted if status in ASSIGNABLE else 0,
            scored=scored or 0,
            mean=mean,
            minimum=low,
            maximum=high,
            stdev=stdev,
            outliers=outliers or (),
            criteria_gaps=gaps or (),
        )
        rows.append(ModerationRow(pk, reference, title, organisation, status, figures))
    tallies = list(
        AssessorTally.objects.filter(round=round, scored__gt=0).values_list(
            "assessor_id", "assessor__full_name", "assessor__email", "scored", "total"
        )
    )
    names = {pk: (full_name or email) for pk, full_name, email, _, _ in tallies}
    leanings, overall = moderation.leanings_from_totals(
        (pk, scored, total / round.score_max) for pk, _, _, scored, total in tallies
    )
    return Moderation(
        rows=rows,
        leanings=[AssessorLeaning(names.get(x.assessor, ""), x.count, x.mean, x.difference) for x in leanings],
        overall_mean=overall,
        criteria=criteria,
    )


def moderation_state(round: Round) -> str:
    """What the round's moderation figures are made from, in two cheap aggregates: it changes whenever an
    assessor submits or re-submits scores (scored_at), declares, is assigned or taken off, an application moves
    (updated_at), or the criteria or the scale change."""
    assignments = Assignment.objects.filter(application__round=round).aggregate(
        n=Count("pk"),
        scored=Count("pk", filter=Q(status=S.SCORED)),
        conflicted=Count("pk", filter=Q(status=S.CONFLICTED)),
        last_scored=Max("scored_at"),
        last_declared=Max("declared_at"),
        last_assigned=Max("assigned_at"),
    )
    applications = Application.objects.filter(round=round).aggregate(n=Count("pk"), last=Max("updated_at"))
    criteria = list(Criterion.objects.filter(round=round).values_list("pk", "weight"))
    parts = [assignments, applications, criteria, round.score_max, round.assessors_per_application]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def kept_moderation_rows(round: Round) -> Moderation:
    """moderation_rows, kept in this process until anything they are made from changes: officers come back to
    the moderation page again and again while nothing has moved. Kept by the round's state, so every process
    sees a change at once; held in memory because pickling 2,000 rows into the shared cache costs more than
    working them out."""
    state = moderation_state(round)
    kept = KEPT_MODERATION.get(round.pk)
    if kept is not None and kept[0] == state:
        return kept[1]
    data = moderation_rows(round)
    KEPT_MODERATION[round.pk] = (state, data)
    while len(KEPT_MODERATION) > MODERATION_KEPT_ROUNDS:
        KEPT_MODERATION.pop(next(iter(KEPT_MODERATION)))
    return data


SORTS: dict[str, Callable[[ModerationRow], Any]] = {
    "reference": lambda row: row.reference,
    "mean": lambda row: (row.figures.mean is None, -(row.figures.mean or 0), row.reference),
    "mean_low": lambda row: (row.figures.mean is None, row.figures.mean or 0, row.reference),
    "spread": lambda row: (row.figures.spread is None, -(row.figures.spread or 0), row.reference),
}


def moderation_page(
    round: Round, *, sort: str = "reference", only_flagged: bool = False, page: Any = None, user: Any = None
) -> dict[str, Any]:
    """Moderation rows sorted, filtered and paginated by PER_PAGE for the page; links read for that page only.
    The figures of an application the officer has a conflict with (funding.permissions.conflict_with) are not
    shown to them, nor is the link to its decision."""
    data = kept_moderation_rows(round)
    # Hidden figures stay hidden in the order and the filter too: a conflicted officer's applications are not
    # placed by their mean or spread (they go last, by reference), nor picked out as flagged.
    hidden = conflicted_applications(user, [row.application_id for row in data.rows])
    flagged = [row for row in data.rows if row.figures.flagged and row.application_id not in hidden]
    rows = flagged if only_flagged else data.rows
    sort = sort if sort in SORTS else "reference"
    by_figures = sort != "reference"
    rows = sorted(
        rows,
        key=lambda row: (
            (True, row.reference) if by_figures and row.application_id in hidden else (False, SORTS[sort](row))
        ),
    )
    shown = Paginator(rows, PER_PAGE).get_page(page)
    uuids = dict(
        Application.objects.filter(pk__in=[row.application_id for row in shown.object_list]).values_list("pk", "uuid")
    )
    for row in shown.object_list:
        row.uuid = uuids.get(row.application_id)
    return {
        "round": round,
        "page": shown,
        "conflicted": {row.application_id for row in shown.object_list} & hidden,
        "flagged_count": len(flagged),
        "total": len(data.rows),
        "leanings": data.leanings,
        "overall_mean": data.overall_mean,
        "criteria": data.criteria,
        "sort": sort,
        "only_flagged": only_flagged,
    }


# --- the panel ---------------------------------------------------------------------------------------


@dataclass
class CriterionRow:
    criterion: Criterion
    cells: list[Score | None]


def feedback_draft(criteria: list[Criterion], scores: list[Score]) -> str:
    """The applicant's feedback drafted from the assessors' comments, criterion by criterion, with no names."""
    comments: dict[int, list[str]] = defaultdict(list)
    for score in scores:
        if score.comment.strip():
            comments[score.criterion_id].append(score.comment.strip())
    parts = []
    for criterion in criteria:
        if comments.get(criterion.pk):
            lines = "\n".join(f"- {comment}" for comment in comments[criterion.pk])
            parts.append(f"{criterion.name}\n{lines}")
    return "\n\n".join(parts)


@dataclass
class MissingScores:
    """An assessor on the application who has not submitted scores, and the criteria they have not scored."""

    assessor: User
    declared: bool
    criteria: list[str]


def missing_scores(assignments: list[Assignment], criteria: list[Criterion]) -> list[MissingScores]:
    """Each assessor still counted on the application whose scores are not submitted, with the criteria their
    draft does not score yet (all of them if they have no draft, or have not yet declared)."""
    waiting = [a for a in assignments if a.status in (S.AWAITING_DECLARATION, S.CLEAR)]
    drafted: dict[int, set[int]] = defaultdict(set)
    for assignment_id, criterion_id in Score.objects.filter(assignment__in=waiting).values_list(
        "assignment_id", "criterion_id"
    ):
        drafted[assignment_id].add(criterion_id)
    return [
        MissingScores(
            a.assessor,
            a.status == S.CLEAR,
            [c.name for c in criteria if c.pk not in drafted[a.pk]],
        )
        for a in waiting
    ]


def decide_page(application: Application) -> dict[str, Any]:
    """Each submitted assessor's scores and comments side by side, the moderation figures and a feedback draft."""
    application = Application.objects.select_related("organisation", "round__fund", "pot").get(pk=application.pk)
    round = application.round
    criteria = list(Criterion.objects.filter(round=round))
    assignments = list(Assignment.objects.filter(application=application).select_related("assessor").order_by("pk"))
    scored = [a for a in assignments if a.status == S.SCORED]
    scores = list(
        Score.objects.filter(assignment__in=scored).select_related("criterion").order_by("criterion__position", "pk")
    )
    by_cell = {(s.assignment_id, s.criterion_id): s for s in scores}
    rows = [CriterionRow(c, [by_cell.get((a.pk, c.pk)) for a in scored]) for c in criteria]
    wanted = round.assessors_per_application if application.status in ASSIGNABLE else 0
    by_assessor: dict[int, dict[int, int]] = defaultdict(dict)
    for s in scores:
        by_assessor[next(a.assessor_id for a in scored if a.pk == s.assignment_id)][s.criterion_id] = s.score
    figures = moderation.application_figures(
        scores=by_assessor,
        weights={c.pk: c.weight for c in criteria},
        score_max=round.score_max,
        assigned=sum(1 for a in assignments if a.status != S.CONFLICTED),
        wanted=wanted,
    )
    return {
        "application": application,
        "round": round,
        "criteria": criteria,
        "scored": scored,
        "weighted": [figures.weighted.get(a.assessor_id) for a in scored],
        "rows": rows,
        "figures": figures,
        "waiting": [a for a in assignments if a.status in (S.AWAITING_DECLARATION, S.CLEAR)],
        "missing": missing_scores(assignments, criteria),
        "short_by": max(0, wanted - figures.assigned),
        "conflicts": sum(1 for a in assignments if a.status == S.CONFLICTED),
        "decision": Decision.objects.filter(application=application).select_related("decided_by").first(),
        "feedback": feedback_draft(criteria, scores),
    }


# --- the round's applications: search, the CSV and the panel pack ------------------------------------


@dataclass(frozen=True)
class ApplicationSearch:
    """What an officer searches a round's applications by: words in the reference, the project's name or the
    group's name (every word must match one of them), the status, a ward and a theme."""

    words: str = ""
    status: str = ""
    ward: int | None = None
    theme: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.words.strip() or self.status or self.ward or self.theme)


def search_applications(round: Round, search: ApplicationSearch) -> Any:
    """The round's applications that match the search, by reference."""
    found = Application.objects.filter(round=round)
    for word in search.words.split()[:10]:
        found = found.filter(
            Q(reference__icontains=word) | Q(title__icontains=word) | Q(organisation__name__icontains=word)
        )
    if search.status in A.values:
        found = found.filter(status=search.status)
    if search.ward:
        found = found.filter(wards=search.ward)
    if search.theme:
        found = found.filter(themes=search.theme)
    return found.order_by("reference")


@dataclass
class PackEntry:
    """One application as the panel pack and the CSV show it. `hidden`: the reader has a conflict of interest
    in it, so its scores and comments are left out."""

    application: Application
    wards: list[str]
    themes: list[str]
    hidden: bool
    scored: list[Assignment] = field(default_factory=list)
    rows: list[CriterionRow] = field(default_factory=list)
    weighted: list[float | None] = field(default_factory=list)
    figures: moderation.Figures | None = None
    decision: Decision | None = None


def panel_pack(round: Round, search: ApplicationSearch, user: Any) -> list[PackEntry]:
    """Every application the search finds, with its wards, themes, each submitted assessor's scores and
    comments, the moderation figures and any decision; those the reader has a conflict with carry none of
    their scores. A fixed number of queries however many applications."""
    applications = list(
        search_applications(round, search).select_related("organisation", "pot").prefetch_related("wards", "themes")
    )
    ids = [a.pk for a in applications]
    hidden = conflicted_applications(user, ids)
    criteria = list(Criterion.objects.filter(round=round))
    weights = {c.pk: c.weight for c in criteria}
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(application_id__in=ids).exclude(application_id__in=hidden).select_related("assessor")
    ).order_by("pk"):
        assignments[assignment.application_id].append(assignment)
    scores: dict[tuple[int, int], Score] = {
        (s.assignment_id, s.criterion_id): s
        for s in Score.objects.filter(assignment__application_id__in=set(ids) - hidden, assignment__status=S.SCORED)
    }
    decisions = {d.application_id: d for d in Decision.objects.filter(application_id__in=ids)}
    entries = []
    for application in applications:
        entry = PackEntry(
            application,
            wards=sorted(w.name for w in application.wards.all()),
            themes=sorted(t.name for t in application.themes.all()),
            hidden=application.pk in hidden,
            decision=decisions.get(application.pk),
        )
        if not entry.hidden:
            mine = assignments.get(application.pk, [])
            entry.scored = [a for a in mine if a.status == S.SCORED]
            entry.rows = [CriterionRow(c, [scores.get((a.pk, c.pk)) for a in entry.scored]) for c in criteria]
            by_assessor = {
                a.assessor_id: {c.pk: s.score for c in criteria if (s := scores.get((a.pk, c.pk))) is not None}
                for a in entry.scored
            }
            entry.figures = moderation.application_figures(
                scores=by_assessor,
                weights=weights,
                score_max=round.score_max,
                assigned=sum(1 for a in mine if a.status != S.CONFLICTED),
                wanted=round.assessors_per_application if application.status in ASSIGNABLE else 0,
            )
            entry.weighted = [entry.figures.weighted.get(a.assessor_id) for a in entry.scored]
        entries.append(entry)
    return entries


CSV_HEADER = [
    "Reference",
    "Project",
    "Organisation",
    "Status",
    "Amount asked for",
    "Pot",
    "Wards",
    "Themes",
    "Submitted",
    "Assessors scored",
    "Assessors assigned",
    "Mean weighted score (0 to 100)",
    "Lowest",
    "Highest",
    "Decision",
    "Amount awarded",
]
HIDDEN_SCORES = "Not shown: you have a conflict of interest"


def figures_range(figures: moderation.Figures) -> tuple[float | None, float | None, float | None]:
    return figures.mean, figures.minimum, figures.maximum


def _blank_or_one_place(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def applications_csv_rows(entries: list[PackEntry]) -> Any:
    """The CSV's rows, one per application; the score columns of an application the reader has a conflict with
    say so instead."""
    for entry in entries:
        a = entry.application
        figures = entry.figures
        if entry.hidden or figures is None:
            scores: list[Any] = [HIDDEN_SCORES if entry.hidden else "", "", "", "", ""]
        else:
            scores = [figures.scored, figures.assigned, *(_blank_or_one_place(v) for v in figures_range(figures))]
        decision = entry.decision
        yield [
            a.reference,
            a.title,
            a.organisation.name,
            a.get_status_display(),
            "" if a.amount_requested is None else f"{a.amount_requested:.2f}",
            a.pot.name if a.pot else "",
            "; ".join(entry.wards),
            "; ".join(entry.themes),
            a.submitted_at.date().isoformat() if a.submitted_at else "",
            *scores,
            decision.get_outcome_display() if decision else "",
            "" if decision is None or decision.amount is None else f"{decision.amount:.2f}",
        ]
