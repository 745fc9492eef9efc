"""People and records the sources tests share: a group with a member, a supplier with a member, an officer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonweal.accounts.models import Organisation, User
from commonweal.framework.models import Element
from commonweal.places.models import Ward
from tests.funding.sources.factories import BusinessFactory

HOSTILE = "<script>alert('x')</script>\u202eevil"


@pytest.fixture
def themes(merton: Any) -> list[Element]:
    return list(Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk"))


@pytest.fixture
def wards(merton: Any) -> list[Ward]:
    return list(Ward.objects.order_by("name"))


@pytest.fixture
def group(db: None) -> Organisation:
    from commonweal.accounts.services import create_organisation

    return create_organisation(name="Pollards Hill Homework Club", kind=Organisation.Kind.INFORMAL_GROUP)


@pytest.fixture
def member(make_user: Callable[..., User], group: Organisation) -> User:
    return make_user("group_member", organisation=group, email="member@example.org")


@pytest.fixture
def supplier(db: None) -> Organisation:
    return BusinessFactory(name="Acme Construction Ltd")


@pytest.fixture
def supplier_member(make_user: Callable[..., User], supplier: Organisation) -> User:
    return make_user("group_member", organisation=supplier, email="supplier@example.org")


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("officer", email="officer@example.org")


@pytest.fixture
def officer_client(client: Any, officer: User, mfa_exempt: None) -> Any:
    client.force_login(officer)
    return client
