"""Participatory budgets' writes: one function per use case, each in a transaction on locked rows, raising
EngagementError (a full sentence per field) on bad input and writing nothing then.

The stages are workflows.BUDGET's steps; proposals, the feasibility check, the emailed ballot link, casting a
ballot once, the open count and the hand-over of funded projects to the funding app as grants.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation, User
from commonweal.core import notify
from commonweal.core.audit import acting
from commonweal.core.money import pounds
from commonweal.places.models import Postcode, Ward
from commonweal.places.services import PostcodeError, look_up_postcode

from .. import workflows
from ..errors import EngagementError
from ..models import Ballot, BallotChoice, BallotLink, Budget, Proposal
from ..permissions import department_ids, group_ids, is_steward, runs_engagement, signed_in
from . import count as counting
from .permissions import edits_proposal, runs_budget

LINK_DAYS = 7
# Addresses under /engagement/budgets/ that a budget's slug must not take.
RESERVED = {"manage", "your-proposals", "ballot"}
EMAIL_LIMIT = 254
F = Proposal.Feasibility
B = Budget.Status


def _check_text(errors: dict[str, str], values: Mapping[str, Any], name: str, label: str, limit: int) -> str:
    text = str(values.get(name) or "").strip()
    if not text:
        errors[name] = f"Enter {label}."
    elif len(text) > limit:
        errors[name] = f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer."
    return text


def _money(errors: dict[str, str], value: Any, name: str, label: str) -> Decimal | None:
    if value is None or value == "":
        errors[name] = f"Enter {label} in pounds, like 5000."
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        errors[name] = f"Enter {label} in pounds, like 5000."
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        errors[name] = f"Enter {label} in pounds, like 5000."
        return None
    if amount > Decimal("9999999999.99"):
        errors[name] = f"{label[0].upper()}{label[1:]} is too large."
        return None
    return amount


# --- a budget and its stages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetValues:
    title: str
    summary: str
    amount: Decimal | None
    department: Organisation | None
    wards: Sequence[Ward]
    theme: Any
    method: str
    max_choices: int | None
    points: int | None
    max_points_per_project: int | None
    min_cost: Decimal | None
    max_cost: Decimal | None
    proposals_close_on: date | None = None
    voting_opens_on: date | None = None
    voting_closes_on: date | None = None


def _checked_budget(values: BudgetValues, by: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    raw = vars(values)
    title = _check_text(errors, raw, "title", "the budget's name", 140)
    summary = _check_text(errors, raw, "summary", "what the budget is for", 5000)
    if values.amount is None:
        errors["amount"] = "Enter the pot in pounds, like 50000."
    elif values.amount <= 0:
        errors["amount"] = "The pot must be more than £0."
    department = values.department
    if department is None or department.kind != Organisation.Kind.COUNCIL_DEPARTMENT:
        errors["department"] = "Choose the council department running the budget."
    elif not (is_steward(by) or department.pk in department_ids(by)):
        errors["department"] = "Choose a department you are an officer of."
    if values.method not in Budget.Method.values:
        errors["method"] = "Choose how people vote: approval or cumulative."
    elif values.method == Budget.Method.APPROVAL:
        if not values.max_choices or not 1 <= values.max_choices <= 100:
            errors["max_choices"] = "Enter the most projects a voter may choose, from 1 to 100."
    else:
        if not values.points or not 1 <= values.points <= 1000:
            errors["points"] = "Enter the points each voter shares out, from 1 to 1,000."
        if not values.max_points_per_project or not 1 <= values.max_points_per_project <= 1000:
            errors["max_points_per_project"] = "Enter the most points one project may be given, from 1 to 1,000."
        elif values.points and values.max_points_per_project > values.points:
            errors["max_points_per_project"] = (
                "The most points for one project cannot be more than the points a voter has."
            )
    if values.min_cost is None:
        errors["min_cost"] = "Enter the smallest cost a project may have, in pounds (0 for no limit)."
    if values.max_cost is None:
        errors["max_cost"] = "Enter the largest cost a project may have, in pounds."
    elif values.min_cost is not None and values.max_cost < values.min_cost:
        errors["max_cost"] = "The largest cost must be at least the smallest cost."
    elif values.amount is not None and values.max_cost > values.amount:
        errors["max_cost"] = f"The largest cost cannot be more than the pot, {pounds(values.amount)}."
    if values.voting_opens_on and values.voting_closes_on and values.voting_closes_on < values.voting_opens_on:
        errors["voting_closes_on"] = "Voting must close on or after the day it opens."
    if values.proposals_close_on and values.voting_opens_on and values.voting_opens_on < values.proposals_close_on:
        errors["voting_opens_on"] = "Voting must open on or after the day proposals close."
    if errors:
        raise EngagementError(errors)
    return {
        "title": title,
        "summary": summary,
        "amount": values.amount,
        "department": department,
        "theme": values.theme,
        "method": values.method,
        "max_choices": values.max_choices or 1,
        "points": values.points or 1,
        "max_points_per_project": values.max_points_per_project or 1,
        "min_cost": values.min_cost,
        "max_cost": values.max_cost,
        "proposals_close_on": values.proposals_close_on,
        "voting_opens_on": values.voting_opens_on,
        "voting_closes_on": values.voting_closes_on,
    }


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "budget"
    if base in RESERVED:
        base = f"{base}-budget"
    slug, n = base, 1
    while Budget.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_budget(*, values: BudgetValues, by: User, is_demo: bool = False) -> Budget:
    """An officer or steward drafts a budget for their department: the pot, the area or theme, and the rules."""
    if not runs_engagement(by):
        raise PermissionDenied("Only council officers and the stewards can start a participatory budget.")
    fields = _checked_budget(values, by)
    with acting(by):
        budget = Budget.objects.create(slug=_unique_slug(fields["title"]), created_by=by, is_demo=is_demo, **fields)
        budget.wards.set(values.wards)
    return budget


@transaction.atomic
def update_budget(*, budget: Budget, values: BudgetValues, by: User) -> Budget:
    """Change a budget's details; its money and rules are fixed once voting opens."""
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if not runs_budget(by, locked):
        raise PermissionDenied(workflows.BUDGET.refusal)
    if locked.status not in {B.DRAFT, B.PROPOSALS, B.CHECKING}:
        raise EngagementError("A budget's details cannot change once voting has opened.")
    fields = _checked_budget(values, by)
    for name, value in fields.items():
        setattr(locked, name, value)
    with acting(by):
        locked.save()
        locked.wards.set(values.wards)
    return locked


