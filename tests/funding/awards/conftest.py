"""People and records for the awards stories: a group with its member, an officer, another group, an
approved application and a grant offered for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from commonweal.accounts.models import Organisation, User
from commonweal.framework.models import Element, Framework
from commonweal.funding.models import Application, Grant
from tests.funding.awards.helpers import approved_application, offered_grant
from tests.funding.factories import ApplicantFactory

HOSTILE = "<script>alert('x')</script>\u202eevil\u202c"


@pytest.fixture
def group(db: None) -> Organisation:
    return ApplicantFactory(name="Abbey Lunch Club", slug="abbey-lunch-club", kind=Organisation.Kind.INFORMAL_GROUP)


@pytest.fixture
def member(make_user: Callable[..., User], group: Organisation) -> User:
    return make_user("group_member", organisation=group, email="member@example.org")


@pytest.fixture
def officer(make_user: Callable[..., User], mfa_exempt: None) -> User:
    return make_user("officer", email="officer@example.org")


@pytest.fixture
def outsider(make_user: Callable[..., User]) -> User:
    """A member of another group."""
    return make_user("group_member", email="outsider@example.org")


@pytest.fixture
def application(group: Organisation, member: User, officer: User) -> Application:
    return approved_application(organisation=group, created_by=member, decided_by=officer)


@pytest.fixture
def grant(application: Application, officer: User) -> Grant:
    return offered_grant(application=application, by=officer)


@pytest.fixture
def accepted_grant(grant: Grant, member: User) -> Grant:
    from commonweal.funding.awards.services import accept_grant

    return accept_grant(grant=grant, confirmed=True, by=member)


@pytest.fixture
def outcomes(db: None) -> list[Element]:
    """Two of the council framework's outcomes, and a theme that is not an outcome."""
    framework = Framework.current() or Framework.objects.create(name="Test framework", vision="A fair borough.")
    made = [
        Element.objects.create(framework=framework, kind=Element.Kind.OUTCOME, name=name, description=name, position=n)
        for n, name in enumerate(["People are less lonely", "Neighbourhoods are cleaner"])
    ]
    Element.objects.create(framework=framework, kind=Element.Kind.THEME, name="A theme", description="Not an outcome.")
    return made
