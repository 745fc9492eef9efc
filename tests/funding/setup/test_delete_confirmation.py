"""'Delete' on a round's questions and criteria asks 'Are you sure?' on a page of its own (no JavaScript needed),
warns when the round is open, and deletes only when the officer confirms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.funding.models import Criterion, Question, Round
from tests.funding.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def open_now(round_: Round) -> Round:
    round_.prospectus_status = Round.Prospectus.PUBLISHED
    round_.opens_at = timezone.now() - timedelta(days=1)
    round_.closes_at = timezone.now() + timedelta(days=20)
    round_.save()
    return round_


def test_deleting_a_question_of_an_open_round_asks_first_and_says_groups_have_started(
    client: Client, officer: User, member: User, ready_round: Round, mfa_exempt: None
) -> None:
    open_now(ready_round)
    ApplicationFactory(round=ready_round, created_by=member)
    question = ready_round.questions.get()
    client.force_login(officer)
    round_page = client.get(f"/funding/manage/rounds/{ready_round.slug}/").content.decode()
    assert f'href="/funding/manage/questions/{question.pk}/delete/"' in round_page

    page = client.get(f"/funding/manage/questions/{question.pk}/delete/").content.decode()
    assert "Are you sure you want to delete this question?" in page
    assert "What will you do?" in page
    assert "This round is open for applications, and 1 application has been started." in page
    assert f'href="/funding/manage/rounds/{ready_round.slug}/#questions">Cancel</a>' in page
    assert Question.objects.filter(pk=question.pk).exists()  # asking deletes nothing

    response = client.post(f"/funding/manage/questions/{question.pk}/delete/", follow=True)
    assert "You deleted the question." in response.content.decode()
    assert not Question.objects.filter(pk=question.pk).exists()


def test_deleting_a_criterion_asks_first_and_a_draft_round_has_no_warning(
    client: Client, officer: User, ready_round: Round, mfa_exempt: None
) -> None:
    criterion = ready_round.criteria.get(name="Need")
    client.force_login(officer)
    page = client.get(f"/funding/manage/criteria/{criterion.pk}/delete/").content.decode()
    assert "Are you sure you want to delete this criterion?" in page and "Need" in page
    assert "open for applications" not in page
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    client.post(f"/funding/manage/criteria/{criterion.pk}/delete/")
    assert not Criterion.objects.filter(pk=criterion.pk).exists()