def _step(budget: Budget, name: str, by: User, **stamps: Any) -> Budget:
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    for field, value in stamps.items():
        setattr(locked, field, value)
    workflows.take(workflows.BUDGET, locked, name, by=by)
    return locked


@transaction.atomic
def open_proposals(*, budget: Budget, by: User) -> Budget:
    """Residents and groups may propose projects from now."""
    return _step(budget, "open_proposals", by, proposals_opened_at=timezone.now())


@transaction.atomic
def close_proposals(*, budget: Budget, by: User) -> Budget:
    """No more proposals: the council checks each one's feasibility."""
    return _step(budget, "check", by, checking_at=timezone.now())


@transaction.atomic
def open_voting(*, budget: Budget, by: User) -> Budget:
    """Voting opens once every proposal has been checked and at least one is feasible."""
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if locked.status == B.CHECKING and runs_budget(by, locked):
        unchecked = locked.proposals.filter(feasibility=F.UNCHECKED).count()
        if unchecked:
            raise EngagementError(
                f"Check the feasibility of every proposal before voting opens: {unchecked} not checked yet."
            )
        if not locked.proposals.filter(feasibility=F.FEASIBLE).exists():
            raise EngagementError("At least one proposal must be feasible before voting opens.")
    return _step(locked, "open_voting", by, voting_opened_at=timezone.now())


# --- proposals ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalValues:
    title: str
    description: str
    beneficiaries: str
    ward: Ward | None
    place: str
    cost: Decimal | None
    group: Organisation | None


