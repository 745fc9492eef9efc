"""Search fixtures: two wards and a helper that lists a service at places on the map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.directory.models import Location, Service, ServiceAtLocation, TaxonomyTerm
from commonweal.places.models import CouncilArea, Ward
from tests.directory.factories import LocationFactory, OrganisationFactory, ServiceFactory

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
# Wimbledon and, about 2.3 km away, Morden; a long way off, Edinburgh.
WIMBLEDON = (51.4214, -0.2064)
MORDEN = (51.4022, -0.1947)
EDINBURGH = (55.9533, -3.1883)


def _ward(council: CouncilArea, code: str, name: str) -> Ward:
    return Ward.objects.create(
        council=council,
        code=code,
        name=name,
        boundary=SQUARE,
        min_lat=0,
        min_lon=0,
        max_lat=1,
        max_lon=1,
        centroid_lat=0.5,
        centroid_lon=0.5,
    )


@pytest.fixture
def wards(db: None) -> dict[str, Ward]:
    council = CouncilArea.objects.create(gss_code="E09000024", name="Merton Council", area_name="Merton")
    return {"abbey": _ward(council, "E05000001", "Abbey"), "ravensbury": _ward(council, "E05000002", "Ravensbury")}


@pytest.fixture
def listed(db: None) -> Callable[..., Service]:
    """A published service, at each of `places` ((lat, lon) or (lat, lon, ward)), with `terms`."""

    def make(
        name: str,
        *,
        description: str = "Help for local people.",
        places: list[tuple[Any, ...]] = (),  # type: ignore[assignment]
        terms: list[TaxonomyTerm] = (),  # type: ignore[assignment]
        organisation: Organisation | None = None,
        location_status: str = "published",
        **fields: Any,
    ) -> Service:
        service = ServiceFactory(
            name=name, description=description, organisation=organisation or OrganisationFactory(), **fields
        )
        for place in places:
            lat, lon, *rest = place
            location: Location = LocationFactory(
                organisation=service.organisation,
                latitude=lat,
                longitude=lon,
                ward=rest[0] if rest else None,
                listing_status=location_status,
            )
            ServiceAtLocation.objects.create(service=service, location=location)
        service.terms.set(terms)
        return service

    return make
