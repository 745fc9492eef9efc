"""Every endpoint's answer validates against the Open Referral UK profile's official schemas.

List items against the compiled *_list.json schema (or the list schema the document points to), single
records against their full schema, pages against the profile's Page envelope and against the response
schema of the document we serve at /api/docs.
"""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.directory.oruk_openapi import ENDPOINT_PARAMETERS, profile_document
from tests.directory.api.directory_data import Directory
from tests.directory.api.schemas import page_validator, problems, response_validator, validator

pytestmark = pytest.mark.django_db

# (path, query, schema of each item)
LISTS = [
    ("/services", {}, "service_list"),
    ("/services", {"full": "true"}, "service"),
    ("/service_at_locations", {}, "service_at_location_list"),
    ("/service_at_locations", {"full": "true"}, "service_at_location"),
    ("/organizations", {}, "organization_list"),
    ("/organizations", {"full": "true"}, "organization"),
    ("/organizations", {"full_service": "true"}, "organization"),
    ("/taxonomies", {}, "taxonomy"),
    ("/taxonomy_terms", {}, "taxonomy_term"),
]


def assert_valid(schema: str, instance: Any) -> None:
    found = problems(validator(schema), instance)
    assert not found, f"Not a valid {schema}:\n" + "\n".join(found)


@pytest.fixture
def served(client: Any) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/docs").json()
    return document


@pytest.mark.parametrize(("path", "query", "schema"), LISTS)
def test_every_list_item_validates_against_the_profile_schema(
    path: str, query: dict[str, str], schema: str, directory: Directory, get_json: Any, served: dict[str, Any]
) -> None:
    status, page = get_json(f"/api/oruk{path}", **query)
    assert status == 200
    assert page["contents"], "the fixture should give every list something to show"
    assert not problems(page_validator(), page)
    if not query:
        assert not problems(response_validator(served, path), page)
    for item in page["contents"]:
        assert_valid(schema, item)


def test_a_single_service_validates_against_the_full_service_schema(directory: Directory, get_json: Any) -> None:
    status, service = get_json(f"/api/oruk/services/{directory.food_bank.uuid}")
    assert status == 200
    assert_valid("service", service)
    # It is fully nested: the place, the times, the contact, the cost and the category are all there.
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "SW19 2HL"
    assert {s["byday"] for s in service["schedules"]} == {"MO,WE", "FR"}
    assert service["contacts"][0]["name"] == "Ana Silva"
    assert service["cost_options"][0]["option"] == "Parcel"
    assert service["attributes"][0]["taxonomy_term"]["name"] == "Food banks"
    assert service["organization"]["organization_identifiers"]


def test_a_single_service_at_location_validates_against_its_full_schema(directory: Directory, get_json: Any) -> None:
    sal = directory.food_bank.service_at_locations.get(location=directory.hall)
    status, record = get_json(f"/api/oruk/service_at_locations/{sal.uuid}")
    assert status == 200
    assert_valid("service_at_location", record)
    assert record["location"]["accessibility"][0]["description"] == "Step-free entrance and a hearing loop."
    assert record["service"]["name"] == "Food bank"
    # Only the schedule for this place, not the service's general one.
    assert [s["byday"] for s in record["schedules"]] == ["FR"]


@pytest.mark.parametrize("full_service", ["false", "true"])
def test_a_single_organization_validates_against_the_full_organization_schema(
    full_service: str, directory: Directory, get_json: Any
) -> None:
    status, record = get_json(f"/api/oruk/organizations/{directory.charity.uuid}", full_service=full_service)
    assert status == 200
    assert_valid("organization", record)
    assert {s["name"] for s in record["services"]} == {"Food bank", "Debt advice"}
    assert ("schedules" in record["services"][0]) == (full_service == "true")


def test_a_single_taxonomy_and_term_validate(directory: Directory, get_json: Any) -> None:
    status, taxonomy = get_json(f"/api/oruk/taxonomies/{directory.taxonomy.uuid}")
    assert status == 200
    assert_valid("taxonomy", taxonomy)
    assert [t["name"] for t in taxonomy["taxonomy_terms"]] == ["Food", "Food banks", "Money advice"]
    status, term = get_json(f"/api/oruk/taxonomy_terms/{directory.food_banks.uuid}")
    assert status == 200
    assert_valid("taxonomy_term", term)
    assert term["parent_id"] == str(directory.food.uuid)
    assert term["taxonomy_id"] == str(directory.taxonomy.uuid)