def _checked_proposal(budget: Budget, values: ProposalValues, by: User) -> dict[str, Any]:
    errors: dict[str, str] = {}
    raw = vars(values)
    title = _check_text(errors, raw, "title", "the project's name", 140)
    description = _check_text(errors, raw, "description", "what the project does", 5000)
    beneficiaries = _check_text(errors, raw, "beneficiaries", "who benefits", 2000)
    place = (values.place or "").strip()
    if len(place) > 200:
        errors["place"] = "Where it happens must be 200 characters or fewer."
    if values.ward is None and not place:
        errors["ward"] = "Choose the ward it is in, or say where it happens."
    wards = set(budget.wards.values_list("pk", flat=True))
    if values.ward is not None and wards and values.ward.pk not in wards:
        errors["ward"] = "Choose a ward inside this budget's area."
    cost = values.cost
    if cost is None:
        errors["cost"] = "Enter what the project costs in pounds, like 5000."
    elif cost < budget.min_cost or cost > budget.max_cost:
        errors["cost"] = (
            f"The cost must be between {pounds(budget.min_cost)} and {pounds(budget.max_cost)} for this budget."
        )
    if values.group is not None and values.group.pk not in group_ids(by):
        errors["group"] = "Choose a group you are a member of, or no group."
    if errors:
        raise EngagementError(errors)
    return {
        "title": title,
        "description": description,
        "beneficiaries": beneficiaries,
        "ward": values.ward,
        "place": place,
        "cost": cost,
        "group": values.group,
    }


@transaction.atomic
def propose(*, budget: Budget, values: ProposalValues, by: User) -> Proposal:
    """A signed-in resident, or a group member for their group, proposes a project while proposals are open."""
    if not signed_in(by):
        raise PermissionDenied("Sign in to propose a project.")
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if locked.status != B.PROPOSALS:
        raise EngagementError("This budget is not taking proposals now.")
    fields = _checked_proposal(locked, values, by)
    with acting(by):
        return Proposal.objects.create(budget=locked, proposed_by=by, **fields)


@transaction.atomic
def update_proposal(*, proposal: Proposal, values: ProposalValues, by: User) -> Proposal:
    """Whoever proposed a project (or a member of its group) changes it while proposals are open."""
    locked = Proposal.objects.select_for_update().select_related("budget").get(pk=proposal.pk)
    if not edits_proposal(by, locked):
        raise PermissionDenied("Only the person who proposed this project, or its group, can change it.")
    if locked.budget.status != B.PROPOSALS:
        raise EngagementError("Proposals can only be changed while the budget is taking proposals.")
    group = values.group
    if group is not None and group.pk == locked.group_id:
        # The proposer keeps the group they chose, even if another member is the one changing it.
        fields = _checked_proposal(locked.budget, ProposalValues(**{**vars(values), "group": None}), by)
        fields["group"] = group
    else:
        fields = _checked_proposal(locked.budget, values, by)
    for name, value in fields.items():
        setattr(locked, name, value)
    with acting(by):
        locked.save()
    return locked


