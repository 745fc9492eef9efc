"""The raising pages as a person uses them: the draft kept through errors and reloads, field messages, hostile
words shown as typed, the check page's similar blockages, crafted joins, the emailed link and Your blockages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commonweal.solutions.models import Blockage
from tests.solutions import factories
from tests.solutions.raising.conftest import OUTSIDE

pytestmark = pytest.mark.django_db


def form(t: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "title": "Three conifers for our communitree",
        "description": "We asked to plant three conifers on the green and nobody answers.",
        "category": str(t["trees"].pk),
        "ward": str(t["ward"].pk),
        "council_process": "The licence for planting on council land",
        **changes,
    }


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_an_empty_form_says_what_is_missing_beside_each_field(client: Client, raising: dict[str, Any]) -> None:
    page = signed_in(client, raising["member"]).post("/solutions/raise/", {}).content.decode()
    assert "There is a problem" in page
    assert "Enter what is blocked, in a few words" in page
    assert "Describe what is blocked." in page
    assert "Choose the kind of blockage it is." in page


def test_what_was_typed_is_kept_through_an_error_and_a_reload(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    signed_in(client, t["member"])
    page = client.post("/solutions/raise/", form(t, title="", tried="We rang parks twice")).content.decode()
    assert "Enter what is blocked, in a few words" in page
    again = client.get("/solutions/raise/").content.decode()
    assert "We rang parks twice" in again and "We asked to plant three conifers" in again


def test_a_huge_description_is_refused_and_kept(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    page = signed_in(client, t["member"]).post("/solutions/raise/", form(t, description="x" * 5001)).content.decode()
    assert "The description must be 5,000 characters or fewer" in page
    assert "x" * 5001 in page
    assert not Blockage.objects.exists()


def test_a_point_outside_the_borough_is_refused_on_the_page(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    data = form(t, ward="", latitude=str(OUTSIDE[0]), longitude=str(OUTSIDE[1]))
    page = signed_in(client, t["member"]).post("/solutions/raise/", data).content.decode()
    assert "That point is outside Merton. Choose a place inside the borough." in page


def test_a_latitude_that_is_not_a_number_is_refused(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    page = signed_in(client, t["member"]).post("/solutions/raise/", form(t, latitude="north", longitude="1"))
    assert "Enter the latitude as a number, like 51.4101." in page.content.decode()


def test_hostile_words_are_shown_escaped_on_the_check_page(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    signed_in(client, t["member"])
    client.post("/solutions/raise/", form(t, title="<script>alert(1)</script>", description="W" * 400))
    page = client.get("/solutions/raise/check/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "solutions-wrap" in page


def test_the_check_page_without_a_draft_goes_back_to_the_form(client: Client, raising: dict[str, Any]) -> None:
    response = signed_in(client, raising["member"]).get("/solutions/raise/check/")
    assert response.status_code == 302 and response["Location"] == "/solutions/raise/"


def test_a_group_member_raises_sees_where_it_went_and_finds_it_in_their_list(
    client: Client, raising: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = raising
    signed_in(client, t["member"])
    assert client.post("/solutions/raise/", form(t, organisation=str(t["group"].pk)))["Location"] == (
        "/solutions/raise/check/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/solutions/raise/check/", {})
    assert response["Location"] == "/solutions/raise/sent/"
    page = client.get(response["Location"]).content.decode()
    blockage = Blockage.objects.get()
    assert "Blockage sent" in page and blockage.reference in page
    assert "Highways" in page and "Parks and green spaces" in page
    mine = client.get("/solutions/yours/").content.decode()
    assert f'href="/solutions/cases/{blockage.uuid}/"' in mine
    # The draft is gone: the form starts empty.
    assert "We asked to plant three conifers" not in client.get("/solutions/raise/").content.decode()


def test_the_home_shows_blockages_you_raised(client: Client, raising: dict[str, Any]) -> None:
    from django.urls import reverse

    t = raising
    signed_in(client, t["member"])
    before = client.get(reverse("home:your_home")).content.decode()
    assert 'data-testid="blockages"' not in before and "Raise a blockage" in before
    factories.blockage(category=t["trees"], raised_by=t["member"])
    after = client.get(reverse("home:your_home")).content.decode()
    assert 'data-testid="blockages"' in after and "Blockages you raised" in after
    assert "Raise a blockage" in client.get(reverse("home:home")).content.decode()


def test_a_crafted_join_of_a_closed_blockage_is_refused_on_the_page(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    closed = factories.blockage(category=t["trees"], raised_by=t["member"])
    Blockage.objects.filter(pk=closed.pk).update(status=Blockage.Status.RESOLVED)
    signed_in(client, t["resident"])
    client.post("/solutions/raise/", form(t))
    response = client.post("/solutions/raise/join/", {"blockage": str(closed.uuid)})
    assert response.status_code == 200
    assert "is resolved, so it can no longer be joined" in response.content.decode()
    for bad in ("not-a-uuid", "6f1c5a52-35a4-4b59-9d1c-8f0e6a1d2c3b"):
        page = client.post("/solutions/raise/join/", {"blockage": bad}).content.decode()
        assert "There is no blockage to join here" in page
    assert Blockage.objects.count() == 1


def test_joining_from_the_check_page(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    first = factories.blockage(category=t["trees"], raised_by=t["member"], title="Conifers for the communitree")
    signed_in(client, t["resident"])
    client.post("/solutions/raise/", form(t))
    page = client.get("/solutions/raise/check/").content.decode()
    assert "Join this one instead" in page and first.reference in page
    response = client.post("/solutions/raise/join/", {"blockage": str(first.uuid)})
    assert response["Location"] == "/solutions/raise/sent/"
    assert "You joined a blockage" in client.get("/solutions/raise/sent/").content.decode()
    assert Blockage.objects.get(joined_to=first).raised_by == t["resident"]


def test_a_resident_confirms_by_the_link_and_an_old_link_says_how_to_raise_again(
    client: Client, raising: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = raising
    client.post("/solutions/raise/", form(t, raiser_name="Ada", raiser_email="ada@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/solutions/raise/check/", {})
    assert "Check your email" in client.get(response["Location"]).content.decode()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/solutions/confirm/" in line).strip()
    path = link[link.index("/solutions/") :]
    assert "Confirm and send" in client.get(path).content.decode()
    assert Blockage.objects.get().status == "unconfirmed"  # opening the link alone changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {})
    assert Blockage.objects.get().status == "raised"
    assert "already confirmed" in client.get(path).content.decode()

    Blockage.objects.update(confirmed_at=None, status="unconfirmed", raised_at=timezone.now() - datetime.timedelta(8))
    expired = client.get(path)
    assert expired.status_code == 410 and "This link has expired" in expired.content.decode()
    assert "raise the blockage again" in expired.content.decode()
    assert client.post(path, {}).status_code == 410
    unknown = client.get("/solutions/confirm/nonsense/")
    assert unknown.status_code == 404 and "This link is not right" in unknown.content.decode()


def test_anonymous_raising_is_limited_per_address(client: Client, raising: dict[str, Any]) -> None:
    t = raising
    for n in range(6):
        client.post("/solutions/raise/", form(t, raiser_name="Ada", raiser_email=f"ada{n}@example.org"))
        response = client.post("/solutions/raise/check/", {})
    assert response.status_code == 429
    assert "Too many blockages have been sent from here" in response.content.decode()
    assert Blockage.objects.count() == 5


def test_a_bot_filling_the_honeypot_stores_nothing(client: Client, raising: dict[str, Any]) -> None:
    response = client.post("/solutions/raise/", form(raising, website="spam", raiser_email="x@example.org"))
    assert response["Location"] == "/solutions/raise/sent/"
    assert client.get("/solutions/raise/check/").status_code == 302 and not Blockage.objects.exists()


@pytest.mark.parametrize("rows", [2, 25])
def test_your_blockages_costs_the_same_for_many_rows(
    client: Client, raising: dict[str, Any], rows: int, django_assert_max_num_queries: Any
) -> None:
    t = raising
    for _ in range(rows):
        factories.blockage(category=t["trees"], raised_by=t["member"], ward=t["ward"], organisation=t["group"])
    signed_in(client, t["member"])
    with django_assert_max_num_queries(8):
        page = client.get("/solutions/yours/").content.decode()
    assert page.count('data-testid="your-blockage"') == rows
