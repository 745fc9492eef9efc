"""A resident looks for help on the 'Find help' page, with and without JavaScript's map."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.directory.models import Schedule, Service
from commonweal.directory.search import reindex_services
from tests.directory.factories import OrganisationFactory

from .conftest import HOSTILE, term, text_of

pytestmark = pytest.mark.django_db
URL = "/directory/"


def result_names(response: Any) -> list[str]:
    return [result.service.name for result in response.context["results"]]


def map_points(response: Any) -> list[dict[str, Any]]:
    match = re.search(
        r'<script id="directory-map-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page carries no map data"
    return json.loads(match.group(1))


def test_the_page_offers_words_filters_and_a_postcode(client: Client, vocabulary: Any, abbey: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for label in (
        "What do you need help with?",
        "Near a postcode",
        "Distance",
        "Category",
        "Ward",
        "Open now",
        "Free only",
        "How you get help",
    ):
        assert label in page
    assert '<optgroup label="Food">' in page and ">Food banks</option>" in page
    assert ">Abbey</option>" in page
    assert 'method="get"' in page


def test_with_no_search_every_service_is_listed_by_name(client: Client, listed: Callable[..., Any]) -> None:
    listed("Youth club")
    listed("Art group")
    reindex_services()
    response = client.get(URL)
    assert result_names(response) == ["Art group", "Youth club"]
    assert "2 services found" in text_of(response)


def test_a_search_by_words_shows_what_a_resident_needs_to_choose(
    client: Client, listed: Callable[..., Any], vocabulary: Any, abbey: Any
) -> None:
    group = OrganisationFactory(name="Merton Food Network")
    listed(
        "Emergency food bank",
        organisation=group,
        terms=[term("food-bank")],
        is_free=True,
        places=[(51.4183, -0.1947, abbey)],
        location_fields={"address_1": "12 Abbey Road", "postcode": "SW19 2HL"},
    )
    listed("Chess club")
    reindex_services()
    response = client.get(URL, {"q": "food bank"})
    assert result_names(response) == ["Emergency food bank"]
    text = text_of(response)
    assert "1 service found" in text
    assert "From Merton Food Network" in text
    assert "Categories: Food banks" in text
    assert "12 Abbey Road, London, SW19 2HL" in text
    assert "Free" in text
    assert f"Last checked {timezone.localdate():%-d %B %Y}" in text
    assert response.context["form"]["q"].value() == "food bank"


def test_a_misspelt_search_shows_results_for_the_corrected_words(client: Client, listed: Callable[..., Any]) -> None:
    listed("Emergency food bank")
    reindex_services()
    response = client.get(URL, {"q": "fod bnak"})
    assert result_names(response) == ["Emergency food bank"]
    assert "Showing results for food bank" in text_of(response)


def test_nothing_found_suggests_how_to_find_more(client: Client, listed: Callable[..., Any]) -> None:
    listed("Emergency food bank")
    reindex_services()
    text = text_of(client.get(URL, {"q": "xylophone"}))
    assert "0 services found" in text
    assert "using fewer or different words" in text


def test_near_a_postcode_the_nearest_come_first_with_their_distance(
    client: Client, listed: Callable[..., Any], postcode: Any, abbey: Any
) -> None:
    listed("Far hall", places=[(postcode.latitude + 0.02, postcode.longitude, abbey)])
    listed("Next door", places=[(postcode.latitude + 0.001, postcode.longitude, abbey)])
    listed("Helpline", in_person=False, by_phone=True)
    listed("Beyond the borough", places=[(52.5, -1.9, None)])
    reindex_services()
    response = client.get(URL, {"postcode": "sw19 2hl", "distance": "5"})
    assert result_names(response) == ["Next door", "Far hall"]
    text = text_of(response)
    assert "Nearest first: within 5 miles of SW19 2HL." in text
    assert "Less than 0.1 miles away" in text
    assert "1.4 miles away" in text
    assert "helplines" in text


def test_any_distance_lists_everything_with_an_address_nearest_first(
    client: Client, listed: Callable[..., Any], postcode: Any, abbey: Any
) -> None:
    listed("Next door", places=[(postcode.latitude, postcode.longitude, abbey)])
    listed("Beyond the borough", places=[(52.5, -1.9, None)])
    reindex_services()
    response = client.get(URL, {"postcode": "SW19 2HL", "distance": "any"})
    assert result_names(response) == ["Next door", "Beyond the borough"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("SW19", "Enter a real postcode, like SW19 2HL."),
        ("SW19 1ZZ", "SW19 1ZZ is not a postcode in Merton."),
    ],
)
def test_a_postcode_that_cannot_be_used_is_explained_beside_the_field(
    client: Client, postcode: Any, typed: str, message: str
) -> None:
    response = client.get(URL, {"q": "food", "postcode": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    error = '<p id="id_postcode-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>'
    assert f"{error} {message}</p>" in page
    assert f'<a href="#id_postcode">{message}</a>' in page
    assert f'value="{typed}"' in page and 'value="food"' in page
    assert 'data-testid="result-count"' not in page, "no results for a question that could not be asked"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "no-such-thing"}, "Choose a category from the list."),
        ({"ward": "E05999999"}, "Choose a ward from the list."),
        ({"distance": "1000"}, "Choose a distance from the list."),
        ({"delivery": "by_pigeon"}, "Choose how you want to get help."),
        ({"q": "a" * 201}, "Search words must be 200 characters or fewer."),
    ],
)
def test_a_bad_value_in_a_shared_link_is_explained_not_a_crash(
    client: Client, vocabulary: Any, merton: Any, params: dict[str, str], message: str
) -> None:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_filters_narrow_the_results(client: Client, listed: Callable[..., Any], vocabulary: Any, abbey: Any) -> None:
    now = timezone.localtime()
    today = Schedule.DAYS[now.weekday()]
    open_now = listed("Open now", is_free=True, in_person=True, by_phone=False, terms=[term("food-bank")])
    Schedule.objects.create(service=open_now, byday=today, opens_at=time(0), closes_at=time(23, 59, 59))
    listed("Paid", is_free=False, places=[(51.42, -0.2, abbey)], terms=[term("debt-advice")])
    listed("Helpline", in_person=False, by_phone=True, terms=[term("food-pantry")])
    reindex_services()
    assert result_names(client.get(URL, {"open_now": "on"})) == ["Open now"]
    assert result_names(client.get(URL, {"free": "on"})) == ["Helpline", "Open now"]
    assert result_names(client.get(URL, {"delivery": "by_phone"})) == ["Helpline"]
    assert result_names(client.get(URL, {"category": "food"})) == ["Helpline", "Open now"]
    assert result_names(client.get(URL, {"category": "food-bank"})) == ["Open now"]
    assert result_names(client.get(URL, {"ward": abbey.code})) == ["Paid"]
    assert "Open now" in text_of(client.get(URL, {"open_now": "on"}))


def test_paging_keeps_the_search_in_its_links(client: Client, listed: Callable[..., Any]) -> None:
    for n in range(25):
        listed(f"Club {n:02d}", description="A friendly club.")
    reindex_services()
    first = client.get(URL, {"q": "club"})
    assert len(first.context["results"]) == 20
    page = first.content.decode()
    assert "Page 1 of 2" in page
    assert 'href="?q=club&amp;page=2"' in page
    second = client.get(URL, {"q": "club", "page": "2"})
    assert result_names(second) == [f"Club {n}" for n in range(20, 25)]
    assert 'start="21"' in second.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999", "1e3", "२"])
def test_a_nonsense_page_number_shows_the_first_page(client: Client, listed: Callable[..., Any], page: str) -> None:
    listed("Club")
    reindex_services()
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert result_names(response) == ["Club"]


def test_a_page_beyond_the_last_says_how_many_there_are(client: Client, listed: Callable[..., Any]) -> None:
    listed("Club")
    reindex_services()
    response = client.get(URL, {"q": "club", "page": "5"})
    assert "1 service found" in text_of(response)


def test_the_map_has_a_numbered_point_for_each_result_with_a_place(
    client: Client, listed: Callable[..., Any], abbey: Any
) -> None:
    service = listed("Lunch club", places=[(51.4183, -0.1947, abbey)])
    listed("Helpline", in_person=False)
    reindex_services()
    response = client.get(URL)
    points = map_points(response)
    assert points == [
        {
            "number": 2,
            "name": "Lunch club",
            "organisation": service.organisation.name,
            "url": f"/directory/services/{service.uuid}/",
            "address": "1 High Street, London, SW19 2HL",
            "lat": 51.4183,
            "lon": -0.1947,
        }
    ]
    # Hidden until the script draws it; the list is what works without JavaScript.
    assert '<div class="directory-map" id="directory-map" hidden role="region"' in response.content.decode()


def test_a_stale_service_is_flagged_in_the_results(client: Client, listed: Callable[..., Any]) -> None:
    listed("Old club", last_checked_at=timezone.now() - timedelta(days=400))
    reindex_services()
    assert "Not checked for over a year" in text_of(client.get(URL))


def test_hostile_text_is_shown_as_text(client: Client, listed: Callable[..., Any], abbey: Any) -> None:
    listed(
        HOSTILE,
        description="x" * 5000,
        organisation=OrganisationFactory(name=HOSTILE),
        places=[(51.4183, -0.1947, abbey)],
        location_fields={"address_1": HOSTILE},
    )
    reindex_services()
    response = client.get(URL, {"q": "script alert"})
    page = response.content.decode()
    assert result_names(response) == [HOSTILE]
    assert "<script>alert" not in page
    assert "<bdi>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\u202eevil</bdi>" in page
    assert "</script>\u202e" not in page.split('id="directory-map-data"')[1].split("</script>")[0]
    assert map_points(response)[0]["name"] == HOSTILE


def test_search_words_typed_by_a_resident_are_shown_safely(client: Client, listed: Callable[..., Any]) -> None:
    listed("Club")
    reindex_services()
    page = client.get(URL, {"q": HOSTILE}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_hidden_services_never_appear(client: Client, listed: Callable[..., Any]) -> None:
    listed("Shown")
    listed("Waiting", listing_status="pending")
    listed("Closed", status=Service.Status.DEFUNCT)
    listed("Of a pending group", organisation=OrganisationFactory(listing_status="pending"))
    reindex_services()
    assert result_names(client.get(URL)) == ["Shown"]


def test_a_page_of_results_takes_a_handful_of_queries(
    client: Client,
    listed: Callable[..., Any],
    vocabulary: Any,
    abbey: Any,
    postcode: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(30):
        service = listed(
            f"Food club {n}",
            terms=[term("food-bank"), term("community-meals")],
            places=[(postcode.latitude + n / 1000, postcode.longitude, abbey)],
        )
        Schedule.objects.create(service=service, byday="MO,TU", opens_at=time(9), closes_at=time(12))
    reindex_services()
    client.get(URL, {"q": "food"})  # the vocabulary is read once per process
    with django_assert_max_num_queries(12):
        response = client.get(
            URL,
            {
                "q": "food",
                "postcode": "SW19 2HL",
                "distance": "any",
                "category": "food",
                "ward": abbey.code,
                "open_now": "on",
            },
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "food", "postcode": "SW19 2HL", "distance": "any"})
    assert len(response.context["results"]) == 20


def test_only_get_is_allowed(client: Client) -> None:
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("page", ["3", "10000", str(10**20)])
def test_a_page_past_the_last_shows_the_last_page(client: Client, listed: Callable[..., Any], page: str) -> None:
    for n in range(25):
        listed(f"Club {n:02d}", description="A friendly club.")
    reindex_services()
    response = client.get(URL, {"q": "club", "page": page})
    assert response.status_code == 200
    assert result_names(response) == [f"Club {n}" for n in range(20, 25)]
    assert "Page 2 of 2" in response.content.decode()


def test_a_long_search_says_which_words_were_left_out(client: Client, listed: Callable[..., Any]) -> None:
    listed("Lunch club", description="A friendly lunch club.")
    reindex_services()
    typed = "lunch club " + " ".join(f"word{n}" for n in range(10)) + " gardening knitting"
    response = client.get(URL, {"q": typed})
    assert response.status_code == 200
    assert "Only the first 12 words were searched for. These were left out: gardening knitting." in text_of(response)


@pytest.mark.parametrize("typed", [" ".join(["food"] * 100), " ".join(f"w{n}" for n in range(100)), "x" * 5000])
def test_a_hostile_search_is_refused_with_a_message_not_a_crash(client: Client, typed: str) -> None:
    response = client.get(URL, {"q": typed})
    assert response.status_code == 200
    assert "Search words must be 200 characters or fewer." in text_of(response)
