"""The 360Giving export: what a publisher, GrantNav and the data quality tool would check in our file."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import Organisation
from commonweal.funding.models import Grant
from commonweal.funding.opendata import giving360
from commonweal.places.models import CouncilArea

from .conftest import GrantSet, make_grant

pytestmark = pytest.mark.django_db

OFFICIAL = Path(__file__).resolve().parents[4] / "shared" / "standards" / "360giving"
WARD_CODE = re.compile(r"^E05\d{6}$")


def official_errors(package: dict[str, Any]) -> list[str]:
    """Validate the whole package in one go against the OFFICIAL schema in ../shared/standards (not our vendored
    copy), formats checked, the grant schema's URL resolved to the local file; our own validate_package (which
    checks grants one by one, in linear time) must agree on whether the package is valid."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package_schema = json.loads((OFFICIAL / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant_schema = DRAFT202012.create_resource(
        json.loads((OFFICIAL / "360-giving-schema.json").read_text(encoding="utf-8"))
    )
    registry: Registry[Any] = Registry().with_resource(
        package_schema["properties"]["grants"]["items"]["$ref"], grant_schema
    )
    validator = Draft202012Validator(
        package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    whole = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(package)]
    ours = giving360.validate_package(package, schema_dir=OFFICIAL)
    assert bool(whole) == bool(ours), (whole, ours)
    return ours


def by_id(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {grant["id"]: grant for grant in package["grants"]}


def test_the_export_of_a_realistic_set_of_grants_is_valid_against_the_official_schema(grant_set: GrantSet) -> None:
    package = giving360.build_package()
    assert len(package["grants"]) == 3
    assert official_errors(package) == []
    assert package["version"] == "1.4"
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publisher"] == {
        "name": "London Borough of Merton",
        "identifier": "GB-LAE-MRT",
        "website": "http://127.0.0.1:8000",
    }


