"""An assessor with no conflict scores each criterion with a comment, as a draft or submitted, within the
round's scale; crafted values outside it are refused beside the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from commonweal.accounts.models import User
from commonweal.funding.assess.queries import scores_locked
from commonweal.funding.assess.services import Marked, save_scores
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application, Assignment, Criterion, Decision, Round, Score
from tests.funding.assess.conftest import assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(scoring_round: Round, submit: Callable[..., Application], assessors: list[User]) -> Assignment:
    application = submit(scoring_round, title="Repair café", summary="We mend things with neighbours.")
    return assign(application, assessors[0])


def _post(criteria: list[Criterion], scores: list[str], action: str = "submit") -> dict[str, str]:
    data = {"action": action}
    for criterion, score in zip(criteria, scores, strict=True):
        data[f"score_{criterion.pk}"] = score
        data[f"comment_{criterion.pk}"] = f"About {criterion.name}: good." if score else ""
    return data


def test_the_score_page_shows_the_application_and_each_criterion_with_guidance_and_weight(
    client: Client, assignment: Assignment, criteria: list[Criterion]
) -> None:
    client.force_login(assignment.assessor)
    page = client.get(f"/funding/assess/{assignment.pk}/").content.decode()
    assert "Repair café" in page and "We mend things with neighbours." in page
    assert "£2,000" in page
    assert "Need for the project" in page and "Is the need clear?" in page and "weight 50%" in page
    assert page.count('type="radio"') == 3 * 6  # 0 to 5 for each of three criteria


def test_submitting_every_score_records_them_and_the_weighted_total(
    client: Client, assignment: Assignment, criteria: list[Criterion]
) -> None:
    client.force_login(assignment.assessor)
    response = client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["5", "4", "3"]), follow=True)
    assert "Your scores are submitted" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SCORED and assignment.scored_at is not None
    assert sorted(Score.objects.filter(assignment=assignment).values_list("score", flat=True)) == [3, 4, 5]


def test_a_draft_may_leave_criteria_unscored_but_submitting_may_not(
    client: Client, assignment: Assignment, criteria: list[Criterion]
) -> None:
    client.force_login(assignment.assessor)
    response = client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["4", "", ""], "draft"), follow=True)
    assert "Your draft scores are saved" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CLEAR
    assert Score.objects.filter(assignment=assignment).count() == 1
    # The draft is there when they come back.
    assert 'value="4" checked' in client.get(f"/funding/assess/{assignment.pk}/").content.decode()
    response = client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["4", "", ""]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a score for Value for money." in page and "Choose a score for Track record." in page
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CLEAR


@pytest.mark.parametrize("crafted", ["6", "-1", "2.5", "99999999999999999999", "five", "<script>"])
def test_a_score_outside_the_scale_is_refused_beside_the_field(
    client: Client, assignment: Assignment, criteria: list[Criterion], crafted: str
) -> None:
    client.force_login(assignment.assessor)
    response = client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, [crafted, "3", "3"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a score from 0 to 5 for Need for the project." in page
    assert f'id="id_score_{criteria[0].pk}-error"' in page
    assert not Score.objects.filter(assignment=assignment).exists()


def test_the_service_refuses_a_score_outside_the_scale_too(assignment: Assignment, criteria: list[Criterion]) -> None:
    marks = {c.pk: Marked("3", "") for c in criteria} | {criteria[1].pk: Marked("7", "")}
    with pytest.raises(FundingError) as raised:
        save_scores(assignment=assignment, marks=marks, submit=True, by=assignment.assessor)
    assert raised.value.message_dict == {f"score_{criteria[1].pk}": ["Choose a score from 0 to 5 for Value for money."]}


def test_after_submitting_the_assessor_may_change_scores_until_the_panel_decides(
    client: Client, assignment: Assignment, criteria: list[Criterion], officer: User
) -> None:
    client.force_login(assignment.assessor)
    client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["5", "4", "3"]))
    client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["2", "4", "3"]))
    assert Score.objects.get(assignment=assignment, criterion=criteria[0]).score == 2
    Decision.objects.create(
        application=assignment.application, outcome="rejected", reasons="Not this time.", decided_by=officer
    )
    response = client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["5", "5", "5"]))
    assert "The panel has decided on this application, so its scores can no longer change." in response.content.decode()
    assert Score.objects.get(assignment=assignment, criterion=criteria[0]).score == 2


def test_once_an_application_leaves_assessment_its_scores_cannot_change_from_the_page_or_the_service(
    client: Client, assignment: Assignment, criteria: list[Criterion]
) -> None:
    """The rule (scores_locked) is the service's: the page only hides the form the service would refuse."""
    marks = {c.pk: Marked("3", "Fine.") for c in criteria}
    save_scores(assignment=assignment, marks=marks, submit=True, by=assignment.assessor)
    Application.objects.filter(pk=assignment.application_id).update(status=Application.Status.WITHDRAWN)
    assignment.application.refresh_from_db()
    locked = "This application is no longer being assessed, so its scores cannot change."
    assert scores_locked(assignment.application) == locked
    with pytest.raises(FundingError, match=locked):
        save_scores(
            assignment=assignment, marks={c.pk: Marked("5", "") for c in criteria}, submit=True, by=assignment.assessor
        )
    client.force_login(assignment.assessor)
    page = client.get(f"/funding/assess/{assignment.pk}/").content.decode()
    assert locked in page and 'data-testid="score-form"' not in page
    response = client.post(f"/funding/assess/{assignment.pk}/", _post(criteria, ["5", "5", "5"]))
    assert locked in response.content.decode()
    assert set(Score.objects.filter(assignment=assignment).values_list("score", flat=True)) == {3}


def test_a_comment_without_a_score_is_kept_on_the_page_with_a_message(
    client: Client, assignment: Assignment, criteria: list[Criterion]
) -> None:
    client.force_login(assignment.assessor)
    data = _post(criteria, ["", "", ""], "draft") | {f"comment_{criteria[0].pk}": "Half-way thoughts"}
    response = client.post(f"/funding/assess/{assignment.pk}/", data)
    page = response.content.decode()
    assert "so that its comment is saved" in page
    assert "Half-way thoughts" in page


def test_hostile_text_in_the_application_is_shown_safely(
    client: Client, scoring_round: Round, submit: Callable[..., Application], assessors: list[User]
) -> None:
    hostile = "<script>alert('x')</script>\u202eevil" + "x" * 10000
    application = submit(scoring_round, title="<script>alert(1)</script>", summary=hostile)
    assignment = assign(application, assessors[1])
    client.force_login(assessors[1])
    page = client.get(f"/funding/assess/{assignment.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
