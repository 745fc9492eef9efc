"""Each signed-in person lands on their own home: a task list for each role they hold, every count one query."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.services import grant_membership
from commonweal.directory.models import ChangeRequest, Claim, Report
from commonweal.framework.models import Element
from commonweal.funding.models import Application, Assignment, Grant, MonitoringReport, ReportResult
from tests.conftest import PASSWORD
from tests.directory.factories import AssetFactory, OrganisationFactory, ServiceFactory
from tests.funding.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

HOME = "/home/"
SECTION = re.compile(r'<section aria-labelledby="[^"]+" data-testid="([^"]+)">(.*?)</section>', re.S)
NAV_LINK = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)"')
TASK = re.compile(r'data-count="(\d+)">\s*<div class="govuk-task-list__name-and-hint">\s*<a [^>]*>([^<]+)</a>')


def home_counts(client: Client) -> dict[str, dict[str, int]]:
    """What the page shows: for each section, each task's count as the person reads it."""
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "{#" not in html and "{%" not in html  # no template syntax leaks onto the page
    return {key: {label: int(n) for n, label in TASK.findall(body)} for key, body in SECTION.findall(html)}


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_signing_in_lands_on_your_home(client: Client, make_user: Any) -> None:
    user = make_user("resident")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_someone_new_is_asked_to_confirm_their_email_address_on_their_home(client: Client, make_user: Any) -> None:
    newcomer = make_user("resident", verified=False)
    html = signed_in(client, newcomer).get(HOME).content.decode()
    assert 'data-testid="confirm-email"' in html
    assert 'data-testid="send-verification"' in html
    confirmed = make_user("resident")
    assert 'data-testid="confirm-email"' not in signed_in(client, confirmed).get(HOME).content.decode()


def test_a_resident_sees_only_their_own_things(client: Client, make_user: Any) -> None:
    resident = make_user("resident")
    Claim.objects.create(organisation=OrganisationFactory(), user=resident, message="I run it.")
    sections = home_counts(signed_in(client, resident))
    assert set(sections) == {"resident"}
    assert sections["resident"] == {"Your requests to manage a listing": 1}


def test_an_officer_sees_each_queue_counted(client: Client, make_user: Any, mfa_exempt: None) -> None:
    officer = make_user("officer")
    applicant = make_user("group_member")
    client = signed_in(client, officer)
    before = home_counts(client)
    assert set(before) >= {"directory-queues", "funding-queues", "resident"}

    OrganisationFactory(listing_status=ListingStatus.PENDING)
    ServiceFactory(listing_status=ListingStatus.PENDING)
    published = AssetFactory(last_checked_at=timezone.now() - timedelta(days=400))
    ChangeRequest.objects.create(target=published, proposed={"name": "New name"}, submitted_by=officer)
    Claim.objects.create(organisation=published.organisation or OrganisationFactory(), user=officer, message="Me")
    Report.objects.create(target=published, reason=Report.Reason.CLOSED)
    Report.objects.create(target=published, reason=Report.Reason.OTHER, status=Report.Status.RESOLVED)
    group = Organisation.objects.get(memberships__user=applicant)
    for status in ("submitted", "submitted", "assessment", "draft"):
        ApplicationFactory(created_by=applicant, organisation=group, status=status)

    after = home_counts(client)
    grew = {
        key: {label: after[key][label] - n for label, n in tasks.items() if after[key][label] != n}
        for key, tasks in before.items()
    }
    assert grew["directory-queues"] == {
        # The service's own organisation was published by the factory: not new, unlike the service and the other.
        "New listings to approve": 2,
        "Changes to listings to approve": 1,
        "Requests to manage a listing": 1,
        "Reports about listings": 1,  # the resolved one is done
        "Listings nobody has checked for a year": 1,  # the asset
    }
    assert grew["funding-queues"] == {"Applications to send for assessment": 2, "Decisions due": 1}


def navigation(client: Client) -> list[str]:
    return NAV_LINK.findall(client.get(HOME).content.decode())


