"""A signed-in person's home: a task list for each of their roles, each task with a count and a link to its queue.

Reads only. Every count is one query at most, whatever is in the database: a count over several kinds of record
is one UNION, a count for each of a person's groups is one GROUP BY, so the page costs the same with a thousand
rows as with none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import ListingQuerySet, ListingStatus, Organisation, User
from commonweal.accounts.queries import audit_entries, email_verified
from commonweal.accounts.roles import Role
from commonweal.core import jobs
from commonweal.directory.models import ChangeRequest, Claim, ImportRun, Report
from commonweal.directory.queries_manage import MODELS
from commonweal.framework.models import Element, Framework
from commonweal.funding.assess.queries import ASSESSMENT_FILTERS
from commonweal.funding.awards.queries import reports_to_review
from commonweal.funding.models import Application, Assignment, Grant, MonitoringReport, ProspectusComment
from commonweal.solutions.raising.queries import your_blockage_counts

RECENT_CHANGES = 5


@dataclass(frozen=True)
class Task:
    """One line of a task list: what to do, where, and how many are waiting (None: a link with no count)."""

    label: str
    url: str
    count: int | None = None
    hint: str = ""
    # What the count is of: work waiting (a tag that catches the eye), or work done or under way (plain text).
    kind: str = "waiting"


@dataclass
class Section:
    key: str
    heading: str
    tasks: list[Task] = field(default_factory=list)
    # Anything a section shows beside its tasks (the steward's table, the administrator's recent changes).
    extra: dict[str, Any] = field(default_factory=dict)


def _union_count(querysets: Iterable[QuerySet[Any]]) -> int:
    """How many rows several kinds of record have between them, in one query."""
    first, *rest = [qs.order_by().values_list("listing_status") for qs in querysets]
    return first.union(*rest, all=True).count() if rest else first.count()


def _records(model: type[Model]) -> ListingQuerySet:
    """Every directory record of one kind, with the moderated listings' own reads (published, stale)."""
    return cast(ListingQuerySet, model._default_manager.all())


# --- officers ---------------------------------------------------------------------------------------------


def _waiting_listings() -> int:
    return _union_count(
        model._default_manager.filter(listing_status=ListingStatus.PENDING) for model in MODELS.values()
    )


def _stale_listings() -> int:
    return _union_count(_records(model).published().stale() for model in MODELS.values())


def _gaps() -> Task:
    return Task(str(_("Gaps in the directory")), reverse("directory:gaps"))


def _applications_in(status: str) -> tuple[int, str]:
    """How many applications are in this status, and where they are listed: the round's own list filtered to
    them when they are all in one round, else the funds and their rounds (one query either way)."""
    by_round = list(Application.objects.filter(status=status).values("round__slug").annotate(n=Count("pk")).order_by())
    if len(by_round) == 1:
        url = reverse("funding:round_applications", args=[by_round[0]["round__slug"]])
        return by_round[0]["n"], f"{url}?{urlencode({'status': status})}"
    return sum(row["n"] for row in by_round), f"{reverse('funding:manage')}#funds"


def officer_sections() -> list[Section]:
    moderation = reverse("directory:moderation")
    A = Application.Status
    directory = Section(
        "directory-queues",
        str(_("Keep the directory true")),
        tasks=[
            Task(str(_("New listings to approve")), f"{moderation}#new", _waiting_listings()),
            Task(
                str(_("Changes to listings to approve")),
                f"{moderation}#changes",
                ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count(),
            ),
            Task(
                str(_("Requests to manage a listing")),
                f"{moderation}#claims",
                Claim.objects.filter(status=Claim.Status.PENDING).count(),
            ),
            Task(
                str(_("Reports about listings")),
                f"{moderation}#reports",
                Report.objects.filter(status=Report.Status.OPEN).count(),
            ),
            Task(
                str(_("Listings nobody has checked for a year")),
                reverse("directory:stale"),
                _stale_listings(),
                str(_("Their groups are reminded by email.")),
            ),
            _gaps(),
        ],
    )
    grants = reverse("funding:grants_manage")
    to_assess, to_assess_url = _applications_in(A.SUBMITTED)
    to_decide, to_decide_url = _applications_in(A.IN_ASSESSMENT)
    money = Section(
        "funding-queues",
        str(_("Run funding")),
        tasks=[
            Task(
                str(_("Applications to send for assessment")),
                to_assess_url,
                to_assess,
                str(_("Submitted applications: assign assessors, or turn them down.")),
            ),
            Task(
                str(_("Decisions due")),
                to_decide_url,
                to_decide,
                str(_("Applications being assessed: moderate the scores and decide.")),
            ),
            Task(
                str(_("Grants to offer")),
                f"{grants}#awaiting-offer",
                Application.objects.filter(status=A.APPROVED, grant__isnull=True).count(),
            ),
            Task(
                str(_("Monitoring reports to review")),
                f"{grants}?{urlencode({'show': 'review'})}",
                reports_to_review().count(),
            ),
            Task(
                str(_("Comments on draft prospectuses to answer")),
                f"{reverse('funding:manage')}#waiting",
                ProspectusComment.objects.filter(answer="").count(),
            ),
            Task(str(_("Funds and their rounds")), reverse("funding:manage")),
        ],
    )
    # Blockages (the solutions app, still to come) add a section here: those routed to the officer's department.
    return [directory, money]


