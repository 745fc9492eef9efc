"""A fund with two pots and a not-for-profit rule, an open round with a word-limited question and a PDF upload,
a group with its member, an officer, and uploads kept in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import Organisation, User
from commonweal.framework.models import Element
from commonweal.funding.apply.eligibility import Answers
from commonweal.funding.apply.services import start_application
from commonweal.funding.models import Application, EligibilityQuestion, Fund, Question, Round
from commonweal.places.models import Ward
from tests.funding.factories import ApplicantFactory, FundFactory, PotFactory, QuestionFactory, RoundFactory

HOSTILE = "<script>alert('x')</script>\u202eevil\u202c" + "x" * 50
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fund(merton: Any) -> Fund:
    fund = FundFactory(name="Civic Pride Fund", slug="civic-pride-fund")
    fund.themes.set(Element.objects.filter(kind=Element.Kind.THEME)[:2])
    PotFactory(fund=fund, name="Small grants", min_amount=500, max_amount=2500, max_turnover=25000, position=0)
    PotFactory(fund=fund, name="Medium grants", min_amount=2500, max_amount=10000, max_turnover=50000, position=1)
    EligibilityQuestion.objects.create(
        fund=fund,
        question="Is your group run on a not-for-profit basis?",
        required_answer=True,
        reason="The fund is only for groups that do not make a profit for their owners.",
    )
    return fund


@pytest.fixture
def round(fund: Fund) -> Round:
    round = RoundFactory(fund=fund, name="Round one 2026", slug="civic-pride-2026")
    QuestionFactory(round=round, label="What will you do?", kind=Question.Kind.LONG_TEXT, word_limit=10, position=0)
    QuestionFactory(
        round=round,
        label="Your latest accounts",
        kind=Question.Kind.ATTACHMENT,
        word_limit=None,
        required=False,
        file_types=["pdf"],
        max_file_mb=1,
        position=1,
    )
    return round


@pytest.fixture
def group(db: None) -> Organisation:
    return ApplicantFactory(name="Abbey Litter Pickers", slug="abbey-litter-pickers", kind="informal_group")


@pytest.fixture
def member(make_user: Callable[..., User], group: Organisation) -> User:
    return make_user("group_member", organisation=group, email="member@example.org")


@pytest.fixture
def officer(make_user: Callable[..., User], mfa_exempt: None) -> User:
    return make_user("officer", email="officer@example.org")


def eligible_answers(fund: Fund, income: str = "12000") -> Answers:
    return Answers(
        questions={q.pk: q.required_answer for q in fund.eligibility_questions.all()},
        kind="informal_group",
        income=Decimal(income),
        works_in_area=True,
    )


@pytest.fixture
def draft(round: Round, group: Organisation, member: User) -> Application:
    return start_application(round=round, organisation=group, by=member, eligibility=eligible_answers(round.fund))


def complete(application: Application) -> Application:
    """Fill in everything a submission needs."""
    question = application.round.questions.get(kind=Question.Kind.LONG_TEXT)
    application.title = "Abbey clean-up days"
    application.summary = "Monthly litter picks with neighbours."
    application.amount_requested = Decimal("2000")
    application.starts_on = application.round.closes_at.date()
    application.ends_on = application.starts_on.replace(year=application.starts_on.year + 1)
    application.answers = {str(question.pk): "We will pick litter every month."}
    application.save()
    application.themes.set(application.round.fund.themes.all()[:1])
    application.wards.set(Ward.objects.order_by("code")[:1])
    return application


@pytest.fixture
def member_client(client: Client, member: User) -> Client:
    client.force_login(member)
    return client
