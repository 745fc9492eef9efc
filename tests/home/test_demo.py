from typing import Any

import pytest
from django.core.management import CommandError, call_command

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.framework.models import Element
from commonweal.home.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_borough
from commonweal.places.models import Locality, Postcode, Ward

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Organisation, Membership, Ward, Locality, Postcode, Element)
    }


def test_demo_borough_loads_merton_with_a_sign_in_for_every_role(demo_borough: Any) -> None:
    council = demo_borough
    assert council.gss_code == "E09000024"
    assert Ward.objects.count() == 20
    assert Postcode.objects.filter(is_demo=True).count() >= 20
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"group_member", "officer", "champion", "steward", "admin", "councillor"}
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.is_demo
        assert user.check_password(DEMO_PASSWORD)
    assert Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).exists()
    assert not Organisation.objects.filter(is_demo=False).exists()


def test_loading_the_demo_twice_changes_nothing(demo_borough: Any) -> None:
    first = counts()
    load_demo_borough()
    assert counts() == first


def test_demo_refuses_to_load_without_demo_settings(settings: Any) -> None:
    settings.COMMONWEAL_DEMO = False
    with pytest.raises(CommandError, match="only with demo settings"):
        call_command("load_demo")