def test_the_root_says_which_version_and_profile_and_where_the_document_is(get_json: Any, directory: Directory) -> None:
    status, root = get_json("/api/oruk/")
    assert status == 200
    schema = profile_document()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(root) >= set(schema["properties"])
    assert root["version"] == "3.0"
    assert root["openapi_url"] == "http://testserver/api/docs"
    assert root["publisher"]["identifier"] == "GB-LAE-MRT"


def test_an_organisations_charity_and_company_numbers_become_identifiers(directory: Directory, get_json: Any) -> None:
    _, record = get_json(f"/api/oruk/organizations/{directory.charity.uuid}")
    identifiers = {(i["identifier_scheme"], i["identifier"]) for i in record["organization_identifiers"]}
    # The org-id GB-CHC-1234567 and the charity number 1234567 are one identifier, not two.
    assert identifiers == {("GB-CHC", "1234567"), ("GB-COH", "07654321")}


def test_a_scottish_charity_number_is_given_the_scottish_scheme(directory: Directory, get_json: Any) -> None:
    directory.charity.org_id = ""
    directory.charity.charity_number = "SC012345"
    directory.charity.company_number = ""
    directory.charity.save()
    _, record = get_json(f"/api/oruk/organizations/{directory.charity.uuid}")
    assert [(i["identifier_scheme"], i["identifier"]) for i in record["organization_identifiers"]] == [
        ("GB-SC", "SC012345")
    ]


def test_derived_ids_stay_the_same_from_one_request_to_the_next(directory: Directory, get_json: Any) -> None:
    _, first = get_json(f"/api/oruk/services/{directory.food_bank.uuid}")
    _, second = get_json(f"/api/oruk/services/{directory.food_bank.uuid}")
    address = first["service_at_locations"][0]["location"]["addresses"][0]["id"]
    assert address == second["service_at_locations"][0]["location"]["addresses"][0]["id"]
    assert first["attributes"][0]["id"] == second["attributes"][0]["id"]


def test_the_served_document_is_the_profile_adapted_to_this_server(served: dict[str, Any]) -> None:
    assert served["servers"] == [
        {"url": "http://testserver/api/oruk", "description": "The council: Open Referral UK API"}
    ]
    profile = profile_document()
    # Every path and operation of the profile is still there, plus /organizations.
    assert set(profile["paths"]) < set(served["paths"])
    assert {"/organizations", "/organizations/{id}"} <= set(served["paths"])
    for path, item in profile["paths"].items():
        assert served["paths"][path]["get"]["operationId"] == item["get"]["operationId"]
        for parameter in item["get"].get("parameters", []):
            assert parameter in served["paths"][path]["get"]["parameters"], (path, parameter)
    # Our paging limits are stated.
    per_page = served["components"]["parameters"]["per_page"]["schema"]
    assert (per_page["default"], per_page["maximum"]) == (50, 500)
    assert "CC BY-SA 4.0" in served["info"]["description"]


def test_the_served_document_lists_every_parameter_each_endpoint_reads(served: dict[str, Any]) -> None:
    for path, names in ENDPOINT_PARAMETERS.items():
        listed = {p["$ref"].rsplit("/", 1)[-1] for p in served["paths"][path]["get"]["parameters"]}
        assert listed == set(names), path
        for name in names:
            assert name in served["components"]["parameters"]


def test_every_route_of_the_api_is_in_the_served_document(served: dict[str, Any]) -> None:
    from django.urls import get_resolver

    from commonweal.directory.api import api

    routes = {"/" + str(p.pattern).replace("<id>", "{id}") for p in api.urls[0]}
    # Other apps' operations in the same document (the Solutions Framework's feed) name their own server.
    assert routes == {path for path, item in served["paths"].items() if "servers" not in item}
    assert get_resolver().resolve("/api/docs").url_name == "docs"


def test_the_validators_do_refuse_a_record_that_breaks_the_schema() -> None:
    """So that the tests above can fail: a service with no name, a bad id and an address with no postcode."""
    broken = {
        "id": "not-a-uuid",
        "status": "open",
        "last_modified": "yesterday",
        "service_at_locations": [{"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "location": {"addresses": [{}]}}],
    }
    found = "\n".join(problems(validator("service"), broken))
    for expected in ("'name' is a required property", "is not a 'uuid'", "'open' is not one of", "'date-time'"):
        assert expected in found
    assert "'postal_code' is a required property" in found


def test_ninjas_own_documents_do_not_clash_with_ours(db: None, client: Any) -> None:
    for path in ("/api/oruk/docs", "/api/oruk/openapi.json"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["message"].endswith("listed at /api/docs.")
    assert client.get("/api/docs").json()["info"]["title"] == "Open Referral UK Profile"
