"""Reads of the apply area, one function per page, and who may see an application."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.places.models import CouncilArea

from ..assess.queries import CONFLICT_MESSAGE, ApplicationSearch, Standing, assessor_standing, search_applications
from ..models import Application, Assignment, Attachment, Question, Round
from ..permissions import is_officer, manages
from .answers import count_words

A = Application.Status


def area_name() -> str:
    council = CouncilArea.current()
    return council.area_name if council else "the area"


def public_round(slug: str, user: Any) -> Round | None:
    """A round the public may check eligibility for: its prospectus is not a draft (officers see every round)."""
    found = (
        Round.objects.select_related("fund")
        .prefetch_related("fund__eligibility_questions", "fund__pots")
        .filter(slug=slug)
        .first()
    )
    if found is None:
        return None
    if found.prospectus_status == Round.Prospectus.DRAFT and not is_officer(user):
        return None
    return found


def member_organisations(user: Any) -> list[Organisation]:
    """The groups this person may apply for."""
    if user is None or not user.is_authenticated:
        return []
    ids = user.organisation_ids_for(Role.GROUP_MEMBER)
    return list(Organisation.objects.filter(pk__in=ids).exclude(kind=Organisation.Kind.COUNCIL_DEPARTMENT))


def standing_applications(round: Round, organisations: list[Organisation]) -> dict[int, Application]:
    """The applications these groups already have in a round that takes one from each, by organisation: a
    withdrawn application does not count, so the group may start again."""
    if not round.one_per_organisation or not organisations:
        return {}
    found = (
        Application.objects.filter(round=round, organisation__in=organisations)
        .exclude(status=A.WITHDRAWN)
        .select_related("organisation")
        .order_by("created_at")
    )
    return {application.organisation_id: application for application in reversed(found)}


# --- who may see an application -------------------------------------------------------------------------


def refusal(user: Any, application: Application) -> str | None:
    """None when this person may see the application and its files; otherwise the sentence saying why not.

    A declared conflict of interest outranks every other right to see it, an officer's included.
    """
    standing = assessor_standing(user, application)
    if standing is Standing.CONFLICTED:
        return CONFLICT_MESSAGE
    if standing is Standing.ASSESSOR or manages(user, application.organisation) or is_officer(user):
        return None
    if Assignment.objects.filter(application=application, assessor=user).exists():
        return "Declare whether you have a conflict of interest with this application before you open it."
    return (
        "Only members of the group that applied, the council's funding officers and the assessors of this "
        "application can see it."
    )


def application_by_uuid(uuid: Any) -> Application | None:
    return (
        Application.objects.select_related("round__fund", "organisation", "pot", "created_by").filter(uuid=uuid).first()
    )


# --- the applicant's pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    name: str
    state: str  # done, current, waiting, stopped
    detail: str
    at: Any = None


def _stages(application: Application, grant: Any, decision: Any) -> list[Stage]:
    events = {e.transition: e for e in application.events.all()}
    status = application.status
    stages: list[Stage] = []
    started = events.get("start")
    submitted = events.get("submit")
    stages.append(
        Stage(
            "Draft",
            "done" if status != A.DRAFT else "current",
            "You started the application." if status != A.DRAFT else "Your answers are saved as you go.",
            started.at if started else application.created_at,
        )
    )
    if status == A.WITHDRAWN:
        withdrawn = events.get("withdraw")
        stages.append(
            Stage("Withdrawn", "stopped", "You withdrew this application.", withdrawn.at if withdrawn else None)
        )
        return stages
    stages.append(
        Stage(
            "Submitted",
            "done" if submitted else "waiting",
            "We have your application." if submitted else "Submit it before the deadline.",
            submitted.at if submitted else None,
        )
    )
    assessing = events.get("assess")
    stages.append(
        Stage(
            "Being assessed",
            "done" if status in (A.APPROVED, A.REJECTED) else "current" if status == A.IN_ASSESSMENT else "waiting",
            "Assessors score it against the published criteria.",
            assessing.at if assessing else None,
        )
    )
    decided = status in (A.APPROVED, A.REJECTED)
    stages.append(
        Stage(
            "Decided",
            "done" if decided else "waiting",
            ("The panel funded it." if status == A.APPROVED else "The panel did not fund it.")
            if decided
            else f"Decisions are expected by {application.round.decisions_by:%-d %B %Y}."
            if application.round.decisions_by
            else "The panel decides after assessment.",
            decision.decided_at if decision else None,
        )
    )
    if status == A.REJECTED:
        return stages
    stages.append(
        Stage(
            "Offer",
            ("done" if grant.status in ("accepted", "completed") else "current") if grant else "waiting",
            f"Grant {grant.reference}: {grant.get_status_display().lower()}."
            if grant
            else "An offer follows a decision to fund.",
            grant.offered_at if grant else None,
        )
    )
    tranches = list(grant.tranches.all()) if grant else []
    paid = [t for t in tranches if t.status == "paid"]
    stages.append(
        Stage(
            "Payments",
            "done" if tranches and len(paid) == len(tranches) else "current" if paid else "waiting",
            f"{len(paid)} of {len(tranches)} payments made." if tranches else "Payments follow your acceptance.",
        )
    )
    reports = list(grant.reports.all()) if grant else []
    sent = [r for r in reports if r.status in ("submitted", "accepted")]
    stages.append(
        Stage(
            "Reports",
            "done" if reports and len(sent) == len(reports) else "current" if sent else "waiting",
            f"{len(sent)} of {len(reports)} reports sent."
            if reports
            else "Monitoring reports are due once you are paid.",
        )
    )
    return stages


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    text: str
    words: int
    files: list[Attachment]


def application_page(application: Application) -> dict[str, Any]:
    """The status page: the stages, the answers, the decision's feedback and the grant once there is one."""
    application = (
        Application.objects.select_related("round__fund", "organisation", "pot")
        .prefetch_related("themes", "wards", "events", "attachments")
        .get(pk=application.pk)
    )
    decision = getattr(application, "decision", None) if hasattr(application, "decision") else None
    grant = getattr(application, "grant", None) if hasattr(application, "grant") else None
    files: dict[int, list[Attachment]] = {}
    for attachment in application.attachments.all():
        files.setdefault(attachment.question_id, []).append(attachment)
    rows = []
    for question in application.round.questions.all():
        text = str(application.answers.get(str(question.pk), ""))
        rows.append(AnswerRow(question, text, count_words(text), files.get(question.pk, [])))
    return {
        "application": application,
        "stages": _stages(application, grant, decision),
        "answers": rows,
        "decision": decision if application.status in (A.APPROVED, A.REJECTED) else None,
        "grant": grant,
        "round_closed": application.round.is_closed(),
    }


