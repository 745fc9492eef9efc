"""The public log and a blockage's public page: what the community sees of the council acting, and nothing
about the people involved beyond what they agreed to show."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.solutions.models import Blockage
from commonweal.solutions.steps import take_step
from tests.solutions import factories
from tests.solutions.public.conftest import raise_one

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PERSONAL = ("Rosa Secretname", "rosa.private@example.org", "07700 900123", "rosa.raiser@example.org", "Test officer")


def text(response: Any) -> str:
    """The page as a person reads it: tags gone, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" ,", ",")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=LONDON)


def test_the_log_lists_confirmed_blockages_newest_first_with_their_public_fields(
    client: Client, borough: dict[str, Any]
) -> None:
    older = raise_one(borough, title="Three conifers for the communitree", now=at(2026, 3, 2))
    newer = raise_one(borough, title="Street party licence", category=borough["licensing"], now=at(2026, 5, 4))
    raise_one(borough, title="Not confirmed yet", status=Blockage.Status.UNCONFIRMED)

    page = text(client.get(reverse("solutions:log")))

    assert page.index("Street party licence") < page.index("Three conifers for the communitree")
    assert "Not confirmed yet" not in page
    assert "2 blockages, 0 resolved" in page
    assert older.reference in page and newer.reference in page
    assert "Highways, Parks and green spaces" in page  # the conifers need both departments
    assert borough["ward"].name in page
    assert "A resident" in page
    for detail in PERSONAL:
        assert detail not in page


def test_a_raiser_who_agreed_is_named_and_a_group_is_shown_as_a_group(client: Client, borough: dict[str, Any]) -> None:
    from commonweal.accounts.services import create_organisation

    raise_one(borough, title="Named", show_raiser=True)
    group = create_organisation(name="Friends of Abbey Park", kind="informal_group")
    raise_one(borough, title="Hidden group", organisation=group)

    page = client.get(reverse("solutions:log")).content.decode()

    assert "Rosa Secretname" in page
    assert "Friends of Abbey Park" not in page
    assert "A community group" in page
    assert "rosa.private@example.org" not in page


def test_filters_narrow_the_log_and_the_counts_follow(client: Client, borough: dict[str, Any]) -> None:
    t = borough
    conifers = raise_one(t, title="Three conifers", description="We asked for trees.")
    raise_one(t, title="Street party", category=t["licensing"], ward=t["other_ward"])
    take_step(blockage=conifers, name="acknowledge", by=t["officer"])
    take_step(blockage=conifers, name="resolve", by=t["champion"], note="Planted in March.")

    def shown(**query: str) -> str:
        return text(client.get(reverse("solutions:log"), query))

    assert "1 blockage, 1 resolved" in shown(category="trees-and-planting")
    assert "Street party" not in shown(category="trees-and-planting")
    assert "Three conifers" not in shown(ward=t["other_ward"].code)
    assert "Street party" not in shown(status="closed")
    assert "Three conifers" not in shown(status="open")
    assert "Three conifers" in shown(status="resolved")
    assert "1 blockage, 1 resolved" in shown(q="trees")
    assert "No blockages match your search." in shown(q="swimming")


