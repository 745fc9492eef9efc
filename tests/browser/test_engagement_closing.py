"""Closing the loop in a real browser: an officer writes 'we did' for a closed consultation, with the equality
impact assessment revisited (a mistake coming back beside its field first), previews and publishes it, and the
people who asked to hear back are emailed; a resident then finds and reads the public page on a phone, and
without JavaScript. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.engagement.models import Consultation
from tests.engagement import factories
from tests.engagement.closing.helpers import closed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_an_officer_publishes_we_did_and_a_resident_reads_it(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    consultation = closed("Greener Mitcham high street", slug="greener-mitcham")
    for n in range(11):
        factories.response(consultation, email=f"resident{n}@example.org", hear_back=n == 0)
    officer = make_user("officer", organisation=consultation.department, email="officer@example.org")
    sign_in(page, officer)
    page.goto(f"{live_server.url}/engagement/manage/consultations/greener-mitcham/close/")
    expect(page.get_by_role("heading", name="Greener Mitcham high street")).to_be_visible()
    expect(page.get_by_label("You said: what people told us")).to_contain_text("11 people and groups responded")
    assert_accessible(page)
    page.set_viewport_size(PHONE)  # the long form fits a phone, its ten assessment rows too
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # A link that is not a link comes back beside its field, with everything typed kept.
    page.get_by_label("We did: what was decided").fill("Cabinet agreed the plan, with a second crossing.")
    page.get_by_label("Link to the decision paper (optional)").fill("the cabinet report")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("link", name="Enter the link to the decision paper as a web address")).to_be_visible()
    expect(page.get_by_label("We did: what was decided")).to_have_value(
        "Cabinet agreed the plan, with a second crossing."
    )
    assert_accessible(page)

    page.get_by_label("Link to the decision paper (optional)").fill("https://democracy.example.gov.uk/report.pdf")
    page.get_by_label("How the responses changed it").fill("People asked for a crossing by the school; we added it.")
    disability = page.get_by_test_id("impact-disability")
    disability.get_by_label("Negative").check()
    disability.get_by_label("Disability: evidence").fill("Disabled residents said the paths are uneven.")
    # Publishing without the mitigations a negative impact needs is refused beside the field.
    page.get_by_role("button", name="Save and preview 'we did'").click()
    expect(page.get_by_test_id("not-ready")).to_contain_text("1 thing is still missing")
    assert_accessible(page)
    page.get_by_role("button", name="Publish 'we did'").click()
    problem = "Say how the negative impact on people by disability will be reduced or removed."
    expect(page.get_by_role("link", name=problem)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=problem).click()
    page.get_by_label("Disability: mitigations").fill("Step-free path repairs before the work starts.")
    page.get_by_role("button", name="Save and preview 'we did'").click()
    expect(page.get_by_test_id("preview")).to_contain_text("Step-free path repairs before the work starts.")
    page.get_by_role("button", name="Publish 'we did'").click()
    expect(page.get_by_text("'We did' is published.")).to_be_visible()
    expect(page.get_by_test_id("emails")).to_contain_text("Emails were sent to 1 person who asked to hear back.")
    assert_accessible(page)
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.DECIDED
    assert [m.to for m in mail.outbox if m.subject.startswith("What we decided")] == [["resident0@example.org"]]

    # A resident, on a phone, finds it in the index and reads it.
    phone = browser.new_context(viewport=PHONE)
    resident = phone.new_page()
    resident.goto(f"{live_server.url}/engagement/we-asked-you-said-we-did/")
    assert_accessible(resident)
    resident.get_by_role("link", name="Greener Mitcham high street").click()
    expect(resident.get_by_role("heading", name="We did", exact=True)).to_be_visible()
    expect(resident.get_by_test_id("decision")).to_have_text("Cabinet agreed the plan, with a second crossing.")
    expect(resident.get_by_test_id("response-count")).to_have_text("11 responses")
    changed = resident.get_by_test_id("impact-row").filter(has_text="Disability")
    expect(changed.get_by_test_id("changed")).to_be_visible()
    expect(resident.get_by_test_id("changed")).to_have_count(1)
    assert_accessible(resident)
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    # Without JavaScript it reads the same.
    plain = browser.new_context(java_script_enabled=False)
    reader = plain.new_page()
    reader.goto(f"{live_server.url}/engagement/consultations/greener-mitcham/we-did/")
    expect(reader.get_by_test_id("how-changed")).to_contain_text("we added it")
    plain.close()
