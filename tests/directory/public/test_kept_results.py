"""Find help's results and the ORUK API's pages of services are made once and reused (directory/changes.py):
whatever changes in the directory still shows on the very next request for the same search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.directory.models import ListingStatus, Schedule, Service
from commonweal.directory.search import reindex_services
from tests.conftest import PASSWORD

from .conftest import text_of

pytestmark = pytest.mark.django_db
PAGE = "/directory/"
API = "/api/oruk/services"


def shown(client: Client, **params: str) -> list[str]:
    """The services' names, as Find help lists them for this search."""
    response = client.get(PAGE, params)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.find('data-testid="results"')
    names = []
    while start != -1 and (found := html.find("<h3", start)) != -1:
        begin = html.index("<bdi>", found) + len("<bdi>")
        names.append(html[begin : html.index("</bdi>", begin)])
        start = found + 1
    return names


def listed_by_api(client: Client, **params: str) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200
    return [item["name"] for item in response.json()["contents"]]


@pytest.fixture
def lunch_club(listed: Callable[..., Service]) -> Service:
    service = listed("Lunch club for older people")
    listed("Chess club")
    reindex_services()
    return service


def test_the_same_search_again_does_not_search_again(
    client: Client, lunch_club: Service, django_assert_max_num_queries: Any
) -> None:
    """What makes the page fast: a search already answered is answered from what was kept."""
    first = client.get(PAGE, {"q": "lunch"})
    with django_assert_max_num_queries(3):
        again = client.get(PAGE, {"q": "lunch"})
    assert text_of(again) == text_of(first)
    listed_by_api(client, search="lunch")
    with django_assert_max_num_queries(1):
        assert listed_by_api(client, search="lunch") == ["Lunch club for older people"]


def test_a_new_name_shows_on_the_next_request(client: Client, lunch_club: Service) -> None:
    assert shown(client, q="club") == ["Chess club", "Lunch club for older people"]
    assert listed_by_api(client, search="club") == ["Chess club", "Lunch club for older people"]
    lunch_club.name = "Lunch club for everyone"
    lunch_club.save()
    assert shown(client, q="club") == ["Chess club", "Lunch club for everyone"]
    assert listed_by_api(client, search="club") == ["Chess club", "Lunch club for everyone"]


def test_a_withdrawn_service_goes_at_once(client: Client, lunch_club: Service) -> None:
    assert "Lunch club for older people" in shown(client, q="club")
    assert "Lunch club for older people" in listed_by_api(client, search="club")
    lunch_club.listing_status = ListingStatus.WITHDRAWN
    lunch_club.save()
    assert shown(client, q="club") == ["Chess club"]
    assert listed_by_api(client, search="club") == ["Chess club"]


def test_a_new_service_shows_on_the_next_request(
    client: Client, lunch_club: Service, listed: Callable[..., Service]
) -> None:
    assert shown(client, q="club") == ["Chess club", "Lunch club for older people"]
    assert len(listed_by_api(client, search="club")) == 2
    new = listed("Book club")
    reindex_services([new.pk])
    assert shown(client, q="club") == ["Book club", "Chess club", "Lunch club for older people"]
    assert len(listed_by_api(client, search="club")) == 3


def test_a_rebuilt_index_shows_on_the_next_request(client: Client, lunch_club: Service) -> None:
    """A change written straight to the table (as a bulk import does) shows once the search index is rebuilt."""
    assert shown(client, q="club") == ["Chess club", "Lunch club for older people"]
    assert len(listed_by_api(client, search="club")) == 2
    Service.objects.filter(pk=lunch_club.pk).update(name="Lunch gathering")
    reindex_services()
    assert shown(client, q="club") == ["Chess club"]
    assert listed_by_api(client, search="club") == ["Chess club"]


def test_different_searches_and_pages_get_their_own_results(client: Client, listed: Callable[..., Service]) -> None:
    for n in range(25):
        listed(f"Chess club {n:02}")
    listed("Yoga class")
    reindex_services()
    assert shown(client, q="yoga") == ["Yoga class"]
    assert shown(client, q="chess")[0] == "Chess club 00"
    second = client.get(PAGE, {"q": "chess", "page": "2"})
    assert "Chess club 20" in text_of(second) and "Chess club 00" not in text_of(second)
    # The link back to the first page is this search's own, not another one's.
    assert 'href="?q=chess&amp;page=1"' in second.content.decode()
    assert shown(client, q="yoga") == ["Yoga class"]
    assert listed_by_api(client, search="yoga") == ["Yoga class"]
    assert listed_by_api(client, search="chess", per_page="2") == ["Chess club 00", "Chess club 01"]
    assert listed_by_api(client, search="chess", per_page="2", page="2") == ["Chess club 02", "Chess club 03"]


