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


def test_a_ward_page_links_to_the_help_groups_and_assets_in_the_ward(
    client: Client, listed: Callable[..., Any], abbey: Ward
) -> None:
    elsewhere = Ward.objects.exclude(code=ABBEY).first()
    bank = listed("Abbey food bank", places=[(51.418, -0.194, abbey)])
    served = listed("Advice line", organisation=OrganisationFactory(name="Advice Merton"))
    served.wards_served.set([abbey])
    listed("Far lunch club", places=[(51.40, -0.16, elsewhere)])
    OrganisationFactory(name="Hidden group", listing_status=ListingStatus.PENDING).wards_served.set([abbey])
    reindex_services()
    AssetFactory(name="Abbey rec", kind=Asset.Kind.SPACE, ward=abbey)

    doc = lxml.html.fromstring(client.get(f"/places/wards/{ABBEY}/").content)
    services = section(doc, "ward-services")
    assert words(services) == "Help and activities 2 services run here or serve people here. Find help in Abbey"
    assert services.xpath(".//a")[0].get("href") == f"/directory/?ward={ABBEY}"
    groups = section(doc, "ward-groups")
    assert "2 groups meet or work here." in words(groups)
    names = [a.text_content() for a in groups.xpath(".//li/a")]
    assert names == sorted([bank.organisation.name, "Advice Merton"])  # not the group waiting for approval
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