@transaction.atomic
def check_feasibility(
    *,
    proposal: Proposal,
    feasible: bool | None,
    reason: str,
    adjusted_cost: Decimal | None,
    adjusted_reason: str,
    by: User,
) -> Proposal:
    """An officer of the budget's department says whether a project can be done: a project that cannot must
    say why (shown publicly); an adjusted cost must say why too, and stay within the budget's limits."""
    locked = Proposal.objects.select_for_update().select_related("budget").get(pk=proposal.pk)
    budget = locked.budget
    if not runs_budget(by, budget):
        raise PermissionDenied(workflows.BUDGET.refusal)
    if budget.status not in {B.PROPOSALS, B.CHECKING}:
        raise EngagementError("Feasibility can only be checked before voting opens.")
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    adjusted_reason = (adjusted_reason or "").strip()
    if feasible is None:
        errors["feasible"] = "Choose whether the project is feasible."
    elif not feasible and not reason:
        errors["reason"] = "Say why the project is not feasible: the reason is shown publicly."
    if len(reason) > 3000:
        errors["reason"] = "The reason must be 3,000 characters or fewer."
    if adjusted_cost is not None:
        if adjusted_cost < budget.min_cost or adjusted_cost > budget.max_cost:
            errors["adjusted_cost"] = (
                f"The adjusted cost must be between {pounds(budget.min_cost)} and {pounds(budget.max_cost)}."
            )
        if not adjusted_reason:
            errors["adjusted_reason"] = "Say why the cost was adjusted: the reason is shown publicly."
    if len(adjusted_reason) > 2000:
        errors["adjusted_reason"] = "The reason for the adjusted cost must be 2,000 characters or fewer."
    if errors:
        raise EngagementError(errors)
    locked.feasibility = F.FEASIBLE if feasible else F.NOT_FEASIBLE
    locked.feasibility_reason = reason
    locked.adjusted_cost = adjusted_cost
    locked.adjusted_reason = adjusted_reason if adjusted_cost is not None else ""
    locked.checked_by = by
    locked.checked_at = timezone.now()
    with acting(by):
        locked.save()
    return locked


# --- voting ---------------------------------------------------------------------------------------------


def _keyed(budget: Budget, kind: str, value: str) -> str:
    """A keyed hash, per budget, so a ballot cannot be matched to an address without the site's secret, nor one
    budget's voters to another's."""
    message = f"{kind}:{budget.pk}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalised_email(email: str) -> str:
    return email.strip().lower()


def email_hash(budget: Budget, email: str) -> str:
    return _keyed(budget, "email", normalised_email(email))


def person_hash(budget: Budget, user: Any) -> str:
    return _keyed(budget, "person", str(user.pk)) if signed_in(user) else ""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def area_names(budget: Budget) -> list[str]:
    return sorted(ward.name for ward in budget.wards.all())


def where_voter_lives(budget: Budget, postcode: str) -> Postcode:
    """The postcode looked up and checked against the budget's area, or EngagementError saying why not."""
    try:
        found = look_up_postcode(postcode)
    except PostcodeError as error:
        raise EngagementError({"postcode": error.message}) from None
    wards = budget.wards.all()
    if wards and found.ward_id not in {ward.pk for ward in wards}:
        raise EngagementError(
            {
                "postcode": f"{found.postcode} is in {found.ward.name}, which is outside this budget's area "
                f"({', '.join(area_names(budget))}). Only people who live in the area can vote."
            }
        )
    return found


def voting_refusal(budget: Budget) -> str:
    """Why nobody can vote in this budget now, or '' while voting is open."""
    if budget.status == B.VOTING:
        return ""
    if budget.status in {B.COUNTED, B.CLOSED}:
        return "Voting in this budget has closed. The result is published."
    return "Voting in this budget has not opened yet."


@dataclass(frozen=True)
class LinkSent:
    email: str
    already_voted: bool


