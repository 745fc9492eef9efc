"""Reads for the setup pages: the list of funds and rounds, a fund's page, a round's prospectus and the officers'
set-up pages. One function per page, each shaped so the page makes a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from commonweal.accounts.roles import Role
from commonweal.core.uploads import FILE_TYPES

from .. import money
from ..apply.eligibility import area_question
from ..apply.queries import area_name
from ..models import Application, Fund, Grant, ProspectusComment, Round, Score
from ..overlap import Overlap, overlaps
from ..permissions import is_officer

P = Round.Prospectus
# A grant offer that was declined or withdrawn no longer commits the fund's money.
GRANT_NOT_COMMITTED = (Grant.Status.DECLINED, Grant.Status.WITHDRAWN)


def is_group_member(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(Role.GROUP_MEMBER))


def visible_statuses(user: Any) -> list[str]:
    """The prospectus statuses this person may read: officers all, group members those open for comment too."""
    if is_officer(user):
        return [P.DRAFT, P.OPEN_FOR_COMMENT, P.PUBLISHED]
    if is_group_member(user):
        return [P.OPEN_FOR_COMMENT, P.PUBLISHED]
    return [P.PUBLISHED]


def prospectus_refusal(round_: Round, user: Any) -> str:
    """Why this person may not read this prospectus yet, in a sentence; empty when they may."""
    if round_.prospectus_status in visible_statuses(user):
        return ""
    if round_.prospectus_status == P.OPEN_FOR_COMMENT:
        return (
            "This prospectus is a draft open for comment by members of community groups. "
            "Everyone can read it once it is published."
        )
    return "This prospectus is a draft that only council officers can see until it is published."


def _rounds() -> QuerySet[Round]:
    return Round.objects.select_related("fund").prefetch_related("fund__pots", "fund__themes")


def index_page(user: Any, *, now: Any = None) -> dict[str, Any]:
    """Open rounds first (soonest deadline first), then upcoming and closed ones; drafts for comment to members."""
    now = now or timezone.now()
    published = _rounds().filter(prospectus_status=P.PUBLISHED)
    for_comment: list[Round] = []
    if is_group_member(user) or is_officer(user):
        for_comment = list(_rounds().filter(prospectus_status=P.OPEN_FOR_COMMENT).order_by("opens_at", "pk"))
    return {
        "open_rounds": list(published.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")),
        "upcoming_rounds": list(published.filter(opens_at__gt=now).order_by("opens_at", "pk")),
        "closed_rounds": list(published.filter(closes_at__lte=now).order_by("-closes_at", "pk")[:20]),
        "for_comment": for_comment,
        "funds": list(Fund.objects.order_by("name", "pk")),
    }


def committed_by_theme(fund: Fund) -> dict[int, Decimal]:
    """Money committed by decisions and grant offers, each split equally between its application's themes."""
    applications = (
        Application.objects.filter(round__fund=fund)
        .filter(Q(grant__isnull=False) | Q(decision__outcome="approved"))
        .select_related("grant", "decision")
        .prefetch_related("themes")
    )
    items: list[tuple[Decimal, list[int]]] = []
    for application in applications:
        grant = getattr(application, "grant", None)
        if grant is not None:
            amount = Decimal("0") if grant.status in GRANT_NOT_COMMITTED else grant.amount
        else:
            amount = application.decision.amount or application.amount_requested or Decimal("0")
        if amount:
            items.append((amount, [theme.pk for theme in application.themes.all()]))
    return money.total_by(items)


def fund_page(fund: Fund, user: Any) -> dict[str, Any]:
    budgets = {budget.theme_id: budget.amount for budget in fund.theme_budgets.all()}
    committed = committed_by_theme(fund)
    themes = [
        {"theme": theme, "budget": budgets.get(theme.pk), "committed": committed.get(theme.pk, Decimal("0"))}
        for theme in fund.themes.order_by("position", "pk")
    ]
    rounds = list(fund.rounds.filter(prospectus_status__in=visible_statuses(user)).order_by("-opens_at", "pk"))
    return {
        "fund": fund,
        "themes": themes,
        "budgeted": sum((b for b in budgets.values()), Decimal("0")),
        "committed": sum(committed.values(), Decimal("0")),
        "pots": list(fund.pots.all()),
        "questions": list(fund.eligibility_questions.all()),
        "overlaps": eligibility_overlaps(fund),
        "kinds": eligible_kind_labels(fund),
        "rounds": rounds,
        "now": timezone.now(),
    }


def eligible_kind_labels(fund: Fund) -> list[str]:
    from commonweal.accounts.models import Organisation

    labels = dict(Organisation.Kind.choices)
    return [str(labels[kind]) for kind in fund.eligible_kinds if kind in labels]


def round_page(round_: Round, user: Any) -> dict[str, Any]:
    fund = round_.fund
    show_comments = is_officer(user) or is_group_member(user)
    comments: list[ProspectusComment] = []
    if show_comments:
        comments = list(round_.comments.select_related("organisation").order_by("created_at", "pk"))
    return {
        "round": round_,
        "fund": fund,
        "paragraphs": paragraphs(round_.prospectus),
        "methodology": paragraphs(round_.methodology),
        "pots": list(fund.pots.all()),
        "themes": list(fund.themes.order_by("position", "pk")),
        "criteria": list(round_.criteria.all()),
        "weight": criteria_weight(round_),
        "questions": list(round_.questions.all()),
        "file_types": FILE_TYPES,
        "show_comments": show_comments,
        "comments": comments,
        "now": timezone.now(),
    }


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines; the template escapes each one and keeps its line breaks."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def criteria_weight(round: Round) -> int:
    return int(round.criteria.aggregate(total=Sum("weight"))["total"] or 0)


