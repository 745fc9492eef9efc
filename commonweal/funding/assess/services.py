"""Assessment: the assessor pool, assigning applications, conflicts of interest, scoring and panel decisions.

Every write here is one use case in one transaction; status changes of applications go through
workflows.take() (or, for assigning thousands at once, workflows.take_all()).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import dateformat, timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.queries import email_verified, verified_user_ids
from commonweal.accounts.roles import Role
from commonweal.core.audit import acting, log_created
from commonweal.core.money import pounds

from .. import emails, moderation, workflows
from ..assignment import least_loaded, plan_assignments
from ..errors import FundingError
from ..models import Application, Assignment, Criterion, Decision, Round, Score
from ..permissions import conflict_with, is_officer
from ..setup.queries import scoring_started
from .queries import ASSIGNABLE, CONFLICT_MESSAGE, NOT_ASSIGNED_MESSAGE, scores_locked
from .totals import record_scored

A = Application.Status
S = Assignment.Status

OFFICERS_ONLY = "Only council officers can run assessment."
UNVERIFIED_ASSESSOR = (
    "{person} has not confirmed their email address ({email}) yet, so they cannot be an assessor. "
    "Ask them to follow the link in the email we sent them, or to send it again from their account."
)
EARLY_REFUSED = (
    "The round is open until {closes}, so more applications may come in. To assign now, tick 'Assign before "
    "the round closes' and say why."
)
NOBODY_CONFIRMED = (
    "Nobody in the pool has confirmed their email address yet, so there is nobody to give applications to. "
    "Assessors who have not confirmed theirs are not given applications."
)


def _require_officer(by: Any) -> None:
    if not is_officer(by):
        raise PermissionDenied(OFFICERS_ONLY)


# --- the pool --------------------------------------------------------------------------------------


@transaction.atomic
def add_assessor(*, round: Round, email: str, by: User) -> User:
    """An officer adds anyone with an account, found by email, to the round's assessor pool."""
    _require_officer(by)
    email = (email or "").strip()
    if not email:
        raise FundingError({"email": "Enter the email address of the person to add."})
    person = User.objects.filter(email__iexact=email, is_active=True).first()
    if person is None:
        raise FundingError({"email": f"No one has an account with the email address {email}. Ask them to sign up."})
    if round.assessors.filter(pk=person.pk).exists():
        raise FundingError({"email": f"{person} is already an assessor in this round."})
    if not email_verified(person):
        raise FundingError({"email": UNVERIFIED_ASSESSOR.format(person=person, email=person.email)})
    with acting(by):
        round.assessors.add(person)
    return person


@transaction.atomic
def remove_assessor(*, round: Round, assessor: User, by: User) -> int:
    """An officer removes an assessor who has scored nothing in the round; their unscored work is taken back.

    Returns how many assignments were taken back (run "Assign applications" again to fill the gaps).
    """
    _require_officer(by)
    mine = Assignment.objects.filter(application__round=round, assessor=assessor)
    if Score.objects.filter(assignment__in=mine).exists():
        raise FundingError(f"{assessor} has already scored applications in this round, so they cannot be removed.")
    with acting(by):
        taken_back, _ = mine.exclude(status=S.CONFLICTED).delete()
        round.assessors.remove(assessor)
    return taken_back


# --- assigning -------------------------------------------------------------------------------------


def _excluded_by_organisation(pool: Iterable[int], organisations: Mapping[int, str]) -> dict[int, set[int]]:
    """organisation → pool members who manage it, as accounts.permissions.can_manage_organisation decides,
    read in one query rather than once per (person, organisation)."""
    pool = list(pool)
    excluded: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(user_id__in=pool).values_list("user_id", "role", "organisation_id")
    for user_id, role, organisation_id in rows:
        if organisation_id in organisations:
            department = organisations[organisation_id] == Organisation.Kind.COUNCIL_DEPARTMENT
            if role == (Role.OFFICER if department else Role.GROUP_MEMBER):
                excluded[organisation_id].add(user_id)
    return excluded


