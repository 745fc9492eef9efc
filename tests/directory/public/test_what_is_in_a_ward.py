"""A resident on a ward's page finds the help, groups and community assets in the ward, and the lists of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django.test import Client

from commonweal.accounts.models import ListingStatus
from commonweal.directory.models import Asset
from commonweal.directory.search import reindex_services
from commonweal.places.models import Ward
from tests.directory.factories import AssetFactory, OrganisationFactory

from .conftest import ABBEY

pytestmark = pytest.mark.django_db


def section(doc: Any, testid: str) -> Any:
    return doc.xpath(f'//*[@data-testid="{testid}"]')[0]


def words(element: Any) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def in_abbey(listed: Callable[..., Any], abbey: Ward) -> dict[str, Any]:
    """A food bank with a place in Abbey, an advice line that serves it, a lunch club elsewhere, a group waiting
    for approval that serves Abbey, and a recreation ground there."""
    bank = listed("Abbey food bank", places=[(51.418, -0.194, abbey)])
    served = listed("Advice line", organisation=OrganisationFactory(name="Advice Merton"))
    served.wards_served.set([abbey])
    listed("Far lunch club", places=[(51.40, -0.16, Ward.objects.exclude(code=ABBEY).first())])
    OrganisationFactory(name="Hidden group", listing_status=ListingStatus.PENDING).wards_served.set([abbey])
    reindex_services()
    AssetFactory(name="Abbey rec", kind=Asset.Kind.SPACE, ward=abbey)
    return {"bank": bank}


def test_a_ward_page_links_to_the_help_groups_and_assets_in_the_ward(client: Client, in_abbey: Any) -> None:

    doc = lxml.html.fromstring(client.get(f"/places/wards/{ABBEY}/").content)
    services = section(doc, "ward-services")
    assert words(services) == "Help and activities 2 services run here or serve people here. Find help in Abbey"
    assert services.xpath(".//a")[0].get("href") == f"/directory/?ward={ABBEY}"
    groups = section(doc, "ward-groups")
    assert words(groups) == "Groups and organisations 2 groups meet or work here. See the groups in Abbey"
    assert groups.xpath(".//a")[0].get("href") == f"/directory/groups/?ward={ABBEY}"
    assets = section(doc, "ward-assets")
    assert "1 community asset" in words(assets)
    assert assets.xpath(".//a")[0].get("href") == f"/directory/assets/?ward={ABBEY}"


def test_the_find_help_list_a_ward_links_to_shows_that_wards_services(
    client: Client, listed: Callable[..., Any], abbey: Ward
) -> None:
    listed("Abbey food bank", places=[(51.418, -0.194, abbey)])
    listed("Far lunch club", places=[(51.40, -0.16, Ward.objects.exclude(code=ABBEY).first())])
    reindex_services()
    doc = lxml.html.fromstring(client.get(f"/directory/?ward={ABBEY}").content)
    assert [words(h) for h in doc.xpath('//*[@data-testid="results"]//h3')] == ["Abbey food bank"]
    # The chosen filter is shown, not folded away.
    assert doc.xpath('//details[@data-testid="filters"]')[0].get("open") is not None
    assert "1 chosen" in words(doc.xpath('//details[@data-testid="filters"]/summary')[0])


def test_the_groups_a_ward_links_to_are_those_with_a_place_or_a_service_there(
    client: Client, in_abbey: dict[str, Any]
) -> None:
    doc = lxml.html.fromstring(client.get(f"/directory/groups/?ward={ABBEY}").content)
    assert words(doc.xpath("//h1")[0]) == "Groups and organisations in Abbey"
    names = [words(a) for a in doc.xpath('//*[@data-testid="groups"]//h3/a')]
    assert names == sorted([in_abbey["bank"].organisation.name, "Advice Merton"])
    assert "Runs 1 service" in words(doc.xpath('//*[@data-testid="groups"]')[0])
    everyone = lxml.html.fromstring(client.get("/directory/groups/").content)
    assert words(everyone.xpath('//*[@data-testid="group-count"]')[0]) == "3 groups"


def test_a_ward_that_is_not_in_the_list_is_explained_beside_the_field(client: Client, abbey: Ward) -> None:
    response = client.get("/directory/groups/?ward=E05999999")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    assert "Choose a ward from the list." in words(doc.xpath('//*[contains(@class, "govuk-error-summary")]')[0])
    assert doc.xpath('//p[contains(@class, "govuk-error-message")]')
