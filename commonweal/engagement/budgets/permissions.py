"""Who may run a participatory budget and who may change a proposal: the one place the area's views ask."""

from __future__ import annotations

from typing import Any

from ..models import Budget, Proposal
from ..permissions import department_ids, group_ids, is_steward, runs_engagement, signed_in

__all__ = ["edits_proposal", "runs_budget", "runs_engagement"]


def runs_budget(user: Any, budget: Budget) -> bool:
    """May change this budget, check its proposals and take its steps: its department's officers and stewards."""
    return is_steward(user) or budget.department_id in department_ids(user)


def edits_proposal(user: Any, proposal: Proposal) -> bool:
    """May change a proposal (while proposals are open): whoever proposed it, or a member of its group."""
    if not signed_in(user):
        return False
    return proposal.proposed_by_id == user.pk or (
        proposal.group_id is not None and proposal.group_id in group_ids(user)
    )