def _round_loads(round: Round) -> dict[int, int]:
    """assessor → applications in this round that count towards their load (a conflicted one does not)."""
    rows = (
        Assignment.objects.filter(application__round=round)
        .exclude(status=S.CONFLICTED)
        .values("assessor_id")
        .annotate(n=Count("pk"))
        .values_list("assessor_id", "n")
    )
    return dict(rows)


def _active_pool(round: Round) -> list[int]:
    """The pool members who can be given applications: active, and their email address confirmed."""
    pool = list(round.assessors.filter(is_active=True).values_list("pk", flat=True))
    confirmed = verified_user_ids(pool)
    return [pk for pk in pool if pk in confirmed]


def round_still_open(round: Round) -> bool:
    """Whether applications may still come in: assessors are given them only once it closes, unless an
    officer says why not."""
    return timezone.now() < round.closes_at


def _early_reason(round: Round, reason: str) -> str:
    """The officer's reason for assigning while the round is open ('' once it has closed); refused without."""
    if not round_still_open(round):
        return ""
    reason = (reason or "").strip()
    if not reason:
        closes = dateformat.format(timezone.localtime(round.closes_at), r"j F Y \a\t H:i")
        raise FundingError({"early": EARLY_REFUSED.format(closes=closes)})
    if len(reason) > 1000:
        raise FundingError({"early_reason": "Say why in 1,000 characters or fewer."})
    return reason


@transaction.atomic
def assign_assessors(*, round: Round, by: User, early_reason: str = "") -> int:
    """Give every submitted application the round's number of assessors, least-loaded first, never a member of
    the applicant organisation nor anyone already on it; then send submitted applications for assessment. Not
    before the round closes unless the officer gives a reason, which is kept on each assignment.

    Running it again only fills gaps. Returns how many assignments it made.
    """
    _require_officer(by)
    round = Round.objects.select_for_update().get(pk=round.pk)
    reason = _early_reason(round, early_reason)
    pool = _active_pool(round)
    if not pool:
        if round.assessors.filter(is_active=True).exists():
            raise FundingError(NOBODY_CONFIRMED)
        raise FundingError("Add assessors to the pool before assigning applications.")
    applications = list(
        Application.objects.filter(round=round, status__in=ASSIGNABLE)
        .order_by("submitted_at", "pk")
        .values_list("pk", "organisation_id", "organisation__kind", "status")
    )
    current: dict[int, set[int]] = defaultdict(set)
    active: dict[int, int] = defaultdict(int)
    for application_id, assessor_id, status in Assignment.objects.filter(application__round=round).values_list(
        "application_id", "assessor_id", "status"
    ):
        current[application_id].add(assessor_id)
        if status != S.CONFLICTED:
            active[application_id] += 1
    by_organisation = _excluded_by_organisation(pool, {row[1]: row[2] for row in applications})
    plan = plan_assignments(
        applications=[row[0] for row in applications],
        assessors=pool,
        per_application=round.assessors_per_application,
        current=current,
        active_counts=active,
        excluded={row[0]: by_organisation.get(row[1], set()) for row in applications},
        load=_round_loads(round),
    )
    now = timezone.now()
    given = {application for application, _ in plan.pairs}
    with acting(by):
        created = Assignment.objects.bulk_create(
            [Assignment(application_id=a, assessor_id=p, assigned_at=now, early_reason=reason) for a, p in plan.pairs],
            batch_size=1000,
        )
        log_created(created, by)
        _send_for_assessment(
            [row[0] for row in applications if row[3] == A.SUBMITTED and (active[row[0]] or row[0] in given)],
            by=by,
            reason=reason,
        )
    return len(plan.pairs)


def _send_for_assessment(application_ids: list[int], *, by: User, reason: str = "") -> None:
    """workflows' "assess" transition for many applications at once, through the engine's take_all(); an early
    assignment's reason goes on the application's history."""
    if application_ids:
        workflows.take_all(
            workflows.APPLICATION,
            Application.objects.filter(pk__in=application_ids),
            "assess",
            by=by,
            reason=f"Assigned before the round closed: {reason}" if reason else "",
        )


