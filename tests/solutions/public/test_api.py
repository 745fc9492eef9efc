"""The blockages feed, /api/solutions/blockages: the public log's fields, paged like the ORUK API, open to any web
page, documented in /api/docs, and never any personal data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.services import create_organisation
from commonweal.solutions.models import Blockage
from commonweal.solutions.steps import take_step
from tests.solutions.public.conftest import raise_one

pytestmark = pytest.mark.django_db
FEED = "/api/solutions/blockages"
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def personal_details(t: dict[str, Any]) -> list[str]:
    """Everything about the people involved that must never leave the council."""
    people = [t["raiser"], t["officer"], t["champion"]]
    return [
        "Rosa Secretname",
        "rosa.private@example.org",
        "07700 900123",
        "07700900123",
        *(p.email for p in people),
        *(p.full_name for p in people),
    ]


def test_the_feed_is_an_oruk_page_of_public_blockages(client: Client, borough: dict[str, Any]) -> None:
    shown = raise_one(borough, title="Three conifers")
    raise_one(borough, title="Unconfirmed", status=Blockage.Status.UNCONFIRMED)

    response = client.get(FEED)
    body = response.json()

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(body) == ENVELOPE
    assert body["total_items"] == 1 and body["size"] == 1 and body["first_page"] and body["last_page"]
    item = body["contents"][0]
    assert item["id"] == str(shown.uuid)
    assert item["reference"] == shown.reference
    assert item["title"] == "Three conifers"
    assert item["category"] == "Trees and planting"
    assert item["ward_code"] == borough["ward"].code
    assert item["departments"] == ["Highways", "Parks and green spaces"]
    assert item["raised_by"] == "A resident"
    assert item["status"] == "raised" and item["is_open"] is True
    assert item["url"].endswith(f"/solutions/blockages/{shown.uuid}/")


def test_no_personal_data_appears_in_any_answer(client: Client, borough: dict[str, Any]) -> None:
    t = borough
    hidden = raise_one(t, title="Hidden raiser")
    take_step(blockage=hidden, name="acknowledge", by=t["officer"], note="Thank you.")
    take_step(blockage=hidden, name="wait", by=t["officer"], note="Which tree?")
    take_step(blockage=hidden, name="reply", by=t["raiser"], note="Call me on 07700 900123, Rosa Secretname.")

    answers = [client.get(FEED).content.decode(), client.get(f"{FEED}/{hidden.uuid}").content.decode()]
    for answer in answers:
        for detail in personal_details(t):
            assert detail not in answer, detail
        for field in ('"raiser_', '"raised_by_id"', '"email"', '"phone"', '"by"', '"champion"', '"confirm_token"'):
            assert field not in answer
    detail = json.loads(answers[1])
    assert [step["step"] for step in detail["timeline"]][:2] == ["Raised", "Acknowledged"]
    assert detail["timeline"][3]["note"] == ""  # the raiser's own reply stays private


def test_a_raiser_who_agreed_is_shown_only_by_their_public_name(client: Client, borough: dict[str, Any]) -> None:
    group = create_organisation(name="Friends of Abbey Park", kind="informal_group")
    named = raise_one(borough, show_raiser=True, organisation=group)
    item = client.get(f"{FEED}/{named.uuid}").json()
    assert item["raised_by"] == "Friends of Abbey Park"
    answer = json.dumps(item)
    for detail in ("Rosa Secretname", "rosa.private@example.org", "07700 900123", borough["raiser"].email):
        assert detail not in answer


def test_filters_by_status_category_ward_and_updated_since(client: Client, borough: dict[str, Any]) -> None:
    t = borough
    conifers = raise_one(t, title="Three conifers")
    raise_one(t, title="Street party", category=t["licensing"], ward=t["other_ward"])
    take_step(blockage=conifers, name="acknowledge", by=t["officer"])
    take_step(blockage=conifers, name="resolve", by=t["champion"], note="Planted.")

    def titles(**query: str) -> list[str]:
        return [item["title"] for item in client.get(FEED, query).json()["contents"]]

    assert titles(status="closed") == ["Three conifers"]
    assert titles(status="open") == ["Street party"]
    assert titles(status="resolved") == ["Three conifers"]
    assert titles(category="licences-and-permits") == ["Street party"]
    assert titles(ward_code=t["other_ward"].code.lower()) == ["Street party"]
    assert titles(updated_since="2999-01-01") == []
    assert len(titles(updated_since="2000-01-01T00:00:00Z")) == 2
    closed = client.get(FEED, {"status": "closed"}).json()["contents"][0]
    assert closed["closed_on"] is not None and closed["is_open"] is False


def test_paging_follows_the_oruk_envelope(client: Client, borough: dict[str, Any]) -> None:
    for n in range(5):
        raise_one(borough, title=f"Blockage {n}")
    second = client.get(FEED, {"per_page": "2", "page": "2"}).json()
    assert (second["total_items"], second["total_pages"], second["page_number"], second["size"]) == (5, 3, 2, 2)
    assert not second["first_page"] and not second["last_page"]
    beyond = client.get(FEED, {"per_page": "2", "page": "9"}).json()
    assert beyond["empty"] and beyond["contents"] == [] and beyond["last_page"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"status": "sideways"}, "status"),
        ({"category": "no-such-thing"}, "category"),
        ({"ward_code": "E99999999"}, "ward_code"),
        ({"updated_since": "yesterday-ish"}, "updated_since"),
        ({"search": "x" * 500}, "search"),
        ({"status": "open\x00"}, "status"),
    ],
)
def test_bad_parameters_are_a_400_that_says_what_is_wrong(
    client: Client, borough: dict[str, Any], query: dict[str, str], parameter: str
) -> None:
    response = client.get(FEED, query)
    body = response.json()
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert parameter in body["message"]
    assert [p["parameter"] for p in body["problems"]] == [parameter]


def test_one_blockage_by_id_and_the_answers_when_there_is_none(client: Client, borough: dict[str, Any]) -> None:
    hidden = raise_one(borough, status=Blockage.Status.UNCONFIRMED)
    assert client.get(f"{FEED}/not-a-uuid").status_code == 400
    missing = client.get(f"{FEED}/{hidden.uuid}")
    assert missing.status_code == 404 and "no public blockage" in missing.json()["message"]
    assert missing["Access-Control-Allow-Origin"] == "*"


def test_the_feed_is_read_only_and_answers_a_preflight(client: Client, borough: dict[str, Any]) -> None:
    assert client.post(FEED).status_code == 405
    preflight = client.options(FEED)
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"


def test_the_feed_is_documented_in_the_api_document(client: Client, borough: dict[str, Any]) -> None:
    document = client.get("/api/docs").json()
    listing = document["paths"]["/solutions/blockages"]
    assert listing["servers"][0]["url"].endswith("/api")
    names = {p["name"] for p in listing["get"]["parameters"]}
    assert {"page", "per_page", "status", "category", "ward_code", "updated_since"} <= names
    fields = document["components"]["schemas"]["SolutionsBlockage"]["properties"]
    assert all(field.get("description") for field in fields.values())
    assert "/solutions/blockages/{id}" in document["paths"]
    # The directory's own operations are all still there.
    assert "/services" in document["paths"] and "/organizations/{id}" in document["paths"]


def test_every_item_answers_the_documented_schema(client: Client, borough: dict[str, Any]) -> None:
    from jsonschema import Draft7Validator

    raise_one(borough, latitude=51.41, longitude=-0.19)
    raise_one(borough, ward=None)
    schema = client.get("/api/docs").json()["components"]["schemas"]["SolutionsBlockage"]
    nullable = {name for name, field in schema["properties"].items() if field.get("nullable")}
    # OpenAPI 3.0's `nullable` is JSON Schema's ["type", "null"].
    for name in nullable:
        schema["properties"][name]["type"] = [schema["properties"][name]["type"], "null"]
    for item in client.get(FEED).json()["contents"]:
        assert set(item) <= set(schema["properties"])
        assert not list(Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER).iter_errors(item))


def test_the_feed_reads_the_same_number_of_queries_for_2_or_30_blockages(
    client: Client, borough: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for _ in range(2):
        raise_one(borough)
    with django_assert_max_num_queries(10) as few:
        client.get(FEED)
    for _ in range(28):
        raise_one(borough, category=borough["licensing"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(FEED).json()["size"] == 30


def test_a_time_with_an_offset_postgresql_cannot_hold_is_read_in_utc_and_one_out_of_range_is_refused(
    client: Client, borough: dict[str, Any]
) -> None:
    raise_one(borough)
    # An offset beyond ±15:59 is valid ISO 8601 (the fuzzer found it) but PostgreSQL refuses it as it stands.
    odd = client.get("/api/solutions/blockages", {"updated_since": "0101-02-15T06:32:29-20:01"})
    assert odd.status_code == 200
    assert odd.json()["total_items"] == 1
    too_early = client.get("/api/solutions/blockages", {"updated_since": "0001-01-01T00:00:00+20:00"})
    assert too_early.status_code == 400
    assert "outside the dates this service can read" in too_early.content.decode()