def my_applications_page(user: User) -> dict[str, Any]:
    organisations = member_organisations(user)
    applications = list(
        Application.objects.filter(organisation__in=organisations)
        .select_related("round__fund", "organisation", "pot")
        .order_by("-created_at")
    )
    return {
        "organisations": organisations,
        "applications": applications,
        "open_rounds": open_rounds() if not applications else [],
    }


def open_rounds() -> list[Round]:
    now = timezone.now()
    return list(
        Round.objects.filter(prospectus_status=Round.Prospectus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .select_related("fund")
        .order_by("closes_at")
    )


PER_PAGE = 100


def round_applications_page(round: Round, search: ApplicationSearch, page: str | None = None) -> dict[str, Any]:
    """The officers' list of a round's applications with counts by status, searched (assess.queries'
    search_applications, as the exports are), 100 a page."""
    everything = Application.objects.filter(round=round)
    counts = dict(everything.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    status = search.status
    shown: QuerySet[Application] = search_applications(round, search).select_related("organisation", "pot")
    pages = Paginator(shown, PER_PAGE).get_page(page)
    applications: list[Application] = list(pages.object_list)
    return {
        "round": round,
        "applications": applications,
        "pages": pages,
        "counts": [(value, label, counts.get(value, 0)) for value, label in A.choices],
        "total": sum(counts.values()),
        "status": status if status in A.values else "",
    }


def questions_of(round: Round) -> list[Question]:
    return list(round.questions.all())


def attachments_by_question(application: Application) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = {}
    for attachment in application.attachments.all():
        found.setdefault(attachment.question_id, []).append(attachment)
    return found
