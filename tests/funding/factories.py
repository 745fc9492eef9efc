"""factory_boy factories for funding records. A round is open now, its prospectus published, unless a test
says otherwise. Areas add their own factories beside their tests; keep these small and shared."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.funding.models import Application, Criterion, Fund, Pot, Question, Round


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Applicant Group {n}")
    slug = factory.Sequence(lambda n: f"applicant-group-{n}")
    kind = Organisation.Kind.REGISTERED_CHARITY
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    org_id = factory.Sequence(lambda n: f"GB-CHC-{1100000 + n}")
    postcode = "SW19 2HL"


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Civic Pride Fund {n}")
    slug = factory.Sequence(lambda n: f"civic-pride-fund-{n}")
    summary = "Grants for community groups that make the borough a better place to live."
    total_budget = Decimal("500000")


class PotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pot

    fund = factory.SubFactory(FundFactory)
    name = "Small grants"
    min_amount = Decimal("500")
    max_amount = Decimal("2500")
    max_turnover = Decimal("25000")


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    prospectus_status = Round.Prospectus.PUBLISHED
    prospectus = "We fund work that brings neighbours together."
    methodology = "Each criterion is scored 0 to 5 and weighted."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    round = factory.SubFactory(RoundFactory)
    label = factory.Sequence(lambda n: f"Question {n}: what will you do?")
    kind = Question.Kind.LONG_TEXT
    word_limit = 250
    position = factory.Sequence(lambda n: n)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 20
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; pass status=Application.Status.SUBMITTED (and submitted_at) for a submitted one."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"CPF-{n:05d}")
    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(ApplicantFactory)
    created_by = None  # pass a user
    title = factory.Sequence(lambda n: f"Community project {n}")
    summary = "Weekly sessions that bring neighbours together."
    amount_requested = Decimal("2000")