@transaction.atomic
def request_ballot(*, budget: Budget, email: str, postcode: str, by: Any) -> LinkSent:
    """Email a link to the ballot to a voter whose postcode is inside the budget's area. Someone signed in uses
    their account's address. An address that has voted is told so by email (never on screen, which would let
    anyone find out who voted); a signed-in person who has voted is told on screen."""
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    refusal = voting_refusal(locked)
    if refusal:
        raise EngagementError(refusal)
    errors: dict[str, str] = {}
    address = by.email if signed_in(by) else (email or "").strip()
    if not address:
        errors["email"] = "Enter your email address, like name@example.com."
    elif len(address) > EMAIL_LIMIT:
        errors["email"] = f"Your email address must be {EMAIL_LIMIT} characters or fewer."
    else:
        try:
            validate_email(address)
        except Exception:
            errors["email"] = "Enter an email address in the correct format, like name@example.com."
    place: Postcode | None = None
    try:
        place = where_voter_lives(locked, postcode)
    except EngagementError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
    if errors:
        raise EngagementError(errors)
    assert place is not None
    by_email = email_hash(locked, address)
    by_person = person_hash(locked, by)
    if by_person and Ballot.objects.filter(budget=locked, person_hash=by_person).exists():
        raise EngagementError("You have already voted in this budget. Each person votes once.")
    voted = Ballot.objects.filter(budget=locked, email_hash=by_email).exists()
    context: dict[str, Any] = {"budget": locked, "days": LINK_DAYS, "already_voted": voted}
    if not voted:
        token = secrets.token_urlsafe(32)
        BallotLink.objects.create(
            budget=locked,
            token_hash=hash_token(token),
            email_hash=by_email,
            person_hash=by_person,
            ward=place.ward,
            expires_at=timezone.now() + timedelta(days=LINK_DAYS),
        )
        context["link"] = notify.site_url(reverse("engagement:ballot", args=[token]))
    notify.email_on_commit(
        to=[address],
        subject=f"Your vote: {locked.title}" if not voted else f"You have already voted: {locked.title}",
        template="engagement/budgets/emails/ballot_link.txt",
        context=context,
    )
    return LinkSent(email=address, already_voted=voted)


class LinkUnknown(EngagementError):
    """No ballot link has this token: mistyped, cut short in the email, or never sent."""


class LinkExpired(EngagementError):
    """The link is older than LINK_DAYS: the voter asks for another."""


class AlreadyVoted(EngagementError):
    """This link, address or person has voted in this budget already; the vote was counted once."""


def link_for_token(token: str) -> BallotLink:
    """The ballot link an email holds, by its hash; LinkUnknown if there is none."""
    if not token or len(token) > 100:
        raise LinkUnknown("This link is not right. Check it was copied in full, or ask for a new one.")
    digest = hash_token(token)
    found = BallotLink.objects.select_related("budget").filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        raise LinkUnknown("This link is not right. Check it was copied in full, or ask for a new one.")
    return found


def link_problem(link: BallotLink, now: Any = None) -> EngagementError | None:
    """Why this link cannot be used to vote now, or None."""
    if link.used_at is not None:
        return AlreadyVoted("This link has already been used to vote. Your vote was counted once.")
    if link.expires_at <= (now or timezone.now()):
        return LinkExpired(f"This link has expired. Links work for {LINK_DAYS} days: ask for a new one.")
    refusal = voting_refusal(link.budget)
    return EngagementError(refusal) if refusal else None


def feasible_projects(budget: Budget) -> list[Proposal]:
    return list(budget.proposals.filter(feasibility=F.FEASIBLE).order_by("created_at", "pk"))


def rules_of(budget: Budget) -> counting.Rules:
    return counting.Rules(budget.method, budget.max_choices, budget.points, budget.max_points_per_project)


@transaction.atomic
def cast_ballot(*, token: str, marks: Mapping[str, str], by: Any = None) -> Ballot:
    """Cast the ballot an emailed link opens, once: the link and the budget are locked, and a ballot is unique
    per address (and per signed-in person), so a double click, a replay or a second address counts once.
    Only feasible projects of this budget may be chosen, within the budget's rules."""
    found = link_for_token(token)
    link = BallotLink.objects.select_for_update().get(pk=found.pk)
    budget = Budget.objects.select_for_update().get(pk=link.budget_id)
    link.budget = budget
    problem = link_problem(link)
    if problem is not None:
        raise problem
    parsed: dict[int, str] = {}
    for key, mark in marks.items():
        if not str(key).isdigit() or len(str(key)) > 12:
            raise EngagementError("One of the projects you chose cannot be voted for in this budget.")
        parsed[int(key)] = mark
    allowed = [project.pk for project in feasible_projects(budget)]
    chosen, wrong = counting.ballot_problem(rules_of(budget), parsed, allowed)
    if wrong:
        raise EngagementError(wrong)
    # A signed-in person who opens a link sent to another of their addresses still votes once.
    by_person = link.person_hash or person_hash(budget, by)
    voted = Ballot.objects.filter(budget=budget, email_hash=link.email_hash)
    if voted.exists() or (by_person and Ballot.objects.filter(budget=budget, person_hash=by_person).exists()):
        raise AlreadyVoted("You have already voted in this budget. Your vote was counted once.")
    now = timezone.now()
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                budget=budget, email_hash=link.email_hash, person_hash=by_person, ward=link.ward, cast_at=now
            )
    except IntegrityError:
        raise AlreadyVoted("You have already voted in this budget. Your vote was counted once.") from None
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, proposal_id=project, points=points) for project, points in chosen.items()]
    )
    link.used_at = now
    link.save(update_fields=["used_at"])
    return ballot


