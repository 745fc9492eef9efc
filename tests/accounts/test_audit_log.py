"""An administrator reads the audit log: filtered by person, record and dates, paged, and downloaded as CSV."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting
from tests.dates import date_boxes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, make_user: Callable[..., Any], mfa_exempt: None) -> Client:
    client.force_login(make_user("admin"))
    return client


@pytest.fixture
def people(make_user: Callable[..., Any]) -> tuple[User, User]:
    amira = make_user("resident", email="amira@example.org")
    User.objects.filter(pk=amira.pk).update(full_name="Amira Khan")
    ben = make_user("resident", email="ben@example.org")
    return User.objects.get(pk=amira.pk), ben


def _rename(group: Organisation, name: str, by: User, *, days_ago: int = 0) -> None:
    with acting(by):
        group.name = name
        group.save()
    if days_ago:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        LogEntry.objects.filter(pk=LogEntry.objects.latest("pk").pk).update(timestamp=when)


def _rows(client: Client, query: str) -> list[list[str]]:
    response = client.get(f"/account/audit/audit-log.csv?{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]


def test_the_log_filters_by_person_record_and_dates(admin_client: Client, people: tuple[User, User]) -> None:
    amira, ben = people
    pantry = Organisation.objects.create(name="Abbey Pantry", slug="abbey-pantry")
    choir = Organisation.objects.create(name="Colliers Wood Choir", slug="choir")
    _rename(pantry, "Abbey Community Pantry", amira, days_ago=10)
    _rename(choir, "Colliers Wood Community Choir", ben)

    by_amira = admin_client.get("/account/audit/?actor=amira").content.decode()
    assert "Abbey Community Pantry" in by_amira and "Colliers Wood Community Choir" not in by_amira
    by_name = admin_client.get("/account/audit/?actor=Khan").content.decode()
    assert "Abbey Community Pantry" in by_name

    organisation = ContentType.objects.get_for_model(Organisation).pk
    by_record = admin_client.get(f"/account/audit/?record_type={organisation}&record={choir.pk}").content.decode()
    assert "Colliers Wood Community Choir" in by_record and "Abbey Community Pantry" not in by_record
    by_words = admin_client.get("/account/audit/?record=pantry").content.decode()
    assert "Abbey Community Pantry" in by_words and "Colliers Wood Community Choir" not in by_words

    today = timezone.localdate()
    recent = {**date_boxes("since", today - datetime.timedelta(days=2)), **date_boxes("until", today)}
    page = admin_client.get("/account/audit/", recent).content.decode()
    assert "Colliers Wood Community Choir" in page and "Abbey Community Pantry" not in page
    older = {**date_boxes("until", today - datetime.timedelta(days=5))}
    page = admin_client.get("/account/audit/", older).content.decode()
    assert "Abbey Community Pantry" in page and "Colliers Wood Community Choir" not in page


def test_a_wrong_date_is_explained_beside_its_boxes_not_a_500(admin_client: Client) -> None:
    response = admin_client.get("/account/audit/", {**date_boxes("since", "31/2/2026")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The date to show changes from must be a real date" in page
    assert 'href="#id_since_day"' in page  # the error summary leads to the boxes
    assert "Correct the filters to see the changes." in page

    backwards = {**date_boxes("since", datetime.date(2026, 5, 2)), **date_boxes("until", datetime.date(2026, 5, 1))}
    page = admin_client.get("/account/audit/", backwards).content.decode()
    assert "The date to show changes up to must be the same as or after the date to show them from" in page

    # The download of wrong filters goes back to the page that says what is wrong.
    response = admin_client.get("/account/audit/audit-log.csv", backwards)
    assert response.status_code == 302 and response["Location"].startswith("/account/audit/?")


def test_the_download_is_the_filtered_log_with_labels_and_safe_cells(
    admin_client: Client, people: tuple[User, User]
) -> None:
    amira, ben = people
    pantry = Organisation.objects.create(name="Abbey Pantry", slug="abbey-pantry")
    _rename(pantry, '=HYPERLINK("http://evil.example")', amira)
    _rename(pantry, "Abbey Pantry", ben)
    rows = _rows(admin_client, "actor=amira")
    assert rows[0] == ["When", "Who", "Action", "Type of record", "Record", "What changed", "Before", "After"]
    assert len(rows) == 2
    when, who, action, kind, record, label, before, after = rows[1]
    assert (who, action, kind, label, before) == ("Amira Khan", "Changed", "Organisation", "Name", "Abbey Pantry")
    assert after == '\'=HYPERLINK("http://evil.example")' and record.startswith("'=")
    assert datetime.date.fromisoformat(when[:10]) == timezone.localdate() and len(when) == len("2026-12-05 21:15:00")
    # Unfiltered, it holds everyone's changes, the other person's too.
    assert any(row[1] == str(ben) and row[7] == "Abbey Pantry" for row in _rows(admin_client, ""))


def test_the_log_is_paged_and_keeps_its_filters_from_page_to_page(
    admin_client: Client, people: tuple[User, User]
) -> None:
    amira, _ = people
    pantry = Organisation.objects.create(name="Abbey Pantry", slug="abbey-pantry")
    for n in range(55):
        _rename(pantry, f"Abbey Pantry {n}", amira)
    page = admin_client.get("/account/audit/?actor=amira").content.decode()
    assert "55 changes, newest first" in page and "Page 1 of 2" in page
    assert "actor=amira&amp;page=2" in page
    second = admin_client.get("/account/audit/?actor=amira&page=2").content.decode()
    assert "Page 2 of 2" in second
