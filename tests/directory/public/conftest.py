"""Public directory fixtures: Merton's real wards, a postcode in Abbey, and services listed at places."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.directory.models import Location, Service, ServiceAtLocation, TaxonomyTerm
from commonweal.directory.vocabulary import load_starter_vocabulary
from commonweal.places.models import Postcode, Ward
from tests.directory.factories import LocationFactory, OrganisationFactory, ServiceFactory

ABBEY = "E05013810"
HOSTILE = "<script>alert('x')</script>\u202eevil"


@pytest.fixture
def abbey(merton: Any) -> Ward:
    return Ward.objects.get(code=ABBEY)


@pytest.fixture
def postcode(abbey: Ward) -> Postcode:
    """SW19 2HL, at the centre of the Abbey ward's first small area."""
    lsoa = abbey.lsoas.first()
    assert lsoa is not None
    return Postcode.objects.create(
        postcode="SW19 2HL", latitude=lsoa.centroid_lat, longitude=lsoa.centroid_lon, ward=abbey, lsoa_code=lsoa.code
    )


@pytest.fixture
def vocabulary(db: None) -> Any:
    return load_starter_vocabulary()


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def listed(db: None) -> Callable[..., Service]:
    """A published service of a published organisation, at each of `places` ((lat, lon, ward) triples)."""

    def make(
        name: str,
        *,
        places: list[tuple[float, float, Ward | None]] = (),  # type: ignore[assignment]
        terms: list[TaxonomyTerm] = (),  # type: ignore[assignment]
        organisation: Organisation | None = None,
        location_fields: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Service:
        service = ServiceFactory(name=name, organisation=organisation or OrganisationFactory(), **fields)
        for lat, lon, ward in places:
            location: Location = LocationFactory(
                organisation=service.organisation, latitude=lat, longitude=lon, ward=ward, **(location_fields or {})
            )
            ServiceAtLocation.objects.create(service=service, location=location)
        service.terms.set(terms)
        return service

    return make


INLINE = re.compile(r"</?(?:bdi|a|strong|span|abbr)(?:\s[^>]*)?>")


def text_of(response: Any) -> str:
    """The page as a resident reads it: scripts dropped, inline tags unwrapped, other tags as spaces."""
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    html = INLINE.sub("", html)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
