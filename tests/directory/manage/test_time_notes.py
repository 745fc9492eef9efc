"""A group changes its hours: a note that still gives the old times is pointed out beside the note, so the public
page never says two different times."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from commonweal.accounts.models import User
from commonweal.directory.models import ChangeRequest, Schedule, Service
from tests.directory.manage.test_editing import edit_url, service_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted(service: Service) -> Service:
    Schedule.objects.create(
        service=service, byday="SA", opens_at="10:00", closes_at="12:00", description="Every Saturday, 10am to midday"
    )
    return service


def test_changing_the_times_but_not_the_note_is_explained_beside_the_note(
    client_for: Callable[..., Client], member: User, noted: Service
) -> None:
    response = client_for(member).post(
        edit_url(noted),
        service_form(**{"when-1-opens_at": "09:00", "when-1-description": "Every Saturday, 10am to midday"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    message = (
        "The note for time 1 says 10am, but time 1 is 9am to midday. Change the note to match the times, or clear it."
    )
    assert page.count(message) == 2  # in the error summary and beside the note
    assert 'href="#id_when-1-description"' in page
    assert not ChangeRequest.objects.exists()
    assert str(noted.schedules.get().opens_at) == "10:00:00"


@pytest.mark.parametrize("note", ["", "Every Saturday, 9am to midday", "Not in August"])
def test_a_note_that_agrees_with_the_times_or_says_something_else_is_kept(
    client_for: Callable[..., Client], member: User, noted: Service, note: str
) -> None:
    response = client_for(member).post(
        edit_url(noted), service_form(**{"when-1-opens_at": "09:00", "when-1-description": note})
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.get().proposed["schedules"][0]["description"] == note
