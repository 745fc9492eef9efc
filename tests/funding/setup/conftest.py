"""Fixtures for the setup area: an officer, a group member, a fund with themes and a pot, rounds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from commonweal.accounts.models import User
from commonweal.framework.models import Element
from commonweal.funding.models import Fund, Round
from tests.funding.factories import CriterionFactory, FundFactory, PotFactory, QuestionFactory, RoundFactory

HOSTILE = "<script>alert('x')</script>\u202eevil"


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("officer", email="officer@example.org")


@pytest.fixture
def member(make_user: Callable[..., User]) -> User:
    return make_user("group_member", email="member@example.org")


@pytest.fixture
def themes(db: None) -> list[Element]:
    """Merton's framework themes (the preset alone: the places are not needed here, and are slow to load)."""
    from commonweal.framework.services import load_framework_preset

    load_framework_preset(slug="merton")
    return list(Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk"))


@pytest.fixture
def fund(themes: list[Element]) -> Fund:
    fund = FundFactory(name="Civic Pride Fund", slug="civic-pride-fund", total_budget=Decimal("100000"))
    fund.themes.set(themes[:2])
    PotFactory(fund=fund, name="Small grants")
    return fund


@pytest.fixture
def ready_round(fund: Fund) -> Round:
    """A draft round with everything it needs to be published: a question and criteria weighing 100."""
    round_ = RoundFactory(fund=fund, name="Round one", slug="round-one", prospectus_status=Round.Prospectus.DRAFT)
    QuestionFactory(round=round_, label="What will you do?")
    for name in ("Need", "Outcomes", "Value for money", "Community", "Delivery"):
        CriterionFactory(round=round_, name=name, weight=20)
    return round_
