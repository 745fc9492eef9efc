"""Consent to name a giver in public: stored with who, when and the exact words; withdrawn by the giver, after
which the public pages show the pledge without their name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import PLEDGE_CONSENT_WORDING, CommunityNeed, Pledge
from tests.funding.sources.factories import NeedFactory
from tests.funding.sources.test_pledges import pledge_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(group: Organisation, member: User) -> CommunityNeed:
    return NeedFactory(organisation=group, created_by=member, title="Volunteers to paint the hall")


def _pledge(need: CommunityNeed, supplier_member: User, **more: str) -> Pledge:
    client = Client()
    client.force_login(supplier_member)
    client.post(reverse("funding:pledge_add", args=[need.pk]), pledge_form(**more))
    return Pledge.objects.get()


def test_a_giver_who_consents_is_named_in_public_with_the_consent_stored(
    need: CommunityNeed, supplier: Organisation, supplier_member: User
) -> None:
    pledge = _pledge(need, supplier_member, name_publicly="on")
    assert pledge.consent_by == supplier_member
    assert pledge.consent_at is not None
    assert pledge.consent_wording == PLEDGE_CONSENT_WORDING
    public = Client()
    assert supplier.name in public.get(reverse("funding:need", args=[need.pk])).content.decode()
    assert supplier.name in public.get(reverse("funding:pledge", args=[pledge.pk])).content.decode()


def test_without_consent_the_public_pages_leave_the_giver_out(
    need: CommunityNeed, supplier: Organisation, supplier_member: User, member: User
) -> None:
    pledge = _pledge(need, supplier_member)
    assert pledge.consent_at is None
    public = Client()
    need_page = public.get(reverse("funding:need", args=[need.pk])).content.decode()
    assert supplier.name not in need_page and "A local business" in need_page
    assert supplier.name not in public.get(reverse("funding:pledge", args=[pledge.pk])).content.decode()
    # The group the pledge is for still sees who it is from.
    group_client = Client()
    group_client.force_login(member)
    assert supplier.name in group_client.get(reverse("funding:need", args=[need.pk])).content.decode()


def test_the_giver_withdraws_consent_and_is_no_longer_named(
    need: CommunityNeed, supplier: Organisation, supplier_member: User, member: User
) -> None:
    pledge = _pledge(need, supplier_member, name_publicly="on")
    giver = Client()
    giver.force_login(supplier_member)
    page = giver.get(reverse("funding:pledge", args=[pledge.pk])).content.decode()
    assert "Stop naming my business" in page and PLEDGE_CONSENT_WORDING.replace("'", "&#x27;") in page
    # The group cannot withdraw the supplier's consent for it.
    group_client = Client()
    group_client.force_login(member)
    assert group_client.post(reverse("funding:pledge_consent_withdraw", args=[pledge.pk])).status_code == 403
    response = giver.post(reverse("funding:pledge_consent_withdraw", args=[pledge.pk]))
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.consent_withdrawn_at is not None
    assert pledge.consent_wording == PLEDGE_CONSENT_WORDING  # what they once agreed to is kept
    assert supplier.name not in Client().get(reverse("funding:need", args=[need.pk])).content.decode()
    # Withdrawing twice says so, on the page.
    again = giver.post(reverse("funding:pledge_consent_withdraw", args=[pledge.pk]))
    assert "already shown without your business" in again.content.decode()
