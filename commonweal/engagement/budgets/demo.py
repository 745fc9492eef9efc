"""The demo borough's participatory budgets: the East Merton Community Chest in its voting stage (ten proposals,
eight feasible and two not, with their reasons, and ballots already cast), and last year's Wimbledon green
spaces budget, counted, with its funded projects handed to funding as grants (accepted by the group, so they
are published). Invented titles end in '(demo)', as the rest of the demo's do. Made through the area's own
services, by the demo's officer, residents and group members (home/demo.py)."""

from __future__ import annotations

import random
from decimal import Decimal

from commonweal.accounts.models import Organisation, User
from commonweal.core.demo import DEMO_EMAIL_DOMAIN
from commonweal.funding.awards.services import accept_grant
from commonweal.places.models import CouncilArea, Locality, Ward

from ..models import Budget, Proposal
from ..permissions import group_ids
from . import services

# (title, what it does, who benefits, ward, cost, delivered by the group of this demo account, or the council)
EAST_MERTON = [
    (
        "Fruit trees on Pollards Hill",
        "Plant twenty fruit trees along the green with a yearly harvest day.",
        "Families on the estate and the schools nearby.",
        "Pollards Hill",
        "6500",
        "informal",
    ),
    (
        "Community fridge at the food share",
        "A shared fridge so surplus food from shops reaches people the same day.",
        "People on low incomes across the area.",
        "Figge's Marsh",
        "4800",
        "group",
    ),
    (
        "Benches and shade at Figge's Marsh",
        "Six benches with shade by the paths, for people who need to rest.",
        "Older and disabled people who walk the marsh.",
        "Figge's Marsh",
        "7200",
        "",
    ),
    (
        "Youth football kit library",
        "Boots and kit to borrow, so no child misses a game for the cost of kit.",
        "Children aged 8 to 16.",
        "Pollards Hill",
        "3500",
        "",
    ),
    (
        "Litter picking hub",
        "A lock-up of pickers, bags and hoops, with monthly group picks.",
        "Everyone who uses the streets and parks.",
        "Figge's Marsh",
        "2500",
        "informal",
    ),
    (
        "Lavender Fields play street days",
        "Close a street to traffic one Sunday a month for children to play.",
        "Children and their families.",
        "Lavender Fields",
        "5200",
        "",
    ),
    (
        "Warm space at the library",
        "Open the library's meeting room with hot drinks on winter evenings.",
        "People who cannot afford to heat their homes.",
        "Longthornton",
        "8400",
        "",
    ),
    (
        "Cooking on a budget classes",
        "Ten-week cooking courses using food share produce.",
        "Families and young people leaving care.",
        "Longthornton",
        "3900",
        "group",
    ),
    (
        "A swimming pool on the marsh",
        "Build an outdoor pool on Figge's Marsh.",
        "Everyone in the area.",
        "Figge's Marsh",
        "10000",
        "",
    ),
    (
        "Murals on the underpass",
        "Paint murals in the Longthornton underpass with local artists.",
        "People who walk through it at night.",
        "Longthornton",
        "4200",
        "",
    ),
]
NOT_FEASIBLE = {
    "A swimming pool on the marsh": "Figge's Marsh is common land: building on it needs the Secretary of State's "
    "consent, and a pool would cost far more than this budget to run each year.",
    "Murals on the underpass": "The underpass belongs to Network Rail, which does not allow paint on it; the "
    "council will ask about lighting instead.",
}
WIMBLEDON = [
    (
        "Wildflower verges in Abbey",
        "Sow wildflowers on six verges.",
        "Bees, and everyone who walks by.",
        "Abbey",
        "3000",
        "",
    ),
    (
        "Knit and natter in the park",
        "A summer of weekly outdoor knitting circles.",
        "Lonely older residents.",
        "Raynes Park",
        "1500",
        "knit",
    ),
    (
        "Pond dipping platform",
        "A safe platform for school pond dipping.",
        "Primary school children.",
        "Village",
        "5000",
        "",
    ),
    (
        "Tree guards for street trees",
        "Guards for forty young street trees.",
        "Everyone on the streets.",
        "Hillside",
        "4000",
        "",
    ),
]


def _people() -> dict[str, User | None]:
    emails = {"resident": "resident", "group": "group", "informal": "informal", "officer": "officer"}
    return {key: User.objects.filter(email=f"{local}@{DEMO_EMAIL_DOMAIN}").first() for key, local in emails.items()}


def _values(
    title: str, department: Organisation, wards: list[Ward], amount: str, method: str, **more: object
) -> services.BudgetValues:
    return services.BudgetValues(
        title=title,
        summary=str(more.pop("summary")),
        amount=Decimal(amount),
        department=department,
        wards=wards,
        theme=None,
        method=method,
        max_choices=3,
        points=10,
        max_points_per_project=5,
        min_cost=Decimal("1000"),
        max_cost=Decimal(str(more.pop("max_cost"))),
    )


