"""One rule for what the public sees of the directory, kept by every way in: pages, search, map data, the ORUK
API and the downloads. A service that is not running, waits for approval, was withdrawn, or belongs to a
withdrawn organisation is hidden from all of them; an officer still sees it on its page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.directory.models import Asset, Location, Service
from commonweal.directory.search import SearchQuery, reindex_services, search_services
from tests.directory.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_WAYS = {
    "not running": ({"status": Service.Status.INACTIVE}, {}),
    "temporarily closed": ({"status": Service.Status.TEMPORARILY_CLOSED}, {}),
    "waiting for approval": ({"listing_status": ListingStatus.PENDING}, {}),
    "withdrawn": ({"listing_status": ListingStatus.WITHDRAWN}, {}),
    "organisation withdrawn": ({}, {"listing_status": ListingStatus.WITHDRAWN}),
}


@dataclass
class TwoClubs:
    shown: Service
    hidden: Service


def _club(name: str, organisation: Organisation, **fields: Any) -> Service:
    service = ServiceFactory(name=name, organisation=organisation, **fields)
    ServiceAtLocationFactory(service=service, location=LocationFactory(organisation=organisation))
    return service


@pytest.fixture(params=list(HIDDEN_WAYS))
def clubs(request: pytest.FixtureRequest) -> TwoClubs:
    """Two lunch clubs at places on the map: one the public may see, one hidden in one of the ways."""
    service_fields, organisation_fields = HIDDEN_WAYS[request.param]
    shown = _club("Open lunch club", OrganisationFactory(name="Open Club Trust"))
    hidden = _club(
        "Hidden lunch club", OrganisationFactory(name="Hidden Club Trust", **organisation_fields), **service_fields
    )
    reindex_services(None)
    return TwoClubs(shown=shown, hidden=hidden)


def _map_names(page: str) -> list[str]:
    match = re.search(r'<script id="directory-map-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the page carries no map data"
    return [point["name"] for point in json.loads(match.group(1))]


def _streamed(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]


def test_find_help_lists_and_maps_only_the_public_service(clubs: TwoClubs, client: Client) -> None:
    response = client.get("/directory/", {"q": "lunch club"})
    assert [result.service.name for result in response.context["results"]] == ["Open lunch club"]
    assert _map_names(response.content.decode()) == ["Open lunch club"]


def test_search_finds_only_the_public_service(clubs: TwoClubs) -> None:
    found = search_services(SearchQuery(words="lunch club"), page=1, per_page=20)
    assert [hit.service_id for hit in found.hits] == [clubs.shown.pk]


def test_the_hidden_service_page_is_not_found(clubs: TwoClubs, client: Client) -> None:
    assert client.get(f"/directory/services/{clubs.shown.uuid}/").status_code == 200
    assert client.get(f"/directory/services/{clubs.hidden.uuid}/").status_code == 404


def test_only_the_public_service_can_be_reported_as_wrong(clubs: TwoClubs, client: Client) -> None:
    assert client.get(f"/directory/report/service/{clubs.shown.uuid}/").status_code == 200
    assert client.get(f"/directory/report/service/{clubs.hidden.uuid}/").status_code == 404


def test_an_officer_still_sees_the_hidden_service_and_why(
    clubs: TwoClubs, client: Client, make_user: Callable[..., Any], mfa_exempt: None
) -> None:
    client.force_login(make_user("officer"))
    response = client.get(f"/directory/services/{clubs.hidden.uuid}/")
    assert response.status_code == 200
    assert response.context["hidden_reason"], "the officer is told the public cannot see it"
    organisation = client.get(f"/directory/organisations/{clubs.hidden.organisation.slug}/")
    assert "Hidden lunch club" in organisation.content.decode()


def test_the_oruk_api_lists_and_gives_only_the_public_service(clubs: TwoClubs, client: Client) -> None:
    listed = client.get("/api/oruk/services", {"search": "lunch club"}).json()
    assert [item["name"] for item in listed["contents"]] == ["Open lunch club"]
    places = client.get("/api/oruk/service_at_locations", {"search": "lunch club"}).json()
    assert [item["service"]["name"] for item in places["contents"]] == ["Open lunch club"]
    assert client.get(f"/api/oruk/services/{clubs.shown.uuid}").status_code == 200
    assert client.get(f"/api/oruk/services/{clubs.hidden.uuid}").status_code == 404
    hidden_place = clubs.hidden.service_at_locations.get()
    assert client.get(f"/api/oruk/service_at_locations/{hidden_place.uuid}").status_code == 404


def test_the_oruk_api_organisation_lists_only_public_services(clubs: TwoClubs, client: Client) -> None:
    records = [
        client.get(f"/api/oruk/organizations/{org.uuid}").json()
        for org in (clubs.shown.organisation, clubs.hidden.organisation)
        if org.is_published
    ]
    names = [service["name"] for record in records for service in record["services"]]
    assert names == ["Open lunch club"]


def test_the_downloads_hold_only_the_public_service(clubs: TwoClubs, client: Client) -> None:
    spreadsheet = _streamed(client, "/directory/export/directory.csv")
    assert "Open lunch club" in spreadsheet
    assert "Hidden lunch club" not in spreadsheet
    document = json.loads(_streamed(client, "/directory/export/oruk.json"))
    assert [service["name"] for service in document["services"]] == ["Open lunch club"]
    nested = [service["name"] for org in document["organizations"] for service in org["services"]]
    assert nested == ["Open lunch club"]


def test_a_service_stopped_after_indexing_is_hidden_before_the_index_catches_up(client: Client) -> None:
    club = _club("Lunch club", OrganisationFactory())
    reindex_services(None)
    Service.objects.filter(pk=club.pk).update(status=Service.Status.INACTIVE)  # the index is not told
    assert client.get("/directory/", {"q": "lunch club"}).context["results"] == []
    assert client.get("/api/oruk/services", {"search": "lunch club"}).json()["contents"] == []


# --- the rule itself: the queryset and the loaded record agree ----------------------------------------------

STATUSES = [ListingStatus.PUBLISHED, ListingStatus.PENDING, ListingStatus.WITHDRAWN]


def test_a_service_is_public_in_sql_exactly_when_it_is_in_python() -> None:
    for listing, running, organisation in product(STATUSES, Service.Status.values, STATUSES):
        service = ServiceFactory(
            listing_status=listing, status=running, organisation=OrganisationFactory(listing_status=organisation)
        )
        in_sql = Service.objects.public().filter(pk=service.pk).exists()
        expected = (
            listing == ListingStatus.PUBLISHED and running == "active" and organisation == ListingStatus.PUBLISHED
        )
        assert service.is_public is in_sql is expected, (listing, running, organisation)


@pytest.mark.parametrize("model", [Location, Asset])
def test_a_place_is_public_when_it_and_any_organisation_it_has_are_published(model: type[Any]) -> None:
    factory: Any = LocationFactory if model is Location else AssetFactory
    for listing, organisation in product(STATUSES, [None, *STATUSES]):
        owner = None if organisation is None else OrganisationFactory(listing_status=organisation)
        record = factory(listing_status=listing, organisation=owner)
        in_sql = model.objects.public().filter(pk=record.pk).exists()
        expected = listing == ListingStatus.PUBLISHED and organisation in (None, ListingStatus.PUBLISHED)
        assert record.is_public is in_sql is expected, (listing, organisation)
