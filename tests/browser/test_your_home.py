"""Each role signs in and lands on its own home, with its sections and counts, on a desktop and on a phone; the
navigation fits one line at 1280 px and folds into a menu at 390 px; sign out is in the header."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.services import grant_membership
from commonweal.core.jobs import WORKER_LOST
from commonweal.directory.models import Claim
from commonweal.framework.models import Element
from commonweal.funding.models import Application, Assignment, Grant, MonitoringReport
from commonweal.funding.tasks import send_report_reminders
from tests.directory.factories import OrganisationFactory
from tests.funding.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _officer(make_user: Any) -> tuple[User, str, str]:
    OrganisationFactory(name="Morden Lunch Club", listing_status=ListingStatus.PENDING)
    return make_user("officer"), "New listings to approve", "Directory work"


def _assessor(make_user: Any) -> tuple[User, str, str]:
    assessor = make_user("resident")
    application = ApplicationFactory(created_by=make_user("group_member"), status=Application.Status.IN_ASSESSMENT)
    Assignment.objects.create(application=application, assessor=assessor)
    return assessor, "Applications to score", "Your assessments"


def _steward(make_user: Any) -> tuple[User, str, str]:
    Element.objects.update(to_confirm=False)
    Element.objects.filter(pk=Element.objects.order_by("pk").values("pk")[:1]).update(to_confirm=True)
    return make_user("steward"), "Parts of the framework still to confirm", "Edit the framework"


def _admin(make_user: Any) -> tuple[User, str, str]:
    now = timezone.now()
    DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=send_report_reminders.module_path,
        backend_name="default",
        run_after=now,
        started_at=now,
        finished_at=now,
        exception_class_path=WORKER_LOST,
    )
    return make_user("admin"), "Failed jobs", "Failed background jobs"


def _group_member(make_user: Any) -> tuple[User, str, str]:
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    ApplicationFactory(created_by=member, organisation=group)
    return member, "Applications you have started", "Your applications"


def _resident(make_user: Any) -> tuple[User, str, str]:
    resident = make_user("resident")
    Claim.objects.create(organisation=OrganisationFactory(), user=resident, message="I run the Tuesday session.")
    return resident, "Your requests to manage a listing", "Your listings"


# Each role: who, the task whose count is 1, and a heading on the queue its link opens.
ROLES: dict[str, Callable[[Any], tuple[User, str, str]]] = {
    "officer": _officer,
    "assessor": _assessor,
    "steward": _steward,
    "admin": _admin,
    "group_member": _group_member,
    "resident": _resident,
}

SECTIONS = {
    "officer": "Keep the directory true",
    "assessor": "Your assessments",
    "steward": "Progress against the framework",
    "admin": "Run the platform",
    "group_member": "Your things",
    "resident": "Your things",
}


def navigation_tops(page: Page) -> set[int]:
    return set(page.eval_on_selector_all(".govuk-service-navigation__item", "items => items.map(i => i.offsetTop)"))


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_lands_on_its_home_and_follows_a_count_to_its_queue(
    role: str,
    page: Page,
    live_server: Any,
    make_user: Any,
    merton: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    user, task, queue = ROLES[role](make_user)
    page.set_viewport_size(DESKTOP)
    sign_in(page, user)
    expect(page).to_have_url(f"{live_server.url}/home/")
    expect(page.get_by_role("heading", name=SECTIONS[role], exact=True)).to_be_visible()
    item = page.locator(".govuk-task-list__item").filter(has=page.get_by_role("link", name=task, exact=True))
    expect(item.locator(".govuk-task-list__status")).to_have_text("1 waiting")
    # The navigation is one line: every item at the same height.
    assert len(navigation_tops(page)) == 1, navigation_tops(page)
    header = page.locator("header")
    expect(header.get_by_role("link", name="Your account")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)

    item.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(queue)
    assert_accessible(page)

    # On a phone the navigation folds into a menu that opens, and the home reads the same.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/home/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator(".govuk-service-navigation__list")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Wards and places", exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    expect(item.locator(".govuk-task-list__status")).to_have_text("1 waiting")
    assert_accessible(page)


def test_the_navigation_fits_one_line_for_someone_with_every_role(
    page: Page, live_server: Any, make_user: Any, merton: Any, mfa_exempt: None, sign_in: Any, assert_accessible: Any
) -> None:
    person, *_ = _assessor(make_user)
    grant_membership(user=person, role="officer", organisation=make_user("officer").memberships.get().organisation)
    for role in ("steward", "admin", "champion"):
        grant_membership(user=person, role=role, organisation=None)
    grant_membership(user=person, role="group_member", organisation=OrganisationFactory())
    page.set_viewport_size(DESKTOP)
    sign_in(page, person)
    labels = page.locator(".govuk-service-navigation__list a").all_inner_texts()
    assert [label.strip() for label in labels] == [
        "Home",
        "Find help",
        "Funding",
        "Assessments",
        "Blockages",
        "Wards and places",
        "Our framework",
    ]
    assert len(navigation_tops(page)) == 1, navigation_tops(page)
    for heading in ("Keep the directory true", "Run funding", "Progress against the framework", "Run the platform"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Your assessments", exact=True)).to_be_visible()
    assert_accessible(page)


def test_sign_out_from_the_header_and_the_demo_banner_sits_in_a_landmark(
    page: Page, live_server: Any, make_user: Any, merton: Any, sign_in: Any, settings: Any, assert_accessible: Any
) -> None:
    settings.COMMONWEAL_DEMO = True
    sign_in(page, make_user("resident"))
    expect(page.locator("header [data-testid=demo-banner]")).to_contain_text("This is a demonstration")
    # axe's 'region' rule: all content in a landmark. The banner outside one was the finding on every page.
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["region"]}})
    assert results.violations_count == 0, results.generate_report()
    # Your account has one way to sign out, the header's, like every other page.
    page.locator("header").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("header").get_by_role("link", name="Your account")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(1)
    assert_accessible(page)
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    # Where the money went is a link in every page's footer, for anyone.
    page.locator("footer").get_by_role("link", name="Where the money went").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where the money went")
    page.goto(f"{live_server.url}/home/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/home/")


def test_someone_new_lands_on_their_home_and_is_asked_to_confirm_their_email_address(
    page: Page, live_server: Any, make_user: Any, merton: Any, sign_in: Any, assert_accessible: Any
) -> None:
    sign_in(page, make_user("resident", verified=False))
    expect(page).to_have_url(f"{live_server.url}/home/")
    expect(page.get_by_test_id("confirm-email")).to_contain_text("Confirm your email address")
    expect(page.get_by_role("button", name="Send the link again")).to_be_visible()
    assert_accessible(page)


def test_an_officer_follows_reports_to_review_to_the_grants_that_sent_one(
    page: Page, live_server: Any, make_user: Any, merton: Any, mfa_exempt: None, sign_in: Any, assert_accessible: Any
) -> None:
    officer = make_user("officer")
    member = make_user("group_member")
    application = ApplicationFactory(
        created_by=member, organisation=Organisation.objects.get(memberships__user=member), status="approved"
    )
    grant = Grant.objects.create(
        application=application,
        reference="MRT-0001",
        amount=Decimal("900"),
        award_date=timezone.localdate(),
        offered_by=officer,
        status=Grant.Status.ACCEPTED,
    )
    MonitoringReport.objects.create(
        grant=grant, title="First report", due_on=timezone.localdate(), status=MonitoringReport.Status.SUBMITTED
    )
    sign_in(page, officer)
    page.get_by_role("link", name="Monitoring reports to review").click()
    expect(page.get_by_test_id("filters").get_by_text("Reports to review")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("grants")).to_contain_text("MRT-0001")
    assert_accessible(page)