def test_the_vendored_schema_is_the_official_one() -> None:
    for name in (giving360.PACKAGE_SCHEMA, giving360.GRANT_SCHEMA):
        ours = json.loads((giving360.SCHEMA_DIR / name).read_text(encoding="utf-8"))
        assert ours == json.loads((OFFICIAL / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("field", ["awardDate", "amountAwarded", "fundingOrganization", "recipientOrganization"])
def test_a_grant_without_a_required_field_fails_validation(grant_set: GrantSet, field: str) -> None:
    package = giving360.build_package()
    broken = copy.deepcopy(package)
    del broken["grants"][0][field]
    errors = official_errors(broken)
    assert errors and errors[0].startswith("grants/0:")
    assert field in " ".join(errors)


def test_a_problem_in_a_later_grant_or_a_repeated_grant_is_found(grant_set: GrantSet) -> None:
    package = giving360.build_package()
    later = copy.deepcopy(package)
    later["grants"][2]["currency"] = "Pounds"
    assert [e for e in official_errors(later) if e.startswith("grants/2/currency:")]
    repeated = copy.deepcopy(package)
    repeated["grants"].append(copy.deepcopy(repeated["grants"][0]))
    assert "grants/3: the same grant as grants/0 (grants must be unique)" in official_errors(repeated)
    empty = {**package, "grants": []}
    assert official_errors(empty) == ["grants: [] should be non-empty"]


def test_an_amount_written_as_text_or_a_bad_date_fails_validation(grant_set: GrantSet) -> None:
    package = giving360.build_package()
    as_text = copy.deepcopy(package)
    as_text["grants"][0]["amountAwarded"] = "£9,500"
    assert any("amountAwarded" in e for e in official_errors(as_text))
    bad_date = copy.deepcopy(package)
    bad_date["grants"][0]["dateModified"] = "yesterday"
    assert any("dateModified" in e for e in official_errors(bad_date))


def test_identifiers_follow_360giving_rules(grant_set: GrantSet) -> None:
    grants = by_id(giving360.build_package())
    # Slashes and spaces in our reference become underscores; every id starts with our 360G- prefix.
    assert set(grants) == {
        "360G-commonweal-CPF_2026_001",
        "360G-commonweal-CPF-2026-002",
        "360G-commonweal-CPF-2026-003",
    }
    for grant in grants.values():
        assert grant["id"].startswith("360G-")
        assert "/" not in grant["id"] and " " not in grant["id"]
        assert grant["fundingOrganization"] == [{"id": "GB-LAE-MRT", "name": "London Borough of Merton"}]
        for place in grant["beneficiaryLocation"]:
            assert place["geoCodeType"] == "WD" and WARD_CODE.match(place["geoCode"]) and place["countryCode"] == "GB"
    charity = grants["360G-commonweal-CPF_2026_001"]["recipientOrganization"][0]
    assert charity == {
        "id": "GB-CHC-1123456",
        "name": "Wimbledon Food Bank",
        "charityNumber": "1123456",
        "postalCode": "SW19 2HL",
    }
    company = grants["360G-commonweal-CPF-2026-002"]["recipientOrganization"][0]
    assert company["id"] == "GB-COH-09876543" and company["companyNumber"] == "09876543"
    group = grants["360G-commonweal-CPF-2026-003"]["recipientOrganization"][0]
    # An unregistered group: our own identifier, and no postcode (it is often someone's home).
    assert group == {"id": "360G-commonweal-ORG-pollards-hill-litter-pickers", "name": "Pollards Hill Litter Pickers"}


def test_declined_withdrawn_and_unaccepted_offers_are_not_published(grant_set: GrantSet) -> None:
    text = "".join(giving360.package_chunks())
    for hidden in grant_set.hidden:
        assert hidden.reference not in text
        assert hidden.application.organisation.name not in text
    assert {g.status for g in grant_set.hidden} == {
        Grant.Status.DECLINED,
        Grant.Status.WITHDRAWN,
        Grant.Status.OFFERED,
    }


def test_money_programme_themes_dates_and_payments(grant_set: GrantSet) -> None:
    grant = by_id(giving360.build_package())["360G-commonweal-CPF_2026_001"]
    assert grant["amountAwarded"] == 9500 and isinstance(grant["amountAwarded"], int)
    assert grant["amountAppliedFor"] == 10000
    assert grant["currency"] == "GBP"
    assert grant["awardDate"] == "2026-03-01"
    assert grant["title"] == "Food for families"
    assert grant["description"] == "Weekly sessions that bring neighbours together."
    assert grant["grantProgramme"] == [
        {
            "code": "civic-pride-round-one",
            "title": "Civic Pride Fund: Round one",
            "url": "http://127.0.0.1:8000/funding/rounds/civic-pride-round-one/",
        }
    ]
    assert [c["title"] for c in grant["classifications"]] == [t.name for t in grant_set.themes[:2]]
    assert {c["code"] for c in grant["classifications"]} == {str(t.pk) for t in grant_set.themes[:2]}
    assert grant["plannedDates"] == [{"startDate": "2026-04-01", "endDate": "2027-03-31", "duration": 12}]
    # Two tranches paid, one still scheduled: only the paid ones are disbursements.
    assert [(d["transactionDate"], d["value"]) for d in grant["disbursementTransaction"]] == [
        ("2026-04-02", 4750),
        ("2026-07-01", 2375),
    ]
    assert grant["amountDisbursed"] == 7125
    # Secured match funding only (the £1,000 applied for does not count yet).
    assert grant["matchFundingSecured"] == 3000
    assert grant["fromOpenCall"] == "Yes"
    assert grant["locationScope"] == "GLS060"
    assert grant["dataSource"] == "http://127.0.0.1:8000/funding/open-data/"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", grant["dateModified"])
    pence = by_id(giving360.build_package())["360G-commonweal-CPF-2026-002"]
    assert pence["amountAwarded"] == 2500.5 and "matchFundingSecured" not in pence


def test_a_grant_without_a_project_name_is_titled_by_its_group_and_fund(grant_set: GrantSet) -> None:
    grant = by_id(giving360.build_package())["360G-commonweal-CPF-2026-003"]
    assert grant["title"] == "Pollards Hill Litter Pickers: Civic Pride Fund"
    assert "disbursementTransaction" not in grant and grant["amountDisbursed"] == 0


def test_the_description_is_never_the_title_and_the_title_is_at_most_140_characters(
    grant_set: GrantSet, officer: Any
) -> None:
    group = Organisation.objects.create(name="Same Words Group", slug="same-words", kind="informal_group")
    make_grant(
        round_=grant_set.round,
        organisation=group,
        officer=officer,
        reference="CPF-SAME",
        amount="100",
        title="Litter picks",
        summary="Litter picks",
    )
    long_group = Organisation.objects.create(name="Long Title Group", slug="long-title", kind="informal_group")
    make_grant(
        round_=grant_set.round,
        organisation=long_group,
        officer=officer,
        reference="CPF-LONG",
        amount="100",
        title="x" * 140,
        summary="",
    )
    grants = by_id(giving360.build_package())
    same = grants["360G-commonweal-CPF-SAME"]
    assert same["description"] != same["title"]
    assert "Same Words Group" in same["description"]
    assert len(grants["360G-commonweal-CPF-LONG"]["title"]) <= 140
    assert official_errors(giving360.build_package()) == []


def test_the_council_id_comes_from_the_lookup_when_the_council_area_has_none(grant_set: GrantSet) -> None:
    CouncilArea.objects.update(org_id="")
    package = giving360.build_package()
    assert package["grants"][0]["fundingOrganization"][0]["id"] == "GB-LAE-MRT"


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("CPF/2026/001", "360G-x-CPF_2026_001"),
        ("  CPF 2026 002 ", "360G-x-CPF_2026_002"),
        ("CPF-2026-003", "360G-x-CPF-2026-003"),
        ("a&b?c#d", "360G-x-a_b_c_d"),
    ],
)
def test_grant_ids_have_no_slashes_spaces_or_special_characters(reference: str, expected: str) -> None:
    assert giving360.grant_identifier(reference, prefix="360G-x") == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"org_id": "GB-CHC-1000001", "charity_number": "1000001"}, "GB-CHC-1000001"),
        ({"org_id": "GB-SC-SC012345"}, "GB-SC-SC012345"),
        ({"org_id": "not an id", "charity_number": " 1098 765 "}, "GB-CHC-1098765"),
        ({"charity_number": "SC012345"}, "GB-SC-SC012345"),
        ({"company_number": "123456"}, "GB-COH-00123456"),
        ({"company_number": "sc123456"}, "GB-COH-SC123456"),
        ({"org_id": "360G-commonweal-ORG-x", "company_number": "01234567"}, "GB-COH-01234567"),
        ({"charity_number": "charity"}, "360G-p-ORG-the-group"),
        ({}, "360G-p-ORG-the-group"),
    ],
)
def test_recipient_ids_prefer_a_register(fields: dict[str, str], expected: str) -> None:
    organisation = Organisation(name="The Group", slug="the-group", kind="informal_group", **fields)
    assert giving360.recipient_identifier(organisation, prefix="360G-p") == expected