def _propose(budget: Budget, rows: list[tuple[str, ...]], people: dict[str, User | None]) -> list[Proposal]:
    made = []
    for title, does, benefits, ward, cost, delivered_by in rows:
        by = people.get(delivered_by) or people["resident"]
        group = None
        if delivered_by and by is not None:
            group = Organisation.objects.filter(pk__in=group_ids(by)).order_by("name").first()
        if delivered_by == "knit":
            group = Organisation.objects.filter(name="Raynes Park Knit and Natter (demo)").first()
            by = people["resident"]
            if group is not None and by is not None:
                from commonweal.accounts.services import grant_membership

                if not group.memberships.filter(user=by).exists():
                    grant_membership(user=by, role="group_member", organisation=group)
        assert by is not None
        values = services.ProposalValues(
            title=f"{title} (demo)",
            description=does,
            beneficiaries=benefits,
            ward=Ward.objects.get(name=ward),
            place="",
            cost=Decimal(cost),
            group=group,
        )
        made.append(services.propose(budget=budget, values=values, by=by))
    return made


def _check(proposals: list[Proposal], officer: User) -> None:
    for proposal in proposals:
        reason = NOT_FEASIBLE.get(proposal.title.removesuffix(" (demo)"), "")
        services.check_feasibility(
            proposal=proposal,
            feasible=not reason,
            reason=reason,
            adjusted_cost=None,
            adjusted_reason="",
            by=officer,
        )


def _ballots(budget: Budget, count: int, seed: int) -> int:
    """Ballots as residents might cast them: some projects more popular than others."""
    rng = random.Random(seed)  # noqa: S311 - invented demo ballots, the same each time
    feasible = services.feasible_projects(budget)
    weights = [len(feasible) - n + rng.randint(0, 3) for n in range(len(feasible))]
    wards = list(budget.wards.all())
    ballots = []
    for _ in range(count):
        if budget.method == Budget.Method.APPROVAL:
            picks = set(rng.choices([p.pk for p in feasible], weights=weights, k=rng.randint(1, budget.max_choices)))
            ballots.append(dict.fromkeys(picks, 1))
        else:
            ballot: dict[int, int] = {}
            left = budget.points
            while left > 0:
                pk = rng.choices([p.pk for p in feasible], weights=weights)[0]
                give = min(left, rng.randint(1, 3), budget.max_points_per_project - ballot.get(pk, 0))
                if give <= 0:
                    break
                ballot[pk] = ballot.get(pk, 0) + give
                left -= give
            ballots.append(ballot)
    return services.bulk_ballots(budget, ballots, wards=wards)


def load(council: CouncilArea) -> dict[str, int]:
    """Add this area's demo rows; returns what it added, counted, for make demo to print."""
    people = _people()
    officer = people["officer"]
    department = Organisation.objects.filter(name="Community and Housing").first()
    if officer is None or department is None or people["resident"] is None:
        return {}
    if Budget.objects.filter(title="East Merton Community Chest (demo)").exists():
        return {}
    east = Locality.objects.filter(name="East Merton pilot area").first()
    east_wards = list(east.wards.all()) if east else list(Ward.objects.filter(name__in=["Figge's Marsh"]))
    chest = services.create_budget(
        values=_values(
            "East Merton Community Chest (demo)",
            department,
            east_wards,
            "30000",
            Budget.Method.APPROVAL,
            summary="£30,000 for projects that make the East Merton pilot area a better place to live. Anyone "
            "who lives in Figge's Marsh, Pollards Hill, Longthornton or Lavender Fields can vote for up to three.",
            max_cost="10000",
        ),
        by=officer,
        is_demo=True,
    )
    services.open_proposals(budget=chest, by=officer)
    proposals = _propose(chest, EAST_MERTON, people)  # type: ignore[arg-type]
    services.close_proposals(budget=chest, by=officer)
    _check(proposals, officer)
    services.open_voting(budget=chest, by=officer)
    cast = _ballots(chest, 240, seed=13)

    wimbledon = Locality.objects.filter(name="Wimbledon").first()
    past = services.create_budget(
        values=_values(
            "Wimbledon Green Spaces Budget (demo)",
            department,
            list(wimbledon.wards.all()) if wimbledon else [],
            "10000",
            Budget.Method.CUMULATIVE,
            summary="Last year's £10,000 for greener streets and parks in Wimbledon: each voter shared out ten points.",
            max_cost="6000",
        ),
        by=officer,
        is_demo=True,
    )
    services.open_proposals(budget=past, by=officer)
    past_proposals = _propose(past, WIMBLEDON, people)  # type: ignore[arg-type]
    services.close_proposals(budget=past, by=officer)
    _check(past_proposals, officer)
    services.open_voting(budget=past, by=officer)
    cast += _ballots(past, 120, seed=7)
    services.count_votes(budget=past, by=officer)
    grants = services.close_budget(budget=past, by=officer)
    for grant in grants:  # the groups accept their offers, so the grants are published as open data
        member = User.objects.filter(memberships__organisation=grant.application.organisation).first()
        if member is not None:
            accept_grant(grant=grant, confirmed=True, by=member)
    return {
        "participatory budgets": 2,
        "budget proposals": len(proposals) + len(past_proposals),
        "budget ballots": cast,
        "grants from budgets": len(grants),
    }