# --- assessors --------------------------------------------------------------------------------------------


def assessor_section(user: User) -> Section | None:
    """Anyone asked to assess an application, whatever their role; None for someone with no assignments."""
    counts = Assignment.objects.filter(assessor=user).aggregate(
        to_score=Count("pk", filter=Q(status__in=ASSESSMENT_FILTERS["to-score"][1])),
        done=Count("pk", filter=Q(status__in=ASSESSMENT_FILTERS["done"][1])),
    )
    if not counts["to_score"] and not counts["done"]:
        return None
    url = reverse("funding:my_assessments")
    return Section(
        "assessor",
        str(_("Your assessments")),
        tasks=[
            Task(
                str(_("Applications to score")),
                f"{url}?show=to-score",
                counts["to_score"],
                str(_("Declare any conflict of interest first.")),
            ),
            Task(str(_("Assessments done")), f"{url}?show=done", counts["done"], kind="done"),
        ],
    )


# --- stewards ---------------------------------------------------------------------------------------------


def funding_by_theme(framework: Framework) -> list[dict[str, Any]]:
    """Each theme of the framework with the applications made under it and the money awarded (one query)."""
    live = ~Q(applications__grant__status__in=(Grant.Status.DECLINED, Grant.Status.WITHDRAWN))
    themes = (
        Element.objects.filter(framework=framework, kind=Element.Kind.THEME)
        .annotate(
            applied=Count("applications", filter=~Q(applications__status=Application.Status.DRAFT), distinct=True),
            awarded=Sum("applications__grant__amount", filter=live),
        )
        .order_by("position", "pk")
    )
    return [{"theme": t, "applied": t.applied, "awarded": t.awarded or Decimal("0")} for t in themes]


def outcomes_reported(framework: Framework) -> list[dict[str, Any]]:
    """Each outcome of the framework with how many grants have reported progress against it (one query)."""
    reported = Q(reportresult__report__status__in=(MonitoringReport.Status.SUBMITTED, MonitoringReport.Status.ACCEPTED))
    outcomes = (
        Element.objects.filter(framework=framework, kind=Element.Kind.OUTCOME)
        .annotate(grants=Count("reportresult__report__grant", filter=reported, distinct=True))
        .order_by("position", "pk")
    )
    return [{"outcome": o, "grants": o.grants} for o in outcomes]


def steward_section() -> Section:
    framework = Framework.current()
    unconfirmed = Element.objects.filter(to_confirm=True).count()
    return Section(
        "steward",
        str(_("Progress against the framework")),
        tasks=[
            Task(
                str(_("Parts of the framework still to confirm")),
                reverse("framework:edit"),
                unconfirmed,
                str(_("Placeholders from the preset the council has not confirmed yet: edit the framework.")),
            ),
            Task(str(_("Where the money went")), reverse("funding:where_money_went")),
            Task(str(_("Leverage: external money per council pound")), reverse("funding:leverage")),
            Task(str(_("Consultations waiting for 'we did', and those overdue")), reverse("engagement:we_did_due")),
            _gaps(),
        ],
        extra={
            "themes": funding_by_theme(framework) if framework else [],
            "outcomes": outcomes_reported(framework) if framework else [],
        },
    )


# --- champions --------------------------------------------------------------------------------------------


def champion_section() -> Section:
    # Blockages and asset transfers (the solutions app, still to come) add their queues here, with counts.
    return Section("champion", str(_("Your work as a champion")), tasks=[_gaps()])


# --- administrators ---------------------------------------------------------------------------------------


