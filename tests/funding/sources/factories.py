"""Factories for the sources area: funding sources, needs, pledges, and grants to measure leverage against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.funding.models import CommunityNeed, FundingSource, Grant, HelpKind, Pledge
from tests.funding.factories import ApplicationFactory


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    funder = factory.Sequence(lambda n: f"Trust {n}")
    funder_org_id = factory.Sequence(lambda n: f"GB-CHC-{2000000 + n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    what_they_fund = "Community projects that bring people together."
    min_amount = Decimal("1000")
    max_amount = Decimal("10000")
    deadline = None
    is_active = True


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Builders {n} Ltd")
    slug = factory.Sequence(lambda n: f"builders-{n}-ltd")
    kind = Organisation.Kind.COMPANY
    company_number = factory.Sequence(lambda n: f"{n:08d}")


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityNeed

    title = factory.Sequence(lambda n: f"Need {n}")
    description = "Our homework club needs laptops."
    kind = HelpKind.HOURS
    quantity = Decimal("40")
    unit = "hours"
    created_by = None  # pass a user
    organisation = None  # pass an organisation


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    need = None
    supplier = None
    kind = HelpKind.HOURS
    quantity = Decimal("40")
    unit = "hours"
    framework = Pledge.Framework.TOMS
    measure_code = "NT29"
    pledged_by = None


def make_grant(
    *,
    amount: str,
    by: object,
    status: str = Grant.Status.ACCEPTED,
    themes: tuple = (),
    wards: tuple = (),
    **app: object,
) -> Grant:
    """A grant on a new application against these themes and wards."""
    application = ApplicationFactory(created_by=by, status="approved", **app)
    application.themes.set(themes)
    application.wards.set(wards)
    return Grant.objects.create(
        application=application,
        reference=f"G-{application.reference}",
        status=status,
        amount=Decimal(amount),
        award_date=date(2026, 4, 1),
        offered_by=by,
        offered_at=timezone.now(),
    )
