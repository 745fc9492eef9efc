"""Officers see moderation figures on a known example, then the panel decides once, with reasons, and the
applicant's feedback is drawn from the comments without assessors' names."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import User
from commonweal.funding.assess.queries import moderation_rows
from commonweal.funding.assess.services import Marked, record_decision, save_scores
from commonweal.funding.assess.totals import record_scored
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application, ApplicationEvent, Assignment, Criterion, Decision, Round, Score
from tests.funding.assess.conftest import assign

pytestmark = pytest.mark.django_db


def scored(application: Application, assessor: User, criteria: list[Criterion], scores: list[int]) -> Assignment:
    assignment = assign(application, assessor, Assignment.Status.SCORED)
    for criterion, score in zip(criteria, scores, strict=True):
        Score.objects.create(
            assignment=assignment, criterion=criterion, score=score, comment=f"Scored {score} on {criterion.name}"
        )
    record_scored(assignment)  # as the scoring service does
    return assignment


@pytest.fixture
def example(
    scoring_round: Round, submit: Callable[..., Application], assessors: list[User], criteria: list[Criterion]
) -> dict[str, Application]:
    """Far apart: 86 and 36. Close: 80 and 74. Waiting: one assessor has not submitted."""
    far = submit(scoring_round, title="Far apart", reference="CPF-FAR")
    scored(far, assessors[0], criteria, [5, 4, 3])
    scored(far, assessors[1], criteria, [2, 2, 1])
    close = submit(scoring_round, title="Close together", reference="CPF-CLOSE")
    scored(close, assessors[0], criteria, [4, 4, 4])
    scored(close, assessors[1], criteria, [4, 3, 4])
    waiting = submit(scoring_round, title="Still waiting", reference="CPF-WAIT")
    scored(waiting, assessors[2], criteria, [3, 3, 3])
    assign(waiting, assessors[0], Assignment.Status.CLEAR)
    return {"far": far, "close": close, "waiting": waiting}


def test_moderation_figures_on_a_known_example(example: dict[str, Application], scoring_round: Round) -> None:
    rows = {row.reference: row.figures for row in moderation_rows(scoring_round).rows}
    far = rows["CPF-FAR"]
    assert (far.scored, far.assigned) == (2, 2)
    assert far.mean == pytest.approx(61) and far.spread == pytest.approx(50) and far.stdev == pytest.approx(25)
    assert far.flagged
    close = rows["CPF-CLOSE"]
    assert close.mean == pytest.approx(77) and not close.flagged
    waiting = rows["CPF-WAIT"]
    assert (waiting.scored, waiting.assigned) == (1, 2) and waiting.mean == pytest.approx(60)


def test_leanings_show_each_assessors_mean_against_everyones(
    example: dict[str, Application], scoring_round: Round
) -> None:
    data = moderation_rows(scoring_round)
    # Weighted scores: 86, 36, 80, 74, 60 → overall mean 67.2
    assert data.overall_mean == pytest.approx(67.2)
    by_name = {x.name: x for x in data.leanings}
    assert by_name["Assessor Number1"].mean == pytest.approx(83)
    assert by_name["Assessor Number1"].difference == pytest.approx(15.8)
    assert by_name["Assessor Number2"].difference == pytest.approx(55 - 67.2)


def test_a_conflicted_officer_cannot_tell_an_applications_scores_from_its_place_in_the_order(
    client: Client, officer: User, example: dict[str, Application], scoring_round: Round
) -> None:
    # The officer declared a conflict in 'Far apart', the one with the lowest mean and the widest spread.
    assign(example["far"], officer, Assignment.Status.CONFLICTED)
    client.force_login(officer)
    url = f"/funding/manage/rounds/{scoring_round.slug}/moderation/"
    for sort in ("mean", "mean_low", "spread"):
        page = client.get(f"{url}?sort={sort}").content.decode()
        # Last whichever way the figures are sorted, so its place says nothing about them.
        assert page.index("Close together") < page.index("Far apart"), sort
        assert page.index("Still waiting") < page.index("Far apart"), sort
    flagged = client.get(f"{url}?flagged=1").content.decode()
    assert "Far apart" not in flagged
    assert "0 of 3 applications are flagged." in flagged  # its flag is not counted for them either
    page = client.get(url).content.decode()
    assert "61.0" not in page and "50.0" not in page  # nor its mean and spread anywhere


def test_the_moderation_page_sorts_filters_and_links_to_the_decision(
    client: Client, officer: User, example: dict[str, Application], scoring_round: Round
) -> None:
    client.force_login(officer)
    url = f"/funding/manage/rounds/{scoring_round.slug}/moderation/"
    page = client.get(url + "?sort=spread").content.decode()
    assert page.index("Far apart") < page.index("Close together")
    assert "61.0" in page and "50.0" in page and "25.0" in page
    assert "1 of 3 applications is flagged." in page
    assert f"/funding/manage/applications/{example['far'].uuid}/decide/" in page
    page = client.get(url + "?sort=mean").content.decode()
    assert page.index("Close together") < page.index("Far apart") < page.index("Still waiting")
    page = client.get(url + "?flagged=1").content.decode()
    assert "Far apart" in page and "Close together" not in page
    assert "Assessor Number1" in page and "+15.8" in page


def test_the_moderation_page_is_paginated_by_fifty(
    client: Client, officer: User, scoring_round: Round, submit: Callable[..., Application]
) -> None:
    for n in range(51):
        submit(scoring_round, reference=f"CPF-P{n:03d}")
    client.force_login(officer)
    page = client.get(f"/funding/manage/rounds/{scoring_round.slug}/moderation/").content.decode()
    assert "Page 1 of 2" in page and "CPF-P049" in page and "CPF-P050" not in page


def test_the_page_shows_new_scores_as_soon_as_an_assessor_submits_them(
    client: Client, officer: User, example: dict[str, Application], assessors: list[User], criteria: list[Criterion]
) -> None:
    client.force_login(officer)
    url = f"/funding/manage/rounds/{example['waiting'].round.slug}/moderation/?flagged=1"
    assert "CPF-WAIT" not in client.get(url).content.decode()
    # The second assessor of 'Still waiting' submits scores far from the first's 60: it is flagged at once.
    waiting = Assignment.objects.get(application=example["waiting"], assessor=assessors[0])
    marks = {criterion.pk: Marked("0", "Not enough detail.") for criterion in criteria}
    save_scores(assignment=waiting, marks=marks, submit=True, by=assessors[0])
    assert "CPF-WAIT" in client.get(url).content.decode()
    # Changing submitted scores shows too: scored the same as the first assessor, it is no longer flagged.
    marks = {criterion.pk: Marked("3", "Reasonable.") for criterion in criteria}
    save_scores(assignment=waiting, marks=marks, submit=True, by=assessors[0])
    assert "CPF-WAIT" not in client.get(url).content.decode()


def test_moderation_reads_in_a_fixed_number_of_queries(
    example: dict[str, Application], scoring_round: Round, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        moderation_rows(scoring_round)


def test_the_panel_page_shows_scores_side_by_side_and_drafts_feedback_without_names(
    client: Client, officer: User, example: dict[str, Application], assessors: list[User]
) -> None:
    client.force_login(officer)
    page = client.get(f"/funding/manage/applications/{example['far'].uuid}/decide/").content.decode()
    assert "Assessor Number1" in page and "Assessor Number2" in page  # officers see who scored what
    assert "86.0" in page and "36.0" in page and "61.0 / 100" in page
    feedback = page.split('name="feedback"')[1].split("</textarea>")[0]
    assert "Need for the project" in feedback
    assert "- Scored 5 on Need for the project" in feedback and "- Scored 2 on Need for the project" in feedback
    assert "Number1" not in feedback and "@example.org" not in feedback


def test_funding_records_the_decision_with_the_mean_and_approves(
    client: Client, officer: User, example: dict[str, Application]
) -> None:
    client.force_login(officer)
    application = example["close"]
    response = client.post(
        f"/funding/manage/applications/{application.uuid}/decide/",
        {"outcome": "approved", "amount": "1,500", "reasons": "Strong need.", "feedback": "Well done."},
        follow=True,
    )
    assert "Decision recorded: fund." in response.content.decode()
    decision = Decision.objects.get(application=application)
    assert decision.amount == Decimal("1500.00") and decision.weighted_score == Decimal("77.00")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert ApplicationEvent.objects.filter(application=application, transition="approve", by=officer).exists()


def test_not_funding_takes_the_panels_reasons_to_the_applicant(officer: User, example: dict[str, Application]) -> None:
    application = example["far"]
    record_decision(
        application=application, outcome="rejected", amount="", reasons="Too little evidence.", feedback="", by=officer
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert ApplicationEvent.objects.get(application=application, transition="reject").note == "Too little evidence."
    assert Decision.objects.get(application=application).amount is None


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("2000.01", "cannot be more than the £2,000 asked for"),
        ("", "Enter the amount to award."),
        ("0", "must be more than £0"),
        ("lots", "Enter the amount in pounds"),
    ],
)
def test_an_award_must_be_a_sum_no_more_than_was_asked_for(
    client: Client, officer: User, example: dict[str, Application], amount: str, message: str
) -> None:
    client.force_login(officer)
    response = client.post(
        f"/funding/manage/applications/{example['close'].uuid}/decide/",
        {"outcome": "approved", "amount": amount, "reasons": "Good.", "feedback": "Thanks."},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.exists()


def test_an_award_is_no_more_than_the_pots_largest_grant(
    officer: User, scoring_round: Round, submit: Callable[..., Application], small_pot: Any
) -> None:
    application = submit(scoring_round, amount_requested=Decimal("5000"), pot=small_pot)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.IN_ASSESSMENT)
    with pytest.raises(FundingError, match="largest grant, £2,500"):
        record_decision(
            application=application, outcome="approved", amount="3000", reasons="Good.", feedback="", by=officer
        )


def test_reasons_are_required(client: Client, officer: User, example: dict[str, Application]) -> None:
    client.force_login(officer)
    response = client.post(
        f"/funding/manage/applications/{example['close'].uuid}/decide/",
        {"outcome": "rejected", "reasons": "  ", "feedback": "Kept text"},
    )
    page = response.content.decode()
    assert "Give the panel&#x27;s reasons for the decision." in page
    assert "Kept text" in page


def test_deciding_twice_says_it_is_already_decided(
    client: Client, officer: User, example: dict[str, Application]
) -> None:
    application = example["close"]
    record_decision(application=application, outcome="rejected", amount="", reasons="No.", feedback="", by=officer)
    with pytest.raises(FundingError, match="already been decided"):
        record_decision(
            application=application, outcome="approved", amount="100", reasons="Yes.", feedback="", by=officer
        )
    client.force_login(officer)
    page = client.get(f"/funding/manage/applications/{application.uuid}/decide/").content.decode()
    assert "The panel decided on this application on" in page
    assert 'name="outcome"' not in page
    assert Decision.objects.count() == 1


def test_the_applicant_sees_the_feedback_after_the_decision(
    client: Client, officer: User, example: dict[str, Application]
) -> None:
    application = example["far"]
    record_decision(
        application=application,
        outcome="rejected",
        amount="",
        reasons="Too little evidence.",
        feedback="Need for the project\n- Say more about who comes.",
        by=officer,
    )
    client.force_login(application.created_by)
    page = client.get(f"/funding/applications/{application.uuid}/").content.decode()
    assert "Say more about who comes." in page
    assert "Assessor Number" not in page


def test_only_officers_record_decisions(
    client: Client, example: dict[str, Application], make_user: Callable[..., User]
) -> None:
    client.force_login(make_user("steward"))
    response = client.post(
        f"/funding/manage/applications/{example['close'].uuid}/decide/",
        {"outcome": "approved", "amount": "100", "reasons": "Yes."},
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_a_draft_cannot_be_decided(
    client: Client, officer: User, scoring_round: Round, submit: Callable[..., Application]
) -> None:
    application = submit(scoring_round)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DRAFT)
    client.force_login(officer)
    url = f"/funding/manage/applications/{application.uuid}/decide/"
    assert "This application is draft, so the panel cannot decide on it." in client.get(url).content.decode()
    response = client.post(url, {"outcome": "rejected", "reasons": "No."})
    assert "cannot be turned down now" in response.content.decode()
    assert not Decision.objects.exists()