def admin_section() -> Section:
    imports = ImportRun.objects.aggregate(
        running=Count("pk", filter=Q(status__in=(ImportRun.Status.QUEUED, ImportRun.Status.RUNNING))),
        failed=Count("pk", filter=Q(status=ImportRun.Status.FAILED)),
    )
    recent: list[LogEntry] = list(audit_entries()[:RECENT_CHANGES])
    return Section(
        "admin",
        str(_("Run the platform")),
        tasks=[
            Task(str(_("Failed jobs")), reverse("accounts:failed_jobs"), jobs.failed_job_count()),
            Task(str(_("Imports running")), reverse("directory:imports"), imports["running"], kind="running"),
            Task(str(_("Imports that failed")), reverse("directory:imports"), imports["failed"]),
            Task(str(_("Audit log")), reverse("accounts:audit_log")),
            Task(str(_("Directory work: new listings, changes, claims and reports")), reverse("directory:moderation")),
            _gaps(),
            Task(str(_("How long records are kept")), reverse("home:retention")),
            Task(str(_("Users, roles and settings")), reverse("admin:index")),
        ],
        extra={"recent": recent},
    )


# --- group members ----------------------------------------------------------------------------------------


def _per_organisation(rows: Iterable[dict[str, Any]], key: str) -> Counter[int]:
    return Counter({row[key]: row["n"] for row in rows})


