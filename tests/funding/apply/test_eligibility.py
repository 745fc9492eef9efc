"""The eligibility checker: a group finds out whether it can apply, from which pot, and if not, why not."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.funding.apply.eligibility import Answers, check_eligibility
from commonweal.funding.models import Fund, Round
from tests.funding.apply.conftest import eligible_answers

pytestmark = pytest.mark.django_db


def url(round: Round) -> str:
    return f"/funding/rounds/{round.slug}/eligibility/"


def form_answers(fund: Fund, **changes: str) -> dict[str, str]:
    data = {f"question_{q.pk}": "yes" for q in fund.eligibility_questions.all()}
    data.update({"kind": "informal_group", "income": "12000", "works_in_area": "yes"})
    data.update(changes)
    return data


def test_an_eligible_small_group_gets_the_smallest_pot_its_income_fits(fund: Fund) -> None:
    result = check_eligibility(fund, eligible_answers(fund, income="12000"))
    assert result.eligible and result.reasons == []
    assert result.pot is not None and result.pot.name == "Small grants"
    bigger = check_eligibility(fund, eligible_answers(fund, income="30000"))
    assert bigger.pot is not None and bigger.pot.name == "Medium grants"


def test_income_at_a_pots_limit_is_not_under_it(fund: Fund) -> None:
    result = check_eligibility(fund, eligible_answers(fund, income="25000"))
    assert result.pot is not None and result.pot.name == "Medium grants"


def test_every_failed_rule_gives_its_own_reason(fund: Fund) -> None:
    answers = Answers(
        questions={q.pk: False for q in fund.eligibility_questions.all()},
        kind="business",
        income=Decimal("80000"),
        works_in_area=False,
    )
    result = check_eligibility(fund, answers, area_name="Merton")
    assert not result.eligible
    assert result.reasons == [
        "The fund is only for groups that do not make a profit for their owners.",
        "The fund is for registered charities, charitable incorporated organisations (CIOs), community interest "
        "companies (CICs), companies, faith groups, informal groups and public bodies; businesses cannot apply.",
        "The fund is only for work that benefits people in Merton.",
        "Your yearly income of £80,000 is too high: the fund is for organisations with a yearly income under £50,000.",
    ]


def test_a_fund_naming_its_kinds_refuses_the_others(fund: Fund) -> None:
    fund.eligible_kinds = ["registered_charity", "cio"]
    fund.save()
    result = check_eligibility(fund, eligible_answers(fund))
    assert result.reasons == [
        "The fund is for registered charities and charitable incorporated organisations (CIOs); "
        "informal groups cannot apply."
    ]


def test_a_pot_without_an_income_limit_takes_anyone(fund: Fund) -> None:
    fund.pots.filter(name="Medium grants").update(max_turnover=None)
    result = check_eligibility(fund, eligible_answers(fund, income="9000000"))
    assert result.eligible and result.pot is not None and result.pot.name == "Medium grants"


def test_the_checker_asks_the_funds_questions_and_prefills_a_members_kind(
    client: Client, round: Round, member: User
) -> None:
    group = member.memberships.get().organisation
    group.kind = Organisation.Kind.CIO
    group.save()
    client.force_login(member)
    page = client.get(url(round)).content.decode()
    assert "Is your group run on a not-for-profit basis?" in page
    assert "Does your work benefit people in Merton?" in page
    assert '<option value="cio" selected>' in page


def test_someone_not_eligible_sees_each_reason_and_can_change_their_answers(client: Client, round: Round) -> None:
    data = form_answers(round.fund, income="60000", works_in_area="no")
    page = client.post(url(round), data).content.decode()
    assert "You cannot apply to this fund" in page
    assert "The fund is only for work that benefits people in Merton." in page
    assert "Your yearly income of £60,000 is too high" in page
    again = client.post(url(round), {**data, "check": "change"}).content.decode()
    assert 'value="60000"' in again
    assert 'value="no" checked' in again
    assert "Check if you can apply" in again


def test_an_eligible_member_sees_the_pot_and_a_start_button(client: Client, round: Round, member: User) -> None:
    client.force_login(member)
    page = client.post(url(round), form_answers(round.fund)).content.decode()
    assert "You can apply" in page
    assert "From Small grants, for up to £2,500" in page
    assert "Start your application" in page
    assert f'action="/funding/rounds/{round.slug}/apply/"' in page


def test_an_eligible_visitor_without_a_group_is_told_how_to_get_one(client: Client, round: Round) -> None:
    page = client.post(url(round), form_answers(round.fund)).content.decode()
    assert "You can apply" in page
    assert "Start your application" not in page
    assert "Sign in or create an account" in page
    assert 'href="/directory/"' in page


def test_missing_answers_are_asked_for_beside_each_question(client: Client, round: Round) -> None:
    page = client.post(url(round), {"income": "lots"}).content.decode()
    assert "There is a problem" in page
    assert "Answer yes or no: Is your group run on a not-for-profit basis?" in page
    assert "Choose what kind of organisation you are." in page
    assert "Enter your yearly income as a number of pounds, like 18000." in page


def test_a_round_not_yet_open_says_when_it_opens(client: Client, round: Round, member: User) -> None:
    round.opens_at = timezone.now() + timedelta(days=3)
    round.save()
    page = client.get(url(round)).content.decode()
    assert "This round is not open yet. It opens at" in page
    client.force_login(member)
    result = client.post(url(round), form_answers(round.fund)).content.decode()
    assert "Start your application" not in result


def test_a_closed_round_says_when_it_closed(client: Client, round: Round) -> None:
    round.closes_at = timezone.now() - timedelta(days=1)
    round.opens_at = timezone.now() - timedelta(days=30)
    round.save()
    page = client.get(url(round)).content.decode()
    assert "This round closed at" in page


def test_a_draft_rounds_checker_is_not_public(client: Client, round: Round) -> None:
    round.prospectus_status = Round.Prospectus.DRAFT
    round.save()
    assert client.get(url(round)).status_code == 404


def test_hostile_question_text_is_shown_as_text(client: Client, round: Round, **_: Any) -> None:
    question = round.fund.eligibility_questions.get()
    question.question = "<script>alert('x')</script>\u202e?"
    question.reason = "<b>no</b>"
    question.save()
    page = client.get(url(round)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    result = client.post(url(round), form_answers(round.fund, **{f"question_{question.pk}": "no"})).content.decode()
    assert "<b>no</b>" not in result and "&lt;b&gt;no&lt;/b&gt;" in result


def test_a_fund_open_to_groups_anywhere_does_not_ask_about_the_area(client: Client, round: Round) -> None:
    round.fund.must_serve_area = False
    round.fund.save()
    page = client.get(url(round)).content.decode()
    assert "Does your work benefit people in" not in page
    data = form_answers(round.fund)
    del data["works_in_area"]
    assert "You can apply" in client.post(url(round), data).content.decode()


def test_a_group_that_already_applied_is_told_so_by_the_checker_with_a_link_to_its_application(
    client: Client, round: Round, member: User, draft: Any
) -> None:
    client.force_login(member)
    before = client.get(url(round)).content.decode()
    assert "<bdi>Abbey Litter Pickers</bdi> has already applied to this round" in before
    assert f"/funding/applications/{draft.uuid}/" in before

    page = client.post(url(round), form_answers(round.fund)).content.decode()
    assert "Your group has already applied to this round" in page
    assert "You can apply" not in page
    assert "Start your application" not in page
    assert f"Continue application {draft.reference}" in page


def test_a_withdrawn_application_does_not_stop_the_checker_saying_you_can_apply(
    client: Client, round: Round, member: User, draft: Any
) -> None:
    draft.status = "withdrawn"
    draft.save()
    client.force_login(member)
    page = client.post(url(round), form_answers(round.fund)).content.decode()
    assert "You can apply" in page and "Start your application" in page
    assert "already applied" not in page
