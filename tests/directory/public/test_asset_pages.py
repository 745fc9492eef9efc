"""A resident browses the community asset map by ward, locality and kind, and opens an asset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonweal.directory.models import Asset
from commonweal.places.models import Ward
from commonweal.places.services import create_locality
from tests.directory.factories import AssetFactory, LocationFactory, OrganisationFactory

from .conftest import HOSTILE, text_of

pytestmark = pytest.mark.django_db
URL = "/directory/assets/"


def asset_names(response: Any) -> list[str]:
    return [asset.name for asset in response.context["assets"]]


@pytest.fixture
def wards(merton: Any) -> dict[str, Ward]:
    return {ward.name: ward for ward in Ward.objects.filter(name__in=["Abbey", "Hillside", "Ravensbury"])}


def test_assets_are_listed_by_ward_and_kind_with_counts(client: Client, wards: dict[str, Ward]) -> None:
    AssetFactory(name="Abbey hall", kind=Asset.Kind.SPACE, ward=wards["Abbey"], latitude=51.41, longitude=-0.19)
    AssetFactory(name="Abbey residents' association", kind=Asset.Kind.ASSOCIATION, ward=wards["Abbey"])
    AssetFactory(name="Hillside library", kind=Asset.Kind.INSTITUTION, ward=wards["Hillside"])
    AssetFactory(name="Hidden", kind=Asset.Kind.SPACE, ward=wards["Abbey"], listing_status="pending")
    response = client.get(URL)
    assert response.status_code == 200
    assert asset_names(response) == ["Abbey residents' association", "Abbey hall", "Hillside library"]
    text = text_of(response)
    assert "3 assets" in text
    assert "Physical space 1" in text and "Association 1" in text and "Institution 1" in text
    assert "A person's skill or gift 0" in text
    assert [point["name"] for point in response.context["map_points"]] == ["Abbey hall"]


def test_assets_filter_by_ward_locality_and_kind(client: Client, merton: Any, wards: dict[str, Ward]) -> None:
    AssetFactory(name="Abbey hall", kind=Asset.Kind.SPACE, ward=wards["Abbey"])
    AssetFactory(name="Hillside park", kind=Asset.Kind.SPACE, ward=wards["Hillside"])
    AssetFactory(name="Ravensbury choir", kind=Asset.Kind.CULTURAL, ward=wards["Ravensbury"])
    AssetFactory(
        name="Located by its address", kind=Asset.Kind.ECONOMIC, location=LocationFactory(ward=wards["Hillside"])
    )
    create_locality(council=merton, name="Wimbledon", wards=[wards["Abbey"], wards["Hillside"]])
    assert asset_names(client.get(URL, {"ward": wards["Abbey"].code})) == ["Abbey hall"]
    assert asset_names(client.get(URL, {"ward": wards["Hillside"].code})) == ["Located by its address", "Hillside park"]
    assert asset_names(client.get(URL, {"locality": "wimbledon"})) == [
        "Abbey hall",
        "Located by its address",
        "Hillside park",
    ]
    assert asset_names(client.get(URL, {"kind": "cultural"})) == ["Ravensbury choir"]
    assert asset_names(client.get(URL, {"locality": "wimbledon", "kind": "space"})) == ["Abbey hall", "Hillside park"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ward": "nowhere"}, "Choose a ward from the list."),
        ({"locality": "atlantis"}, "Choose a locality from the list."),
        ({"kind": "dragon"}, "Choose a kind of asset from the list."),
    ],
)
def test_a_bad_filter_in_a_link_is_explained(client: Client, merton: Any, params: dict[str, str], message: str) -> None:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in text_of(response)


def test_assets_page_through_fifty_at_a_time(client: Client, wards: dict[str, Ward]) -> None:
    for n in range(55):
        AssetFactory(name=f"Hall {n:02d}", ward=wards["Abbey"])
    first = client.get(URL)
    assert len(first.context["assets"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert asset_names(client.get(URL, {"page": "2"})) == [f"Hall {n}" for n in range(50, 55)]


def test_a_space_shows_how_to_book_it(client: Client, wards: dict[str, Ward]) -> None:
    hall = AssetFactory(
        name="St Mark's Hall",
        space_kind=Asset.SpaceKind.HALL,
        ward=wards["Abbey"],
        capacity=120,
        how_to_book="Email the bookings secretary.",
        who_can_use="Any community group.",
        contact_email="bookings@stmarks.example",
        location=LocationFactory(address_1="1 Church Road", accessibility="Step-free."),
        organisation=OrganisationFactory(name="St Mark's Church"),
    )
    response = client.get(f"/directory/assets/{hall.uuid}/")
    text = text_of(response)
    for expected in (
        "Physical space: hall",
        "St Mark's Hall",
        "Holds 120 people",
        "Email the bookings secretary.",
        "Any community group.",
        "bookings@stmarks.example",
        "1 Church Road, London, SW19 2HL",
        "Step-free.",
        "Abbey",
        "St Mark's Church",
        "Report a problem with this asset",
    ):
        assert expected in text, expected
    assert f'href="/directory/report/asset/{hall.uuid}/"' in response.content.decode()


def test_a_gift_never_shows_the_account_or_home_of_the_person_offering_it(
    client: Client, make_user: Callable[..., Any], wards: dict[str, Ward]
) -> None:
    giver = make_user("resident", email="jo.private@example.org")
    giver.full_name = "Josephine Private"
    giver.save()
    gift = AssetFactory(
        name="Bike repairs",
        kind=Asset.Kind.GIFT,
        offered_by=giver,
        display_name="Jo",
        ward=wards["Abbey"],
        latitude=51.41,
        longitude=-0.19,
        location=LocationFactory(address_1="7 Secret Lane"),
        contact_email="jo.private@example.org",
        how_to_book="Ask at the community centre.",
    )
    for page in (client.get(f"/directory/assets/{gift.uuid}/"), client.get(URL)):
        html = page.content.decode()
        assert "jo.private@example.org" not in html
        assert "Josephine" not in html
        assert "7 Secret Lane" not in html
    text = text_of(client.get(f"/directory/assets/{gift.uuid}/"))
    assert "Offered by Jo" in text
    assert "Ask at the community centre." in text
    assert client.get(f"/directory/assets/{gift.uuid}/").context["map_points"] == []
    assert client.get(URL).context["map_points"] == []


def test_a_pending_asset_is_hidden_but_its_giver_and_officers_see_it(
    client: Client, make_user: Callable[..., Any], mfa_exempt: None
) -> None:
    giver = make_user("resident")
    gift = AssetFactory(kind=Asset.Kind.GIFT, offered_by=giver, listing_status="pending")
    url = f"/directory/assets/{gift.uuid}/"
    assert client.get(url).status_code == 404
    client.force_login(make_user("resident"))
    assert client.get(url).status_code == 404
    for insider in (giver, make_user("officer")):
        client.force_login(insider)
        response = client.get(url)
        assert response.status_code == 200
        assert "waiting for approval" in text_of(response)


def test_an_asset_of_a_pending_organisation_is_hidden(client: Client) -> None:
    asset = AssetFactory(organisation=OrganisationFactory(listing_status="pending"))
    assert client.get(f"/directory/assets/{asset.uuid}/").status_code == 404
    assert asset.name not in text_of(client.get(URL))


def test_an_unknown_asset_is_not_found(client: Client) -> None:
    assert client.get("/directory/assets/6f1c1a9e-0000-4000-8000-000000000000/").status_code == 404


def test_hostile_asset_text_is_shown_as_text(client: Client, wards: dict[str, Ward]) -> None:
    asset = AssetFactory(name=HOSTILE, description=HOSTILE * 50, display_name=HOSTILE, kind=Asset.Kind.GIFT)
    for url in (f"/directory/assets/{asset.uuid}/", URL):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<bdi>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\u202eevil</bdi>" in html


def test_asset_pages_take_a_handful_of_queries(
    client: Client, wards: dict[str, Ward], django_assert_max_num_queries: Any
) -> None:
    group = OrganisationFactory()
    for n in range(30):
        AssetFactory(
            name=f"Hall {n}",
            ward=wards["Abbey"] if n % 2 else None,
            location=LocationFactory(ward=wards["Hillside"]),
            organisation=group,
        )
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
    asset = Asset.objects.first()
    with django_assert_max_num_queries(8):
        assert client.get(f"/directory/assets/{asset.uuid}/").status_code == 200
