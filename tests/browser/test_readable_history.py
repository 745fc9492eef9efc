"""History people can read, in a real browser: an administrator filters the audit log by person and date and
downloads what they found; a steward takes the framework back to an earlier version after seeing what will
change. Every page passes axe."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from playwright.sync_api import Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting
from commonweal.framework.models import Element, Framework
from commonweal.framework.services import create_element, delete_element, update_element, update_vision
from tests.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _named(user: User, name: str) -> User:
    User.objects.filter(pk=user.pk).update(full_name=name)
    user.refresh_from_db()
    return user


def test_an_admin_filters_the_audit_log_by_person_and_date_and_downloads_it(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    amira = _named(make_user("resident", email="amira@example.org"), "Amira Khan")
    ben = _named(make_user("resident", email="ben@example.org"), "Ben Okafor")
    pantry = Organisation.objects.create(name="Abbey Pantry", slug="abbey-pantry", description="Food on Fridays.")
    choir = Organisation.objects.create(name="Colliers Wood Choir", slug="choir")
    with acting(amira):
        pantry.description = "Food parcels on Fridays and Saturdays."
        pantry.save()
    LogEntry.objects.filter(pk=LogEntry.objects.latest("pk").pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=30)
    )
    with acting(amira):
        pantry.name = "Abbey Community Pantry"
        pantry.save()
    with acting(ben):
        choir.name = "Colliers Wood Community Choir"
        choir.save()

    sign_in(page, make_user("admin"))
    page.get_by_role("link", name="Audit log").first.click()
    filters = page.get_by_test_id("audit-filters")
    filters.get_by_label("Changed by").fill("Amira")
    fill_date(filters, "From", timezone.localdate() - datetime.timedelta(days=7))
    fill_date(filters, "To", timezone.localdate())
    filters.get_by_role("button", name="Apply filters").click()

    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("1 change, newest first")
    expect(table).to_contain_text("Amira Khan")
    expect(table).to_contain_text("Changed organisation: Abbey Community Pantry")
    # The name changed: the whole before and after, the words put in marked (and said, for a screen reader).
    expect(table.locator("ins")).to_contain_text("Community")
    expect(table).not_to_contain_text("Colliers Wood")
    expect(table).not_to_contain_text("None")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these changes (CSV)").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows[0][:3] == ["When", "Who", "Action"]
    assert [row[1:] for row in rows[1:]] == [
        [
            "Amira Khan",
            "Changed",
            "Organisation",
            "Abbey Community Pantry",
            "Name",
            "Abbey Pantry",
            "Abbey Community Pantry",
        ]
    ]

    # A wrong date is explained beside its boxes, and the summary says so too.
    fill_date(filters, "From", "31/2/2026")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert")).to_contain_text("The date to show changes from must be a real date")
    assert_accessible(page)

    # From a row, every change to that one record, by anyone.
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_test_id("audit-table")).not_to_contain_text("None")  # people added: no 'Asset.None'
    page.get_by_role("link", name=re.compile(r"^Every change to this record\W+Abbey Community Pantry$")).first.click()
    record = page.get_by_test_id("audit-table")
    expect(record).to_contain_text("3 changes, newest first")
    expect(record).to_contain_text("Added organisation: Abbey Pantry")
    expect(record.locator("del")).to_contain_text(["Fridays."])  # 'Food on Fridays.' was the description
    expect(record.locator("ins", has_text="parcels")).to_have_count(1)
    expect(record).not_to_contain_text("Colliers Wood")


def test_a_steward_takes_the_framework_back_to_an_earlier_version(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    steward = _named(make_user("steward", email="sam@example.org"), "Sam Steward")
    update_vision(name="Our borough together", vision="Everyone gets help when they need it.", by=steward)
    parks = create_element(kind=Element.Kind.THEME, name="Parks", description="Green spaces.", by=steward)
    housing = create_element(kind=Element.Kind.THEME, name="Housing", description="Homes.", by=steward)
    update_vision(name="Our borough together", vision="Everyone gets good help quickly.", by=steward)
    update_element(element=parks, name="Green spaces", description="Parks and woods.", by=steward)
    delete_element(element=housing, by=steward)

    sign_in(page, steward)
    page.goto(f"{live_server.url}/framework/edit/history/")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("6 changes, newest first")
    expect(history).to_contain_text("Deleted theme “Housing”")
    expect(history.locator("del").first).to_be_visible()
    expect(history).not_to_contain_text("None")
    assert_accessible(page)

    # Back to just after Housing was added: the fourth row from the top.
    history.get_by_role("row").nth(4).get_by_role("link", name="Go back to this version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Go back to this version of the framework?")
    changes = page.get_by_test_id("restore-changes")
    expect(changes).to_contain_text("Theme “Green spaces” changes")
    expect(changes).to_contain_text("Theme “Housing” comes back")
    expect(changes.locator("ins").first).to_contain_text("when they need it.")
    assert_accessible(page)
    page.get_by_role("button", name="Go back to this version").click()

    expect(page.get_by_role("alert")).to_contain_text("The framework is back as it was on")
    framework = Framework.objects.get()
    assert framework.vision == "Everyone gets help when they need it."
    assert sorted(Element.objects.values_list("name", flat=True)) == ["Housing", "Parks"]
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Went back to the version of")
    expect(history.get_by_role("row").nth(1)).to_contain_text("This is the framework now")
    assert_accessible(page)
