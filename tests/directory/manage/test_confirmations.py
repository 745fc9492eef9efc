"""What people are told when something they did is done: the report's reference and timescale, the email to the
person who reported a listing when it is resolved, and the email to a group when its new listing is approved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory import services
from commonweal.directory.models import Report, Service
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_thank_you_page_gives_the_reports_reference_and_when_we_will_look_at_it(
    client: Client, service: Service
) -> None:
    response = client.post(
        f"/directory/report/service/{service.uuid}/",
        {"reason": "closed", "details": "Shut last month.", "reporter_email": "me@example.org"},
        follow=True,
    )
    page = response.content.decode()
    report = Report.objects.get()
    assert report.reference == f"REP-{report.pk:06d}"
    assert f'<strong data-testid="reference">{report.reference}</strong>' in page
    assert f"We will look at it within {services.REPORT_WORKING_DAYS} working days." in page
    assert "What happens next" in page


def test_someone_who_left_an_address_hears_how_their_report_was_resolved(
    officer: User, service: Service, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    report = services.submit_listing_report(record=service, reason="contact_wrong", reporter_email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_listing_report(report=report, by=officer, resolution="Phone number corrected.")
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["me@example.org"]
    assert email.subject == f"Your report about a listing is resolved: {report.reference}"
    assert f"Reference: {report.reference}" in email.body
    assert "What they did: Phone number corrected." in email.body
    assert "What happens next" in email.body
    assert f"/directory/services/{service.uuid}/" in email.body or str(service.uuid) in email.body


def test_nobody_is_emailed_about_a_report_left_without_an_address(
    officer: User, service: Service, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    report = services.submit_listing_report(record=service, reason="closed")
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_listing_report(report=report, by=officer, resolution="Withdrawn.")
    assert mailoutbox == []


def test_a_group_hears_when_its_new_listing_is_approved(
    client_for: Callable[..., Client],
    officer: User,
    member: User,
    group: Organisation,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    record = ServiceFactory(organisation=group, name="Tuesday lunch club", listing_status=ListingStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer).post(f"/directory/moderation/listings/service/{record.uuid}/", {"decision": "approve"})
    assert [email.to for email in mailoutbox] == [[member.email]]
    email = mailoutbox[0]
    assert email.subject == "Your listing is approved: Tuesday lunch club"
    assert "Your service Tuesday lunch club is approved." in email.body
    assert "What happens next" in email.body
    assert str(record.uuid) in email.body


def test_a_rejected_listing_sends_no_approval_email(
    client_for: Callable[..., Client],
    officer: User,
    member: User,
    group: Organisation,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    record = ServiceFactory(organisation=group, listing_status=ListingStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer).post(
            f"/directory/moderation/listings/service/{record.uuid}/", {"decision": "reject", "reason": "Not here."}
        )
    assert not [email for email in mailoutbox if "approved" in email.subject]