@dataclass(frozen=True)
class Candidate:
    """A pool member as a choice for one application: who, their load in the round, and why not, if not."""

    user: User
    load: int
    refusal: str  # empty when they may be chosen


def candidates_for(application: Application) -> list[Candidate]:
    """Everyone in the round's pool as a choice for this application, least loaded first, each refused with the
    reason automatic assignment would pass them over for: already on it, a declared conflict, a member of the
    applicant organisation, or an email address not confirmed."""
    round = application.round
    people = list(round.assessors.filter(is_active=True).order_by("full_name", "email"))
    confirmed = verified_user_ids(p.pk for p in people)
    organisation = application.organisation
    managers = _excluded_by_organisation([p.pk for p in people], {organisation.pk: organisation.kind}).get(
        organisation.pk, set()
    )
    on_it = dict(Assignment.objects.filter(application=application).values_list("assessor_id", "status"))
    loads = _round_loads(round)
    found = []
    for person in people:
        if on_it.get(person.pk) == S.CONFLICTED:
            refusal = "Declared a conflict of interest in this application"
        elif person.pk in on_it:
            refusal = "Already an assessor of this application"
        elif person.pk in managers:
            refusal = f"A member of {organisation.name}"
        elif person.pk not in confirmed:
            refusal = "Has not confirmed their email address"
        else:
            refusal = ""
        found.append(Candidate(person, loads.get(person.pk, 0), refusal))
    return sorted(found, key=lambda c: (bool(c.refusal), c.load, c.user.full_name or c.user.email))


@transaction.atomic
def assign_by_hand(
    *, application: Application, assessors: Iterable[int], by: User, early_reason: str = ""
) -> list[Assignment]:
    """An officer chooses assessors for one application from the round's pool, as automatic assignment would
    allow (no member of the applicant organisation, no one conflicted or already on it, email confirmed), and
    not before the round closes unless they say why; a submitted application is then sent for assessment."""
    _require_officer(by)
    round = Round.objects.select_for_update().get(pk=application.round_id)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=application.pk)
    )
    application.round = round
    conflict = conflict_with(by, application)
    if conflict is not None:
        raise PermissionDenied(conflict)
    if application.status not in ASSIGNABLE:
        raise FundingError("Only a submitted application, or one being assessed, can be given assessors.")
    chosen = list(dict.fromkeys(int(pk) for pk in assessors))
    if not chosen:
        raise FundingError({"assessors": "Choose at least one assessor for this application."})
    reason = _early_reason(round, early_reason)
    refusals = {c.user.pk: (c.user, c.refusal) for c in candidates_for(application)}
    problems = []
    for pk in chosen:
        if pk not in refusals:
            problems.append("Someone you chose is not in this round's pool of assessors.")
        elif refusals[pk][1]:
            person, why = refusals[pk]
            problems.append(f"{person} cannot assess this application: {why[0].lower()}{why[1:]}.")
    if problems:
        raise FundingError({"assessors": " ".join(problems)})
    now = timezone.now()
    with acting(by):
        created = Assignment.objects.bulk_create(
            [
                Assignment(
                    application=application, assessor_id=pk, assigned_at=now, chosen_by_hand=True, early_reason=reason
                )
                for pk in chosen
            ]
        )
        log_created(created, by)
        if application.status == A.SUBMITTED:
            _send_for_assessment([application.pk], by=by, reason=reason)
    return created


def _reassign(application: Application) -> Assignment | None:
    """Give the application to the least-loaded eligible assessor in the pool, if there is one."""
    round = application.round
    pool = _active_pool(round)
    on_it = set(Assignment.objects.filter(application=application).values_list("assessor_id", flat=True))
    organisation = application.organisation
    managers = _excluded_by_organisation(pool, {organisation.pk: organisation.kind}).get(organisation.pk, set())
    chosen = least_loaded(candidates=set(pool) - on_it - managers, load=_round_loads(round))
    if chosen is None:
        return None
    return Assignment.objects.create(application=application, assessor_id=chosen)