# --- the count ------------------------------------------------------------------------------------------


def totals(budget: Budget) -> dict[int, int]:
    """Each project's votes, gathered with one GROUP BY over the ballots' choices."""
    rows = BallotChoice.objects.filter(ballot__budget=budget).values("proposal_id").annotate(votes=Sum("points"))
    return {row["proposal_id"]: int(row["votes"] or 0) for row in rows.order_by()}


def run_count(budget: Budget) -> counting.Result:
    """The count as it stands (pure count over the GROUP BY totals); writes nothing."""
    votes = totals(budget)
    projects = [
        counting.Project(p.pk, p.final_cost, votes.get(p.pk, 0), order)
        for order, p in enumerate(feasible_projects(budget))
    ]
    return counting.count(projects, budget.amount)


@transaction.atomic
def count_votes(*, budget: Budget, by: User) -> counting.Result:
    """Close voting and publish the result: every feasible project's votes, rank and whether it is funded."""
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if not runs_budget(by, locked):
        raise PermissionDenied(workflows.BUDGET.refusal)
    if locked.status != B.VOTING:
        workflows.take(workflows.BUDGET, locked, "count", by=by)  # says why not, in the workflow's words
    result = run_count(locked)
    places = {place.id: place for place in result.places}
    proposals = list(locked.proposals.all())
    for proposal in proposals:
        place = places.get(proposal.pk)
        proposal.votes = place.votes if place else None
        proposal.rank = place.rank if place else None
        proposal.funded = place.funded if place else False
    Proposal.objects.bulk_update(proposals, ["votes", "rank", "funded"])
    locked.ballots_counted = Ballot.objects.filter(budget=locked).count()
    locked.money_left = result.money_left
    locked.counted_at = timezone.now()
    workflows.take(workflows.BUDGET, locked, "count", by=by)
    BallotLink.objects.filter(budget=locked).delete()  # no longer needed: store no more than we must
    return result


# --- the hand-over to funding ---------------------------------------------------------------------------


def _funding_reference(budget: Budget, n: int) -> str:
    from commonweal.funding.models import Application

    base = f"PB-{budget.pk}-"
    while Application.objects.filter(reference=f"{base}{n:03d}").exists():
        n += 1
    return f"{base}{n:03d}"