def test_a_mistake_is_pointed_out_every_time(client: Client, lunch_club: Service, postcode: Any) -> None:
    for _ in range(2):
        page = client.get(PAGE, {"q": "lunch", "postcode": "SW19"})
        assert "There is a problem" in page.content.decode()
        assert 'data-testid="result-count"' not in page.content.decode()
        answer = client.get(API, {"search": "lunch", "page": "first"})
        assert answer.status_code == 400
        assert "page must be a whole number" in answer.json()["message"]
    assert shown(client, q="lunch", postcode="SW19 2HL") == []  # a good postcode: no place listed near it
    assert "Nearest first" in text_of(client.get(PAGE, {"q": "lunch", "postcode": "SW19 2HL"}))


def test_nobody_is_shown_another_persons_page(client: Client, lunch_club: Service, make_user: Any) -> None:
    """The kept results are the same for everyone; what is personal on the page is made for each person."""
    person = make_user("resident", email="ada.person@example.org")
    signed_in = Client()
    assert signed_in.login(email=person.email, password=PASSWORD)
    mine = signed_in.get(PAGE, {"q": "lunch"}).content.decode()
    assert "Lunch club for older people" in mine and "Sign out" in mine
    theirs = client.get(PAGE, {"q": "lunch"}).content.decode()
    assert "Lunch club for older people" in theirs
    assert "Sign out" not in theirs and "ada.person" not in theirs


def test_open_now_follows_the_clock_while_the_results_are_kept(
    client: Client, lunch_club: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = timezone.localdate()
    Schedule.objects.create(
        service=lunch_club, byday=Schedule.DAYS[today.weekday()], opens_at=time(9), closes_at=time(17)
    )
    reindex_services()

    def at(hour: int) -> None:
        moment = timezone.make_aware(datetime.combine(today, time(hour)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    def results() -> str:
        return text_of(client.get(PAGE, {"q": "lunch"})).split("1 service found")[1]

    at(10)
    assert "Open now" in results() and "Closed now" not in results()
    at(18)
    assert "Closed now" in results() and "Open now" not in results()


def test_signed_out_visitors_share_one_page_each_with_its_own_nonce(
    client: Client, lunch_club: Service, django_assert_num_queries: Any
) -> None:
    """The whole page is kept for the signed-out; the Content-Security-Policy nonce that lets its one inline
    script run is new on every request, in the header and the page alike."""
    first = client.get(PAGE, {"q": "lunch"})
    with django_assert_num_queries(0):
        again = client.get(PAGE, {"q": "lunch"})
    assert text_of(again) == text_of(first)
    nonces = []
    for response in (first, again):
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_signed_in_person_gets_their_own_page_after_the_shared_one_is_kept(
    client: Client, lunch_club: Service, make_user: Any
) -> None:
    assert "Sign out" not in client.get(PAGE, {"q": "lunch"}).content.decode()
    person = make_user("resident", email="grace.person@example.org")
    signed_in = Client()
    assert signed_in.login(email=person.email, password=PASSWORD)
    mine = signed_in.get(PAGE, {"q": "lunch"}).content.decode()
    assert "Lunch club for older people" in mine and "Sign out" in mine


def test_a_message_waiting_for_the_visitor_is_shown_not_lost(
    client: Client, lunch_club: Service, make_user: Any
) -> None:
    client.get(PAGE, {"q": "lunch"})  # the shared page is kept
    person = make_user("resident", email="alan.person@example.org")
    leaving = Client()
    assert leaving.login(email=person.email, password=PASSWORD)
    assert leaving.post("/accounts/logout/").status_code == 302  # 'You have signed out' waits for the next page
    page = leaving.get(PAGE, {"q": "lunch"}).content.decode()
    assert "You have signed out" in page
    assert "Lunch club for older people" in page
