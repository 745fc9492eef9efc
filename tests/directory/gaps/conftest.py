"""A small directory built by hand over two of Merton's real wards, where every figure is known in advance.

Abbey: organisations A (serves it) and D (its postcode is there); service 1; one published space.
Cannon Hill: organisation B (has a place there); services 1 (serves it) and 2 (delivered and serving there,
counted once, in two money terms counted once); one gift whose location is there.
Nothing else counts: a pending organisation and its service, a pending service, a service that is not running,
a service whose only location is withdrawn, a pending asset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.directory.models import Asset, Location, Service, ServiceAtLocation, TaxonomyTerm
from commonweal.directory.vocabulary import load_starter_vocabulary
from commonweal.places.models import Postcode, Ward
from tests.directory.factories import AssetFactory, LocationFactory, OrganisationFactory, ServiceFactory

ABBEY = "E05013810"


@dataclass
class SmallDirectory:
    abbey: Ward
    cannon_hill: Ward
    organisations: dict[str, Organisation]
    services: dict[str, Service]


def _term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def small_directory(merton: Any) -> SmallDirectory:
    load_starter_vocabulary()
    abbey = Ward.objects.get(code=ABBEY)
    cannon_hill = Ward.objects.get(name="Cannon Hill")
    Postcode.objects.create(postcode="SW19 2HL", latitude=51.4183, longitude=-0.1947, ward=abbey)

    a = OrganisationFactory(name="Abbey Food Share")
    a.wards_served.add(abbey)
    b = OrganisationFactory(name="Cannon Hill Advice")
    LocationFactory(organisation=b, ward=cannon_hill, name="Cannon Hill hall")
    c = OrganisationFactory(name="Waiting Group", listing_status=ListingStatus.PENDING)
    c.wards_served.add(abbey)
    d = OrganisationFactory(name="Abbey Kitchen", postcode="SW19 2HL")

    s1 = ServiceFactory(organisation=a, name="Food bank")
    s1.terms.add(_term("food-bank"))
    s1.wards_served.add(abbey, cannon_hill)
    s2 = ServiceFactory(organisation=b, name="Money advice")
    s2.terms.add(_term("benefits-advice"), _term("debt-advice"))
    s2.wards_served.add(cannon_hill)
    ServiceAtLocation.objects.create(service=s2, location=Location.objects.get(name="Cannon Hill hall"))
    s3 = ServiceFactory(organisation=b, name="Pending service", listing_status=ListingStatus.PENDING)
    s3.wards_served.add(cannon_hill)
    s4 = ServiceFactory(organisation=a, name="Closed service", status=Service.Status.INACTIVE)
    s4.wards_served.add(abbey)
    s5 = ServiceFactory(organisation=c, name="Service of a pending organisation")
    s5.wards_served.add(abbey)
    s6 = ServiceFactory(organisation=d, name="Lunch club")
    s6.terms.add(_term("community-meals"))
    gone = LocationFactory(organisation=None, ward=abbey, listing_status=ListingStatus.WITHDRAWN)
    ServiceAtLocation.objects.create(service=s6, location=gone)

    AssetFactory(name="Abbey hall", kind=Asset.Kind.SPACE, ward=abbey)
    AssetFactory(name="Pending hall", kind=Asset.Kind.SPACE, ward=abbey, listing_status=ListingStatus.PENDING)
    AssetFactory(
        name="Gardening know-how",
        kind=Asset.Kind.GIFT,
        display_name="Sam",
        location=LocationFactory(organisation=None, ward=cannon_hill),
    )
    return SmallDirectory(
        abbey=abbey,
        cannon_hill=cannon_hill,
        organisations={"A": a, "B": b, "C": c, "D": d},
        services={"1": s1, "2": s2, "3": s3, "4": s4, "5": s5, "6": s6},
    )
