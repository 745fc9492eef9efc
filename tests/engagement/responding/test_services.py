"""Responding's services called directly: the rules every web form, command and API shares."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from commonweal.engagement import tallies
from commonweal.engagement.errors import EngagementError
from commonweal.engagement.models import Consultation, Monitoring, Question, Response
from commonweal.engagement.models_responding import ResponseConfirmation
from commonweal.engagement.responding import services
from commonweal.engagement.responding.services import AboutYou, Given
from tests.engagement import factories
from tests.engagement.responding.conftest import INSIDE, OUTSIDE

pytestmark = pytest.mark.django_db


def question(consult: Consultation, position: int) -> Question:
    return consult.questions.get(position=position)


def counted(monkeypatch: Any) -> list[int]:
    """The responses count_response is called with, in order (the analysis area's kept counts)."""
    calls: list[int] = []
    original = tallies.count_response

    def spy(response: Response) -> None:
        calls.append(response.pk)
        original(response)

    monkeypatch.setattr(tallies, "count_response", spy)
    return calls


def test_a_signed_in_response_is_counted_once_even_if_sent_twice(
    consult: Consultation, make_user: Any, monkeypatch: Any
) -> None:
    calls = counted(monkeypatch)
    resident = make_user("resident")
    draft = services.start_draft(consultation=consult, by=resident)
    services.save_answer(response=draft, question=question(consult, 1), given=Given(choices=[0]))
    first = services.submit_response(response=draft, by=resident)
    again = services.submit_response(response=draft, by=resident)
    assert not first.needs_confirming and again.response.status == Response.Status.SUBMITTED
    assert calls == [draft.pk]


def test_a_required_answer_is_needed_before_sending(consult: Consultation, make_user: Any) -> None:
    resident = make_user("resident")
    draft = services.start_draft(consultation=consult, by=resident)
    with pytest.raises(EngagementError, match="Answer the question “Do you support the plan\\?”"):
        services.submit_response(response=draft, by=resident)


def test_an_anonymous_response_counts_only_when_confirmed(consult: Consultation, monkeypatch: Any) -> None:
    calls = counted(monkeypatch)
    draft = services.start_draft(consultation=consult, by=None)
    services.save_answer(response=draft, question=question(consult, 1), given=Given(choices=[1]))
    services.save_about_you(response=draft, about=AboutYou(email="kim@example.org"), by=None)
    sent = services.submit_response(response=draft, by=None)
    assert sent.needs_confirming and calls == []
    token = "known-token-for-test"
    ResponseConfirmation.objects.filter(response=draft).update(token=services.hash_token(token))
    services.confirm_response(token=token)
    services.confirm_response(token=token)
    assert calls == [draft.pk]


def test_one_counted_response_per_address_unless_many_are_allowed(consult: Consultation) -> None:
    factories.response(consult, email="kim@example.org")
    draft = Response.objects.create(consultation=consult, email="Kim@Example.org")
    services.save_answer(response=draft, question=question(consult, 1), given=Given(choices=[1]))
    with pytest.raises(EngagementError, match="You have already responded to this consultation on"):
        services.submit_response(response=draft, by=None)
    Consultation.objects.filter(pk=consult.pk).update(allows_many_responses=True)
    draft.refresh_from_db()
    assert services.submit_response(response=draft, by=None).needs_confirming


def test_a_ranking_keeps_the_options_in_the_order_given(consult: Consultation) -> None:
    ranking = question(consult, 5)  # Trees, Crossing, Seating
    kept = services.check_given(ranking, Given(choices=[3, 1, 2]))
    assert kept.choices == [1, 2, 0]  # Crossing 1st, Seating 2nd, Trees 3rd
    with pytest.raises(EngagementError) as refused:
        services.check_given(ranking, Given(choices=[1, 1, 2]))
    assert refused.value.message_dict == {
        "rank_1": ["Crossing and Trees are both 1st. Give each option a different place."]
    }


def test_a_choice_outside_the_list_and_a_scale_outside_its_points_are_refused(consult: Consultation) -> None:
    with pytest.raises(EngagementError, match="Choose from the list."):
        services.check_given(question(consult, 2), Given(choices=[9]))
    with pytest.raises(EngagementError, match="Choose one answer."):
        services.check_given(question(consult, 1), Given(choices=[0, 1]))
    with pytest.raises(EngagementError, match="Choose a point from 1 to 5."):
        services.check_given(question(consult, 3), Given(scale=6))


def test_a_pin_must_be_inside_the_borough(consult: Consultation) -> None:
    pin = question(consult, 6)
    with pytest.raises(EngagementError, match="That point is outside Merton. Choose a place inside the borough."):
        services.check_given(pin, Given(latitude=OUTSIDE[0], longitude=OUTSIDE[1]))
    kept = services.check_given(pin, Given(latitude=INSIDE[0], longitude=INSIDE[1]))
    assert (kept.latitude, kept.longitude) == INSIDE


def test_a_group_member_may_respond_for_their_group_only(consult: Consultation, make_user: Any) -> None:
    member = make_user("group_member")
    group = member.memberships.get().organisation
    draft = services.start_draft(consultation=consult, by=member)
    kept = services.save_about_you(response=draft, about=AboutYou(organisation_id=group.pk), by=member)
    assert kept.organisation == group
    outsider = make_user("group_member")
    theirs = services.start_draft(consultation=consult, by=outsider)
    with pytest.raises(EngagementError, match="You can only respond on behalf of a group you are a member of."):
        services.save_about_you(response=theirs, about=AboutYou(organisation_id=group.pk), by=outsider)


def test_monitoring_keeps_the_broad_ethnic_group_and_refuses_made_up_answers(consult: Consultation) -> None:
    draft = services.start_draft(consultation=consult, by=None)
    services.save_monitoring(response=draft, answers={"ethnicity": "asian_bangladeshi", "sex": "prefer_not"})
    kept = Monitoring.objects.get(response=draft)
    assert kept.ethnic_group == "asian" and kept.sex == "prefer_not"
    with pytest.raises(EngagementError, match="Choose from the list."):
        services.save_monitoring(response=draft, answers={"religion": "jedi"})
    services.save_monitoring(response=draft, answers={})
    assert not Monitoring.objects.filter(response=draft).exists()


def test_a_resume_link_lasts_30_days_or_until_closing(consult: Consultation) -> None:
    now = timezone.now()
    draft = services.start_draft(consultation=consult, by=None)
    services.send_resume_link(response=draft, email="sam@example.org", now=now)
    draft.refresh_from_db()
    assert draft.resume_expires_at is not None
    assert draft.resume_expires_at <= now + datetime.timedelta(days=30)
    Consultation.objects.filter(pk=consult.pk).update(closes_on=timezone.localdate() + datetime.timedelta(days=2))
    draft.refresh_from_db()
    services.send_resume_link(response=draft, email="sam@example.org", now=now)
    draft.refresh_from_db()
    assert draft.resume_expires_at is not None
    assert timezone.localtime(draft.resume_expires_at).date() == timezone.localdate() + datetime.timedelta(days=3)


def test_a_sent_response_cannot_be_changed(consult: Consultation, make_user: Any) -> None:
    resident = make_user("resident")
    sent = factories.response(consult, user=resident)
    with pytest.raises(EngagementError, match="This response has been sent, so it cannot be changed."):
        services.save_answer(response=sent, question=question(consult, 2), given=Given(choices=[0]))
