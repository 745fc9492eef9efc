"""The transfers pages as people use them: bad input answered beside the field, lists that do not grow in queries,
the link from the directory's asset page, the home section and steps taken out of order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.directory.models import Asset
from commonweal.solutions.models import AssetTransfer, SignOff
from commonweal.solutions.transfers import services
from tests.directory.factories import AssetFactory
from tests.solutions.transfers.factories import People, at_stage, council_space, pdf

pytestmark = pytest.mark.django_db
T = AssetTransfer.Status


@pytest.fixture
def people(make_user: Any, settings: Any, tmp_path: Any, mfa_exempt: None) -> People:
    settings.MEDIA_ROOT = tmp_path / "media"
    return People(make_user)


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_an_empty_expression_of_interest_says_what_is_missing_beside_each_field(client: Client, people: People) -> None:
    council_space()
    page = signed_in(client, people.member).post(reverse("solutions:transfer_interest"), {"proposed_use": "A cafe"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Choose the building or space" in text
    assert "Enter how the community would benefit" in text
    assert "A cafe" in text  # nothing typed is lost
    assert not AssetTransfer.objects.exists()


def test_a_crafted_asset_that_is_not_a_council_space_is_refused_beside_the_field(
    client: Client, people: People
) -> None:
    a_park_bench = AssetFactory(kind=Asset.Kind.GIFT)
    page = signed_in(client, people.member).post(
        reverse("solutions:transfer_interest"),
        {"asset": a_park_bench.pk, "proposed_use": "x", "community_benefit": "y"},
    )
    assert page.status_code == 200
    assert "Choose from the list." in page.content.decode()


def test_the_asset_page_offers_an_interest_only_for_a_council_space(client: Client, people: People) -> None:
    hall = council_space("Morden Park Pavilion")
    gift = AssetFactory(kind=Asset.Kind.SPACE)  # a space with no council department
    page = client.get(reverse("directory:asset", args=[hall.uuid]))
    link = f"{reverse('solutions:transfer_interest')}?asset={hall.uuid}"
    assert "Express an interest in taking this on" in page.content.decode() and link in page.content.decode()
    assert "Express an interest" not in client.get(reverse("directory:asset", args=[gift.uuid])).content.decode()
    form = signed_in(client, people.member).get(link)
    assert f'<option value="{hall.pk}" selected>' in form.content.decode()


def test_a_group_member_expresses_an_interest_with_a_document(client: Client, people: People) -> None:
    hall = council_space()
    page = signed_in(client, people.member).post(
        reverse("solutions:transfer_interest"),
        {
            "asset": hall.pk,
            "proposed_use": "A cafe",
            "community_benefit": "Warmth",
            "file": pdf(),
            "file_title": "Plan",
        },
    )
    transfer = AssetTransfer.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("solutions:transfer", args=[transfer.uuid])
    case = client.get(page["Location"]).content.decode()
    assert "Plan" in case and people.champion.full_name in case


def test_the_home_page_shows_the_groups_asset_transfers(client: Client, people: People) -> None:
    signed_in(client, people.member)
    assert "Asset transfers" not in client.get(reverse("home:your_home")).content.decode()
    at_stage(people, T.INTEREST)
    home = client.get(reverse("home:your_home")).content.decode()
    assert "Your group&#x27;s asset transfers" in home or "Your group's asset transfers" in home


def test_an_officer_sees_only_the_transfers_their_department_signs_off(
    client: Client, people: People, make_user: Any
) -> None:
    signing = at_stage(people, T.SIGN_OFFS, asset=council_space("Signed hall"))
    at_stage(people, T.INTEREST, asset=council_space("Other hall"))
    listed = signed_in(client, people.officers[SignOff.Kind.LEGAL]).get(reverse("solutions:transfers")).content.decode()
    assert "Signed hall" in listed and "Other hall" not in listed
    other = make_user("officer")
    assert "Signed hall" not in signed_in(Client(), other).get(reverse("solutions:transfers")).content.decode()
    assert signed_in(Client(), other).get(reverse("solutions:transfer", args=[signing.uuid])).status_code == 403


def test_the_list_filters_by_stage_and_shows_months_over_target(client: Client, people: People) -> None:
    old = at_stage(people, T.INTEREST, asset=council_space("Old hall"))
    AssetTransfer.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=24 * 31))
    at_stage(people, T.BUSINESS_CASE, asset=council_space("New hall"))
    signed_in(client, people.steward)
    everything = client.get(reverse("solutions:transfers")).content.decode()
    assert "15 months over target" in everything or "16 months over target" in everything
    only_interest = client.get(reverse("solutions:transfers"), {"stage": T.INTEREST}).content.decode()
    assert "Old hall" in only_interest and "New hall" not in only_interest
    crafted = client.get(reverse("solutions:transfers"), {"stage": "nonsense"})
    assert crafted.status_code == 200 and "Choose" in crafted.content.decode()


def test_the_lists_do_not_grow_in_queries_with_their_rows(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    def count(path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries.captured_queries)

    at_stage(people, T.INTEREST, asset=council_space("Hall 0"))
    at_stage(people, T.INTEREST, asset=council_space("Hall 1"))
    signed_in(client, people.member)
    few_mine = count(reverse("solutions:transfers_mine"))
    signed_in(client, people.steward)
    few_all = count(reverse("solutions:transfers"))
    for n in range(2, 22):
        at_stage(people, T.INTEREST, asset=council_space(f"Hall {n}"))
    with django_assert_max_num_queries(few_all):
        client.get(reverse("solutions:transfers"))
    signed_in(client, people.member)
    with django_assert_max_num_queries(few_mine):
        client.get(reverse("solutions:transfers_mine"))


def test_a_step_out_of_order_sends_the_champion_back_to_the_case_with_a_reason(client: Client, people: People) -> None:
    transfer = at_stage(people, T.INTEREST)
    page = signed_in(client, people.champion).get(
        reverse("solutions:transfer_lease", args=[transfer.uuid]), follow=True
    )
    assert "so that cannot be done now" in page.content.decode()


def test_an_officer_of_another_department_is_refused_the_sign_off_page(client: Client, people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    url = reverse("solutions:transfer_sign_off", args=[transfer.uuid, "estates"])
    refused = signed_in(client, people.officers[SignOff.Kind.FINANCE]).post(url, {"decision": "signed"})
    assert refused.status_code == 403
    assert "Only an officer of Property Services" in refused.content.decode()
    assert transfer.sign_offs.get(kind="estates").outcome == SignOff.Outcome.WAITING


def test_a_refusal_without_a_reason_is_answered_beside_the_note(client: Client, people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    url = reverse("solutions:transfer_sign_off", args=[transfer.uuid, "legal"])
    page = signed_in(client, people.officers[SignOff.Kind.LEGAL]).post(url, {"decision": "refused", "reason": ""})
    assert page.status_code == 200
    assert "Say why you are refusing it" in page.content.decode()


def test_a_lease_with_a_bad_length_or_date_is_answered_beside_the_fields(client: Client, people: People) -> None:
    transfer = at_stage(people, T.LEASE)
    url = reverse("solutions:transfer_lease", args=[transfer.uuid])
    page = signed_in(client, people.champion).post(
        url, {"years": "lots", "starts_on_day": "31", "starts_on_month": "2", "starts_on_year": "2027"}
    )
    text = page.content.decode()
    assert "whole number of years" in text
    assert "real date" in text or "must be a real date" in text or "31" in text
    assert AssetTransfer.objects.get(pk=transfer.pk).status == T.LEASE


def test_a_document_that_is_not_what_it_claims_is_refused_on_the_page(client: Client, people: People) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    transfer = at_stage(people, T.BUSINESS_CASE)
    fake = SimpleUploadedFile("case.pdf", b"just some text", content_type="application/pdf")
    page = signed_in(client, people.member).post(
        reverse("solutions:transfer_documents", args=[transfer.uuid]), {"file": fake, "title": "Case"}
    )
    assert page.status_code == 200 and "This file is not a PDF" in page.content.decode()
    assert transfer.documents.count() == 1


def test_a_document_is_downloaded_by_those_who_see_the_transfer(client: Client, people: People) -> None:
    transfer = at_stage(people, T.BUSINESS_CASE)
    document = transfer.documents.get()
    response = signed_in(client, people.member).get(
        reverse("solutions:transfer_document", args=[transfer.uuid, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert services.may_attach(people.member, transfer)
