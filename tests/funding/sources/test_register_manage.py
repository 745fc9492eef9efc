"""Officers add and change entries in the register; everyone else is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commonweal.funding.models import FundingSource
from tests.dates import date_boxes
from tests.funding.sources.conftest import HOSTILE
from tests.funding.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db

NEW = "/funding/manage/sources/new/"


def good(themes: list, **more: Any) -> dict[str, Any]:
    return {
        "funder": "Wimbledon Foundation",
        "funder_org_id": "GB-CHC-1156510",
        "name": "Community Grants",
        "what_they_fund": "Projects for older people.",
        "themes": [themes[0].pk],
        "min_amount": "500",
        "max_amount": "5000",
        **date_boxes("deadline", "31/3/2027"),
        "url": "https://example.org/grants",
        "is_active": "on",
        **more,
    }


def test_an_officer_adds_a_programme_and_sees_it_in_the_register(officer_client: Client, themes: list) -> None:
    response = officer_client.post(NEW, good(themes))
    source = FundingSource.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/funding/sources/{source.pk}/"
    assert (source.min_amount, source.max_amount, str(source.deadline)) == (
        Decimal("500"),
        Decimal("5000"),
        "2027-03-31",
    )
    assert list(source.themes.all()) == [themes[0]]
    assert (
        "Wimbledon Foundation: Community Grants is in the register."
        in officer_client.get(response["Location"]).content.decode()
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"funder": " "}, "funder", "Enter the funder’s name."),
        ({"name": ""}, "name", "Enter the name of the programme."),
        ({"what_they_fund": ""}, "what_they_fund", "Say what the programme funds."),
        ({"funder_org_id": "1156510"}, "funder_org_id", "Start with the list the number comes from"),
        ({"funder_org_id": "GB-COH-123"}, "funder_org_id", "A company number is 8 characters"),
        (
            {"min_amount": "9000"},
            "min_amount",
            "The smallest grant (£9,000) must not be more than the largest (£5,000).",
        ),
        ({"min_amount": "-1"}, "min_amount", "The smallest grant must be £0 or more"),
        ({"max_amount": "five thousand"}, "max_amount", "The largest grant must be an amount of money"),
        (date_boxes("deadline", "31/2/2027"), "deadline", "The next deadline must be a real date"),
        ({"url": "javascript:alert(1)"}, "url", "Enter a web address starting https://"),
        ({"name": "x" * 201}, "name", "Use 200 characters or fewer (you used 201)."),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_typed_is_lost(
    officer_client: Client, themes: list, change: dict, field: str, message: str
) -> None:
    response = officer_client.post(NEW, good(themes, **change))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert 'value="Wimbledon Foundation"' in response.content.decode() or change.get("funder") == " "
    assert not FundingSource.objects.exists()


def test_an_officer_changes_an_entry(officer_client: Client, themes: list) -> None:
    source = SourceFactory()
    url = f"/funding/manage/sources/{source.pk}/"
    assert "Change a funding source" in officer_client.get(url).content.decode()
    response = officer_client.post(url, good(themes, name="Renamed", is_active=""))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "Renamed" and source.is_active is False


def test_officers_still_see_programmes_that_are_not_open(officer_client: Client, themes: list) -> None:
    SourceFactory(name="Gone", is_active=False)
    assert "Gone" in officer_client.get("/funding/sources/").content.decode()


@pytest.mark.parametrize("role", ["resident", "group_member", "steward"])
def test_people_who_are_not_officers_cannot_add_to_the_register(
    client: Client, make_user: Any, themes: list, role: str, mfa_exempt: None
) -> None:
    client.force_login(make_user(role))
    response = client.post(NEW, good(themes))
    assert response.status_code == 403
    assert "Only council officers can change the register of funding sources." in response.content.decode()
    assert not FundingSource.objects.exists()


def test_hostile_text_is_kept_as_typed_and_shown_safely(officer_client: Client, themes: list) -> None:
    officer_client.post(NEW, good(themes, funder=HOSTILE, name=HOSTILE))
    source = FundingSource.objects.get()
    assert source.funder == HOSTILE
    page = officer_client.get(f"/funding/sources/{source.pk}/").content.decode()
    assert "<script>alert" not in page and "<bdi>&lt;script&gt;" in page
