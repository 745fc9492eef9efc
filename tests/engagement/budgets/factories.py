"""Budgets and their proposals as the services leave them, for the budgets area's tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation
from commonweal.engagement.models import Budget, Proposal
from commonweal.places.models import Postcode, Ward
from tests.engagement.factories import department


def budget(
    title: str = "Abbey Community Chest",
    *,
    department_: Organisation | None = None,
    status: str = Budget.Status.VOTING,
    wards: list[Ward] | None = None,
    **fields: Any,
) -> Budget:
    """A budget of £10,000 for projects of £500 to £6,000, approval voting for up to 2 projects."""
    made = Budget.objects.create(
        slug=fields.pop("slug", slugify(title)[:100]),
        title=title,
        summary=fields.pop("summary", "Small projects that make Abbey greener and friendlier."),
        amount=fields.pop("amount", Decimal("10000")),
        department=department_ or department(),
        method=fields.pop("method", Budget.Method.APPROVAL),
        max_choices=fields.pop("max_choices", 2),
        points=fields.pop("points", 10),
        max_points_per_project=fields.pop("max_points_per_project", 5),
        min_cost=fields.pop("min_cost", Decimal("500")),
        max_cost=fields.pop("max_cost", Decimal("6000")),
        status=status,
        voting_opened_at=timezone.now() if status == Budget.Status.VOTING else None,
        **fields,
    )
    if wards:
        made.wards.set(wards)
    return made


def proposal(
    budget_: Budget,
    title: str,
    *,
    cost: str = "3000",
    by: Any,
    feasibility: str = Proposal.Feasibility.FEASIBLE,
    group: Organisation | None = None,
    **fields: Any,
) -> Proposal:
    return Proposal.objects.create(
        budget=budget_,
        title=title,
        description=fields.pop("description", f"{title}: what it does."),
        beneficiaries=fields.pop("beneficiaries", "Families nearby."),
        place=fields.pop("place", "The green"),
        cost=Decimal(cost),
        proposed_by=by,
        group=group,
        feasibility=feasibility,
        feasibility_reason=fields.pop("feasibility_reason", "" if feasibility != "not_feasible" else "Private land."),
        **fields,
    )


def postcode_in(ward: Ward, code: str) -> Postcode:
    """A postcode placed at the centre of the ward's first LSOA."""
    lsoa = ward.lsoas.first()
    assert lsoa is not None
    return Postcode.objects.create(
        postcode=code, latitude=lsoa.centroid_lat, longitude=lsoa.centroid_lon, ward=ward, lsoa_code=lsoa.code
    )
