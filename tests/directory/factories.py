"""factory_boy factories for directory records: published and checked today unless a test says otherwise."""

from __future__ import annotations

import factory
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.directory.models import Asset, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    slug = factory.Sequence(lambda n: f"community-group-{n}")
    kind = Organisation.Kind.REGISTERED_CHARITY
    description = "Runs activities for local people."
    last_checked_at = factory.LazyFunction(timezone.now)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Community Hall {n}")
    address_1 = "1 High Street"
    city = "London"
    postcode = "SW19 2HL"
    latitude = 51.4183
    longitude = -0.1947
    last_checked_at = factory.LazyFunction(timezone.now)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Help for local people."
    last_checked_at = factory.LazyFunction(timezone.now)


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy
        django_get_or_create = ("name",)

    name = "Test vocabulary"
    description = "Terms for tests."


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"term-{n}")
    name = factory.Sequence(lambda n: f"Term {n}")
    description = "A category."


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    kind = Asset.Kind.SPACE
    name = factory.Sequence(lambda n: f"Asset {n}")
    description = "A place to meet."
    last_checked_at = factory.LazyFunction(timezone.now)
