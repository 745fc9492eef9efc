"""An asset transfer passes its sign-offs, in a real browser: a group expresses an interest in a council building
from its page in the directory; the champion asks for the business case, which the group attaches, and sends it
for sign-off; officers of estates, legal and finance sign it off, each in their own department; the champion
records the decision and the lease. Every page passes axe, and the case page is read on a 390px phone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.solutions.models import AssetTransfer, SignOff
from tests.solutions.transfers.factories import PDF, People, council_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_person(browser: Browser, sign_in: Callable[..., None], user: User) -> Page:
    page = browser.new_page()
    sign_in(page, user)
    return page


def test_an_asset_transfer_passes_its_sign_offs(
    page: Page,
    browser: Browser,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    people = People(make_user)
    hall = council_space("Pollards Hill Pavilion")
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(PDF)

    # The group finds the pavilion in the directory and expresses an interest in taking it on.
    sign_in(page, people.member)
    page.goto(f"{live_server.url}/directory/assets/{hall.uuid}/")
    page.get_by_role("link", name="Express an interest in taking this on").click()
    expect(page.get_by_role("heading", name="Express an interest in a council building or space")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send your expression of interest").click()
    expect(page.get_by_role("link", name="Enter what your group would use it for")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What would your group use it for?").fill("A community cafe and a youth club.")
    page.get_by_label("How would the community benefit?").fill("A warm place for families on the estate.")
    page.get_by_label("Attach a document (optional)").set_input_files(str(plan))
    page.get_by_label("What the document is (optional)").fill("Our plan")
    page.get_by_role("button", name="Send your expression of interest").click()
    expect(page.get_by_test_id("stage")).to_contain_text("Expression of interest")
    expect(page.get_by_test_id("champion")).to_contain_text(str(people.champion))
    expect(page.get_by_test_id("documents")).to_contain_text("Our plan")
    assert_accessible(page)
    case_url = page.url

    # The champion asks for the business case.
    champion = as_person(browser, sign_in, people.champion)
    champion.goto(case_url)
    champion.get_by_role("link", name="Ask the group for its business case").click()
    assert_accessible(champion)
    champion.get_by_label("Note (optional)").fill("Please use the council's template.")
    champion.get_by_role("button", name="Ask for the business case").click()
    expect(champion.get_by_test_id("stage")).to_contain_text("Business case")

    # The group attaches it.
    page.goto(case_url)
    page.get_by_role("link", name="Attach a document").click()
    assert_accessible(page)
    page.get_by_label("Choose a file").set_input_files(str(plan))
    page.get_by_label("What the document is").fill("Business case")
    page.get_by_role("button", name="Attach the document").click()
    expect(page.get_by_test_id("documents").last).to_contain_text("Business case")

    # The champion sends it for sign-off: the departments are chosen already, by their names.
    champion.goto(case_url)
    champion.get_by_role("link", name="Send the business case for sign-off").click()
    expect(champion.get_by_label("Estates sign-off by")).to_have_value(str(people.departments["estates"].pk))
    assert_accessible(champion)
    champion.get_by_role("button", name="Send for sign-off").click()
    expect(champion.get_by_test_id("sign-offs")).to_contain_text("Legal Services")
    assert_accessible(champion)

    # An officer of each department finds it in the council's list and signs it off.
    for kind in (SignOff.Kind.ESTATES, SignOff.Kind.LEGAL, SignOff.Kind.FINANCE):
        officer = as_person(browser, sign_in, people.officers[kind])
        officer.goto(f"{live_server.url}/solutions/transfers/")
        if kind == SignOff.Kind.ESTATES:
            assert_accessible(officer)
        officer.get_by_role("link", name="Pollards Hill Pavilion").click()
        officer.get_by_role("link", name=f"Give the {kind} sign-off").click()
        if kind == SignOff.Kind.ESTATES:
            officer.get_by_role("button", name="Record the sign-off").click()
            expect(officer.get_by_role("link", name="Choose whether you sign it off")).to_be_visible()
            assert_accessible(officer)
        officer.get_by_label("Yes, sign it off").check()
        officer.get_by_role("button", name="Record the sign-off").click()
        expect(officer.get_by_test_id("sign-offs")).to_contain_text("Signed off")
        officer.close()

    # All three signed: the champion records the decision and the lease.
    champion.goto(case_url)
    expect(champion.get_by_test_id("stage")).to_contain_text("Decision")
    champion.get_by_role("link", name="Record the decision").click()
    champion.get_by_label("Approve the transfer").check()
    champion.get_by_label("The reasons for the decision").fill("A strong case with wide support.")
    assert_accessible(champion)
    champion.get_by_role("button", name="Record the decision").click()
    champion.get_by_role("link", name="Record the lease").click()
    champion.get_by_label("Length of the lease in years").fill("25")
    champion.get_by_role("group", name="When does the lease start?").get_by_label("Day", exact=True).fill("1")
    champion.get_by_role("group", name="When does the lease start?").get_by_label("Month", exact=True).fill("4")
    champion.get_by_role("group", name="When does the lease start?").get_by_label("Year", exact=True).fill("2027")
    assert_accessible(champion)
    champion.get_by_role("button", name="Record the lease").click()
    expect(champion.get_by_test_id("stage")).to_contain_text("Transferred")
    expect(champion.get_by_test_id("lease")).to_contain_text("25 years from 1 April 2027")
    assert_accessible(champion)

    transfer = AssetTransfer.objects.get()
    assert (transfer.status, transfer.lease_starts_on) == (AssetTransfer.Status.TRANSFERRED, date(2027, 4, 1))

    # The group reads the whole story on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/solutions/transfers/yours/")
    page.get_by_role("link", name="Pollards Hill Pavilion").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Lease recorded: the asset is transferred")
    expect(page.get_by_test_id("longest-waits")).to_be_visible()
    assert_accessible(page)
