"""Bad input gets a 400 whose JSON body says exactly what is wrong, an unknown id a 404, never a 500;
and every answer, errors included, may be read by other sites' pages (Access-Control-Allow-Origin: *)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.directory.api.directory_data import Directory, make_ward

pytestmark = pytest.mark.django_db

UNKNOWN = "00000000-0000-4000-8000-000000000000"

# (query, the parameter at fault, words its message must contain)
BAD_INPUT = [
    ({"page": "0"}, "page", "page must be a whole number from 1 to 10000 (you sent '0')."),
    ({"page": "-2"}, "page", "page must be a whole number from 1 to 10000 (you sent '-2')."),
    ({"page": "two"}, "page", "page must be a whole number from 1 to 10000 (you sent 'two')."),
    ({"page": "1.5"}, "page", "page must be a whole number"),
    ({"per_page": "abc"}, "per_page", "per_page must be a whole number from 1 to 500 (you sent 'abc')."),
    ({"per_page": "0"}, "per_page", "from 1 to 500"),
    ({"postcode": "SW1A 1AA"}, "postcode", "SW1A 1AA is not a postcode in Merton."),
    ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode, like SW19 2HL."),
    ({"proximity": "1000"}, "proximity", "proximity needs a postcode"),
    ({"postcode": "SW19 2HL", "proximity": "far"}, "proximity", "proximity must be a distance in metres"),
    ({"postcode": "SW19 2HL", "proximity": "-5"}, "proximity", "more than 0 and at most 100,000 (you sent '-5')"),
    ({"postcode": "SW19 2HL", "proximity": "nan"}, "proximity", "proximity must be a distance in metres"),
    ({"postcode": "SW19 2HL", "proximity": "1e9"}, "proximity", "at most 100,000"),
    ({"taxonomy_term_id": "food"}, "taxonomy_term_id", "taxonomy_term_id must be an id (a UUID such as"),
    ({"taxonomy_id": "12"}, "taxonomy_id", "'12' is not one"),
    ({"organization_id": "x" * 100}, "organization_id", "organization_id must be an id"),
    ({"modified_after": "yesterday"}, "modified_after", "modified_after must be a date, or a date and time"),
    ({"modified_after": "2024-13-45"}, "modified_after", "such as 2024-05-01 or 2024-05-01T09:30:00Z"),
    ({"day": "XX"}, "day", "day must be one of MO, TU, WE, TH, FR, SA, SU (you sent 'XX')."),
    ({"start_time": "25:00"}, "start_time", "start_time must be a time of day such as 09:30"),
    ({"end_time": "9am"}, "end_time", "end_time must be a time of day"),
    ({"minimum_age": "old"}, "minimum_age", "minimum_age must be a whole number from 0 to 150"),
    ({"maximum_age": "200"}, "maximum_age", "maximum_age must be a whole number from 0 to 150 (you sent '200')."),
    ({"minimum_age": "30", "maximum_age": "20"}, "minimum_age", "minimum_age must not be more than maximum_age."),
    ({"full": "maybe"}, "full", "full must be true or false (you sent 'maybe')."),
    ({"minimal": "2"}, "minimal", "minimal must be true or false"),
    ({"format": "xml"}, "format", "format must be json or ndjson (you sent 'xml')."),
    ({"search": "a" * 201}, "search", "search must be 200 characters or fewer; it has 201."),
    ({"search": "food\x00"}, "search", "search contains a NUL character, which is not allowed."),
]


@pytest.fixture
def merton_postcode(db: None) -> None:
    make_ward()


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_INPUT)
def test_bad_input_is_told_exactly_what_is_wrong(
    query: dict[str, str], parameter: str, message: str, merton_postcode: None, get_json: Any
) -> None:
    status, body = get_json("/api/oruk/services", **query)
    assert status == 400
    assert body["status"] == 400
    assert [p["parameter"] for p in body["problems"]] == [parameter]
    assert message in body["problems"][0]["message"]
    assert message in body["message"]


def test_every_problem_is_reported_at_once(merton_postcode: None, get_json: Any) -> None:
    status, body = get_json("/api/oruk/service_at_locations", page="0", per_page="abc", day="funday", proximity="5")
    assert status == 400
    assert [p["parameter"] for p in body["problems"]] == ["page", "per_page", "day", "proximity"]


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/api/oruk/taxonomy_terms", {"parent_id": "top"}, "parent_id"),
        ("/api/oruk/taxonomy_terms", {"top_only": "sometimes"}, "top_only"),
        ("/api/oruk/taxonomies", {"per_page": "many"}, "per_page"),
        ("/api/oruk/organizations", {"full_service": "please"}, "full_service"),
        ("/api/oruk/organizations", {"taxonomy_term_id": "food"}, "taxonomy_term_id"),
        (f"/api/oruk/organizations/{UNKNOWN}", {"full_service": "perhaps"}, "full_service"),
    ],
)
def test_the_other_endpoints_check_their_parameters_too(
    path: str, query: dict[str, str], parameter: str, db: None, get_json: Any
) -> None:
    status, body = get_json(path, **query)
    assert status == 400
    assert [p["parameter"] for p in body["problems"]] == [parameter]


@pytest.mark.parametrize(
    "endpoint", ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]
)
def test_a_malformed_id_is_a_400_and_an_unknown_one_a_404(endpoint: str, db: None, get_json: Any) -> None:
    status, body = get_json(f"/api/oruk/{endpoint}/not-an-id")
    assert status == 400
    assert "'not-an-id' is not a" in body["message"]
    assert "ids are UUIDs" in body["message"]
    status, body = get_json(f"/api/oruk/{endpoint}/{UNKNOWN}")
    assert status == 404
    assert body["message"].startswith("There is no published ")
    assert UNKNOWN in body["message"]


def test_records_the_public_may_not_see_are_404_by_id(directory: Directory, get_json: Any) -> None:
    hidden = directory.hidden
    for path in (
        f"/api/oruk/services/{hidden['pending service'].uuid}",
        f"/api/oruk/services/{hidden['closed service'].uuid}",
        f"/api/oruk/services/{hidden['service of a pending organisation'].uuid}",
        f"/api/oruk/organizations/{hidden['pending organisation'].uuid}",
        f"/api/oruk/service_at_locations/{hidden['service at a pending location'].uuid}",
    ):
        status, body = get_json(path)
        assert status == 404, path
        assert body["status"] == 404


def test_an_address_that_is_not_an_endpoint_is_a_json_404(db: None, get_json: Any) -> None:
    status, body = get_json("/api/oruk/locations")
    assert status == 404
    assert body["message"] == "There is nothing at this address. The API's endpoints are listed at /api/docs."


def test_a_trailing_slash_is_forgiven(db: None, client: Any) -> None:
    response = client.get("/api/oruk/services/?per_page=5")
    assert response.status_code == 301
    assert response["Location"] == "/api/oruk/services?per_page=5"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_api_is_read_only(db: None, client: Any) -> None:
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/oruk/services")
        assert response.status_code == 405
        assert response.json()["message"] == "This API is read-only: use GET."
        assert response["Access-Control-Allow-Origin"] == "*"


def test_every_answer_may_be_read_by_other_sites(directory: Directory, client: Any) -> None:
    for path, status in (
        ("/api/oruk/", 200),
        ("/api/oruk", 200),
        ("/api/oruk/services", 200),
        (f"/api/oruk/services/{directory.food_bank.uuid}", 200),
        ("/api/oruk/services?format=ndjson", 200),
        ("/api/oruk/organizations", 200),
        ("/api/oruk/taxonomies", 200),
        ("/api/oruk/taxonomy_terms", 200),
        ("/api/oruk/service_at_locations", 200),
        ("/api/docs", 200),
        ("/api/oruk/services?page=0", 400),
        (f"/api/oruk/services/{UNKNOWN}", 404),
        ("/api/oruk/nowhere", 404),
        ("/api/nowhere", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Access-Control-Allow-Origin"] == "*", path


def test_a_browsers_preflight_is_answered(db: None, client: Any) -> None:
    response = client.options(
        "/api/oruk/services", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_head_is_get_without_the_body(directory: Directory, client: Any) -> None:
    response = client.head("/api/oruk/services")
    assert response.status_code == 200
    assert response.content == b""


def test_no_key_or_sign_in_is_needed(directory: Directory, client: Any, make_user: Any) -> None:
    anonymous = client.get("/api/oruk/services").json()
    client.force_login(make_user("resident"))
    assert client.get("/api/oruk/services").json() == anonymous


LIST_ENDPOINTS = ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]
PARAMETERS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
    "postcode",
    "proximity",
    "minimal",
    "full",
    "full_service",
    "format",
    "top_only",
    "parent_id",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(LIST_ENDPOINTS),
    query=st.dictionaries(st.sampled_from(PARAMETERS), st.text(max_size=30), max_size=4),
)
def test_whatever_is_asked_the_answer_is_data_or_a_400_never_a_500(
    endpoint: str, query: dict[str, str], merton_postcode: None, client: Any
) -> None:
    response = client.get(f"/api/oruk/{endpoint}", query)
    assert response.status_code in (200, 400), (query, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    if response.status_code == 400:
        assert response.json()["problems"]
