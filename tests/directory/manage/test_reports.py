"""Anyone tells us a listing is wrong; officers resolve reports with a note; owners see reports about theirs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory import services
from commonweal.directory.errors import DirectoryError
from commonweal.directory.models import Asset, Report, Service
from tests.directory.factories import AssetFactory
from tests.directory.manage.conftest import HOSTILE


def report_url(kind: str, record: Organisation | Service | Asset) -> str:
    return f"/directory/report/{kind}/{record.uuid}/"


def test_a_visitor_reports_a_service_without_signing_in(client: Client, service: Service) -> None:
    page = client.get(report_url("service", service)).content.decode()
    assert "Report a problem with this listing" in page
    assert "The contact details are wrong" in page

    response = client.post(
        report_url("service", service),
        {"reason": "contact_wrong", "details": "The phone number is for a pizza shop.", "reporter_email": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/directory/report/service/{service.uuid}/sent/"
    assert "Thank you for your report" in response.content.decode()
    report = Report.objects.get()
    assert (report.target, report.reason, report.status, report.reported_by) == (
        service,
        "contact_wrong",
        "open",
        None,
    )


@pytest.mark.parametrize("kind", ["organisation", "asset"])
def test_organisations_and_assets_can_be_reported_too(
    kind: str, client_for: Callable[..., Client], resident: User, group: Organisation
) -> None:
    record = group if kind == "organisation" else AssetFactory(organisation=group)
    client_for(resident).post(report_url(kind, record), {"reason": "closed"})
    report = Report.objects.get()
    assert (report.target, report.reported_by) == (record, resident)


def test_a_report_must_say_what_is_wrong_and_keeps_what_was_typed(client: Client, service: Service) -> None:
    page = client.post(
        report_url("service", service), {"details": "Typed with care.", "reporter_email": "not-an-email"}
    ).content.decode()
    assert 'href="#id_reason_0">Choose what is wrong with the listing.</a>' in page
    assert "Enter an email address in the correct format, like name@example.org." in page
    assert "Typed with care." in page
    assert not Report.objects.exists()


def test_a_listing_the_public_cannot_see_cannot_be_reported(client: Client, service: Service) -> None:
    Service.objects.filter(pk=service.pk).update(listing_status=ListingStatus.PENDING)
    assert client.get(report_url("service", service)).status_code == 404
    assert client.post(report_url("service", service), {"reason": "closed"}).status_code == 404
    service.refresh_from_db()
    with pytest.raises(DirectoryError):
        services.submit_listing_report(record=service, reason="closed")
    assert client.get(f"/directory/report/location/{service.uuid}/").status_code == 404
    assert not Report.objects.exists()


def test_owners_see_reports_about_their_listings(
    client_for: Callable[..., Client], member: User, service: Service, group: Organisation
) -> None:
    services.submit_listing_report(record=service, reason="out_of_date", details="It moved to Sundays.")
    page = client_for(member).get("/directory/manage/").content.decode()
    assert "Someone has reported 1 problem with your listings." in page
    page = client_for(member).get(f"/directory/manage/organisations/{group.slug}/").content.decode()
    assert "It moved to Sundays." in page
    assert "Something is out of date" in page


def test_an_officer_resolves_a_report_with_a_note_the_owner_then_sees(
    client_for: Callable[..., Client], member: User, officer: User, service: Service, group: Organisation
) -> None:
    report = services.submit_listing_report(record=service, reason="contact_wrong", reporter_email="me@example.org")
    client = client_for(officer)
    assert "1 open report" in client.get("/directory/moderation/").content.decode()
    url = f"/directory/moderation/reports/{report.pk}/"
    page = client.get(url).content.decode()
    assert "me@example.org" in page

    page = client.post(url, {"reason": ""}).content.decode()
    assert 'href="#id_reason">Say what was done about it.</a>' in page
    client.post(url, {"reason": "Phone number corrected."})

    report.refresh_from_db()
    assert (report.status, report.resolved_by, report.resolution) == ("resolved", officer, "Phone number corrected.")
    assert "No reports are open." in client.get("/directory/moderation/").content.decode()
    page = client_for(member).get(f"/directory/manage/organisations/{group.slug}/").content.decode()
    assert "Phone number corrected." in page


def test_only_officers_and_admins_resolve_reports(
    client_for: Callable[..., Client], member: User, resident: User, service: Service
) -> None:
    report = services.submit_listing_report(record=service, reason="closed")
    for user in (member, resident):
        response = client_for(user).post(f"/directory/moderation/reports/{report.pk}/", {"reason": "Done"})
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.resolve_listing_report(report=report, by=user, resolution="Done")
    report.refresh_from_db()
    assert report.status == "open"


def test_hostile_text_in_a_report_is_shown_safely(
    client_for: Callable[..., Client], officer: User, member: User, service: Service, group: Organisation
) -> None:
    report = services.submit_listing_report(record=service, reason="other", details=HOSTILE)
    for user, path in (
        (officer, f"/directory/moderation/reports/{report.pk}/"),
        (member, f"/directory/manage/organisations/{group.slug}/"),
        (member, f"/directory/manage/service/{service.uuid}/history/"),
    ):
        page = client_for(user).get(path).content.decode()
        assert "<script>alert" not in page
        assert "<bdi>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
