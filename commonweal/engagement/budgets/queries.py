"""Participatory budgets' reads: one query per page, in a fixed number of queries however many rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ..models import BallotChoice, Budget, Proposal
from ..permissions import department_ids, group_ids, is_steward, signed_in
from .permissions import runs_budget

B = Budget.Status
PUBLIC = [B.PROPOSALS, B.CHECKING, B.VOTING, B.COUNTED, B.CLOSED]


def _budgets() -> QuerySet[Budget]:
    return (
        Budget.objects.select_related("department", "theme")
        .prefetch_related("wards")
        .annotate(proposal_count=Count("proposals"))
    )


def public_budgets() -> list[Budget]:
    """Every budget past its draft, the newest first."""
    return list(_budgets().filter(status__in=PUBLIC).order_by("-created_at", "pk"))


def managed_budgets(user: Any) -> list[Budget]:
    """The budgets this person runs: every one for a steward, their departments' for an officer."""
    found = _budgets()
    if not is_steward(user):
        found = found.filter(department_id__in=department_ids(user))
    return list(found.order_by("-created_at", "pk"))


def budget_for(slug: str, user: Any) -> Budget:
    """A budget by its address: drafts only for those who run it; 404 otherwise."""
    budget = Budget.objects.select_related("department", "theme", "fund").filter(slug=slug).first()
    if budget is None or (budget.status == B.DRAFT and not runs_budget(user, budget)):
        raise Http404("No such budget.")
    return budget


def proposals_of(budget: Budget) -> list[Proposal]:
    return list(budget.proposals.select_related("ward", "group", "application__grant").order_by("created_at", "pk"))


def proposal_for(budget: Budget, uuid: Any) -> Proposal:
    found = budget.proposals.select_related("ward", "group", "budget").filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such proposal.")
    return found


def your_proposals(user: Any) -> list[Proposal]:
    """Projects this person proposed, or their groups did."""
    if not signed_in(user):
        return []
    groups = group_ids(user)
    return list(
        Proposal.objects.filter(Q(proposed_by=user) | Q(group_id__in=groups))
        .select_related("budget", "group", "ward")
        .order_by("-created_at", "pk")
    )


def result_rows(budget: Budget) -> list[Proposal]:
    """The counted projects in the order of the count, then those that were not feasible."""
    rows = budget.proposals.select_related("ward", "group")
    counted = [p for p in rows if p.rank is not None]
    return sorted(counted, key=lambda p: p.rank or 0) + [p for p in rows if p.rank is None]


def ballot_rows(budget: Budget) -> Iterator[list[Any]]:
    """The anonymised ballots, one line per choice: the ballot's random id, the project and its points. No
    address, no ward, no time: nothing that tells who voted."""
    choices = (
        BallotChoice.objects.filter(ballot__budget=budget)
        .order_by("ballot__uuid", "proposal_id")
        .values_list("ballot__uuid", "proposal_id", "proposal__title", "points")
    )
    for ballot, project, title, points in choices.iterator(chunk_size=5000):
        yield [str(ballot), project, title, points]
