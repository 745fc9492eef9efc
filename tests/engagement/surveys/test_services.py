"""Perception surveys' writes: the standard question set, waves and their steps, invitations and responses."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commonweal.engagement.errors import EngagementError
from commonweal.engagement.models_surveys import SurveyResponse, Wave, WaveInvitation
from commonweal.engagement.surveys import questions, services
from commonweal.places import categories
from commonweal.places.models import Ward

from . import helpers

pytestmark = pytest.mark.django_db


def test_a_survey_asks_the_standard_questions_with_the_council_named_and_the_outcomes_chosen(
    merton: Any, make_user: Any
) -> None:
    from commonweal.framework.models import Element

    outcome = Element.objects.filter(kind=Element.Kind.OUTCOME).first()
    made = services.create_survey(
        title="Residents' survey",
        summary="What you think.",
        department=helpers.department(),
        outcome_ids=[outcome.pk],
        by=make_user("steward"),
    )
    asked = list(made.questions.all())
    assert made.question_set == questions.VERSION
    assert [q.key for q in asked][: len(questions.STANDARD)] == [q.key for q in questions.STANDARD]
    council = next(q for q in asked if q.key == "council")
    assert "{council}" not in council.text and merton.name in council.text
    assert council.positive == [0, 1] and council.excluded == [5]
    assert asked[-1].outcome == outcome and outcome.name in asked[-1].text


def test_an_officer_cannot_start_a_survey_for_another_department(merton: Any, make_user: Any) -> None:
    officer = make_user("officer")
    with pytest.raises(EngagementError) as caught:
        services.create_survey(title="A", summary="B", department=helpers.department(), by=officer)
    assert "department you are an officer of" in str(caught.value)
    with pytest.raises(PermissionDenied):
        services.create_survey(title="A", summary="B", department=helpers.department(), by=make_user("resident"))


def test_a_survey_needs_a_title_and_a_summary(merton: Any, make_user: Any) -> None:
    with pytest.raises(EngagementError) as caught:
        services.create_survey(title=" ", summary="", department=None, by=make_user("steward"))
    assert set(caught.value.message_dict) == {"title", "summary", "department"}


def test_a_wave_is_opened_closed_and_published_in_turn(merton: Any, make_user: Any) -> None:
    steward = make_user("steward")
    made = helpers.survey(steward)
    with pytest.raises(EngagementError) as caught:
        services.add_wave(survey=made, name="", opens_on=None, closes_on=None, sample="nobody", by=steward)
    assert set(caught.value.message_dict) == {"name", "opens_on", "closes_on", "sample"}
    wave = helpers.wave(made, status=Wave.Status.DRAFT)
    with pytest.raises(EngagementError, match="already has a wave called"):
        services.add_wave(
            survey=made, name="spring 2026", opens_on=wave.opens_on, closes_on=wave.closes_on, sample="open", by=steward
        )
    with pytest.raises(EngagementError, match="draft, so it cannot be closed"):
        services.take_step(wave=wave, step="close", by=steward)
    services.take_step(wave=wave, step="open", by=steward)
    services.take_step(wave=wave, step="close", by=steward)
    with pytest.raises(EngagementError, match="no responses"):
        services.take_step(wave=wave, step="publish", by=steward)
    helpers.responses(wave, 3)
    published = services.take_step(wave=wave, step="publish", by=steward)
    assert published.status == Wave.Status.PUBLISHED and published.published_at is not None
    with pytest.raises(PermissionDenied):
        services.take_step(wave=wave, step="publish", by=make_user("officer"))


def test_a_resident_answers_an_open_wave_in_the_profile_categories(
    merton: Any, make_user: Any, abbey_postcode: Any
) -> None:
    wave = helpers.wave(helpers.survey(make_user("steward")))
    about = services.About(
        postcode="sw19 2hl", age="43", sex="Female", ethnicity="Indian", tenure=categories.TENURES[1], disability="no"
    )
    kept = services.submit_response(wave=wave, answers={"council": "1", "trust": ""}, about=about)
    assert kept.answers == {"council": 1}
    assert kept.ward == abbey_postcode.ward and kept.age == 43 and kept.ethnicity == "Indian"


def test_empty_and_crafted_answers_are_refused_beside_their_question(merton: Any, make_user: Any) -> None:
    wave = helpers.wave(helpers.survey(make_user("steward")))
    with pytest.raises(EngagementError) as caught:
        services.submit_response(wave=wave, answers={"council": ""}, about=services.About())
    assert "Answer at least one question" in str(caught.value.message_dict)
    with pytest.raises(EngagementError) as caught:
        services.submit_response(
            wave=wave, answers={"council": "9"}, about=services.About(age="12", sex="Robot", postcode="ZZ1 1ZZ")
        )
    assert set(caught.value.message_dict) == {"council", "age", "sex", "postcode"}
    assert "aged 16 or over" in caught.value.message_dict["age"][0]
    assert not SurveyResponse.objects.exists()


def test_a_closed_wave_takes_no_answers(merton: Any, make_user: Any) -> None:
    wave = helpers.wave(helpers.survey(make_user("steward")), status=Wave.Status.CLOSED)
    with pytest.raises(EngagementError, match="has closed"):
        services.submit_response(wave=wave, answers={"council": "0"}, about=services.About())
    late = helpers.wave(wave.survey, "Autumn 2026", days=-40)  # open, but its closing date has passed
    with pytest.raises(EngagementError, match="has closed"):
        services.submit_response(wave=late, answers={"council": "0"}, about=services.About())


def test_a_signed_in_person_answers_an_open_wave_once(merton: Any, make_user: Any) -> None:
    wave = helpers.wave(helpers.survey(make_user("steward")))
    resident = make_user("resident")
    services.submit_response(wave=wave, answers={"council": "0"}, about=services.About(), by=resident)
    with pytest.raises(EngagementError, match="already answered"):
        services.submit_response(wave=wave, answers={"council": "1"}, about=services.About(), by=resident)


def test_an_invitation_link_answers_once_and_keeps_no_address(
    merton: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    steward = make_user("steward")
    wave = helpers.wave(helpers.survey(steward), sample=Wave.Sample.INVITED)
    with pytest.raises(EngagementError, match="not email addresses: nope"):
        services.invite(wave=wave, addresses="a@example.org\nnope", by=steward)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.invite(wave=wave, addresses="a@example.org, B@example.org\nb@example.org", by=steward)
    assert (done.sent, done.already) == (2, 0)
    again = services.invite(wave=wave, addresses="a@example.org", by=steward)
    assert (again.sent, again.already) == (0, 1)
    assert len(mail.outbox) == 2
    assert not WaveInvitation.objects.filter(email_hash__contains="example").exists()
    token = mail.outbox[0].body.split("/surveys/invited/")[1].split("/")[0]
    with pytest.raises(EngagementError, match="only for the people invited"):
        services.submit_response(wave=wave, answers={"council": "0"}, about=services.About())
    services.submit_response(wave=wave, answers={"council": "0"}, about=services.About(), token=token)
    with pytest.raises(EngagementError, match="already been used"):
        services.submit_response(wave=wave, answers={"council": "0"}, about=services.About(), token=token)
    with pytest.raises(services.LinkUnknown):
        services.submit_response(wave=wave, answers={"council": "0"}, about=services.About(), token="made-up")
    assert SurveyResponse.objects.filter(wave=wave).count() == 1


def test_an_open_wave_has_nobody_to_invite(merton: Any, make_user: Any) -> None:
    steward = make_user("steward")
    wave = helpers.wave(helpers.survey(steward))
    with pytest.raises(EngagementError, match="open to any resident"):
        services.invite(wave=wave, addresses="a@example.org", by=steward)
    assert Ward.objects.exists()


def test_inviting_the_panel_before_it_has_selected_members_says_so(merton: Any, make_user: Any) -> None:
    steward = make_user("steward")
    wave = helpers.wave(helpers.survey(steward), sample=Wave.Sample.INVITED)
    with pytest.raises(EngagementError, match="no selected members"):
        services.invite_panel(wave=wave, by=steward)
    assert not WaveInvitation.objects.exists()
