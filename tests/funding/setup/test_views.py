"""What people see on the funding pages and the officers' set-up pages, and what they are refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.framework.models import Element
from commonweal.funding.models import Application, Decision, Fund, Pot, ProspectusComment, Round, ThemeBudget
from tests.dates import date_boxes, moment_boxes
from tests.funding.factories import ApplicantFactory, ApplicationFactory, PotFactory, QuestionFactory, RoundFactory

from .conftest import HOSTILE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _officers_skip_two_factor(mfa_exempt: None) -> None:
    """These tests are about funding, not sign-in."""


def signed_in(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return response.content.decode()


# --- the public list of rounds ----------------------------------------------------------------------------


def test_the_funding_page_lists_open_rounds_first_then_upcoming_and_closed(client: Client, fund: Fund) -> None:
    now = timezone.now()
    RoundFactory(fund=fund, name="Open round", closes_at=now + timedelta(days=3))
    RoundFactory(fund=fund, name="Next year", opens_at=now + timedelta(days=60), closes_at=now + timedelta(days=90))
    RoundFactory(fund=fund, name="Last year", opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=60))
    RoundFactory(fund=fund, name="Secret draft", prospectus_status=Round.Prospectus.DRAFT)
    page = text(client.get("/funding/"))
    assert page.index("Open round") < page.index("Next year") < page.index("Last year")
    assert "Secret draft" not in page
    assert "<bdi>Small grants</bdi>: £500 to £2,500 (yearly income under £25,000)" in page
    assert "Set up funds and rounds" not in page


def test_officers_see_a_link_to_set_up_funding(client: Client, officer: User) -> None:
    page = text(signed_in(client, officer).get("/funding/"))
    assert 'href="/funding/manage/"' in page


PUBLIC_LINKS = (
    "/funding/sources/",
    "/funding/needs/",
    "/funding/leverage/",
    "/funding/where-the-money-went/",
    "/funding/open-data/",
)


def test_everyone_finds_the_rest_of_funding_and_an_open_rounds_checker_from_the_funding_page(
    client: Client, fund: Fund
) -> None:
    RoundFactory(fund=fund, name="Open round", slug="open-round", closes_at=timezone.now() + timedelta(days=3))
    page = text(client.get("/funding/"))
    for path in (*PUBLIC_LINKS, "/funding/rounds/open-round/eligibility/"):
        assert f'href="{path}"' in page
    assert 'href="/"' in page[page.index('class="govuk-breadcrumbs"') :]
    for private in ("/funding/applications/", "/funding/assess/", "/funding/manage/"):
        assert f'href="{private}"' not in page


def test_signed_in_people_find_their_own_funding_work_from_the_funding_page(
    client: Client, officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    assessor = make_user("resident", email="assessor@example.org")
    bystander = make_user("resident", email="bystander@example.org")
    ready_round.assessors.add(assessor)
    own = {
        member: "/funding/applications/",
        assessor: "/funding/assess/",
        officer: "/funding/manage/",
    }
    for user in (member, assessor, officer, bystander):
        page = text(signed_in(client, user).get("/funding/"))
        for who, path in own.items():
            assert (f'href="{path}"' in page) is (who == user), (user.email, path)
    assessor_page = text(signed_in(client, assessor).get("/funding/"))
    assert "Applications you are asked to assess" in assessor_page


def test_group_members_find_drafts_open_for_comment(client: Client, member: User, fund: Fund) -> None:
    RoundFactory(fund=fund, name="Draft for comment", prospectus_status=Round.Prospectus.OPEN_FOR_COMMENT)
    assert "Draft for comment" not in text(client.get("/funding/"))
    assert "Draft for comment" in text(signed_in(client, member).get("/funding/"))


# --- a fund's page -----------------------------------------------------------------------------------------


def test_a_fund_page_shows_budgets_and_money_committed_by_theme(
    client: Client, officer: User, member: User, fund: Fund, themes: list[Element]
) -> None:
    first, second = themes[:2]
    ThemeBudget.objects.create(fund=fund, theme=first, amount=Decimal("40000"))
    application = ApplicationFactory(round=RoundFactory(fund=fund), created_by=member)
    application.themes.set([first, second])
    Decision.objects.create(
        application=application, outcome="approved", amount=Decimal("3000"), reasons="Good", decided_by=officer
    )
    page = text(client.get(f"/funding/funds/{fund.slug}/"))
    assert "£40,000" in page and "Not set" in page
    assert page.count("£1,500") == 2
    assert "Council departments and businesses cannot apply." in page


# --- a round's prospectus, by status ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (Round.Prospectus.DRAFT, "officer", 200),
        (Round.Prospectus.DRAFT, "group_member", 403),
        (Round.Prospectus.DRAFT, "resident", 403),
        (Round.Prospectus.OPEN_FOR_COMMENT, "officer", 200),
        (Round.Prospectus.OPEN_FOR_COMMENT, "group_member", 200),
        (Round.Prospectus.OPEN_FOR_COMMENT, "resident", 403),
        (Round.Prospectus.OPEN_FOR_COMMENT, "steward", 403),
        (Round.Prospectus.PUBLISHED, "resident", 200),
        (Round.Prospectus.PUBLISHED, "anonymous", 200),
    ],
)
def test_who_can_read_a_prospectus_depends_on_its_status(
    client: Client, make_user: Callable[..., User], ready_round: Round, status: str, role: str, expected: int
) -> None:
    ready_round.prospectus_status = status
    ready_round.save()
    user = None if role == "anonymous" else make_user(role)
    response = signed_in(client, user).get(f"/funding/rounds/{ready_round.slug}/")
    assert response.status_code == expected
    if expected == 403:
        assert "draft" in text(response)


def test_an_anonymous_visitor_is_asked_to_sign_in_for_a_draft(client: Client, ready_round: Round) -> None:
    response = client.get(f"/funding/rounds/{ready_round.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_published_prospectus_shows_dates_pots_criteria_and_questions(client: Client, ready_round: Round) -> None:
    ready_round.prospectus_status = Round.Prospectus.PUBLISHED
    ready_round.prospectus = "First paragraph.\n\nSecond paragraph."
    ready_round.save()
    QuestionFactory(round=ready_round, label="Your accounts", kind="file", file_types=["pdf"], max_file_mb=5)
    page = text(client.get(f"/funding/rounds/{ready_round.slug}/"))
    assert '<p class="govuk-body">First paragraph.</p><p class="govuk-body">Second paragraph.</p>' in page
    assert "Value for money" in page and page.count("20%") == 5
    assert "What will you do?" in page and "Up to 250 words" in page
    assert "A file: PDF, up to 5 MB" in page
    assert "£500" in page and "£2,500" in page
    assert "Comment on this draft" not in page


def test_hostile_text_in_a_prospectus_is_shown_as_text(client: Client, ready_round: Round) -> None:
    ready_round.prospectus_status = Round.Prospectus.PUBLISHED
    ready_round.name = HOSTILE
    ready_round.prospectus = HOSTILE + "\n" + "long " * 2000
    ready_round.save()
    page = text(client.get(f"/funding/rounds/{ready_round.slug}/"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<bdi>&lt;script&gt;" in page


# --- comments on a draft ------------------------------------------------------------------------------------------


@pytest.fixture
def for_comment(ready_round: Round) -> Round:
    ready_round.prospectus_status = Round.Prospectus.OPEN_FOR_COMMENT
    ready_round.save()
    return ready_round


def test_a_group_member_comments_on_a_draft_and_sees_the_officers_answer(
    client: Client, member: User, officer: User, for_comment: Round
) -> None:
    signed_in(client, member)
    page = text(client.get(f"/funding/rounds/{for_comment.slug}/"))
    assert "Comment on this draft" in page
    response = client.post(f"/funding/rounds/{for_comment.slug}/comments/", {"body": HOSTILE})
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "your comment is saved" in page and "Waiting for an answer" in page
    assert "<script>alert" not in page
    comment = ProspectusComment.objects.get()

    officer_client = Client()
    officer_client.force_login(officer)
    assert "Comments waiting for an answer" in text(officer_client.get("/funding/manage/"))
    response = officer_client.post(f"/funding/manage/comments/{comment.pk}/answer/", {"answer": ""})
    assert "Write your answer to the comment." in text(response)
    response = officer_client.post(f"/funding/manage/comments/{comment.pk}/answer/", {"answer": "Thank you: done."})
    assert response.status_code == 302
    assert "Comments waiting for an answer" not in text(officer_client.get("/funding/manage/"))
    assert "Thank you: done." in text(client.get(f"/funding/rounds/{for_comment.slug}/"))


def test_an_empty_comment_comes_back_with_its_error(client: Client, member: User, for_comment: Round) -> None:
    response = signed_in(client, member).post(f"/funding/rounds/{for_comment.slug}/comments/", {"body": "  "})
    assert response.status_code == 200
    assert "Write your comment on the prospectus." in text(response)
    assert not ProspectusComment.objects.exists()


def test_a_resident_cannot_comment_even_by_a_crafted_post(
    client: Client, make_user: Callable[..., User], ready_round: Round
) -> None:
    ready_round.prospectus_status = Round.Prospectus.PUBLISHED
    ready_round.save()
    response = signed_in(client, make_user("resident")).post(
        f"/funding/rounds/{ready_round.slug}/comments/", {"body": "Hello"}
    )
    assert response.status_code == 403
    assert "Only members of community groups can comment" in text(response)
    assert not ProspectusComment.objects.exists()


def test_comments_on_a_published_prospectus_are_closed(client: Client, member: User, ready_round: Round) -> None:
    ready_round.prospectus_status = Round.Prospectus.PUBLISHED
    ready_round.save()
    response = signed_in(client, member).post(f"/funding/rounds/{ready_round.slug}/comments/", {"body": "Late"})
    assert "This prospectus is not open for comment." in text(response)
    assert not ProspectusComment.objects.exists()


# --- officers' set-up -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["resident", "group_member", "champion", "steward", "admin"])
def test_only_officers_set_up_funding(client: Client, make_user: Callable[..., User], role: str) -> None:
    response = signed_in(client, make_user(role)).get("/funding/manage/funds/new/")
    assert response.status_code == 403
    assert "Only council officers can set up funds and rounds." in text(response)


def test_an_officer_creates_a_fund_and_mistakes_come_back_with_what_they_typed(
    client: Client, officer: User, themes: list[Element]
) -> None:
    signed_in(client, officer)
    data = {
        "name": "Civic Pride Fund",
        "summary": HOSTILE,
        "total_budget": "five million",
        **date_boxes("starts_on", "1/4/2026"),
        **date_boxes("ends_on", "1/4/2025"),
        "themes": [themes[0].pk],
        "must_serve_area": "on",
    }
    response = client.post("/funding/manage/funds/new/", data)
    page = text(response)
    assert "The total budget must be an amount of money, like 1500 or 1,500.50" in page
    assert 'value="Civic Pride Fund"' in page and "&lt;script&gt;" in page
    assert not Fund.objects.exists()
    response = client.post("/funding/manage/funds/new/", {**data, "total_budget": "£5,000,000"})
    assert "The fund must end on or after the day it starts." in text(response)
    response = client.post(
        "/funding/manage/funds/new/", {**data, "total_budget": "£5,000,000", **date_boxes("ends_on", "31/3/2029")}
    )
    assert response.status_code == 302 and response["Location"] == "/funding/manage/funds/civic-pride-fund/"
    fund = Fund.objects.get()
    assert fund.total_budget == Decimal("5000000") and list(fund.themes.all()) == [themes[0]]
    assert "You created the fund Civic Pride Fund." in text(client.get(response["Location"]))


def test_theme_budgets_over_the_total_are_refused_on_the_page(
    client: Client, officer: User, fund: Fund, themes: list[Element]
) -> None:
    response = signed_in(client, officer).post(
        f"/funding/manage/funds/{fund.slug}/budgets/",
        {f"theme_{themes[0].pk}": "90000", f"theme_{themes[1].pk}": "20000"},
    )
    assert "The theme budgets add up to £110,000, more than the fund&#x27;s total budget of £100,000." in text(response)
    assert 'value="90000"' in text(response)


def test_a_pot_with_min_above_max_is_refused_beside_the_field(client: Client, officer: User, fund: Fund) -> None:
    response = signed_in(client, officer).post(
        f"/funding/manage/funds/{fund.slug}/pots/new/", {"name": "Big", "min_amount": "5000", "max_amount": "100"}
    )
    assert 'id="id_min_amount-error"' in text(response)
    assert "must not be more than the largest" in text(response)
    assert Pot.objects.count() == 1


def test_deleting_a_pot_in_use_says_why_not(client: Client, officer: User, member: User, fund: Fund) -> None:
    pot = fund.pots.get()
    ApplicationFactory(round=RoundFactory(fund=fund), pot=pot, created_by=member)
    response = signed_in(client, officer).post(f"/funding/manage/pots/{pot.pk}/delete/", follow=True)
    assert "cannot be deleted: 1 application asks for money from it." in text(response)
    assert Pot.objects.filter(pk=pot.pk).exists()


def test_a_round_that_closes_before_it_opens_is_refused(client: Client, officer: User, fund: Fund) -> None:
    response = signed_in(client, officer).post(
        f"/funding/manage/funds/{fund.slug}/rounds/new/",
        {
            "name": "Round 1",
            **moment_boxes("opens_at", "1/4/2027 09:00"),
            **moment_boxes("closes_at", "1/3/2027 5pm"),
            "score_max": "5",
            "assessors_per_application": "2",
        },
    )
    assert "The round must close after it opens." in text(response)
    assert 'name="closes_at_time" value="5pm"' in text(response)  # nothing typed is lost
    response = client.post(
        f"/funding/manage/funds/{fund.slug}/rounds/new/",
        {"name": "Round 1", **moment_boxes("opens_at", "31/2/2027 9am"), **moment_boxes("closes_at", "1/5/2027 25:00")},
    )
    assert "The date and time it opens must be a real date" in text(response)
    assert "The date and time it closes must be a real time, like 17:00 or 5pm" in text(response)
    assert not Round.objects.exists()


def test_the_round_page_shows_whether_weights_add_up_and_refuses_to_publish_until_they_do(
    client: Client, officer: User, ready_round: Round
) -> None:
    signed_in(client, officer)
    criterion = ready_round.criteria.first()
    assert criterion is not None
    client.post(f"/funding/manage/criteria/{criterion.pk}/", {"name": criterion.name, "weight": "10"})
    page = text(client.get(f"/funding/manage/rounds/{ready_round.slug}/"))
    assert "Must add up to 100" in page and ">90%<" in page
    response = client.post(f"/funding/manage/rounds/{ready_round.slug}/prospectus/publish/")
    assert response.status_code == 200
    assert "The weights of the scoring criteria add up to 90%: they must add up to 100%." in text(response)
    ready_round.refresh_from_db()
    assert ready_round.prospectus_status == Round.Prospectus.DRAFT
    client.post(f"/funding/manage/criteria/{criterion.pk}/", {"name": criterion.name, "weight": "20"})
    response = client.post(f"/funding/manage/rounds/{ready_round.slug}/prospectus/publish/", follow=True)
    assert "The prospectus is published: everyone can read it now." in text(response)
    assert "Adds up to 100" in text(response)


def test_a_file_question_is_added_with_its_types(client: Client, officer: User, ready_round: Round) -> None:
    signed_in(client, officer)
    response = client.post(
        f"/funding/manage/rounds/{ready_round.slug}/questions/new/",
        {"label": "Your accounts", "kind": "file", "file_types": ["pdf"], "max_file_mb": "25"},
    )
    assert "Enter the largest file size in MB: from 1 to 20." in text(response)
    response = client.post(
        f"/funding/manage/rounds/{ready_round.slug}/questions/new/",
        {"label": "Your accounts", "kind": "file", "file_types": ["pdf"], "max_file_mb": "5"},
        follow=True,
    )
    assert "PDF, up to 5 MB" in text(response)


def test_the_dashboard_counts_applications_by_status(
    client: Client, officer: User, member: User, ready_round: Round
) -> None:
    for status in ("draft", "submitted", "submitted"):
        ApplicationFactory(round=ready_round, created_by=member, status=status, organisation=ApplicantFactory())
    page = text(signed_in(client, officer).get("/funding/manage/"))
    assert "Draft: 1" in page and "Submitted: 2" in page
    assert Application.objects.count() == 3


def test_pots_show_on_the_fund_page_in_order(client: Client, fund: Fund) -> None:
    PotFactory(fund=fund, name="Medium grants", max_amount=Decimal("10000"), max_turnover=None, position=1)
    page = text(client.get(f"/funding/funds/{fund.slug}/"))
    assert page.index("Small grants") < page.index("Medium grants")


def test_an_anonymous_comment_is_sent_to_sign_in(client: Client, for_comment: Round) -> None:
    response = client.post(f"/funding/rounds/{for_comment.slug}/comments/", {"body": "Hello"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not ProspectusComment.objects.exists()


def test_hostile_names_are_shown_as_text_on_every_setup_page(
    client: Client, officer: User, member: User, for_comment: Round
) -> None:
    fund = for_comment.fund
    fund.name = fund.summary = HOSTILE
    fund.save()
    pot = fund.pots.get()
    pot.name = HOSTILE
    pot.save()
    ProspectusComment.objects.create(round=for_comment, author=member, body=HOSTILE)
    signed_in(client, officer)
    for path in (
        "/funding/",
        f"/funding/funds/{fund.slug}/",
        f"/funding/rounds/{for_comment.slug}/",
        "/funding/manage/",
        f"/funding/manage/funds/{fund.slug}/",
        f"/funding/manage/rounds/{for_comment.slug}/",
    ):
        page = text(client.get(path))
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;" in page, path


def test_a_name_too_long_is_refused_and_nothing_typed_is_lost(client: Client, officer: User, fund: Fund) -> None:
    long_name = "Fund " * 2000
    response = signed_in(client, officer).post(
        f"/funding/manage/funds/{fund.slug}/",
        {"name": long_name, "summary": "Still here", "total_budget": "100000", "must_serve_area": "on"},
    )
    assert response.status_code == 200
    assert "This is too long: use at most 140 characters." in text(response)
    assert long_name.strip() in text(response) and "Still here" in text(response)
    fund.refresh_from_db()
    assert fund.name == "Civic Pride Fund"


def test_an_officer_changes_a_fund_and_its_web_address(client: Client, officer: User, fund: Fund) -> None:
    response = signed_in(client, officer).post(
        f"/funding/manage/funds/{fund.slug}/",
        {"name": "Civic Pride Fund", "slug": "civic-pride", "summary": "New", "total_budget": "200000"},
    )
    assert response.status_code == 302 and response["Location"] == "/funding/manage/funds/civic-pride/"
    fund.refresh_from_db()
    assert (fund.slug, fund.total_budget, fund.must_serve_area) == ("civic-pride", Decimal("200000"), False)


def test_an_officer_moves_a_question_up_the_form(client: Client, officer: User, ready_round: Round) -> None:
    second = QuestionFactory(round=ready_round, label="Who will benefit?")
    signed_in(client, officer).post(f"/funding/manage/questions/{second.pk}/move/", {"direction": "up"})
    page = text(client.get(f"/funding/manage/rounds/{ready_round.slug}/"))
    assert page.index("Who will benefit?") < page.index("What will you do?")


def test_an_officer_changes_an_eligibility_question(client: Client, officer: User, fund: Fund) -> None:
    question = fund.eligibility_questions.create(question="Are you in Merton?", reason="Only Merton.")
    response = signed_in(client, officer).post(
        f"/funding/manage/eligibility/{question.pk}/",
        {"question": "Are you a political party?", "required_answer": "no", "reason": "We cannot fund parties."},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.question, question.required_answer) == ("Are you a political party?", False)
    page = text(client.get(f"/funding/funds/{fund.slug}/"))
    assert "<bdi>Are you a political party?</bdi> You must be able to answer no." in page


def test_the_round_settings_are_saved(client: Client, officer: User, ready_round: Round) -> None:
    response = signed_in(client, officer).post(
        f"/funding/manage/rounds/{ready_round.slug}/",
        {
            "name": "Round one",
            "slug": "round-one",
            **moment_boxes("opens_at", "1/4/2027 09:00"),
            **moment_boxes("closes_at", "31/5/2027 17:00"),
            **date_boxes("decisions_by", "1/7/2027"),
            "assessors_per_application": "3",
            "score_max": "4",
        },
    )
    assert response.status_code == 302
    ready_round.refresh_from_db()
    assert ready_round.assessors_per_application == 3 and ready_round.one_per_organisation is False
    assert ready_round.decisions_by == date(2027, 7, 1)
    assert timezone.localtime(ready_round.closes_at).strftime("%Y-%m-%d %H:%M") == "2027-05-31 17:00"


def _scored(ready_round: Round, member: User, assessor: User) -> None:
    from commonweal.funding.models import Assignment, Score

    criterion = ready_round.criteria.first()
    assert criterion is not None
    assignment = Assignment.objects.create(
        application=ApplicationFactory(round=ready_round, created_by=member), assessor=assessor
    )
    Score.objects.create(assignment=assignment, criterion=criterion, score=3)


def test_once_scoring_starts_the_round_page_explains_that_criteria_are_fixed_and_offers_no_changes(
    client: Client, officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    signed_in(client, officer)
    criterion = ready_round.criteria.first()
    assert criterion is not None
    url = f"/funding/manage/rounds/{ready_round.slug}/"
    before = text(client.get(url))
    assert f"/funding/manage/criteria/{criterion.pk}/" in before and "Add a criterion" in before
    assert "Assessors have started scoring this round" not in before

    _scored(ready_round, member, make_user("resident"))
    page = text(client.get(url))
    assert "Assessors have started scoring this round, so its scoring criteria, their weights" in page
    assert f"/funding/manage/criteria/{criterion.pk}/" not in page  # no Change, no Delete
    assert "Add a criterion" not in page
    assert 'name="score_max"' in page and "Fixed: assessors have started scoring this round." in page


def test_once_scoring_starts_criteria_pages_and_posts_are_refused_with_the_reason(
    client: Client, officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    signed_in(client, officer)
    criterion = ready_round.criteria.first()
    assert criterion is not None
    weight = criterion.weight
    _scored(ready_round, member, make_user("resident"))
    for response in (
        client.post(f"/funding/manage/criteria/{criterion.pk}/", {"name": criterion.name, "weight": "1"}, follow=True),
        client.post(f"/funding/manage/criteria/{criterion.pk}/delete/", follow=True),
        client.post(
            f"/funding/manage/rounds/{ready_round.slug}/criteria/new/", {"name": "X", "weight": "5"}, follow=True
        ),
        client.get(f"/funding/manage/criteria/{criterion.pk}/", follow=True),
    ):
        assert response.status_code == 200
        assert "Assessors have started scoring this round" in text(response)
    criterion.refresh_from_db()
    assert criterion.weight == weight
    assert ready_round.criteria.count() == 5


def test_once_scoring_starts_round_settings_save_but_the_highest_score_stays(
    client: Client, officer: User, member: User, make_user: Callable[..., User], ready_round: Round
) -> None:
    _scored(ready_round, member, make_user("resident"))
    highest = ready_round.score_max
    response = signed_in(client, officer).post(
        f"/funding/manage/rounds/{ready_round.slug}/",
        {
            "name": "Round one",
            "slug": ready_round.slug,
            **moment_boxes("opens_at", "1/4/2027 09:00"),
            **moment_boxes("closes_at", "31/5/2027 17:00"),
            "assessors_per_application": "3",
            "score_max": str(highest + 3),
        },
    )
    assert response.status_code == 302
    ready_round.refresh_from_db()
    assert ready_round.name == "Round one" and ready_round.score_max == highest


def queries_for(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_funding_and_dashboard_pages_take_as_many_queries_for_many_rounds_as_for_few(
    client: Client, officer: User, member: User, fund: Fund
) -> None:
    def add_rounds(n: int) -> None:
        for _ in range(n):
            round_ = RoundFactory(fund=fund)
            PotFactory(fund=round_.fund)
            ApplicationFactory(round=round_, created_by=member, organisation=ApplicantFactory())

    signed_in(client, officer)
    client.get("/funding/")  # the council that heads every page is read once, then kept
    add_rounds(2)
    few = (queries_for(client, "/funding/"), queries_for(client, "/funding/manage/"))
    add_rounds(8)
    many = (queries_for(client, "/funding/"), queries_for(client, "/funding/manage/"))
    assert many == few


def test_a_crafted_file_type_is_refused(client: Client, officer: User, ready_round: Round) -> None:
    response = signed_in(client, officer).post(
        f"/funding/manage/rounds/{ready_round.slug}/questions/new/",
        {"label": "Your accounts", "kind": "file", "file_types": ["exe"], "max_file_mb": "5"},
    )
    assert response.status_code == 200
    assert "Choose file types from the list: PDF, DOCX, XLSX, ODT, JPG or PNG." in text(response)
    assert ready_round.questions.count() == 1


def test_an_empty_fund_form_says_what_is_missing(client: Client, officer: User) -> None:
    page = text(signed_in(client, officer).post("/funding/manage/funds/new/", {}))
    assert "Enter the name of the fund, for example &#x27;Civic Pride Fund&#x27;." in page
    assert "Write a summary of the fund in one or two sentences." in page
    assert "Enter the fund&#x27;s total budget in pounds, for example 500000." in page
    assert 'href="#id_name"' in page


def test_an_officers_round_page_leads_to_its_applications_assessors_and_moderation(
    client: Client, officer: User, ready_round: Round
) -> None:
    page = text(signed_in(client, officer).get(f"/funding/manage/rounds/{ready_round.slug}/"))
    base = f"/funding/manage/rounds/{ready_round.slug}/"
    for path in (f"{base}applications/", f"{base}assessors/", f"{base}moderation/"):
        assert f'href="{path}"' in page
    trail = page[page.index('class="govuk-breadcrumbs"') :]
    assert trail.index('href="/"') < trail.index('href="/funding/"') < trail.index('href="/funding/manage/"')