# --- conflicts of interest -------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    assignment: Assignment
    replacement: Assignment | None


def _own_assignment(assignment: Assignment, by: User) -> Assignment:
    """The assignment, locked, for its own assessor only, and not once they have declared a conflict."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("application__round").get(pk=assignment.pk)
    )
    if assignment.assessor_id != by.pk:
        raise PermissionDenied(NOT_ASSIGNED_MESSAGE)
    if assignment.status == S.CONFLICTED:
        raise PermissionDenied(CONFLICT_MESSAGE)
    return assignment


@transaction.atomic
def declare_interest(*, assignment: Assignment, conflict: bool, reason: str = "", by: User) -> Declared:
    """The assessor says whether they have a conflict before seeing the application; a conflicted assessor is
    replaced by the least-loaded eligible assessor and never sees the application."""
    assignment = _own_assignment(assignment, by)
    if assignment.status != S.AWAITING_DECLARATION:
        raise FundingError("You have already declared that you have no conflict of interest in this application.")
    if assignment.application.status not in ASSIGNABLE:
        raise FundingError("This application is no longer being assessed.")
    reason = (reason or "").strip()
    replacement = None
    with acting(by):
        assignment.declared_at = timezone.now()
        if conflict:
            if not reason:
                raise FundingError({"conflict_reason": "Say what the conflict of interest is."})
            if len(reason) > 2000:
                raise FundingError({"conflict_reason": "Describe the conflict in 2,000 characters or fewer."})
            assignment.status = S.CONFLICTED
            assignment.conflict_reason = reason
            assignment.save()
            replacement = _reassign(assignment.application)
        else:
            assignment.status = S.CLEAR
            assignment.save()
    return Declared(assignment=assignment, replacement=replacement)


# --- scoring ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marked:
    """What an assessor entered for one criterion: the score as typed (may be empty) and the comment."""

    score: str
    comment: str


def _parse_score(raw: str, score_max: int) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if value != value.to_integral_value() or not 0 <= value <= score_max:
        raise ValueError
    return int(value)


@transaction.atomic
def save_scores(*, assignment: Assignment, marks: Mapping[int, Marked], submit: bool, by: User) -> Assignment:
    """The assessor saves a score from 0 to the round's highest and a comment per criterion, as a draft or
    submitted (every criterion scored); once submitted they may change them until the panel decides."""
    assignment = _own_assignment(assignment, by)
    if assignment.status == S.AWAITING_DECLARATION:
        raise FundingError("Declare whether you have a conflict of interest before you score this application.")
    application = assignment.application
    locked = scores_locked(application)
    if locked is not None:
        raise FundingError(locked)
    if not scoring_started(application.round):
        # The first score fixes the round's criteria: wait for any criterion change under way (funding set-up
        # locks the round row too), so this score is against the criteria as they are once it commits.
        application.round = Round.objects.select_for_update().get(pk=application.round_id)
    score_max = application.round.score_max
    criteria = list(Criterion.objects.filter(round=application.round))
    submit = submit or assignment.status == S.SCORED
    errors: dict[str, str] = {}
    parsed: dict[int, tuple[int | None, str]] = {}
    for criterion in criteria:
        mark = marks.get(criterion.pk, Marked("", ""))
        comment = (mark.comment or "").strip()
        try:
            value = _parse_score(mark.score, score_max)
        except ValueError:
            errors[f"score_{criterion.pk}"] = f"Choose a score from 0 to {score_max} for {criterion.name}."
            continue
        if value is None and submit:
            errors[f"score_{criterion.pk}"] = f"Choose a score for {criterion.name}."
        elif value is None and comment:
            errors[f"score_{criterion.pk}"] = f"Choose a score for {criterion.name} so that its comment is saved."
        if len(comment) > 3000:
            errors[f"comment_{criterion.pk}"] = "Write your comment in 3,000 characters or fewer."
        parsed[criterion.pk] = (value, comment)
    if errors:
        raise FundingError(errors)
    existing = {score.criterion_id: score for score in Score.objects.filter(assignment=assignment)}
    with acting(by):
        for criterion_id, (value, comment) in parsed.items():
            score = existing.get(criterion_id)
            if value is None:
                if score is not None:
                    score.delete()
            elif score is None:
                Score.objects.create(assignment=assignment, criterion_id=criterion_id, score=value, comment=comment)
            elif (score.score, score.comment) != (value, comment):
                score.score, score.comment = value, comment
                score.save()
        if submit:
            assignment.status = S.SCORED
            assignment.scored_at = timezone.now()
            assignment.save()
    record_scored(assignment)
    return assignment


# --- the panel's decision --------------------------------------------------------------------------


def application_mean(application: Application) -> float | None:
    """The mean of the submitted assessors' weighted scores for one application."""
    round = application.round
    weights = dict(Criterion.objects.filter(round=round).values_list("pk", "weight"))
    by_assessor: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Score.objects.filter(assignment__application=application, assignment__status=S.SCORED).values_list(
        "assignment__assessor_id", "criterion_id", "score"
    )
    for assessor, criterion, score in rows:
        by_assessor[assessor][criterion] = score
    values = [moderation.weighted_score(scores, weights, round.score_max) for scores in by_assessor.values()]
    return moderation.mean(values)


