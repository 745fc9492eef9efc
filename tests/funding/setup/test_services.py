"""The rules of setting up funds and rounds, as the services enforce them for every caller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.framework.models import Element
from commonweal.funding.errors import FundingError
from commonweal.funding.models import (
    Assignment,
    Decision,
    Fund,
    Pot,
    ProspectusComment,
    Question,
    Round,
    Score,
    ThemeBudget,
)
from commonweal.funding.setup import services
from commonweal.funding.setup.queries import committed_by_theme
from tests.funding.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CriterionFactory,
    QuestionFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo[FundingError]) -> dict[str, list[str]]:
    return error.value.message_dict


def fund_values(**extra: object) -> dict[str, object]:
    return {"name": "Civic Pride Fund", "summary": "Grants for groups.", "total_budget": Decimal("5000000"), **extra}


# --- funds -----------------------------------------------------------------------------------------------


def test_an_officer_creates_a_fund_whose_web_address_comes_from_its_name(officer: User, themes: list[Element]) -> None:
    fund = services.create_fund(values=fund_values(themes=[t.pk for t in themes[:2]]), by=officer)
    again = services.create_fund(values=fund_values(), by=officer)
    assert fund.slug == "civic-pride-fund" and again.slug == "civic-pride-fund-2"
    assert set(fund.themes.all()) == set(themes[:2])
    assert fund.created_by == officer


def test_a_web_address_already_taken_is_refused(officer: User, fund: Fund) -> None:
    with pytest.raises(FundingError) as error:
        services.create_fund(values=fund_values(slug="civic-pride-fund"), by=officer)
    assert messages_of(error)["slug"] == ["The web address 'civic-pride-fund' is already used. Choose another."]


def test_a_fund_needs_a_name_and_must_end_after_it_starts(officer: User) -> None:
    today = timezone.localdate()
    with pytest.raises(FundingError) as error:
        services.create_fund(
            values=fund_values(name="", starts_on=today, ends_on=today - timedelta(days=1)), by=officer
        )
    assert messages_of(error)["ends_on"] == ["The fund must end on or after the day it starts."]
    assert "name" in messages_of(error)
    assert not Fund.objects.exists()


def test_only_officers_create_funds(make_user: Callable[..., User]) -> None:
    for role in ("resident", "group_member", "steward", "admin"):
        with pytest.raises(PermissionDenied):
            services.create_fund(values=fund_values(), by=make_user(role))
    assert not Fund.objects.exists()


def test_theme_budgets_may_not_add_up_to_more_than_the_total(officer: User, fund: Fund, themes: list[Element]) -> None:
    first, second = themes[:2]
    with pytest.raises(FundingError) as error:
        services.set_theme_budgets(
            fund=fund, amounts={first.pk: Decimal("60000"), second.pk: Decimal("50000")}, by=officer
        )
    assert messages_of(error)["__all__"] == [
        "The theme budgets add up to £110,000, more than the fund's total budget of £100,000."
    ]
    assert not ThemeBudget.objects.exists()
    services.set_theme_budgets(fund=fund, amounts={first.pk: Decimal("60000"), second.pk: Decimal("40000")}, by=officer)
    assert ThemeBudget.objects.get(theme=first).amount == Decimal("60000")
    services.set_theme_budgets(fund=fund, amounts={first.pk: None, second.pk: Decimal("40000")}, by=officer)
    assert list(ThemeBudget.objects.values_list("theme", flat=True)) == [second.pk]


def test_a_budget_for_a_theme_the_fund_does_not_have_is_refused(
    officer: User, fund: Fund, themes: list[Element]
) -> None:
    with pytest.raises(FundingError, match="only be set for the fund's own themes"):
        services.set_theme_budgets(fund=fund, amounts={themes[-1].pk: Decimal("10")}, by=officer)


def test_the_total_budget_cannot_drop_below_the_theme_budgets(officer: User, fund: Fund, themes: list[Element]) -> None:
    services.set_theme_budgets(fund=fund, amounts={themes[0].pk: Decimal("80000")}, by=officer)
    with pytest.raises(FundingError) as error:
        services.update_fund(fund=fund, values={"total_budget": Decimal("50000")}, by=officer)
    assert "add up to £80,000, more than a total budget of £50,000" in messages_of(error)["total_budget"][0]
    fund.refresh_from_db()
    assert fund.total_budget == Decimal("100000")


def test_taking_a_theme_away_takes_its_budget_away(officer: User, fund: Fund, themes: list[Element]) -> None:
    services.set_theme_budgets(fund=fund, amounts={themes[0].pk: Decimal("1000")}, by=officer)
    services.update_fund(fund=fund, values={"themes": [themes[1].pk]}, by=officer)
    assert list(fund.themes.all()) == [themes[1]]
    assert not ThemeBudget.objects.exists()


# --- pots and eligibility -----------------------------------------------------------------------------------


def test_a_pot_whose_smallest_grant_is_more_than_its_largest_is_refused(officer: User, fund: Fund) -> None:
    with pytest.raises(FundingError) as error:
        services.add_pot(
            fund=fund, values={"name": "Big", "min_amount": Decimal("5000"), "max_amount": Decimal("2500")}, by=officer
        )
    assert messages_of(error)["min_amount"] == [
        "The smallest grant (£5,000) must not be more than the largest (£2,500)."
    ]


def test_a_pot_needs_its_largest_grant(officer: User, fund: Fund) -> None:
    with pytest.raises(FundingError) as error:
        services.add_pot(fund=fund, values={"name": "Small"}, by=officer)
    assert messages_of(error)["max_amount"] == ["Enter the largest grant from this pot in pounds, for example 2500."]


def test_pots_are_added_in_order(officer: User, fund: Fund) -> None:
    pot = services.add_pot(
        fund=fund,
        values={"name": "Medium grants", "max_amount": Decimal("10000"), "max_turnover": Decimal("50000")},
        by=officer,
    )
    assert pot.min_amount == Decimal("0")
    assert [p.name for p in fund.pots.all()] == ["Small grants", "Medium grants"]


def test_a_pot_an_application_asks_from_cannot_be_deleted(officer: User, member: User, fund: Fund) -> None:
    pot = fund.pots.get()
    ApplicationFactory(round=RoundFactory(fund=fund), pot=pot, created_by=member)
    with pytest.raises(FundingError) as error:
        services.delete_pot(pot=pot, by=officer)
    assert error.value.messages == ["The pot Small grants cannot be deleted: 1 application asks for money from it."]
    spare = services.add_pot(fund=fund, values={"name": "Spare", "max_amount": Decimal("10")}, by=officer)
    services.delete_pot(pot=spare, by=officer)
    assert list(Pot.objects.all()) == [pot]


def test_an_eligibility_question_needs_its_reason(officer: User, fund: Fund) -> None:
    with pytest.raises(FundingError) as error:
        services.add_eligibility_question(
            fund=fund, values={"question": "Are you based in Merton?", "required_answer": True}, by=officer
        )
    assert messages_of(error)["reason"] == ["Say in a sentence why a group that answers otherwise is not eligible."]
    question = services.add_eligibility_question(
        fund=fund,
        values={"question": "Are you a political party?", "required_answer": False, "reason": "We cannot fund them."},
        by=officer,
    )
    assert question.required_answer is False


# --- rounds --------------------------------------------------------------------------------------------------


def test_a_round_must_close_after_it_opens(officer: User, fund: Fund) -> None:
    opens = timezone.now() + timedelta(days=10)
    with pytest.raises(FundingError) as error:
        services.create_round(
            fund=fund,
            values={"name": "Round 1", "opens_at": opens, "closes_at": opens - timedelta(hours=1)},
            by=officer,
        )
    assert messages_of(error)["closes_at"] == ["The round must close after it opens."]
    assert not Round.objects.exists()


def test_a_new_round_starts_with_a_draft_prospectus(officer: User, fund: Fund) -> None:
    opens = timezone.now() + timedelta(days=10)
    round_ = services.create_round(
        fund=fund,
        values={
            "name": "Round 1: 2026 to 2027",
            "opens_at": opens,
            "closes_at": opens + timedelta(days=42),
            "assessors_per_application": 3,
            "score_max": 5,
            "one_per_organisation": True,
        },
        by=officer,
    )
    assert round_.slug == "round-1-2026-to-2027"
    assert round_.prospectus_status == Round.Prospectus.DRAFT
    assert round_.assessors_per_application == 3


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"score_max": 0}, "score_max", "Enter the highest score for a criterion: from 1 to 10."),
        ({"assessors_per_application": 11}, "assessors_per_application", "Enter how many assessors score"),
        ({"opens_at": None}, "opens_at", "Enter the date and time the round opens for applications."),
    ],
)
def test_round_settings_out_of_range_are_refused(
    officer: User, ready_round: Round, values: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(FundingError) as error:
        services.update_round(round=ready_round, values=values, by=officer)
    assert messages_of(error)[field][0].startswith(message)


# --- the application form --------------------------------------------------------------------------------------


def test_a_file_question_names_its_types_and_a_size_of_at_most_20_mb(officer: User, ready_round: Round) -> None:
    with pytest.raises(FundingError) as error:
        services.add_question(
            round=ready_round,
            values={"label": "Accounts", "kind": "file", "file_types": [], "max_file_mb": 50},
            by=officer,
        )
    assert messages_of(error)["file_types"] == ["Choose at least one type of file that may be uploaded."]
    assert messages_of(error)["max_file_mb"] == ["Enter the largest file size in MB: from 1 to 20."]
    with pytest.raises(FundingError, match="Choose file types from the list"):
        services.add_question(
            round=ready_round, values={"label": "Accounts", "kind": "file", "file_types": ["exe"]}, by=officer
        )
    question = services.add_question(
        round=ready_round,
        values={"label": "Accounts", "kind": "file", "file_types": ["png", "pdf"], "max_file_mb": 5, "word_limit": 9},
        by=officer,
    )
    assert question.file_types == ["pdf", "png"] and question.word_limit is None
    assert list(ready_round.questions.values_list("label", flat=True))[-1] == "Accounts"


def test_questions_move_up_and_down_the_form(officer: User, ready_round: Round) -> None:
    second = services.add_question(round=ready_round, values={"label": "Second", "kind": "short"}, by=officer)
    assert services.move_question(question=second, direction="up", by=officer) is True
    assert [q.label for q in ready_round.questions.all()] == ["Second", "What will you do?"]
    assert services.move_question(question=second, direction="up", by=officer) is False
    with pytest.raises(FundingError, match="is not a direction"):
        services.move_question(question=second, direction="sideways", by=officer)


def test_a_question_an_application_answered_cannot_be_deleted(officer: User, member: User, ready_round: Round) -> None:
    question = ready_round.questions.get()
    ApplicationFactory(round=ready_round, created_by=member, answers={str(question.pk): "We will meet weekly."})
    with pytest.raises(FundingError) as error:
        services.delete_question(question=question, by=officer)
    assert error.value.messages == [
        "The question 'What will you do?' cannot be deleted: 1 application has answered it."
    ]
    unanswered = QuestionFactory(round=ready_round, label="Unused")
    services.delete_question(question=unanswered, by=officer)
    assert not Question.objects.filter(pk=unanswered.pk).exists()


def test_a_criterion_weight_is_from_1_to_100(officer: User, ready_round: Round) -> None:
    with pytest.raises(FundingError) as error:
        services.add_criterion(round=ready_round, values={"name": "Reach", "weight": 0}, by=officer)
    assert messages_of(error)["weight"] == ["Enter the weight as a whole number from 1 to 100 (per cent)."]


def _score_once(ready_round: Round, member: User, assessor: User) -> None:
    criterion = ready_round.criteria.first()
    assert criterion is not None
    application = ApplicationFactory(round=ready_round, created_by=member)
    assignment = Assignment.objects.create(application=application, assessor=assessor)
    Score.objects.create(assignment=assignment, criterion=criterion, score=4)


LOCKED = "Assessors have started scoring this round"


def test_once_any_score_exists_no_criterion_can_be_added_changed_or_deleted(
    officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    # Issue 10: weights changed after scoring would change the scores already given.
    unscored = ready_round.criteria.last()
    assert unscored is not None
    weight = unscored.weight
    _score_once(ready_round, member, make_user("resident"))
    with pytest.raises(FundingError, match=LOCKED):
        services.update_criterion(criterion=unscored, values={"name": unscored.name, "weight": 1}, by=officer)
    with pytest.raises(FundingError, match=LOCKED):
        services.delete_criterion(criterion=unscored, by=officer)
    with pytest.raises(FundingError, match=LOCKED):
        services.add_criterion(round=ready_round, values={"name": "Reach", "weight": 10}, by=officer)
    unscored.refresh_from_db()
    assert unscored.weight == weight
    assert ready_round.criteria.count() == 5


def test_once_any_score_exists_the_highest_score_cannot_change_but_other_settings_can(
    officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    _score_once(ready_round, member, make_user("resident"))
    values = {
        "name": ready_round.name,
        "opens_at": ready_round.opens_at,
        "closes_at": ready_round.closes_at + timedelta(days=1),
        "assessors_per_application": ready_round.assessors_per_application,
        "score_max": ready_round.score_max + 1,
    }
    with pytest.raises(FundingError) as error:
        services.update_round(round=ready_round, values=values, by=officer)
    assert LOCKED in messages_of(error)["score_max"][0]
    saved = services.update_round(round=ready_round, values={**values, "score_max": ready_round.score_max}, by=officer)
    assert saved.closes_at == ready_round.closes_at + timedelta(days=1)


def test_before_any_score_criteria_and_the_highest_score_can_still_change(officer: User, ready_round: Round) -> None:
    criterion = ready_round.criteria.last()
    assert criterion is not None
    services.update_criterion(criterion=criterion, values={"name": criterion.name, "weight": 1}, by=officer)
    services.delete_criterion(criterion=criterion, by=officer)
    services.add_criterion(round=ready_round, values={"name": "Reach", "weight": 10}, by=officer)
    assert ready_round.criteria.count() == 5


# --- the prospectus ----------------------------------------------------------------------------------------------


def test_publishing_is_refused_with_every_reason(officer: User, themes: list[Element]) -> None:
    fund = Fund.objects.create(name="No pots", slug="no-pots", summary="x")
    round_ = RoundFactory(fund=fund, prospectus_status=Round.Prospectus.DRAFT)
    CriterionFactory(round=round_, weight=80)
    with pytest.raises(FundingError) as error:
        services.publish_prospectus(round=round_, by=officer)
    assert error.value.messages == [
        "Add at least one question to the application form.",
        "The weights of the scoring criteria add up to 80%: they must add up to 100%.",
        "Add at least one pot to the fund No pots, so groups know how much to ask for.",
    ]
    round_.refresh_from_db()
    assert round_.prospectus_status == Round.Prospectus.DRAFT and round_.prospectus_published_at is None


def test_a_prospectus_goes_from_draft_to_comment_to_published_once(officer: User, ready_round: Round) -> None:
    services.open_prospectus_for_comment(round=ready_round, by=officer)
    ready_round.refresh_from_db()
    assert ready_round.prospectus_status == Round.Prospectus.OPEN_FOR_COMMENT
    with pytest.raises(FundingError, match="already open for comment"):
        services.open_prospectus_for_comment(round=ready_round, by=officer)
    services.publish_prospectus(round=ready_round, by=officer)
    ready_round.refresh_from_db()
    assert ready_round.prospectus_status == Round.Prospectus.PUBLISHED
    assert ready_round.prospectus_published_at is not None
    with pytest.raises(FundingError, match="already been published"):
        services.publish_prospectus(round=ready_round, by=officer)
    with pytest.raises(FundingError, match="already published"):
        services.open_prospectus_for_comment(round=ready_round, by=officer)


def test_only_officers_publish(member: User, ready_round: Round) -> None:
    with pytest.raises(PermissionDenied):
        services.publish_prospectus(round=ready_round, by=member)


def test_comments_must_close_before_the_deadline(officer: User, ready_round: Round) -> None:
    with pytest.raises(FundingError) as error:
        services.update_prospectus(
            round=ready_round,
            prospectus="Text",
            methodology="",
            comments_close_at=ready_round.closes_at + timedelta(days=1),
            by=officer,
        )
    assert messages_of(error)["comments_close_at"] == ["Comments must close before the round's deadline."]


# --- comments ----------------------------------------------------------------------------------------------------


def test_a_group_member_comments_and_an_officer_answers(officer: User, member: User, ready_round: Round) -> None:
    services.open_prospectus_for_comment(round=ready_round, by=officer)
    comment = services.comment_on_prospectus(round=ready_round, body="  Please allow £300 grants.  ", by=member)
    assert comment.body == "Please allow £300 grants."
    assert comment.organisation is not None and comment.organisation.name == "group_member organisation 2"
    answered = services.answer_prospectus_comment(comment=comment, answer="We have lowered the minimum.", by=officer)
    assert answered.answered_by == officer and answered.answered_at is not None
    assert ProspectusComment.objects.get().answer == "We have lowered the minimum."


def test_an_empty_answer_is_refused(officer: User, member: User, ready_round: Round) -> None:
    ready_round.prospectus_status = Round.Prospectus.OPEN_FOR_COMMENT
    ready_round.save()
    comment = services.comment_on_prospectus(round=ready_round, body="A comment", by=member)
    with pytest.raises(FundingError) as error:
        services.answer_prospectus_comment(comment=comment, answer="   ", by=officer)
    assert messages_of(error)["answer"] == ["Write your answer to the comment."]
    with pytest.raises(PermissionDenied):
        services.answer_prospectus_comment(comment=comment, answer="Yes", by=member)


def test_comments_only_from_group_members_while_open(
    officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    with pytest.raises(FundingError, match="not open for comment"):
        services.comment_on_prospectus(round=ready_round, body="Too early", by=member)
    ready_round.prospectus_status = Round.Prospectus.OPEN_FOR_COMMENT
    ready_round.comments_close_at = timezone.now() - timedelta(minutes=1)
    ready_round.save()
    with pytest.raises(FundingError, match="Comments on this prospectus have closed."):
        services.comment_on_prospectus(round=ready_round, body="Too late", by=member)
    with pytest.raises(PermissionDenied):
        services.comment_on_prospectus(round=ready_round, body="Not a group", by=make_user("resident"))
    with pytest.raises(PermissionDenied):
        services.comment_on_prospectus(round=ready_round, body="Officers answer", by=officer)
    assert not ProspectusComment.objects.exists()


def test_an_empty_or_huge_comment_is_refused(member: User, ready_round: Round) -> None:
    ready_round.prospectus_status = Round.Prospectus.OPEN_FOR_COMMENT
    ready_round.save()
    with pytest.raises(FundingError) as error:
        services.comment_on_prospectus(round=ready_round, body="", by=member)
    assert messages_of(error)["body"] == ["Write your comment on the prospectus."]
    with pytest.raises(FundingError) as error:
        services.comment_on_prospectus(round=ready_round, body="x" * 10000, by=member)
    assert messages_of(error)["body"] == ["This is too long: use at most 5,000 characters."]


# --- money committed by theme -------------------------------------------------------------------------------------


def test_committed_money_is_split_equally_between_an_applications_themes(
    officer: User, member: User, fund: Fund, themes: list[Element]
) -> None:
    first, second = themes[:2]
    round_ = RoundFactory(fund=fund)
    both = ApplicationFactory(round=round_, created_by=member, organisation=ApplicantFactory())
    both.themes.set([first, second])
    Decision.objects.create(
        application=both, outcome="approved", amount=Decimal("1000.01"), reasons="Good", decided_by=officer
    )
    one = ApplicationFactory(round=round_, created_by=member, organisation=ApplicantFactory())
    one.themes.set([first])
    Decision.objects.create(
        application=one, outcome="approved", amount=Decimal("500"), reasons="Good", decided_by=officer
    )
    refused = ApplicationFactory(round=round_, created_by=member, organisation=ApplicantFactory())
    refused.themes.set([second])
    Decision.objects.create(application=refused, outcome="rejected", reasons="No", decided_by=officer)
    committed = committed_by_theme(fund)
    assert committed == {first.pk: Decimal("1000.01"), second.pk: Decimal("500.00")}


def test_one_themes_budget_counts_the_others_towards_the_total(
    officer: User, fund: Fund, themes: list[Element]
) -> None:
    first, second = themes[:2]
    services.set_theme_budgets(fund=fund, amounts={first.pk: Decimal("70000")}, by=officer)
    with pytest.raises(FundingError, match="add up to £110,000"):
        services.set_theme_budgets(fund=fund, amounts={second.pk: Decimal("40000")}, by=officer)
    services.set_theme_budgets(fund=fund, amounts={second.pk: Decimal("30000")}, by=officer)
    assert services.set_theme_budgets(fund=fund, amounts={first.pk: None}, by=officer) == []
    assert list(ThemeBudget.objects.values_list("amount", flat=True)) == [Decimal("30000")]


def test_a_change_that_does_not_mention_the_web_address_keeps_it(officer: User, ready_round: Round) -> None:
    fund = services.update_fund(fund=ready_round.fund, values={"name": "Renamed fund"}, by=officer)
    round_ = services.update_round(round=ready_round, values={"name": "Renamed round"}, by=officer)
    assert (fund.slug, round_.slug) == ("civic-pride-fund", "round-one")
    round_ = services.update_round(round=ready_round, values={"slug": ""}, by=officer)
    assert round_.slug == "renamed-round"