def publishing_problems(round: Round) -> list[str]:
    """Why a round's prospectus cannot be published yet, in full sentences; empty when it can."""
    problems = []
    if not round.prospectus.strip():
        problems.append("Write the prospectus first.")
    if not round.questions.exists():
        problems.append("Add at least one question to the application form.")
    weight = criteria_weight(round)
    if weight != 100:
        problems.append(f"The weights of the scoring criteria add up to {weight}%: they must add up to 100%.")
    if not round.fund.pots.exists():
        problems.append(f"Add at least one pot to the fund {round.fund.name}, so groups know how much to ask for.")
    return problems


# --- officers' pages ---------------------------------------------------------------------------------------


def manage_page() -> dict[str, Any]:
    """Every fund with its rounds, how many applications each round has in each status, comments to answer."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in Application.objects.values("round_id", "status").annotate(n=Count("pk")).order_by():
        counts[row["round_id"]][row["status"]] = row["n"]
    labels = dict(Application.Status.choices)
    funds = list(
        Fund.objects.order_by("name", "pk").prefetch_related(
            Prefetch("rounds", queryset=Round.objects.order_by("-opens_at", "pk"))
        )
    )
    rows = []
    for fund in funds:
        rounds = []
        for round_ in fund.rounds.all():
            by_status = counts.get(round_.pk, {})
            rounds.append(
                {
                    "round": round_,
                    "counts": [(labels[s], by_status[s]) for s in Application.Status.values if by_status.get(s)],
                    "total": sum(by_status.values()),
                }
            )
        rows.append({"fund": fund, "rounds": rounds})
    waiting = list(
        ProspectusComment.objects.filter(answer="")
        .select_related("round", "round__fund", "organisation")
        .order_by("created_at", "pk")
    )
    return {"funds": rows, "waiting": waiting}


def fund_manage_page(fund: Fund) -> dict[str, Any]:
    budgets = {budget.theme_id: budget.amount for budget in fund.theme_budgets.all()}
    themes = [{"theme": theme, "budget": budgets.get(theme.pk)} for theme in fund.themes.order_by("position", "pk")]
    budgeted = sum(budgets.values(), Decimal("0"))
    return {
        "fund": fund,
        "themes": themes,
        "budgeted": budgeted,
        "unbudgeted": fund.total_budget - budgeted,
        "pots": list(fund.pots.all()),
        "questions": list(fund.eligibility_questions.all()),
        "overlaps": eligibility_overlaps(fund),
        "kinds": eligible_kind_labels(fund),
        "rounds": list(fund.rounds.order_by("-opens_at", "pk")),
    }


# Why a round's scoring method cannot change once scoring has started (shown on the page, raised by the services).
CRITERIA_LOCKED = (
    "Assessors have started scoring this round, so its scoring criteria, their weights and the highest score are "
    "fixed: changing them now would change the scores already given."
)


def scoring_started(round_: Round) -> bool:
    """Whether any assessor has scored any application in the round (its scoring method is then fixed)."""
    return Score.objects.filter(assignment__application__round=round_).exists()


def round_manage_page(round_: Round) -> dict[str, Any]:
    labels = dict(Application.Status.choices)
    by_status = dict(
        round_.applications.values_list("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
    )
    weight = criteria_weight(round_)
    return {
        "round": round_,
        "fund": round_.fund,
        "questions": list(round_.questions.all()),
        "overlaps": eligibility_overlaps(round_.fund) + overlaps([q.label for q in round_.questions.all()]),
        "criteria": list(round_.criteria.all()),
        "criteria_locked": CRITERIA_LOCKED if scoring_started(round_) else "",
        "weight": weight,
        "problems": publishing_problems(round_) if round_.prospectus_status != P.PUBLISHED else [],
        "comments": list(round_.comments.select_related("organisation", "answered_by").order_by("created_at", "pk")),
        "counts": [(labels[s], by_status[s]) for s in Application.Status.values if by_status.get(s)],
        "file_types": FILE_TYPES,
    }


def open_round_warning(round_: Round) -> str:
    """What an officer should know before changing the form of a round groups may be filling in now ('' when
    the round is not open)."""
    if not round_.is_open():
        return ""
    started = Application.objects.filter(round=round_).exclude(status=Application.Status.WITHDRAWN).count()
    if not started:
        return "This round is open for applications. Groups may be reading its questions now."
    return (
        f"This round is open for applications, and {started} application{'s have' if started != 1 else ' has'} "
        "been started. Groups will see the change the next time they open their form."
    )


def eligibility_overlaps(fund: Fund) -> list[Overlap]:
    """Pairs of the eligibility checker's questions for this fund that seem to ask the same thing, the checker's
    own question about the area included."""
    asked = [question.question for question in fund.eligibility_questions.all()]
    if fund.must_serve_area:
        asked.append(area_question(area_name()))
    return overlaps(asked)
