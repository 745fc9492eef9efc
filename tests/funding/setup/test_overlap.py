"""The set-up warning for questions that ask the same thing: the measure itself (pure), and the warning on the
officers' round and fund pages."""

from __future__ import annotations

import pytest
from django.test import Client

from commonweal.accounts.models import User
from commonweal.funding.models import EligibilityQuestion, Fund, Round
from commonweal.funding.overlap import overlaps, similarity, words
from tests.funding.factories import QuestionFactory


def test_little_words_and_plural_endings_do_not_count() -> None:
    assert words("Does your group's work benefit the people of Merton?") == {"work", "benefit", "people", "merton"}
    assert words("How many volunteers?") == words("how many volunteer")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Does your group's work benefit people who live, work or study in the borough?",
            "Does your work benefit people in Merton?",
        ),
        ("How many people will take part?", "How many people will take part in the project?"),
        ("Why is it needed?", "Why is it needed, and how do you know?"),
        ("Your budget", "Your budgets"),
    ],
)
def test_questions_that_ask_the_same_thing_overlap(first: str, second: str) -> None:
    assert similarity(first, second) >= 0.6
    assert [(o.first, o.second) for o in overlaps([first, second])] == [(first, second)]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("What will you do with the grant?", "How many people will take part?"),
        ("Is your group run not for profit?", "Does your group have a bank account in its own name?"),
        ("Your budget", "Why is it needed, and how do you know?"),
        ("", "Your budget"),
    ],
)
def test_different_questions_do_not(first: str, second: str) -> None:
    assert similarity(first, second) < 0.6
    assert overlaps([first, second]) == []


@pytest.mark.django_db
def test_the_round_page_warns_when_two_of_its_questions_ask_the_same_thing(
    client: Client, officer: User, ready_round: Round, mfa_exempt: None
) -> None:
    client.force_login(officer)
    url = f"/funding/manage/rounds/{ready_round.slug}/"
    assert "may ask the same thing" not in client.get(url).content.decode()
    QuestionFactory(round=ready_round, label="How many people will take part?", position=5)
    QuestionFactory(round=ready_round, label="How many people will take part in the project?", position=6)
    page = client.get(url).content.decode()
    assert "Some questions may ask the same thing" in page
    assert (
        "“<bdi>How many people will take part?</bdi>” and “<bdi>How many people will take part in the project?</bdi>”"
        in page
    )


@pytest.mark.django_db
def test_the_round_and_fund_pages_warn_when_an_eligibility_question_repeats_the_checkers_own(
    client: Client, officer: User, fund: Fund, ready_round: Round, mfa_exempt: None
) -> None:
    fund.must_serve_area = True
    fund.save()
    EligibilityQuestion.objects.create(
        fund=fund,
        question="Does your group's work benefit people who live, work or study in the borough?",
        required_answer=True,
        reason="Only for the borough.",
    )
    client.force_login(officer)
    for url in (f"/funding/manage/rounds/{ready_round.slug}/", f"/funding/manage/funds/{fund.slug}/"):
        page = client.get(url).content.decode()
        assert "Some questions may ask the same thing" in page, url
        assert "“<bdi>Does your work benefit people in the area?</bdi>”" in page
