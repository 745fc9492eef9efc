from __future__ import annotations

from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.places.models import Ward


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer", email="officer@example.org")


@pytest.fixture
def department_of(officer: Any) -> Organisation:
    return officer.memberships.get().organisation


@pytest.fixture
def abbey(merton: Any) -> Ward:
    return Ward.objects.get(name="Abbey")


@pytest.fixture
def hillside(merton: Any) -> Ward:
    return Ward.objects.get(name="Hillside")


@pytest.fixture(autouse=True)
def _officers_without_an_authenticator(mfa_exempt: None) -> None:
    """Officers and stewards here sign in without setting up two-factor (tests/accounts covers that)."""