def test_an_assessor_sees_what_is_left_to_score_and_it_is_in_their_navigation(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    assessor = make_user("resident")
    client = signed_in(client, assessor)
    assert "assessor" not in home_counts(client)
    assert "/funding/assess/" not in navigation(client)
    applicant = make_user("group_member")
    for status in (Assignment.Status.AWAITING_DECLARATION, Assignment.Status.CLEAR, Assignment.Status.SCORED):
        Assignment.objects.create(
            application=ApplicationFactory(created_by=applicant, status="assessment"), assessor=assessor, status=status
        )
    assessor = User.objects.get(pk=assessor.pk)  # a fresh request, as the next page would be
    client.force_login(assessor)
    sections = home_counts(client)
    assert sections["assessor"] == {"Applications to score": 2, "Assessments done": 1}
    assert "/funding/assess/" in navigation(client)
    # Each count opens the assessor's list showing just those.
    html = client.get(HOME).content.decode()
    for label, shown in (("Applications to score", 2), ("Assessments done", 1)):
        link = re.search(rf'href="([^"]+)"[^>]*>{label}<', html)
        assert link is not None
        queue = client.get(link.group(1)).content.decode()
        assert queue.count('<tr class="govuk-table__row">') - 1 == shown, label  # less the heading row


def test_a_group_member_sees_each_of_their_groups(client: Client, make_user: Any) -> None:
    member = make_user("group_member")
    first = Organisation.objects.get(memberships__user=member)
    second = OrganisationFactory(name="Second Group", last_checked_at=timezone.now() - timedelta(days=400))
    grant_membership(user=member, role="group_member", organisation=second)
    ServiceFactory(organisation=second, last_checked_at=None)
    ApplicationFactory(created_by=member, organisation=second)  # a draft
    ApplicationFactory(created_by=member, organisation=first, status=Application.Status.SUBMITTED)

    sections = home_counts(signed_in(client, member))
    assert sections[f"group-{second.pk}"]["Listing records to check"] == 2  # the group and its service
    assert sections[f"group-{second.pk}"]["Applications you have started"] == 1
    assert sections[f"group-{first.pk}"]["Applications being considered"] == 1
    assert sections[f"group-{first.pk}"]["Applications you have started"] == 0


def test_a_steward_sees_funding_by_theme_and_progress_against_each_outcome(
    client: Client, make_user: Any, merton: Any, mfa_exempt: None
) -> None:
    steward = make_user("steward")
    theme = Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk").first()
    outcome = Element.objects.filter(kind=Element.Kind.OUTCOME).order_by("position", "pk").first()
    assert theme is not None and outcome is not None
    application = ApplicationFactory(created_by=steward, status=Application.Status.APPROVED)
    application.themes.add(theme)
    ApplicationFactory(created_by=steward).themes.add(theme)  # a draft: not yet an application made
    grant = _grant(application, amount="1500", by=steward)
    report = MonitoringReport.objects.create(
        grant=grant, title="Progress", due_on=timezone.localdate(), status=MonitoringReport.Status.ACCEPTED
    )
    ReportResult.objects.create(report=report, kind=ReportResult.Kind.OUTCOME, outcome=outcome, description="20 met")

    html = signed_in(client, steward).get(HOME).content.decode()
    assert re.search(rf">{re.escape(theme.name)}</th>\s*<td[^>]*>1</td>\s*<td[^>]*>£1,500</td>", html), html
    assert re.search(rf">{re.escape(outcome.name)}</th>\s*<td[^>]*>1</td>", html)
    assert "Where the money went" in html


def _grant(application: Application, *, amount: str, by: User) -> Grant:
    return Grant.objects.create(
        application=application,
        reference=f"G-{application.pk}",
        amount=Decimal(amount),
        award_date=timezone.localdate(),
        offered_by=by,
        status=Grant.Status.ACCEPTED,
    )


def test_an_officer_is_taken_to_the_rounds_own_list_when_the_applications_are_in_one_round(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    officer = make_user("officer")
    applicant = make_user("group_member")
    first = ApplicationFactory(created_by=applicant, status=Application.Status.SUBMITTED)
    ApplicationFactory(created_by=applicant, round=first.round, status=Application.Status.SUBMITTED)
    html = signed_in(client, officer).get(HOME).content.decode()
    link = f'href="/funding/manage/rounds/{first.round.slug}/applications/?status=submitted"'
    assert f"{link} aria-describedby" in html
    ApplicationFactory(created_by=applicant, status=Application.Status.SUBMITTED)  # in another round
    html = client.get(HOME).content.decode()
    assert link not in html
    assert 'href="/funding/manage/#funds"' in html


def test_an_administrator_sees_failed_jobs_imports_and_recent_changes(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    admin = make_user("admin")
    sections = home_counts(signed_in(client, admin))
    assert sections["admin"] == {"Failed jobs": 0, "Imports running": 0, "Imports that failed": 0}
    assert 'data-testid="recent-changes"' in client.get(HOME).content.decode()


def _everything(make_user: Any, groups: int, rows: int) -> User:
    """A person holding every role, in `groups` groups, with `rows` of each kind of waiting record."""
    person = make_user("officer")
    for role in ("steward", "admin"):
        grant_membership(user=person, role=role, organisation=None)
    for _ in range(groups):
        group = OrganisationFactory()
        grant_membership(user=person, role="group_member", organisation=group)
        for _ in range(rows):
            ServiceFactory(organisation=group, listing_status=ListingStatus.PENDING)
            application = ApplicationFactory(created_by=person, organisation=group, status="assessment")
            Assignment.objects.create(application=application, assessor=person)
            Claim.objects.create(organisation=OrganisationFactory(), user=person, message="Mine")
    return User.objects.get(pk=person.pk)


def test_the_page_costs_the_same_queries_however_much_is_waiting(
    client: Client, make_user: Any, merton: Any, mfa_exempt: None, django_assert_max_num_queries: Any
) -> None:
    small = _everything(make_user, groups=1, rows=1)
    large = _everything(make_user, groups=3, rows=4)
    costs = []
    for person in (small, large):
        client.force_login(person)
        client.get(HOME)  # the session and its second-factor state settle
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
        costs.append(len(queries))
    assert costs[0] == costs[1], costs
    # 30 for the page (a query for each count, list and table, their groups' asset transfers, the blockages they
    # raised, their consultation responses, their department's blockages with its council for the bank holidays,
    # their consultations, and whether their email address is confirmed), and the session, the person, their roles,
    # whether they assess (for the navigation) and the council's name.
    with django_assert_max_num_queries(36):
        client.get(HOME)


def test_a_group_member_sees_the_monitoring_reports_their_group_owes(client: Client, make_user: Any) -> None:
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    application = ApplicationFactory(created_by=member, organisation=group, status=Application.Status.APPROVED)
    grant = _grant(application, amount="1000", by=member)
    today = timezone.localdate()
    for status in (
        MonitoringReport.Status.DUE,
        MonitoringReport.Status.CHANGES_REQUESTED,
        MonitoringReport.Status.ACCEPTED,
    ):
        MonitoringReport.objects.create(grant=grant, title=f"Report {status}", due_on=today, status=status)
    sections = home_counts(signed_in(client, member))
    assert sections[f"group-{group.pk}"]["Monitoring reports due"] == 2  # the accepted one is done


def test_an_officer_follows_reports_to_review_to_the_grants_with_one(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    officer = make_user("officer")
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    waiting, quiet = (
        _grant(ApplicationFactory(created_by=member, organisation=group, status="approved"), amount="900", by=officer)
        for _ in range(2)
    )
    today = timezone.localdate()
    MonitoringReport.objects.create(grant=waiting, title="Sent", due_on=today, status=MonitoringReport.Status.SUBMITTED)
    MonitoringReport.objects.create(grant=quiet, title="Not yet", due_on=today)
    client = signed_in(client, officer)
    assert home_counts(client)["funding-queues"]["Monitoring reports to review"] == 1
    html = client.get(HOME).content.decode()
    link = re.search(r'href="([^"]+)"[^>]*>Monitoring reports to review<', html)
    assert link is not None
    queue = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert waiting.reference in queue
    assert quiet.reference not in queue
