"""A participatory budget from proposals to its published result, in a real browser: an officer starts it and
opens proposals, a group member proposes a project for their group, the officer checks it and opens voting, a
resident on a phone asks for a ballot (refused first from outside the area), votes through the emailed link,
the officer counts, and the public reads the result. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.engagement.models import Ballot, Budget
from commonweal.places.models import Ward
from tests.conftest import watch_for_problems as watch
from tests.engagement.budgets.factories import postcode_in
from tests.engagement.factories import department

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_participatory_budget_runs_from_proposals_to_published_result(
    browser: Browser,
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    abbey = Ward.objects.get(name="Abbey")
    postcode_in(abbey, "SW19 2HL")
    postcode_in(Ward.objects.get(name="Cannon Hill"), "SM4 5DX")
    officer = make_user("officer", organisation=department("Communities (test)"), email="officer@example.org")
    member = make_user("group_member", email="member@example.org")
    group = member.memberships.get().organisation
    problems = watch(page)

    # The officer starts the budget and opens it for proposals.
    sign_in(page, officer)
    page.goto(f"{live_server.url}/engagement/budgets/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a budget").click()
    page.get_by_label("Name of the budget").fill("Abbey Community Chest")
    page.get_by_label("What it is for").fill("Small projects that make Abbey greener.")
    page.get_by_label("The pot (£)").fill("10,000")
    page.get_by_label("Department running it").select_option(label="Communities (test)")
    page.get_by_role("group", name="Wards").get_by_label("Abbey").check()
    page.get_by_role("group", name="How people vote").get_by_label(
        "Approval: choose up to a number of projects"
    ).check()
    page.get_by_label("Approval: the most projects a voter may choose").fill("2")
    page.get_by_label("Smallest project cost (£)").fill("500")
    page.get_by_label("Largest project cost (£)").fill("20000")
    page.get_by_role("button", name="Save").click()
    # Bad input is named beside its field, and nothing typed is lost.
    expect(page.get_by_role("link", name="The largest cost cannot be more than the pot, £10,000.")).to_be_visible()
    expect(page.get_by_label("Name of the budget")).to_have_value("Abbey Community Chest")
    assert_accessible(page)
    page.get_by_label("Largest project cost (£)").fill("6000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("budget-stage")).to_have_text("Draft")
    assert_accessible(page)
    page.get_by_role("button", name="Open for proposals").click()
    expect(page.get_by_test_id("done")).to_have_text("Proposals are open.")
    budget = Budget.objects.get()

    # A group member proposes a project for their group.
    member_context = browser.new_context()
    member_page = member_context.new_page()
    sign_in(member_page, member)
    member_page.goto(f"{live_server.url}/engagement/budgets/{budget.slug}/")
    assert_accessible(member_page)
    member_page.get_by_role("link", name="Propose a project").click()
    member_page.get_by_label("Name of the project").fill("Benches on the green")
    member_page.get_by_label("What it does").fill("Four benches by the pond.")
    member_page.get_by_label("Who benefits").fill("Older people who walk there.")
    member_page.get_by_label("Ward it is in").select_option(label="Abbey")
    member_page.get_by_label("What it costs (£)").fill("9000")
    member_page.get_by_label("Group that would deliver it (optional)").select_option(label=group.name)
    member_page.get_by_role("button", name="Send proposal").click()
    expect(
        member_page.get_by_role("link", name="The cost must be between £500 and £6,000 for this budget.")
    ).to_be_visible()
    assert_accessible(member_page)
    member_page.get_by_label("What it costs (£)").fill("3000")
    member_page.get_by_role("button", name="Send proposal").click()
    expect(member_page.get_by_test_id("your-proposal")).to_contain_text("Benches on the green")
    expect(member_page.get_by_test_id("your-proposal")).to_contain_text("Not checked yet")
    assert_accessible(member_page)
    member_context.close()

    # The officer closes proposals, checks the project and opens voting.
    page.goto(f"{live_server.url}/engagement/budgets/manage/{budget.slug}/")
    page.get_by_role("button", name="Close proposals and check feasibility").click()
    page.get_by_role("link", name="Check feasibility of Benches on the green").click()
    assert_accessible(page)
    page.get_by_role("group", name="Is the project feasible?").get_by_label("Feasible", exact=True).check()
    page.get_by_role("button", name="Save the check").click()
    page.get_by_role("button", name="Open voting").click()
    expect(page.get_by_test_id("budget-stage")).to_have_text("Voting")
    assert_accessible(page)

    # A resident on a phone asks for a ballot: first from outside the area, then from inside it.
    phone = browser.new_context(viewport=PHONE)
    resident = phone.new_page()
    resident.goto(f"{live_server.url}/engagement/budgets/{budget.slug}/")
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    resident.get_by_role("link", name="Vote").click()
    resident.get_by_label("Email address").fill("ada@example.org")
    resident.get_by_label("Your postcode").fill("SM4 5DX")
    resident.get_by_role("button", name="Email me my ballot").click()
    expect(resident.get_by_role("link", name=re.compile("SM4 5DX is in Cannon Hill, which is outside"))).to_be_visible()
    assert_accessible(resident)
    resident.get_by_label("Your postcode").fill("sw19 2hl")
    mail.outbox.clear()
    resident.get_by_role("button", name="Email me my ballot").click()
    expect(resident.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(resident)
    link = re.search(r"/engagement/budgets/ballot/[^/\s]+/", str(mail.outbox[-1].body))
    assert link is not None
    resident.goto(f"{live_server.url}{link.group(0)}")
    expect(resident.get_by_role("heading", name="Your ballot")).to_be_visible()
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    resident.get_by_role("button", name="Cast my vote").click()
    expect(resident.get_by_role("link", name="Choose at least one project.")).to_be_visible()
    assert_accessible(resident)
    resident.get_by_label("Benches on the green").check()
    resident.get_by_role("button", name="Cast my vote").click()
    expect(resident.get_by_role("heading", name="Your vote is in")).to_be_visible()
    assert_accessible(resident)
    # The link again: counted once.
    resident.go_back()
    resident.reload()
    expect(resident.get_by_test_id("ballot-problem")).to_have_text(
        "This link has already been used to vote. Your vote was counted once."
    )
    assert Ballot.objects.count() == 1
    phone.close()

    # The officer counts; anyone reads the result.
    page.goto(f"{live_server.url}/engagement/budgets/manage/{budget.slug}/")
    expect(page.get_by_test_id("ballots")).to_have_text("1 ballot cast.")
    page.get_by_role("button", name="Close voting and count").click()
    expect(page.get_by_test_id("done")).to_have_text("The votes are counted and the result is published.")
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/engagement/budgets/{budget.slug}/")
    public.get_by_test_id("result-link").click()
    expect(public.get_by_test_id("ballots-counted")).to_have_text("1")
    expect(public.get_by_test_id("money-left")).to_have_text("£7,000")
    row = public.get_by_test_id("result-row")
    expect(row).to_contain_text("Benches on the green")
    expect(row.get_by_test_id("funded")).to_have_text("Funded")
    expect(public.get_by_test_id("count-rule")).to_contain_text("the cheaper comes first")
    expect(public.locator("svg[role=img]")).to_be_visible()
    assert_accessible(public)
    assert problems == []