def test_the_json_download_is_public_valid_streamed_and_open_to_other_sites(
    client: Client, grant_set: GrantSet
) -> None:
    response = client.get("/funding/open-data/360giving.json")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    package = json.loads(b"".join(response.streaming_content))
    assert official_errors(package) == []
    assert client.post("/funding/open-data/360giving.json").status_code == 405


def test_the_export_reads_a_fixed_number_of_queries_however_many_grants(
    grant_set: GrantSet, officer: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20) as few:
        giving360.build_package()
    for n in range(12):
        group = Organisation.objects.create(name=f"More {n}", slug=f"more-{n}", kind="cio", charity_number=f"11{n:05d}")
        make_grant(
            round_=grant_set.round,
            organisation=group,
            officer=officer,
            reference=f"CPF-MORE-{n}",
            amount="500",
            wards=grant_set.wards[:2],
            themes=grant_set.themes[:1],
            paid=("250",),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        package = giving360.build_package()
    assert len(package["grants"]) == 15


def test_hostile_text_is_kept_as_text_in_the_json(grant_set: GrantSet, officer: Any) -> None:
    group = Organisation.objects.create(
        name="<script>alert(1)</script>\u202egroup", slug="hostile", kind="informal_group"
    )
    make_grant(
        round_=grant_set.round,
        organisation=group,
        officer=officer,
        reference="CPF-HOSTILE",
        amount="100",
        title="</script><b>bold</b>",
        summary="y" * 5000,
    )
    grant = by_id(giving360.build_package())["360G-commonweal-CPF-HOSTILE"]
    assert grant["recipientOrganization"][0]["name"] == "<script>alert(1)</script>\u202egroup"
    assert grant["title"] == "</script><b>bold</b>"
    assert official_errors(giving360.build_package()) == []


def test_an_amount_in_pence_stays_exact(grant_set: GrantSet, officer: Any) -> None:
    group = Organisation.objects.create(name="Pence", slug="pence", kind="informal_group")
    make_grant(round_=grant_set.round, organisation=group, officer=officer, reference="CPF-P", amount="1234.56")
    grant = by_id(giving360.build_package())["360G-commonweal-CPF-P"]
    assert Decimal(str(grant["amountAwarded"])) == Decimal("1234.56")


def test_a_recipient_based_in_the_borough_is_placed_in_it(grant_set: GrantSet) -> None:
    from commonweal.places.models import Postcode

    ward = grant_set.wards[0]
    Postcode.objects.update_or_create(
        postcode="SW19 2HL", defaults={"latitude": 51.41, "longitude": -0.19, "ward": ward}
    )
    Postcode.objects.update_or_create(
        postcode="SW16 4AA", defaults={"latitude": 51.41, "longitude": -0.13, "ward": grant_set.wards[1]}
    )
    package = giving360.build_package()
    grants = by_id(package)
    charity = grants["360G-commonweal-CPF_2026_001"]["recipientOrganization"][0]
    assert charity["addressLocality"] == "Merton"
    assert charity["location"] == [{"name": ward.name, "geoCode": ward.code, "geoCodeType": "WD", "countryCode": "GB"}]
    assert "addressLocality" not in grants["360G-commonweal-CPF-2026-002"]["recipientOrganization"][0]
    # An unregistered group in the borough: its ward, never its postcode.
    group = grants["360G-commonweal-CPF-2026-003"]["recipientOrganization"][0]
    assert group["location"][0]["geoCode"] == grant_set.wards[1].code and "postalCode" not in group
    assert official_errors(package) == []


def test_a_summary_that_only_differs_from_the_title_in_case_is_not_used_as_the_description(
    grant_set: GrantSet, officer: Any
) -> None:
    group = Organisation.objects.create(name="Case Group", slug="case-group", kind="informal_group")
    make_grant(
        round_=grant_set.round,
        organisation=group,
        officer=officer,
        reference="CPF-CASE",
        amount="10",
        title="Litter Picks",
        summary="litter  picks",
    )
    grant = by_id(giving360.build_package())["360G-commonweal-CPF-CASE"]
    assert grant["description"].startswith("A grant of £10.00 from the Civic Pride Fund (Round one) to Case Group")