def test_a_filter_that_cannot_be_read_says_so_beside_the_field(client: Client, borough: dict[str, Any]) -> None:
    response = client.get(reverse("solutions:log"), {"status": "bogus", "ward": "nowhere"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose a status from the list." in page
    assert "Choose a ward from the list." in page


def test_the_log_is_paged(client: Client, borough: dict[str, Any]) -> None:
    for n in range(27):
        raise_one(borough, title=f"Blockage number {n}", now=at(2026, 1, 5 + n % 20))
    first = client.get(reverse("solutions:log")).content.decode()
    assert "27 blockages" in text(client.get(reverse("solutions:log")))
    second = client.get(reverse("solutions:log"), {"page": "2"}).content.decode()
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert first.count('data-testid="log-row"') == 25
    assert second.count('data-testid="log-row"') == 2
    assert client.get(reverse("solutions:log"), {"page": "999999999"}).status_code == 200


def test_a_joined_blockage_is_left_out_of_the_log_and_its_page_points_to_the_first(
    client: Client, borough: dict[str, Any]
) -> None:
    first = raise_one(borough, title="The first conifers")
    again = raise_one(borough, title="The conifers again")
    take_step(blockage=again, name="join", by=borough["officer"], note="The same as the first.")
    Blockage.objects.filter(pk=again.pk).update(joined_to=first)

    log = text(client.get(reverse("solutions:log")))
    assert "The conifers again" not in log
    assert "1 blockage" in log

    page = client.get(reverse("solutions:public_blockage", args=[again.uuid])).content.decode()
    assert f'joined to <a class="govuk-link" href="{reverse("solutions:public_blockage", args=[first.uuid])}">' in page
    first_page = client.get(reverse("solutions:public_blockage", args=[first.uuid])).content.decode()
    assert again.reference in first_page


def test_a_blockage_page_shows_the_timeline_with_the_council_notes_but_no_names(
    client: Client, borough: dict[str, Any]
) -> None:
    t = borough
    blockage = raise_one(t, title="Three conifers", latitude=51.41, longitude=-0.19)
    take_step(blockage=blockage, name="acknowledge", by=t["officer"], note="We have it.")
    take_step(blockage=blockage, name="wait", by=t["officer"], note="Which corner of the park?")
    take_step(blockage=blockage, name="reply", by=t["raiser"], note="Ring me on 07700 900123.")
    take_step(blockage=blockage, name="resolve", by=t["champion"], note="Planted by the parks team.")
    Blockage.objects.filter(pk=blockage.pk).update(
        change=Blockage.Change.PROCESS, change_detail="Tree requests now go to one inbox."
    )

    response = client.get(reverse("solutions:public_blockage", args=[blockage.uuid]))
    page = response.content.decode()

    assert response.status_code == 200
    for step in ("Raised", "Acknowledged", "Waiting for the person who raised it", "The person who raised it answered"):
        assert step in page
    assert "We have it." in page and "Planted by the parks team." in page
    assert "Tree requests now go to one inbox." in page
    assert 'id="blockage-map"' in page
    for detail in PERSONAL:
        assert detail not in page
    assert t["officer"].full_name not in page
    assert t["champion"].full_name not in page


def test_an_unconfirmed_or_unknown_blockage_is_not_found(client: Client, borough: dict[str, Any]) -> None:
    hidden = raise_one(borough, status=Blockage.Status.UNCONFIRMED)
    assert client.get(reverse("solutions:public_blockage", args=[hidden.uuid])).status_code == 404
    assert client.get("/solutions/blockages/3f7b145d-84af-42d7-8fae-eaca714b02b2/").status_code == 404


def test_the_log_reads_the_same_number_of_queries_for_2_or_30_blockages(
    client: Client, borough: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for _ in range(2):
        raise_one(borough)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("solutions:log"))
    for _ in range(28):
        raise_one(borough, category=borough["licensing"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("solutions:log"))


def test_published_case_studies_are_listed_and_drafts_are_not(client: Client, borough: dict[str, Any]) -> None:
    published = factories.case_study("The communitree")
    draft = factories.case_study("A draft", is_published=False)

    listing = client.get(reverse("solutions:case_studies")).content.decode()
    assert "The communitree" in listing and "A draft" not in listing
    detail = client.get(reverse("solutions:case_study", args=[published.pk])).content.decode()
    for text in factories.CASE_STUDY_SECTIONS.values():
        assert text in detail
    assert client.get(reverse("solutions:case_study", args=[draft.pk])).status_code == 404


def test_the_footer_links_to_the_public_log(client: Client, borough: dict[str, Any]) -> None:
    page = client.get(reverse("home:home")).content.decode()
    assert f'href="{reverse("solutions:log")}">Solutions Framework</a>' in page


__all__ = ["factories"]
