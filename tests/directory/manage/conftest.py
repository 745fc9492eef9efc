"""People and listings for the 'keep it true' stories: a group with its member, a charity nobody manages yet,
an officer, and Merton's wards with a postcode in Abbey."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from commonweal.accounts.models import Organisation, User
from commonweal.directory.models import Location, Service
from tests.directory.factories import LocationFactory, OrganisationFactory, ServiceFactory

HOSTILE = "<script>alert('x')</script>\u202eevil\u202c" + "x" * 50


@pytest.fixture
def group(db: None) -> Organisation:
    return OrganisationFactory(
        name="Abbey Litter Pickers", slug="abbey-litter-pickers", kind=Organisation.Kind.INFORMAL_GROUP
    )


@pytest.fixture
def charity(db: None) -> Organisation:
    """A charity in the directory that nobody manages yet."""
    return OrganisationFactory(name="Wimbledon Food Bank", slug="wimbledon-food-bank", charity_number="1234567")


@pytest.fixture
def other_group(db: None) -> Organisation:
    return OrganisationFactory(name="Colliers Wood Gardeners", slug="colliers-wood-gardeners")


@pytest.fixture
def member(make_user: Callable[..., User], group: Organisation) -> User:
    return make_user("group_member", organisation=group, email="member@example.org")


@pytest.fixture
def officer(make_user: Callable[..., User], mfa_exempt: None) -> User:
    return make_user("officer", email="officer@example.org")


@pytest.fixture
def admin(make_user: Callable[..., User], mfa_exempt: None) -> User:
    return make_user("admin", email="admin@example.org")


@pytest.fixture
def resident(make_user: Callable[..., User]) -> User:
    return make_user("resident", email="resident@example.org")


@pytest.fixture
def service(group: Organisation) -> Service:
    return ServiceFactory(organisation=group, name="Saturday litter pick", description="We tidy the streets.")


@pytest.fixture
def location(group: Organisation) -> Location:
    return LocationFactory(organisation=group, name="Abbey Hall")


@pytest.fixture
def client_for(db: None) -> Callable[[User | None], Client]:
    """A browser-less client signed in as this person (or signed out for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