@transaction.atomic
def close_budget(*, budget: Budget, by: User) -> list[Any]:
    """Hand the funded projects over and close the budget: each one a group delivers becomes a grant offered
    through the funding app's own decision and award services (a fund and round made for the budget); each
    one with no group is marked delivered by the council. Returns the grants offered."""
    from commonweal.funding import workflows as funding_workflows
    from commonweal.funding.assess.services import record_decision
    from commonweal.funding.awards.services import offer_grant
    from commonweal.funding.models import Application, ApplicationEvent, Fund, Round
    from commonweal.funding.permissions import is_officer as is_funding_officer

    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if not runs_budget(by, locked):
        raise PermissionDenied(workflows.BUDGET.refusal)
    if locked.status != B.COUNTED:
        workflows.take(workflows.BUDGET, locked, "close", by=by)  # says why not
    funded = list(locked.proposals.filter(funded=True).select_related("group", "proposed_by").order_by("rank"))
    by_groups = [p for p in funded if p.group_id is not None]
    if by_groups and not is_funding_officer(by):
        raise EngagementError("Handing projects to groups as grants needs a council officer: ask one to close it.")
    now = timezone.now()
    today = timezone.localdate()
    grants = []
    if by_groups:
        with acting(by):
            fund = Fund.objects.create(
                name=f"Participatory budget: {locked.title}"[:140],
                slug=f"pb-{locked.slug}"[:70] + f"-{locked.pk}",
                summary=f"Projects residents voted for in {locked.title}."[:300],
                description=locked.summary,
                total_budget=locked.amount,
                starts_on=today,
                is_demo=locked.is_demo,
                created_by=by,
            )
            round_ = Round.objects.create(
                fund=fund,
                name="Residents' vote",
                slug=f"pb-{locked.slug}"[:60] + f"-{locked.pk}-vote",
                opens_at=locked.voting_opened_at or now,
                closes_at=now,
                prospectus_status=Round.Prospectus.PUBLISHED,
                prospectus=locked.summary,
                methodology=counting.RULE,
                one_per_organisation=False,
                assessors_per_application=1,
                is_demo=locked.is_demo,
            )
        locked.fund = fund
        for n, proposal in enumerate(by_groups, start=1):
            assert proposal.group is not None
            with acting(by):
                application = Application.objects.create(
                    reference=_funding_reference(locked, n),
                    round=round_,
                    organisation=proposal.group,
                    created_by=proposal.proposed_by,
                    status=Application.Status.SUBMITTED,
                    title=proposal.title,
                    summary=f"{proposal.description}\n\nWho benefits: {proposal.beneficiaries}"[:5000],
                    amount_requested=proposal.final_cost,
                    submitted_at=proposal.created_at,
                )
                if proposal.ward_id:
                    application.wards.set([proposal.ward_id])
                ApplicationEvent.objects.create(
                    application=application,
                    transition="submit",
                    from_status=Application.Status.DRAFT,
                    to_status=Application.Status.SUBMITTED,
                    by=proposal.proposed_by,
                    at=proposal.created_at,
                    note=f"Proposed in the participatory budget {locked.title}.",
                )
            try:
                funding_workflows.take(funding_workflows.APPLICATION, application, "assess", by=by)
                record_decision(
                    application=application,
                    outcome="approved",
                    amount=proposal.final_cost,
                    reasons=(
                        f"Residents voted for it in {locked.title}: ranked {proposal.rank} with {proposal.votes} votes."
                    ),
                    feedback="",
                    by=by,
                )
                grant = offer_grant(
                    application=application,
                    amount=proposal.final_cost,
                    award_date=today,
                    conditions=f"Deliver the project as proposed in {locked.title}.",
                    starts_on=today,
                    ends_on=None,
                    tranches=[{"due_on": today, "amount": proposal.final_cost}],
                    reports=[{"title": "Final report", "due_on": today + timedelta(days=365)}],
                    by=by,
                )
            except PermissionDenied as refused:
                raise EngagementError(f"{proposal.title}: {refused}") from None
            proposal.application = application
            grants.append(grant)
    for proposal in funded:
        proposal.delivered_by_council = proposal.group_id is None
    Proposal.objects.bulk_update(funded, ["application", "delivered_by_council"])
    locked.closed_at = now
    workflows.take(workflows.BUDGET, locked, "close", by=by)
    return grants


def bulk_ballots(budget: Budget, ballots: Sequence[Mapping[int, int]], *, wards: Sequence[Ward] = ()) -> int:
    """Write many ballots at once (the demo and the bench): each with a random email hash; returns how many."""
    now = timezone.now()
    rows = [
        Ballot(
            budget=budget,
            email_hash=secrets.token_hex(32),
            ward=wards[n % len(wards)] if wards else None,
            cast_at=now,
        )
        for n in range(len(ballots))
    ]
    Ballot.objects.bulk_create(rows, batch_size=2000)
    choices = [
        BallotChoice(ballot=row, proposal_id=project, points=points)
        for row, ballot in zip(rows, ballots, strict=True)
        for project, points in ballot.items()
    ]
    BallotChoice.objects.bulk_create(choices, batch_size=5000)
    return len(rows)
