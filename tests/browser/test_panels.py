"""The citizens' panel in a real browser: a resident joins on a phone; an officer sees the pool against the
borough, starts a selection, is told which quotas conflict, fixes them, runs the selection, reads its results,
publishes the lottery and draws the panel; anyone checks the draw on its public page; the resident sees whether
they were selected, then leaves the panel. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.panels.models import Selection, Volunteer
from tests.conftest import watch_for_problems as watch
from tests.panels import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


def _join_on_a_phone(browser: Browser, live_server: Any, postcode: str, check: Callable[[Any], None]) -> Page:
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{live_server.url}/panel/")
    expect(phone.get_by_role("heading", name="Join the citizens' panel")).to_be_visible()
    check(phone)
    phone.get_by_label("Full name").fill("Robin Okafor")
    phone.get_by_label("Email address").fill("robin@example.com")
    phone.get_by_label("First line of your address").fill("12 Quiet Lane")
    phone.get_by_label("Postcode").fill(postcode)
    phone.get_by_label("Year of birth").fill(str(timezone.localdate().year - 35))
    phone.get_by_role("group", name="Sex").get_by_label("Female").check()
    phone.get_by_label("Ethnic group").select_option("African")
    phone.get_by_label("Social rented").check()
    phone.get_by_label("Not disabled under the Equality Act").check()
    phone.get_by_role("button", name="Join the panel").click()
    # Without consent nobody joins: the reason is given, and nothing typed is lost.
    expect(phone.get_by_role("link", name=re.compile("Tick the box to agree"))).to_be_visible()
    expect(phone.get_by_label("Full name")).to_have_value("Robin Okafor")
    check(phone)
    phone.get_by_label("I agree to how my details are kept and used").check()
    phone.get_by_role("button", name="Join the panel").click()
    expect(phone.get_by_role("heading", name="You have joined the citizens' panel pool")).to_be_visible()
    check(phone)
    return phone


def test_an_officer_selects_a_panel_and_a_volunteer_learns_whether_they_were_chosen(
    browser: Browser,
    page: Page,
    live_server: Any,
    merton_for_one_test: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    factories.pool(size=40, n_wards=2)
    postcode = factories.postcodes(factories.wards(2))[0].postcode
    problems = watch(page)

    phone = _join_on_a_phone(browser, live_server, postcode, assert_accessible)
    volunteer = Volunteer.objects.get(email="robin@example.com")
    link = next(m for m in mail.outbox if m.to == ["robin@example.com"]).body
    status_url = re.search(r"http\S+/panel/status/\S+/", link)
    assert status_url is not None
    phone.goto(f"{live_server.url}/panel/status/{volunteer.status_token}/")
    expect(phone.get_by_test_id("volunteer-status")).to_contain_text("You are in the pool.")
    assert_accessible(phone)

    # The officer sees the pool against the borough and starts a selection of 8.
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}/panel/manage/pool/")
    expect(page.get_by_test_id("pool-total")).to_have_text("41 volunteers in the pool.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/panel/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a selection").click()
    page.get_by_label("Name of the selection").fill("Town centre jury")
    page.get_by_label("How many people the panel needs").fill("80")
    page.get_by_role("button", name="Continue to the quotas").click()
    expect(page.get_by_role("link", name="The pool has 41 volunteers: a panel of 80 needs more.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("How many people the panel needs").fill("8")
    page.get_by_role("button", name="Continue to the quotas").click()
    expect(page.get_by_role("heading", name="Quotas")).to_be_visible()
    assert_accessible(page)

    # Quotas that cannot be met are explained before anything runs.
    page.get_by_label("Fewest: Sex, Female").fill("8")
    page.get_by_label("Most: Sex, Female").fill("8")
    page.get_by_label("Fewest: Sex, Male").fill("3")
    page.get_by_role("button", name="Save and check the quotas").click()
    expect(page.get_by_test_id("conflicts")).to_contain_text(
        "Sex: the fewest people add up to 11, more than the panel's 8. Lower some of them."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Start again from the proposal").click()
    page.get_by_role("button", name="Save and check the quotas").click()
    expect(page.get_by_test_id("check-ok")).to_be_visible()
    assert_accessible(page)

    # It runs (in the background: at once in tests), and its results are shown with their certificate.
    page.get_by_role("link", name="Back to the selection").click()
    page.get_by_test_id("run-link").click()
    assert_accessible(page)
    page.get_by_label("Leximin (fairest: raises the lowest chances first)").check()
    page.get_by_role("button", name="Run the selection").click()
    expect(page.get_by_test_id("selection-status")).to_have_text("Distribution ready")
    expect(page.get_by_test_id("min-probability")).to_have_text(re.compile(r"\d+\.\d\d%"))
    expect(page.get_by_test_id("histogram")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Each volunteer's chance").click()
    expect(page.get_by_test_id("members")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    # The lottery is published before the number is known; the number draws the panel.
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("done")).to_contain_text("The lottery is published")
    selection = Selection.objects.get()
    page.get_by_test_id("draw-link").click()
    expect(page.get_by_text(selection.lottery_digest)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The published random number").fill("four")
    page.get_by_role("button", name="Draw the panel").click()
    expect(page.get_by_role("link", name="Enter the random number as digits only, like 4821.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The published random number").fill("2718281")
    page.get_by_role("button", name="Draw the panel").click()
    expect(page.get_by_test_id("done")).to_have_text("The panel is drawn and its members have been emailed.")
    expect(page.get_by_test_id("drawn-panel")).to_be_visible()
    assert_accessible(page)

    # Anyone checks the draw: the digest, the number, the rule and the panel it picked.
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/panel/selections/")
    public.get_by_role("link", name="Town centre jury").click()
    expect(public.get_by_test_id("digest")).to_have_text(selection.lottery_digest)
    expect(public.get_by_test_id("random-number")).to_have_text("2718281")
    expect(public.get_by_test_id("drawn-index")).to_have_text(str(2718281 % 1000))
    assert_accessible(public)

    # The volunteer sees whether they were chosen, and their chance.
    selection.refresh_from_db()
    chosen = selection.members.get(volunteer=volunteer).selected
    phone.goto(f"{live_server.url}/panel/status/{volunteer.status_token}/")
    expect(phone.get_by_test_id("outcomes")).to_contain_text(
        ("Selected" if chosen else "Not selected") + " in “Town centre jury”"
    )
    expect(phone.get_by_test_id("outcomes")).to_contain_text("Your chance of selection was")
    assert_accessible(phone)

    # The volunteer leaves the panel: asked first, then erased, and the draw keeps only their number.
    phone.get_by_role("link", name="Leave the citizens' panel and erase your details now").click()
    expect(phone.get_by_role("heading", name="Leave the citizens' panel")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Leave and erase my details").click()
    expect(phone.get_by_role("heading", name="You have left the citizens' panel")).to_be_visible()
    assert_accessible(phone)
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert list(selection.members.filter(volunteer__isnull=True).values_list("selected", flat=True)) == [chosen]
    assert not problems, problems


def test_a_bad_pool_file_is_answered_line_by_line(
    page: Page,
    live_server: Any,
    merton_for_one_test: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    tmp_path: Any,
) -> None:
    postcode = factories.postcodes(factories.wards(1))[0].postcode
    file = tmp_path / "pool.csv"
    file.write_text(
        "name,email,address_line,postcode,birth_year,sex,tenure,disability\n"
        f"A,a@example.com,1 Road,{postcode},1970,Male,Social rented,Prefer not to say\n"
    )
    sign_in(page, make_user("steward"))
    page.goto(f"{live_server.url}/panel/manage/pool/import/")
    assert_accessible(page)
    page.get_by_label("CSV file of volunteers").set_input_files(str(file))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("link", name=re.compile("The file has no column for 'ethnicity'"))).to_be_visible()
    assert_accessible(page)
    assert not Volunteer.objects.exists()
