"""The benchmark-scale generator makes what it says, at a small scale, on either database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.directory.generate import SERVICE_TEMPLATES, generate_directory
from commonweal.directory.models import Asset, Location, Schedule, Service, ServiceAtLocation, TaxonomyTerm
from commonweal.directory.search import SearchQuery, search_services
from commonweal.places.services import ward_for_point
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(merton: Any) -> Any:
    return generate_directory(council=merton, organisations=40, services=150, assets=12, seed=7)


def test_it_makes_the_numbers_it_was_asked_for(generated: Any) -> None:
    assert (generated.organisations, generated.services, generated.assets) == (40, 150, 12)
    assert Organisation.objects.count() == 40
    assert Service.objects.count() == 150
    assert Asset.objects.count() == 12
    assert Location.objects.count() == generated.locations >= 100  # 5 venues in each of 20 wards, and premises
    assert ServiceAtLocation.objects.count() == generated.service_at_locations
    assert Schedule.objects.count() == generated.schedules == 150
    assert Service.terms.through.objects.count() == generated.term_links
    assert Service.wards_served.through.objects.count() == generated.ward_links
    assert generated.seconds > 0 and generated.reindex_seconds > 0


def test_every_service_has_a_category_a_schedule_and_the_fields_it_needs(generated: Any) -> None:
    services = Service.objects.annotate(
        n_terms=Count("terms", distinct=True), n_schedules=Count("schedules", distinct=True)
    )
    for service in services:
        assert 1 <= service.n_terms <= 2, service.name
        assert service.n_schedules == 1, service.name
        assert service.created_at is not None and service.updated_at is not None
        assert service.uuid is not None and service.is_demo
        assert service.description
    leaf_codes = set(TaxonomyTerm.objects.filter(services__isnull=False).values_list("code", flat=True))
    assert leaf_codes <= set(SERVICE_TEMPLATES)


def test_places_are_in_the_wards_they_name(generated: Any) -> None:
    for location in Location.objects.select_related("ward"):
        assert ward_for_point(location.latitude, location.longitude) == location.ward


def test_organisation_ids_are_unique_and_never_real(generated: Any) -> None:
    org_ids = [org_id for org_id in Organisation.objects.values_list("org_id", flat=True) if org_id]
    assert len(org_ids) == len(set(org_ids))
    for org_id in org_ids:
        assert org_id.startswith(("GB-CHC-91", "GB-COH-91")), org_id


def test_records_made_afterwards_get_fresh_ids(generated: Any) -> None:
    """The generator writes its own ids; the database's counters must carry on after them (PostgreSQL)."""
    organisation = create_organisation(name="Made afterwards", kind=Organisation.Kind.INFORMAL_GROUP)
    service = ServiceFactory(organisation=organisation)
    assert organisation.pk > max(Organisation.objects.exclude(pk=organisation.pk).values_list("pk", flat=True))
    assert service.pk > max(Service.objects.exclude(pk=service.pk).values_list("pk", flat=True))


def test_the_generated_directory_can_be_searched(generated: Any) -> None:
    everything = search_services(SearchQuery())
    assert 0 < everything.total <= 150


def test_it_refuses_nonsense(merton: Any) -> None:
    with pytest.raises(ValueError, match="at least one organisation"):
        generate_directory(council=merton, organisations=0, services=10)