def group_sections(user: User) -> list[Section]:
    """One section for each group the person is a member of: its listing, applications and reports due."""
    groups = list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Role.GROUP_MEMBER)
        .distinct()
        .order_by("name", "pk")
    )
    if not groups:
        return []
    ids = [g.pk for g in groups]
    stale: Counter[int] = Counter(
        org_id
        for (org_id,) in Organisation.objects.filter(pk__in=ids)
        .published()
        .stale()
        .order_by()
        .values_list("pk")
        .union(
            *(
                _records(model)
                .filter(organisation_id__in=ids)
                .published()
                .stale()
                .order_by()
                .values_list("organisation_id")
                for key, model in MODELS.items()
                if key != "organisation"
            ),
            all=True,
        )
    )
    A = Application.Status
    drafts = _per_organisation(
        Application.objects.filter(organisation_id__in=ids, status=A.DRAFT)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "organisation_id",
    )
    in_progress = _per_organisation(
        Application.objects.filter(organisation_id__in=ids, status__in=(A.SUBMITTED, A.IN_ASSESSMENT))
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "organisation_id",
    )
    R = MonitoringReport.Status
    reports_due = _per_organisation(
        MonitoringReport.objects.filter(
            grant__application__organisation_id__in=ids,
            status__in=(R.DUE, R.CHANGES_REQUESTED),
            grant__status=Grant.Status.ACCEPTED,
        )
        .values("grant__application__organisation_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "grant__application__organisation_id",
    )
    applications = reverse("funding:my_applications")
    sections = []
    for group in groups:
        sections.append(
            Section(
                f"group-{group.pk}",
                group.name,
                extra={"organisation": group},
                tasks=[
                    Task(
                        str(_("Listing records to check")),
                        reverse("directory:manage_organisation", args=[group.slug]),
                        stale[group.pk],
                        str(_("Confirm what is still true, so people can trust it.")),
                    ),
                    Task(str(_("Applications you have started")), applications, drafts[group.pk]),
                    Task(str(_("Applications being considered")), applications, in_progress[group.pk]),
                    Task(str(_("Monitoring reports due")), applications, reports_due[group.pk]),
                ],
            )
        )
    return sections


# --- everyone signed in -----------------------------------------------------------------------------------


def resident_section(user: User) -> Section:
    return Section(
        "resident",
        str(_("Your things")),
        tasks=[
            Task(
                str(_("Your requests to manage a listing")),
                reverse("directory:my_listings"),
                Claim.objects.filter(user=user, status=Claim.Status.PENDING).count(),
                str(_("Waiting for an officer to check.")),
            ),
            Task(str(_("Find help near you")), reverse("directory:search")),
            Task(
                str(_("Raise a blockage")),
                reverse("solutions:raise"),
                hint=str(_("Tell the council about a rule or process that is stopping you.")),
            ),
            Task(str(_("Funding for community groups")), reverse("funding:index")),
            Task(str(_("Your citizens' panel status")), reverse("panels:your_status")),
            Task(str(_("Your account, password and data")), reverse("accounts:dashboard")),
        ],
    )


def blockages_section(user: User) -> Section | None:
    """For anyone who has raised (or joined) a blockage: how many are open, and the way to them (one query)."""
    counts = your_blockage_counts(user)
    if not counts["total"]:
        return None
    return Section(
        "blockages",
        str(_("Blockages you raised")),
        tasks=[
            Task(
                str(_("Your blockages")),
                reverse("solutions:mine"),
                counts["open"],
                str(_("Open blockages: the council is working on them.")),
                kind="running",
            ),
            Task(str(_("Raise a blockage")), reverse("solutions:raise")),
        ],
    )


def consultation_responses_section(user: User) -> Section | None:
    """For anyone who has responded to a consultation (or started to): their drafts and sent responses (one
    query)."""
    from commonweal.engagement.responding.queries import your_response_counts

    counts = your_response_counts(user)
    if not (counts["drafts"] or counts["sent"]):
        return None
    url = reverse("engagement:your_responses")
    return Section(
        "consultation-responses",
        str(_("Your consultation responses")),
        tasks=[
            Task(
                str(_("Responses not sent yet")),
                url,
                counts["drafts"],
                str(_("Carry on before the consultation closes.")),
            ),
            Task(str(_("Responses you sent")), url, counts["sent"], kind="done"),
        ],
    )


def department_blockages_section(user: User) -> Section:
    """An officer's (or a champion's) blockages: how many are open in their queue and how many are late."""
    from commonweal.solutions.cases.queries import home_counts

    counts = home_counts(user)
    url = reverse("solutions:queue")
    return Section(
        "department-blockages",
        str(_("Your department's blockages")),
        tasks=[
            Task(str(_("Open blockages")), url, counts["open"]),
            Task(str(_("Late blockages")), f"{url}?late=on", counts["late"]),
        ],
    )


def consultations_section(user: User) -> Section:
    """'Consultations': the drafts and open consultations of an officer's departments (every one for a steward),
    counted in one query, and the way to run them."""
    from django.utils import timezone

    from commonweal.engagement.consultations.queries import home_counts

    counts = home_counts(user, today=timezone.localdate())
    url = reverse("engagement:manage")
    return Section(
        "consultations",
        str(_("Consultations")),
        tasks=[
            Task(str(_("Draft consultations")), url, counts["drafts"], str(_("Not yet published.")), kind="running"),
            Task(str(_("Open consultations")), url, counts["open"], str(_("Taking responses now.")), kind="running"),
            Task(str(_("Run the citizens' panel")), reverse("panels:manage_selections")),
        ],
    )


# What each role adds to the home, in this order.
SECTIONS_BY_ROLE: tuple[tuple[str, Callable[[], list[Section]]], ...] = (
    (Role.OFFICER, officer_sections),
    (Role.CHAMPION, lambda: [champion_section()]),
    (Role.STEWARD, lambda: [steward_section()]),
    (Role.ADMIN, lambda: [admin_section()]),
)


def transfers_section(groups: list[Section]) -> Section | None:
    """'Asset transfers', for members of groups that have one: the way to their cases (one query)."""
    from commonweal.solutions.transfers.queries import group_transfer_counts

    total, open_now = group_transfer_counts([section.extra["organisation"].pk for section in groups])
    if not total:
        return None
    return Section(
        "asset-transfers",
        str(_("Asset transfers")),
        tasks=[
            Task(
                str(_("Your group's asset transfers")),
                reverse("solutions:transfers_mine"),
                open_now,
                str(_("Council buildings and spaces your group has asked to take on.")),
                kind="running",
            )
        ],
    )


def councillor_section(user: User) -> Section:
    """'Your wards', for ward councillors: the consultations open and the events coming up in their wards."""
    from commonweal.engagement.forums.queries import ward_counts

    counts = ward_counts(user)
    url = reverse("engagement:ward_engagement")
    return Section(
        "your-wards",
        str(_("Your wards")),
        tasks=[
            Task(str(_("Consultations open in your wards")), f"{url}#consultations", counts["open"], kind="running"),
            Task(str(_("Events coming up in your wards")), f"{url}#events", counts["events"], kind="running"),
        ],
    )


def your_home_page(user: User) -> dict[str, Any]:
    """Each section this person's roles give them, in the order they work: their queues first, their own last."""
    sections = [section for role, build in SECTIONS_BY_ROLE if user.has_role(role) for section in build()]
    if user.has_role(Role.OFFICER, Role.CHAMPION):
        sections.insert(0, department_blockages_section(user))
    if user.has_role(Role.OFFICER, Role.STEWARD):
        sections.insert(1 if user.has_role(Role.OFFICER, Role.CHAMPION) else 0, consultations_section(user))
    if user.has_role(Role.COUNCILLOR):
        sections.append(councillor_section(user))
    assessing = assessor_section(user)
    if assessing is not None:
        sections.append(assessing)
    groups = group_sections(user) if user.has_role(Role.GROUP_MEMBER) else []
    transfers = transfers_section(groups) if groups else None
    if transfers is not None:
        sections.append(transfers)
    blockages = blockages_section(user)
    if blockages is not None:
        sections.append(blockages)
    responses = consultation_responses_section(user)
    if responses is not None:
        sections.append(responses)
    return {
        "sections": sections,
        "groups": groups,
        "own": resident_section(user),
        # Someone new lands here first: until they confirm their address, say so (no role can be given before).
        "email_verified": email_verified(user),
    }
