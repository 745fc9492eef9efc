"""A record nobody has confirmed for a year is stale: its owners are reminded by a background task, once, and
again only a month later if it is still stale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory import services
from commonweal.directory.models import Asset, Service
from commonweal.directory.reminders import remind_stale_listings, send_stale_reminders
from tests.directory.factories import AssetFactory, OrganisationFactory, ServiceFactory

YEAR_AND_A_DAY = timedelta(days=366)


def aged(record: Any, age: timedelta = YEAR_AND_A_DAY) -> Any:
    type(record).objects.filter(pk=record.pk).update(last_checked_at=timezone.now() - age)
    record.refresh_from_db()
    return record


def sent_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if address in message.to]


def test_a_stale_organisations_members_are_emailed_once_with_a_link_to_check_it(
    member: User, make_user: Callable[..., User], group: Organisation, service: Service
) -> None:
    second = make_user("group_member", organisation=group, email="second@example.org")
    aged(group)
    aged(service, timedelta(days=900))

    assert send_stale_reminders() == 1

    assert [m.to for m in mail.outbox] == [[member.email], [second.email]]
    message = mail.outbox[0]
    assert message.subject == "Please check your listing: Abbey Litter Pickers"
    assert "- Organisation: Abbey Litter Pickers (last checked" in message.body
    assert "- Service: Saturday litter pick (last checked" in message.body
    assert "http://127.0.0.1:8000/directory/manage/" in message.body
    group.refresh_from_db()
    service.refresh_from_db()
    assert group.stale_reminded_at is not None
    assert service.stale_reminded_at is not None

    assert send_stale_reminders() == 0
    assert len(mail.outbox) == 2


def test_members_are_reminded_again_only_after_another_thirty_days(member: User, group: Organisation) -> None:
    aged(group)
    send_stale_reminders()
    assert send_stale_reminders(now=timezone.now() + timedelta(days=29)) == 0
    assert send_stale_reminders(now=timezone.now() + timedelta(days=31)) == 1
    assert len(sent_to(member.email)) == 2


def test_confirming_the_record_stops_the_reminders(member: User, group: Organisation) -> None:
    aged(group)
    send_stale_reminders()
    services.confirm_listing_checked(record=group, by=member)
    assert send_stale_reminders(now=timezone.now() + timedelta(days=31)) == 0
    assert len(sent_to(member.email)) == 1


def test_a_fresh_organisation_is_reminded_about_its_stale_asset_only(member: User, group: Organisation) -> None:
    asset = aged(AssetFactory(organisation=group, name="Abbey Hall main room"))
    send_stale_reminders()
    body = sent_to(member.email)[0].body
    assert "- Asset: Abbey Hall main room" in body
    assert "Organisation:" not in body
    assert Asset.objects.get(pk=asset.pk).stale_reminded_at is not None


def test_records_the_public_cannot_see_and_fresh_ones_bring_no_reminder(member: User, group: Organisation) -> None:
    aged(ServiceFactory(organisation=group, listing_status=ListingStatus.PENDING))
    aged(ServiceFactory(organisation=group, listing_status=ListingStatus.WITHDRAWN))
    ServiceFactory(organisation=group)
    assert send_stale_reminders() == 0
    assert sent_to(member.email) == []


def test_an_organisation_nobody_manages_is_left_for_the_officers(db: None) -> None:
    nobody = aged(OrganisationFactory(name="Unclaimed Choir"))
    assert send_stale_reminders() == 0
    nobody.refresh_from_db()
    assert nobody.stale_reminded_at is None


def test_a_council_departments_own_officers_are_reminded(make_user: Callable[..., User]) -> None:
    officer = make_user("officer", email="libraries@example.org")
    department = officer.memberships.get().organisation
    assert department.is_stale  # never checked
    send_stale_reminders()
    assert len(sent_to("libraries@example.org")) == 1


class FailsForOneAddress(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        if any("broken@example.org" in m.to for m in messages):
            raise ConnectionError("The mail server refused the message.")
        return super().send_messages(messages)


def test_one_failed_email_does_not_stop_the_others_and_is_tried_again(
    settings: Any, make_user: Callable[..., User], member: User, group: Organisation
) -> None:
    settings.EMAIL_BACKEND = "tests.directory.manage.test_reminders.FailsForOneAddress"
    other = OrganisationFactory(name="Broken Mail Group")
    make_user("group_member", organisation=other, email="broken@example.org")
    aged(group)
    aged(other)

    assert send_stale_reminders() == 1

    assert len(sent_to(member.email)) == 1
    other.refresh_from_db()
    assert other.stale_reminded_at is None


def test_a_name_with_line_breaks_still_makes_a_one_line_subject(member: User, group: Organisation) -> None:
    Organisation.objects.filter(pk=group.pk).update(name="Abbey\nLitter\r\nPickers", last_checked_at=None)
    send_stale_reminders()
    assert sent_to(member.email)[0].subject == "Please check your listing: Abbey Litter Pickers"


def test_the_background_task_sends_the_reminders(member: User, group: Organisation) -> None:
    aged(group)
    result = remind_stale_listings.enqueue()
    assert result.return_value == 1
    assert len(sent_to(member.email)) == 1


def test_the_daily_command_queues_the_task_and_can_send_at_once(member: User, group: Organisation) -> None:
    aged(group)
    out = StringIO()
    call_command("remind_stale_listings", stdout=out)
    assert "Queued the stale-listing reminder" in out.getvalue()
    assert len(sent_to(member.email)) == 1  # tests run tasks at once

    out = StringIO()
    call_command("remind_stale_listings", "--now", stdout=out)
    assert "Reminded the members of 0 organisations." in out.getvalue()


def test_the_command_says_it_is_for_cron() -> None:
    from commonweal.directory.management.commands.remind_stale_listings import Command

    assert "daily from cron" in Command.help


def test_a_stale_record_is_flagged_on_its_owners_page(
    client_for: Callable[..., Client], member: User, group: Organisation, service: Service
) -> None:
    aged(service)
    page = client_for(member).get("/directory/manage/").content.decode()
    assert "1 record needs checking." in page
    row = page[page.index('data-kind="service"') :]
    assert "Needs checking" in row[: row.index("</tr>")]
    row = page[page.index('data-kind="organisation"') :]
    assert "Needs checking" not in row[: row.index("</tr>")]


@pytest.mark.parametrize("days, stale", [(364, False), (366, True)])
def test_a_record_is_stale_after_twelve_months(days: int, stale: bool, service: Service) -> None:
    assert aged(service, timedelta(days=days)).is_stale is stale


def test_an_officer_sends_the_reminders_now_and_is_told_how_many_went(
    client_for: Callable[..., Client],
    officer: User,
    member: User,
    group: Organisation,
    service: Service,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from commonweal.core import ratelimit

    # The limit counts in fixed five-minute windows: both presses fall at the start of one.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 300 * 6_000_000 + 1.0))
    client = client_for(officer)
    Organisation.objects.update(last_checked_at=timezone.now())  # the officer's own department is checked too
    aged(group)
    page = client.get("/directory/moderation/stale/").content.decode()
    assert "1 organisation is due a reminder now." in page and "Send reminders now" in page
    response = client.post("/directory/moderation/stale/remind/", follow=True)
    assert "Reminders sent to 1 organisation asking them to check their listing." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[member.email]]
    # Pressed again at once: held back for a few minutes, and nobody is emailed twice.
    again = client.post("/directory/moderation/stale/remind/", follow=True).content.decode()
    assert "Reminders were sent a few minutes ago. You can send them again in 5 minutes." in again
    assert len(mail.outbox) == 1


def test_a_group_with_nobody_to_email_is_left_for_the_officer_to_check(
    client_for: Callable[..., Client], officer: User, other_group: Organisation
) -> None:
    client = client_for(officer)
    Organisation.objects.update(last_checked_at=timezone.now())
    aged(other_group)
    response = client.post("/directory/moderation/stale/remind/", follow=True)
    assert "No reminders were sent. 1 organisation has nobody we could email: check it yourself." in (
        response.content.decode()
    )


def test_only_officers_can_send_the_reminders_now(
    client_for: Callable[..., Client], member: User, group: Organisation
) -> None:
    aged(group)
    assert client_for(member).post("/directory/moderation/stale/remind/").status_code == 403
    assert mail.outbox == []