def _money(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        raise FundingError({"amount": "Enter the amount in pounds, like 2500 or 2500.50."}) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise FundingError({"amount": "Enter the amount in pounds, like 2500 or 2500.50."})
    return value


@transaction.atomic
def record_decision(
    *, application: Application, outcome: str, amount: Any, reasons: str, feedback: str, by: User
) -> Decision:
    """The panel funds or does not fund an application, once, with its reasons and the applicant's feedback;
    an award is no more than was asked for nor than the pot's largest grant."""
    _require_officer(by)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("round", "pot").get(pk=application.pk)
    )
    conflict = conflict_with(by, application)
    if conflict is not None:
        raise PermissionDenied(conflict)
    if Decision.objects.filter(application=application).exists():
        raise FundingError("This application has already been decided.")
    errors: dict[str, str] = {}
    reasons = (reasons or "").strip()
    feedback = (feedback or "").strip()
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = "Choose whether to fund this application."
    if not reasons:
        errors["reasons"] = "Give the panel's reasons for the decision."
    elif len(reasons) > 5000:
        errors["reasons"] = "Write the reasons in 5,000 characters or fewer."
    if len(feedback) > 10000:
        errors["feedback"] = "Write the feedback in 10,000 characters or fewer."
    value: Decimal | None = None
    if outcome == Decision.Outcome.APPROVED:
        try:
            value = _money(amount)
        except FundingError as error:
            errors["amount"] = error.message_dict["amount"][0]
        else:
            requested = application.amount_requested
            pot_max = application.pot.max_amount if application.pot else None
            if value is None:
                errors["amount"] = "Enter the amount to award."
            elif value <= 0:
                errors["amount"] = "The amount to award must be more than £0."
            elif requested is not None and value > requested:
                errors["amount"] = f"The amount to award cannot be more than the {pounds(requested)} asked for."
            elif pot_max is not None and value > pot_max:
                errors["amount"] = (
                    f"The amount to award cannot be more than the pot's largest grant, {pounds(pot_max)}."
                )
    if errors:
        raise FundingError(errors)
    if outcome == Decision.Outcome.APPROVED and application.status != A.IN_ASSESSMENT:
        raise FundingError("Only an application that is being assessed can be funded.")
    mean = application_mean(application)
    with acting(by):
        decision = Decision.objects.create(
            application=application,
            outcome=outcome,
            amount=value if outcome == Decision.Outcome.APPROVED else None,
            reasons=reasons,
            feedback=feedback,
            weighted_score=None if mean is None else Decimal(str(round(mean, 2))),
            decided_by=by,
        )
        if outcome == Decision.Outcome.APPROVED:
            workflows.take(workflows.APPLICATION, application, "approve", by=by)
        else:
            workflows.take(workflows.APPLICATION, application, "reject", by=by, reason=reasons)
    emails.decision_recorded(decision)
    return decision
