"""Permission-matrix rows for engagement's budgets area (see tests/test_permission_matrix.py).

Anyone may read budgets, their results and ballots, ask for a ballot link and use one; proposing needs an
account; a proposal is changed only by its proposer or its group. The budgets are run by a department none of
the matrix's officers belongs to, so only stewards and administrators run them here (tests/engagement/budgets
shows an officer of the department running one). Crafted empty POSTs are shown again with their errors.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.engagement.budgets.services import hash_token
from commonweal.engagement.models import BallotLink, Budget, Proposal
from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row, only

TOKEN = "matrix-budget-ballot-token-0123456789abcdefghijklmnop"
NO_POST: dict[str, int | str] = dict.fromkeys(ROLES, 405)
SIGNED_IN_NO_POST: dict[str, int | str] = {**NO_POST, "anonymous": LOGIN}
RUNNERS = ("officer", "steward", "admin")
STEWARDS = ("steward", "admin")
STEWARDS_DONE: dict[str, int | str] = {**only(*STEWARDS), "steward": 302, "admin": 302}

ROWS: list[Row] = [
    ("engagement:budgets", lambda t: [], "GET", ALL),
    ("engagement:budgets", lambda t: [], "POST", NO_POST),
    ("engagement:budget", lambda t: [t["budget_voting"].slug], "GET", ALL),
    ("engagement:budget", lambda t: [t["budget_voting"].slug], "POST", NO_POST),
    # A draft is seen only by those who run it.
    (
        "engagement:budget",
        lambda t: [t["budget_draft"].slug],
        "GET",
        {**dict.fromkeys(ROLES, 404), "steward": 200, "admin": 200},
    ),
    ("engagement:budget_result", lambda t: [t["budget_counted"].slug], "GET", ALL),
    ("engagement:budget_result", lambda t: [t["budget_counted"].slug], "POST", NO_POST),
    ("engagement:ballots_csv", lambda t: [t["budget_counted"].slug], "GET", ALL),
    ("engagement:ballots_csv", lambda t: [t["budget_counted"].slug], "POST", NO_POST),
    ("engagement:your_proposals", lambda t: [], "GET", SIGNED_IN),
    ("engagement:your_proposals", lambda t: [], "POST", SIGNED_IN_NO_POST),
    ("engagement:propose", lambda t: [t["budget_proposals"].slug], "GET", SIGNED_IN),
    ("engagement:propose", lambda t: [t["budget_proposals"].slug], "POST", SIGNED_IN),  # empty: its errors
    (
        "engagement:proposal_edit",
        lambda t: [t["budget_proposals"].slug, t["budget_proposal"].uuid],
        "GET",
        only("group_member"),
    ),
    (
        "engagement:proposal_edit",
        lambda t: [t["budget_proposals"].slug, t["budget_proposal"].uuid],
        "POST",
        only("group_member"),
    ),
    ("engagement:vote", lambda t: [t["budget_voting"].slug], "GET", ALL),
    ("engagement:vote", lambda t: [t["budget_voting"].slug], "POST", ALL),  # empty: its errors
    ("engagement:vote_sent", lambda t: [t["budget_voting"].slug], "GET", ALL),
    ("engagement:vote_sent", lambda t: [t["budget_voting"].slug], "POST", NO_POST),
    ("engagement:voted", lambda t: [t["budget_voting"].slug], "GET", ALL),
    ("engagement:voted", lambda t: [t["budget_voting"].slug], "POST", NO_POST),
    # Whoever holds the link sees the ballot; an empty ballot is refused with its reason (400).
    ("engagement:ballot", lambda t: [TOKEN], "GET", ALL),
    ("engagement:ballot", lambda t: [TOKEN], "POST", dict.fromkeys(ROLES, 400)),
    ("engagement:ballot", lambda t: ["not-a-real-token"], "GET", dict.fromkeys(ROLES, 404)),
    ("engagement:manage_budgets", lambda t: [], "GET", only(*RUNNERS)),
    ("engagement:manage_budgets", lambda t: [], "POST", SIGNED_IN_NO_POST),
    ("engagement:budget_new", lambda t: [], "GET", only(*RUNNERS)),
    ("engagement:budget_new", lambda t: [], "POST", only(*RUNNERS)),  # empty: its errors
    ("engagement:manage_budget", lambda t: [t["budget_voting"].slug], "GET", only(*STEWARDS)),
    ("engagement:manage_budget", lambda t: [t["budget_voting"].slug], "POST", SIGNED_IN_NO_POST),
    ("engagement:budget_edit", lambda t: [t["budget_proposals"].slug], "GET", only(*STEWARDS)),
    ("engagement:budget_edit", lambda t: [t["budget_proposals"].slug], "POST", only(*STEWARDS)),  # empty: errors
    ("engagement:budget_step", lambda t: [t["budget_voting"].slug, "count"], "POST", STEWARDS_DONE),
    ("engagement:budget_step", lambda t: [t["budget_voting"].slug, "count"], "GET", SIGNED_IN_NO_POST),
    (
        "engagement:feasibility",
        lambda t: [t["budget_proposals"].slug, t["budget_proposal"].uuid],
        "GET",
        only(*STEWARDS),
    ),
    (
        "engagement:feasibility",
        lambda t: [t["budget_proposals"].slug, t["budget_proposal"].uuid],
        "POST",
        only(*STEWARDS),  # empty: its errors
    ),
]


def add_targets(found: dict[str, Any]) -> None:
    """Budgets at four stages, run by a department no matrix officer belongs to; a proposal by the matrix's
    group; a feasible project to vote for; an unused ballot link (TOKEN)."""
    department = Organisation.objects.create(
        name="Matrix budgets department", slug="matrix-budgets-department", kind=Organisation.Kind.COUNCIL_DEPARTMENT
    )
    proposer = User.objects.create_user("matrix-budget-proposer@example.org", "x", full_name="Matrix proposer")

    def made(slug: str, status: str) -> Budget:
        budget = Budget.objects.create(
            slug=slug,
            title=f"Matrix {slug}",
            summary="A matrix budget.",
            amount=Decimal("10000"),
            department=department,
            min_cost=Decimal("100"),
            max_cost=Decimal("5000"),
            status=status,
            ballots_counted=0 if status == Budget.Status.COUNTED else None,
            money_left=Decimal("10000") if status == Budget.Status.COUNTED else None,
            counted_at=timezone.now() if status == Budget.Status.COUNTED else None,
        )
        budget.wards.set([found["ward"]])
        return budget

    found["budget_draft"] = made("matrix-draft", Budget.Status.DRAFT)
    found["budget_proposals"] = made("matrix-proposals", Budget.Status.PROPOSALS)
    found["budget_voting"] = made("matrix-voting", Budget.Status.VOTING)
    found["budget_counted"] = made("matrix-counted", Budget.Status.COUNTED)
    found["budget_proposal"] = Proposal.objects.create(
        budget=found["budget_proposals"],
        title="Matrix project",
        description="Does things.",
        beneficiaries="Everyone.",
        ward=found["ward"],
        cost=Decimal("1000"),
        group=found["group"],
        proposed_by=proposer,
    )
    Proposal.objects.create(
        budget=found["budget_voting"],
        title="Matrix feasible project",
        description="Does things.",
        beneficiaries="Everyone.",
        ward=found["ward"],
        cost=Decimal("1000"),
        proposed_by=proposer,
        feasibility=Proposal.Feasibility.FEASIBLE,
    )
    BallotLink.objects.create(
        budget=found["budget_voting"],
        token_hash=hash_token(TOKEN),
        email_hash="0" * 64,
        ward=found["ward"],
        expires_at=timezone.now() + timedelta(days=7),
    )
