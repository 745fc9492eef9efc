"""Permission-matrix rows for funding's setup routes (see tests/test_permission_matrix.py).

Crafted POSTs are empty: officers get the form back with its errors (200); everyone else is refused.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.accounts.services import membership_grant
from commonweal.framework.models import Element
from commonweal.funding.models import (
    Criterion,
    EligibilityQuestion,
    Fund,
    Pot,
    ProspectusComment,
    Question,
    Round,
    ThemeBudget,
)
from tests.matrix import Row

ROWS: list[Row] = []


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member).

    targets['setup_fund']: a fund with the Merton theme targets['theme'], a pot and an eligibility question.
    targets['setup_round']: open now, prospectus published, a long-text and a PDF question, 5 criteria of 20.
    targets['setup_draft_round']: its prospectus open for comment; targets['setup_comment'] a comment on it.
    """
    now = timezone.now()
    fund = Fund.objects.create(
        name="Matrix Civic Pride Fund",
        slug="matrix-civic-pride-fund",
        summary="Grants for groups that bring neighbours together.",
        description="The fund pays for community work in Merton.",
        total_budget=Decimal("100000"),
    )
    fund.themes.add(targets["theme"])
    # The budget sits on another theme: the framework matrix deletes targets['theme'] (a budget protects it).
    other = Element.objects.filter(kind=Element.Kind.THEME).exclude(pk=targets["theme"].pk).first()
    if other is not None:
        fund.themes.add(other)
        ThemeBudget.objects.create(fund=fund, theme=other, amount=Decimal("40000"))
    Pot.objects.create(
        fund=fund,
        name="Small grants",
        description="For groups with a yearly income under £25,000.",
        min_amount=Decimal("500"),
        max_amount=Decimal("2500"),
        max_turnover=Decimal("25000"),
    )
    EligibilityQuestion.objects.create(
        fund=fund,
        question="Does your work benefit people in Merton?",
        required_answer=True,
        reason="The fund is only for work that benefits people in Merton.",
    )
    open_round = Round.objects.create(
        fund=fund,
        name="Matrix round one",
        slug="matrix-round-one",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=21),
        prospectus_status=Round.Prospectus.PUBLISHED,
        prospectus="We fund work that brings neighbours together.",
        methodology="Each criterion is scored 0 to 5 and weighted.",
        prospectus_published_at=now - timedelta(days=8),
    )
    Question.objects.create(
        round=open_round, label="What will you do?", kind=Question.Kind.LONG_TEXT, word_limit=250, position=0
    )
    Question.objects.create(
        round=open_round,
        label="Your latest accounts",
        kind=Question.Kind.ATTACHMENT,
        required=False,
        file_types=["pdf"],
        max_file_mb=10,
        position=1,
    )
    for position, name in enumerate(("Need", "Outcomes", "Value for money", "Community", "Delivery")):
        Criterion.objects.create(round=open_round, name=name, weight=20, position=position)
    draft_round = Round.objects.create(
        fund=fund,
        name="Matrix round two",
        slug="matrix-round-two",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=60),
        prospectus_status=Round.Prospectus.OPEN_FOR_COMMENT,
        prospectus="A draft: we would like to hear from groups.",
        comments_close_at=now + timedelta(days=14),
    )
    commenter = User.objects.create_user(
        "matrix-commenter@example.org", "correct horse battery staple", full_name="Matrix commenter"
    )
    membership_grant(user=commenter, role="group_member", organisation=targets["group"])
    comment = ProspectusComment.objects.create(
        round=draft_round,
        author=commenter,
        organisation=targets["group"],
        body="Could small groups apply for less than £500?",
    )
    targets["setup_fund"] = fund
    targets["setup_round"] = open_round
    targets["setup_draft_round"] = draft_round
    targets["setup_comment"] = comment
