"""Permission-matrix rows for funding's setup routes (see tests/test_permission_matrix.py).

Crafted POSTs are empty: officers get the form back with its errors (200); everyone else is refused.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.accounts.services import confirm_email, grant_membership
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
from tests.matrix import ALL, Row, only

OFFICERS = only("officer")
# A POST-only route answers an officer's GET with 405; everyone else never gets that far.
OFFICERS_POST_ONLY = {**OFFICERS, "officer": 405}
# The change is made and the officer goes back to the set-up page.
OFFICERS_DONE = {**OFFICERS, "officer": 302}
# A prospectus open for comment: officers and group members read it; anonymous visitors are asked to sign in.
COMMENTERS = only("officer", "group_member")
# Only group members comment (an empty comment comes back with its error); officers answer instead.
COMMENTING = only("group_member")


def _fund(t: dict[str, Any]) -> str:
    return t["setup_fund"].slug


def _round(t: dict[str, Any]) -> str:
    return t["setup_round"].slug


def _draft(t: dict[str, Any]) -> str:
    return t["setup_draft_round"].slug


def _spare(t: dict[str, Any], name: str) -> Any:
    return t[f"setup_spare_{name}"]


ROWS: list[Row] = [
    ("funding:index", lambda t: [], "GET", ALL),
    ("funding:fund", lambda t: [_fund(t)], "GET", ALL),
    ("funding:round", lambda t: [_round(t)], "GET", ALL),
    ("funding:round", lambda t: [_draft(t)], "GET", COMMENTERS),
    ("funding:prospectus_comment", lambda t: [_draft(t)], "GET", dict.fromkeys(ALL, 405)),
    ("funding:prospectus_comment", lambda t: [_draft(t)], "POST", COMMENTING),
    # Officers set up funds. Crafted empty POSTs come back with their errors (200).
    ("funding:manage", lambda t: [], "GET", OFFICERS),
    ("funding:fund_create", lambda t: [], "GET", OFFICERS),
    ("funding:fund_create", lambda t: [], "POST", OFFICERS),
    ("funding:fund_edit", lambda t: [_fund(t)], "GET", OFFICERS),
    ("funding:fund_edit", lambda t: [_fund(t)], "POST", OFFICERS),
    ("funding:theme_budgets", lambda t: [_fund(t)], "GET", OFFICERS),
    # Empty amounts take the spare fund's budgets away: done.
    ("funding:theme_budgets", lambda t: [_spare(t, "fund").slug], "POST", OFFICERS_DONE),
    ("funding:pot_add", lambda t: [_fund(t)], "GET", OFFICERS),
    ("funding:pot_add", lambda t: [_fund(t)], "POST", OFFICERS),
    ("funding:pot_edit", lambda t: [_spare(t, "pot").pk], "GET", OFFICERS),
    ("funding:pot_edit", lambda t: [_spare(t, "pot").pk], "POST", OFFICERS),
    ("funding:pot_delete", lambda t: [_spare(t, "pot").pk], "GET", OFFICERS_POST_ONLY),
    ("funding:pot_delete", lambda t: [_spare(t, "pot").pk], "POST", OFFICERS_DONE),
    ("funding:eligibility_add", lambda t: [_fund(t)], "GET", OFFICERS),
    ("funding:eligibility_add", lambda t: [_fund(t)], "POST", OFFICERS),
    ("funding:eligibility_edit", lambda t: [_spare(t, "eligibility").pk], "GET", OFFICERS),
    ("funding:eligibility_edit", lambda t: [_spare(t, "eligibility").pk], "POST", OFFICERS),
    (
        "funding:eligibility_delete",
        lambda t: [_spare(t, "eligibility").pk],
        "GET",
        OFFICERS_POST_ONLY,
    ),
    (
        "funding:eligibility_delete",
        lambda t: [_spare(t, "eligibility").pk],
        "POST",
        OFFICERS_DONE,
    ),
    # Rounds, their forms, criteria and prospectuses.
    ("funding:round_create", lambda t: [_fund(t)], "GET", OFFICERS),
    ("funding:round_create", lambda t: [_fund(t)], "POST", OFFICERS),
    ("funding:round_manage", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:round_manage", lambda t: [_round(t)], "POST", OFFICERS),
    ("funding:prospectus_edit", lambda t: [_draft(t)], "GET", OFFICERS),
    # An empty prospectus is saved on the spare round: done.
    ("funding:prospectus_edit", lambda t: [_spare(t, "round").slug], "POST", OFFICERS_DONE),
    ("funding:prospectus_open", lambda t: [_draft(t)], "GET", OFFICERS_POST_ONLY),
    # Already open for comment, and not ready to publish: the round's page says why (200).
    ("funding:prospectus_open", lambda t: [_draft(t)], "POST", OFFICERS),
    ("funding:prospectus_publish", lambda t: [_draft(t)], "GET", OFFICERS_POST_ONLY),
    ("funding:prospectus_publish", lambda t: [_draft(t)], "POST", OFFICERS),
    ("funding:comment_answer", lambda t: [t["setup_comment"].pk], "GET", OFFICERS),
    ("funding:comment_answer", lambda t: [t["setup_comment"].pk], "POST", OFFICERS),
    ("funding:question_add", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:question_add", lambda t: [_round(t)], "POST", OFFICERS),
    ("funding:question_edit", lambda t: [_spare(t, "question").pk], "GET", OFFICERS),
    ("funding:question_edit", lambda t: [_spare(t, "question").pk], "POST", OFFICERS),
    ("funding:question_move", lambda t: [_spare(t, "question").pk], "GET", OFFICERS_POST_ONLY),
    ("funding:question_move", lambda t: [_spare(t, "question").pk], "POST", OFFICERS_DONE),
    # 'Delete' first asks 'Are you sure?' on a page of its own.
    ("funding:question_delete", lambda t: [_spare(t, "question").pk], "GET", OFFICERS),
    ("funding:question_delete", lambda t: [_spare(t, "question").pk], "POST", OFFICERS_DONE),
    ("funding:criterion_add", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:criterion_add", lambda t: [_round(t)], "POST", OFFICERS),
    ("funding:criterion_edit", lambda t: [_spare(t, "criterion").pk], "GET", OFFICERS),
    ("funding:criterion_edit", lambda t: [_spare(t, "criterion").pk], "POST", OFFICERS),
    # 'Delete' first asks 'Are you sure?' on a page of its own.
    ("funding:criterion_delete", lambda t: [_spare(t, "criterion").pk], "GET", OFFICERS),
    ("funding:criterion_delete", lambda t: [_spare(t, "criterion").pk], "POST", OFFICERS_DONE),
]


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
    confirm_email(commenter)
    grant_membership(user=commenter, role="group_member", organisation=targets["group"])
    comment = ProspectusComment.objects.create(
        round=draft_round,
        author=commenter,
        organisation=targets["group"],
        body="Could small groups apply for less than £500?",
    )
    # Spare records for the rows that change or delete things, so later areas' records stay as they were.
    spare = Fund.objects.create(
        name="Matrix spare fund", slug="matrix-spare-fund", summary="For the matrix.", total_budget=Decimal("1000")
    )
    if other is not None:
        spare.themes.add(other)
        ThemeBudget.objects.create(fund=spare, theme=other, amount=Decimal("500"))
    spare_round = Round.objects.create(
        fund=spare,
        name="Matrix spare round",
        slug="matrix-spare-round",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=60),
        prospectus="A draft.",
    )
    targets["setup_spare_fund"] = spare
    targets["setup_spare_round"] = spare_round
    targets["setup_spare_pot"] = Pot.objects.create(fund=spare, name="Spare pot", max_amount=Decimal("100"))
    targets["setup_spare_eligibility"] = EligibilityQuestion.objects.create(
        fund=spare, question="Spare?", reason="Spare."
    )
    targets["setup_spare_question"] = Question.objects.create(round=spare_round, label="Spare question", position=0)
    Question.objects.create(round=spare_round, label="Second spare question", position=1)
    targets["setup_spare_criterion"] = Criterion.objects.create(round=spare_round, name="Spare", weight=100)
    targets["setup_fund"] = fund
    targets["setup_round"] = open_round
    targets["setup_draft_round"] = draft_round
    targets["setup_comment"] = comment
