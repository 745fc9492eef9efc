"""A resident reads a service page: how to get help first, nothing said twice, no two answers to 'when', and a
way back to the results they came from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.test import Client

from commonweal.directory.models import Schedule, Service

from .conftest import text_of

pytestmark = pytest.mark.django_db


def url(service: Service) -> str:
    return f"/directory/services/{service.uuid}/"


@pytest.fixture
def larder(listed: Callable[..., Any], abbey: Any) -> Service:
    service = listed(
        "Food larder",
        description="Food parcels for anyone who needs one.",
        is_free=True,
        fees_description="Free.",
        phone="020 8123 4567",
        email="larder@example.org",
        application_process="Just turn up.",
        places=[(51.418, -0.194, abbey)],
        location_fields={"name": "St Mark's Hall"},
    )
    Schedule.objects.create(
        service=service, byday="TH", opens_at=time(10), closes_at=time(13), description="Every Thursday, 10am to 1pm"
    )
    return service


def test_how_to_get_help_comes_before_what_it_is(client: Client, larder: Service) -> None:
    text = text_of(client.get(url(larder)))
    order = [text.index(words) for words in ("How to get help", "Just turn up.", "020 8123 4567", "St Mark's Hall")]
    order += [text.index("Thursdays, 10am to 1pm"), text.index("What it is"), text.index("Who it is for")]
    assert order == sorted(order)


def test_a_note_that_repeats_the_times_or_free_is_said_once(client: Client, larder: Service) -> None:
    text = text_of(client.get(url(larder)))
    assert text.count("10am to 1pm") == 1
    assert "Every Thursday" not in text
    assert "Free." not in text
    assert text.count("Free") == 1


def test_a_note_that_contradicts_the_times_is_held_back_from_the_public(client: Client, larder: Service) -> None:
    larder.schedules.update(opens_at=time(9))  # the group changed its hours and forgot the note
    text = text_of(client.get(url(larder)))
    assert "Thursdays, 9am to 1pm" in text
    assert "10am" not in text
    assert "change or clear the note" not in text


def test_the_group_sees_why_its_note_is_held_back(
    client: Client, larder: Service, make_user: Callable[..., Any]
) -> None:
    larder.schedules.update(opens_at=time(9))
    client.force_login(make_user("group_member", organisation=larder.organisation))
    text = text_of(client.get(url(larder)))
    assert (
        "The note ‘Every Thursday, 10am to 1pm’ says 10am, but the opening times say Thursdays, 9am to 1pm. "
        "The public sees only the opening times: change or clear the note."
    ) in text


def test_a_note_that_adds_something_is_shown_after_the_times(client: Client, larder: Service) -> None:
    larder.schedules.update(description="Term time only")
    assert "Thursdays, 10am to 1pm. Term time only" in text_of(client.get(url(larder)))


def test_back_to_results_returns_to_the_search_the_resident_made(client: Client, larder: Service) -> None:
    search = "/directory/?q=food&postcode=SW19+2HL&page=2"
    page = client.get(url(larder), HTTP_REFERER=f"http://testserver{search}").content.decode()
    assert f'<a href="{search.replace("&", "&amp;")}" class="govuk-back-link"' in page
    assert "govuk-breadcrumbs" not in page


@pytest.mark.parametrize(
    "referer",
    ["", "https://evil.example/directory/?q=food", "http://testserver/directory/organisations/x/", "not a url"],
)
def test_without_a_search_to_go_back_to_the_breadcrumbs_show(client: Client, larder: Service, referer: str) -> None:
    page = client.get(url(larder), HTTP_REFERER=referer).content.decode()
    assert "Back to results" not in page
    assert "govuk-breadcrumbs" in page
