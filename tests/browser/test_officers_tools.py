"""Officers' tools in a real browser: choosing an application's assessors by hand (refused before the round
closes until the officer says why), the decide page's warning about missing scores, and what each score means
beside the assessor's radios, set in round set-up. Every page passes axe, the refusals included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.funding.models import Application, Assignment, Criterion, Score
from tests.funding.factories import ApplicantFactory, ApplicationFactory, CriterionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(make_user: Callable[..., User], email: str, name: str) -> User:
    person = make_user("resident", email=email)
    User.objects.filter(pk=person.pk).update(full_name=name)
    person.refresh_from_db()
    return person


@pytest.fixture
def open_round(make_user: Callable[..., User]) -> dict[str, Any]:
    """A round open for three more days, two criteria, one submitted application and a pool of three, one of
    whom is a member of the group that applied."""
    round = RoundFactory(
        name="Spring round",
        slug="spring-round",
        assessors_per_application=2,
        closes_at=timezone.now() + timedelta(days=3),
    )
    need = CriterionFactory(round=round, name="Need for the project", weight=60, position=1)
    value = CriterionFactory(round=round, name="Value for money", weight=40, position=2)
    group = ApplicantFactory(name="Abbey Lunch Club", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group)
    application = ApplicationFactory(
        round=round,
        organisation=group,
        created_by=member,
        title="Lunches for older neighbours",
        amount_requested=Decimal("2000"),
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    fatima = _person(make_user, "fatima@example.org", "Fatima Ahmed")
    tom = _person(make_user, "tom@example.org", "Tom Okafor")
    insider = _person(make_user, "insider@example.org", "Iris Insider")
    grant_membership(user=insider, role=Role.GROUP_MEMBER, organisation=group)
    round.assessors.add(fatima, tom, insider)
    return {"round": round, "need": need, "value": value, "application": application, "fatima": fatima, "tom": tom}


def test_the_officer_picks_assessors_by_hand_early_only_with_a_reason_and_is_warned_of_missing_scores(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    open_round: dict[str, Any],
) -> None:
    application = open_round["application"]
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}/funding/manage/applications/{application.uuid}/assessors/")
    expect(page.get_by_test_id("none-assigned")).to_be_visible()
    expect(page.get_by_test_id("refused")).to_contain_text("Iris Insider: A member of Abbey Lunch Club")
    expect(page.get_by_test_id("round-open")).to_be_visible()
    assert_accessible(page)

    # Picked, but the round is still open and the officer has not said to assign early: refused, nothing made.
    page.get_by_label("Fatima Ahmed").check()
    page.get_by_label("Tom Okafor").check()
    page.get_by_role("button", name="Assign them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The round is open until")
    assert not Assignment.objects.exists()
    assert_accessible(page)

    # Ticked, with no reason: asked for one.
    page.get_by_role("checkbox", name="Assign before the round closes").check()
    page.get_by_role("button", name="Assign them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you are assigning before the round closes.")
    assert not Assignment.objects.exists()

    # With the reason: both are assigned, the reason kept with each and shown.
    page.get_by_label("Why assign before the round closes?").fill("The panel meets the morning after it closes.")
    page.get_by_role("button", name="Assign them").click()
    expect(page.get_by_text("now assessing this application")).to_be_visible()
    expect(page.get_by_test_id("assigned")).to_contain_text("Fatima Ahmed")
    expect(page.get_by_test_id("assigned")).to_contain_text("The panel meets the morning after it closes.")
    assert_accessible(page)
    made = Assignment.objects.filter(application=application)
    assert made.count() == 2 and all(a.chosen_by_hand for a in made)
    assert {a.early_reason for a in made} == {"The panel meets the morning after it closes."}

    # Fatima has a draft for one criterion; Tom has not declared. The decide page names who and what is missing.
    fatima = made.get(assessor=open_round["fatima"])
    Assignment.objects.filter(pk=fatima.pk).update(status=Assignment.Status.CLEAR)
    Score.objects.create(assignment=fatima, criterion=open_round["need"], score=4)
    page.goto(f"{live_server.url}/funding/manage/applications/{application.uuid}/decide/")
    expect(page.get_by_test_id("missing-scores")).to_contain_text("Scores are missing")
    missing = page.get_by_test_id("missing-list")
    expect(missing).to_contain_text("Fatima Ahmed: has not submitted scores; not scored yet: Value for money")
    expect(missing).to_contain_text("Tom Okafor: has not yet declared")
    assert_accessible(page)


def test_the_automatic_assignment_of_an_open_round_needs_the_officer_to_say_why(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    open_round: dict[str, Any],
) -> None:
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}/funding/manage/rounds/spring-round/assessors/")
    page.get_by_role("button", name="Assign applications").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The round is open until")
    assert_accessible(page)
    page.get_by_role("checkbox", name="Assign before the round closes").check()
    page.get_by_label("Why assign before the round closes?").fill("Every group that said it would apply has.")
    page.get_by_role("button", name="Assign applications").click()
    expect(page.get_by_text("2 new assignments made.")).to_be_visible()
    assert_accessible(page)


def test_each_score_says_what_it_means_as_set_in_round_set_up(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    open_round: dict[str, Any],
) -> None:
    need: Criterion = open_round["need"]
    # The officer writes what 0 to 5 mean for the need; a line short is refused beside the field.
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}/funding/manage/criteria/{need.pk}/")
    box = page.get_by_label("What each score means")
    expect(box).to_contain_text("0: No evidence")  # the usual words, offered to start from
    box.fill("\n".join(f"{n}: Need level {n}" for n in range(5)))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("that is 6 lines, and there are 5")
    assert_accessible(page)
    page.get_by_label("What each score means").fill("\n".join(f"{n}: Need level {n}" for n in range(6)))
    page.get_by_role("button", name="Save").click()
    need.refresh_from_db()
    assert need.descriptors == [f"Need level {n}" for n in range(6)]

    # The assessor sees each score's meaning as the radio's hint: the criterion's own, or the usual ones.
    assignment = Assignment.objects.create(
        application=open_round["application"], assessor=open_round["fatima"], status=Assignment.Status.CLEAR
    )
    Application.objects.filter(pk=open_round["application"].pk).update(status=Application.Status.IN_ASSESSMENT)
    assessor = browser.new_page()
    sign_in(assessor, open_round["fatima"])
    assessor.goto(f"{live_server.url}/funding/assess/{assignment.pk}/")
    need_radios = assessor.get_by_role("group", name="Score for Need for the project")
    expect(need_radios.get_by_role("radio", name="5")).to_have_accessible_description("Need level 5")
    value_radios = assessor.get_by_role("group", name="Score for Value for money")
    expect(value_radios.get_by_role("radio", name="0")).to_have_accessible_description(
        "No evidence: the application does not address this."
    )
    assert_accessible(assessor)


def test_the_officer_searches_the_round_and_downloads_the_csv_and_the_panel_pack(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    open_round: dict[str, Any],
) -> None:
    import csv
    import io

    from pypdf import PdfReader

    round = open_round["round"]
    other = ApplicationFactory(
        round=round,
        organisation=ApplicantFactory(name="Colliers Wood Gardeners"),
        created_by=make_user("resident"),
        title="Raised beds for the estate",
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    assignment = Assignment.objects.create(
        application=other, assessor=open_round["tom"], status=Assignment.Status.SCORED
    )
    for criterion in (open_round["need"], open_round["value"]):
        Score.objects.create(assignment=assignment, criterion=criterion, score=4, comment="Well costed beds.")
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/applications/")
    assert_accessible(page)
    page.get_by_label("Name or reference").fill("gardeners")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_test_id("applications")
    expect(table).to_contain_text("Raised beds for the estate")
    expect(table).not_to_contain_text("Lunches for older neighbours")
    assert_accessible(page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Applications as a spreadsheet (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(csv_download.value.path(), encoding="utf-8").read())))
    assert [row["Project"] for row in rows] == ["Raised beds for the estate"]
    assert rows[0]["Mean weighted score (0 to 100)"] == "80.0"

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Panel pack with scores and comments (PDF)").click()
    with open(pdf_download.value.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Raised beds for the estate" in text and "Colliers Wood Gardeners" in text
    assert "Well costed beds." in text
    assert "Lunches for older neighbours" not in text


def test_while_the_panel_pack_is_built_the_page_says_so_and_can_be_told_to_stop_refreshing(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    open_round: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from commonweal.funding import tasks

    # The worker has not got to it yet: nothing is built.
    monkeypatch.setattr(tasks, "build_panel_pack", SimpleNamespace(enqueue=lambda *a: SimpleNamespace(id="")))
    sign_in(page, make_user("officer"))
    response = page.goto(f"{live_server.url}/funding/manage/rounds/spring-round/panel-pack.pdf?words=lunch")
    assert response is not None and response.status == 202 and response.headers.get("refresh") == "15"
    expect(page.get_by_role("heading", level=1)).to_have_text("The panel pack is being prepared")
    expect(page.get_by_test_id("refreshing")).to_contain_text("checks again every 15 seconds")
    assert_accessible(page)
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="stop this page refreshing itself").click()
    assert "refresh" not in navigation.value.headers
    assert "words=lunch" in page.url
    expect(page.get_by_test_id("not-refreshing")).to_be_visible()
    assert_accessible(page)


def test_a_failed_panel_pack_says_so_and_offers_to_try_again(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    open_round: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonweal.core import jobs
    from commonweal.funding.assess import pack

    failed = jobs.JobState(jobs.FAILED, "The job stopped with an unexpected error (OSError).")
    monkeypatch.setattr(pack, "request_panel_pack", lambda **kwargs: failed)
    retried: list[Any] = []
    monkeypatch.setattr(pack, "retry_panel_pack", lambda **kwargs: retried.append(kwargs["search"]))
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}/funding/manage/rounds/spring-round/panel-pack.pdf?words=lunch")
    expect(page.get_by_test_id("pack-failed")).to_have_text("We could not prepare the panel pack")
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    page.wait_for_load_state()
    assert [search.words for search in retried] == ["lunch"]
