"""A realistic set of awarded grants in Merton: a registered charity, a company, an informal group, grants in
several wards and themes with paid tranches and match funding, and grants that must never be published."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.framework.models import Element
from commonweal.funding.models import Application, Grant, MatchFunding, Tranche
from commonweal.places.models import Ward
from tests.funding.factories import ApplicantFactory, ApplicationFactory, FundFactory, RoundFactory


@dataclass
class GrantSet:
    fund: Any
    round: Any
    wards: list[Ward]
    themes: list[Element]
    charity: Organisation
    company: Organisation
    group: Organisation
    published: list[Grant] = field(default_factory=list)
    hidden: list[Grant] = field(default_factory=list)


def make_grant(
    *,
    round_: Any,
    organisation: Organisation,
    officer: Any,
    reference: str,
    amount: str,
    status: str = Grant.Status.ACCEPTED,
    wards: list[Ward] | tuple[Ward, ...] = (),
    themes: list[Element] | tuple[Element, ...] = (),
    paid: tuple[str, ...] = (),
    scheduled: tuple[str, ...] = (),
    match: tuple[tuple[str, str], ...] = (),
    title: str | None = None,
    summary: str = "Weekly sessions that bring neighbours together.",
    award_date: date | None = None,
    **extra: Any,
) -> Grant:
    """An approved application and its grant, with its wards, themes, tranches and match funding."""
    application = ApplicationFactory(
        round=round_,
        organisation=organisation,
        created_by=officer,
        status=Application.Status.APPROVED,
        amount_requested=Decimal(amount) + Decimal("500"),
        summary=summary,
        **({"title": title} if title is not None else {}),
    )
    application.wards.set(wards)
    application.themes.set(themes)
    grant = Grant.objects.create(
        application=application,
        reference=reference,
        status=status,
        amount=Decimal(amount),
        award_date=award_date or date(2026, 3, 1),
        offered_by=officer,
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        **extra,
    )
    for index, value in enumerate(paid):
        Tranche.objects.create(
            grant=grant,
            due_on=date(2026, 4, 1) + timedelta(days=90 * index),
            amount=Decimal(value),
            status=Tranche.Status.PAID,
            paid_on=date(2026, 4, 2) + timedelta(days=90 * index),
            paid_by=officer,
        )
    for value in scheduled:
        Tranche.objects.create(grant=grant, due_on=date(2026, 12, 1), amount=Decimal(value))
    for value, status in match:
        MatchFunding.objects.create(application=application, funder="The Lottery", amount=Decimal(value), status=status)
    return grant


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer")


@pytest.fixture
def grant_set(merton: Any, officer: Any) -> GrantSet:
    wards = list(Ward.objects.filter(council=merton).order_by("code")[:4])
    themes = list(Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk")[:3])
    fund = FundFactory(name="Civic Pride Fund", slug="civic-pride-fund")
    round_ = RoundFactory(fund=fund, name="Round one", slug="civic-pride-round-one")
    charity = ApplicantFactory(
        name="Wimbledon Food Bank", slug="wimbledon-food-bank", charity_number="1123456", org_id="GB-CHC-1123456"
    )
    company = ApplicantFactory(
        name="Mitcham Makers CIC",
        slug="mitcham-makers",
        kind=Organisation.Kind.CIC,
        charity_number="",
        org_id="",
        company_number="9876543",
        postcode="CR4 3AA",
    )
    group = ApplicantFactory(
        name="Pollards Hill Litter Pickers",
        slug="pollards-hill-litter-pickers",
        kind=Organisation.Kind.INFORMAL_GROUP,
        charity_number="",
        org_id="",
        postcode="SW16 4AA",
    )
    found = GrantSet(fund, round_, wards, themes, charity, company, group)
    found.published = [
        make_grant(
            round_=round_,
            organisation=charity,
            officer=officer,
            reference="CPF/2026 001",
            amount="9500",
            wards=wards[:2],
            themes=themes[:2],
            paid=("4750", "2375"),
            scheduled=("2375",),
            match=(("3000", MatchFunding.Status.SECURED), ("1000", MatchFunding.Status.PENDING)),
            title="Food for families",
        ),
        make_grant(
            round_=round_,
            organisation=company,
            officer=officer,
            reference="CPF-2026-002",
            amount="2500.50",
            wards=wards[2:3],
            themes=themes[2:3],
            paid=("2500.50",),
            status=Grant.Status.COMPLETED,
            title="Repair café",
        ),
        make_grant(
            round_=round_,
            organisation=group,
            officer=officer,
            reference="CPF-2026-003",
            amount="1200",
            wards=wards,
            themes=themes[:1],
            title="",
        ),
    ]
    other = ApplicantFactory(name="Declined Group", slug="declined-group")
    withdrawn = ApplicantFactory(name="Withdrawn Group", slug="withdrawn-group")
    offered = ApplicantFactory(name="Offered Group", slug="offered-group")
    found.hidden = [
        make_grant(
            round_=round_,
            organisation=other,
            officer=officer,
            reference="CPF-2026-004",
            amount="800",
            status=Grant.Status.DECLINED,
            wards=wards[:1],
        ),
        make_grant(
            round_=round_,
            organisation=withdrawn,
            officer=officer,
            reference="CPF-2026-005",
            amount="700",
            status=Grant.Status.WITHDRAWN,
            wards=wards[:1],
        ),
        make_grant(
            round_=round_,
            organisation=offered,
            officer=officer,
            reference="CPF-2026-006",
            amount="600",
            status=Grant.Status.OFFERED,
            wards=wards[:1],
        ),
    ]
    return found
