"""Bulk readers (format=ndjson), what the public may see, hostile text as data, and a fixed cost per page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.directory.models import Contact, Schedule
from commonweal.directory.search import reindex_services
from tests.directory.api.directory_data import Directory, make_ward
from tests.directory.api.schemas import problems, validator
from tests.directory.factories import (
    LocationFactory,
    OrganisationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> \u202eevil\u202c "quoted" & =SUM(A1)'


def ndjson(client: Any, path: str, **query: Any) -> list[dict[str, Any]]:
    response = client.get(path, {**query, "format": "ndjson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response.streaming, "ndjson is streamed, not built in memory"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def many_services(db: None) -> list[str]:
    """Sixty public services (more than a default page) with a term and a place each."""
    make_ward()
    org = OrganisationFactory(name="Large Charity")
    term = TaxonomyTermFactory(name="Everything")
    names = []
    for n in range(60):
        service = ServiceFactory(organisation=org, name=f"Service {n:02}")
        service.terms.add(term)
        ServiceAtLocationFactory(service=service, location=LocationFactory(organisation=org))
        names.append(service.name)
    reindex_services(None)
    return names


def test_ndjson_streams_every_service_one_a_line_without_pages(many_services: list[str], client: Any) -> None:
    items = ndjson(client, "/api/oruk/services", page="2", per_page="5")
    assert [item["name"] for item in items] == many_services
    list_item = validator("service_list")
    assert all(not problems(list_item, item) for item in items)


def test_ndjson_gives_full_records_and_keeps_the_filters(directory: Directory, client: Any) -> None:
    items = ndjson(client, "/api/oruk/services", full="true", taxonomy_term_id=str(directory.food.uuid))
    assert [item["name"] for item in items] == ["Food bank"]
    assert not problems(validator("service"), items[0])


@pytest.mark.parametrize(
    ("path", "schema", "expected"),
    [
        ("/api/oruk/service_at_locations", "service_at_location_list", 1),
        ("/api/oruk/organizations", "organization_list", 1),
        ("/api/oruk/taxonomies", "taxonomy", 1),
        ("/api/oruk/taxonomy_terms", "taxonomy_term", 3),
    ],
)
def test_every_list_endpoint_can_stream_ndjson(
    path: str, schema: str, expected: int, directory: Directory, client: Any
) -> None:
    items = ndjson(client, path)
    assert len(items) == expected
    assert all(not problems(validator(schema), item) for item in items)


def test_ndjson_of_a_filter_that_names_nothing_is_empty(directory: Directory, client: Any) -> None:
    assert ndjson(client, "/api/oruk/services", organization_id="00000000-0000-4000-8000-000000000000") == []


def test_the_public_never_sees_pending_withdrawn_or_closed_records(directory: Directory, client: Any) -> None:
    shown = json.dumps(
        [
            client.get("/api/oruk/services", {"full": "true"}).json(),
            client.get("/api/oruk/service_at_locations", {"full": "true"}).json(),
            client.get("/api/oruk/organizations", {"full_service": "true"}).json(),
            ndjson(client, "/api/oruk/services", full="true"),
            client.get(f"/api/oruk/organizations/{directory.charity.uuid}", {"full_service": "true"}).json(),
        ]
    )
    assert "Food bank" in shown
    for label, record in directory.hidden.items():
        assert str(record.uuid) not in shown, label
    for name in ("Pending club", "Closed club", "Hidden club", "Waiting Group", "Waiting Place"):
        assert name not in shown


def test_a_service_withdrawn_since_it_was_indexed_is_not_shown(directory: Directory, get_json: Any) -> None:
    directory.debt_advice.listing_status = "withdrawn"
    directory.debt_advice.save()  # and nobody told the search index
    _, page = get_json("/api/oruk/services")
    assert [item["name"] for item in page["contents"]] == ["Food bank"]


def test_hostile_text_is_returned_as_data_exactly(directory: Directory, get_json: Any) -> None:
    long_text = "x" * 4990 + "\u202e" + "end"
    directory.food_bank.name = HOSTILE
    directory.food_bank.description = long_text
    directory.food_bank.save()
    directory.charity.name = HOSTILE
    directory.charity.save()
    reindex_services(None)
    _, service = get_json(f"/api/oruk/services/{directory.food_bank.uuid}")
    assert service["name"] == HOSTILE
    assert service["description"] == long_text
    assert service["organization"]["name"] == HOSTILE
    assert not problems(validator("service"), service)


def test_a_bad_web_address_imported_from_elsewhere_is_left_out_not_passed_on(
    directory: Directory, get_json: Any
) -> None:
    type(directory.food_bank).objects.filter(pk=directory.food_bank.pk).update(
        url="javascript:alert(1)", email="not an email"
    )
    _, service = get_json(f"/api/oruk/services/{directory.food_bank.uuid}")
    assert "url" not in service
    assert "email" not in service
    assert not problems(validator("service"), service)


def _rich_services(count: int, org: Any, term: Any) -> None:
    for n in range(count):
        service = ServiceFactory(organisation=org, name=f"Rich {n:03}", languages="Polish")
        service.terms.add(term)
        sal = ServiceAtLocationFactory(service=service, location=LocationFactory(organisation=org))
        Schedule.objects.create(service=service, service_at_location=sal, byday="TU")
        Contact.objects.create(service=service, name=f"Contact {n}")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/oruk/services", {}),
        ("/api/oruk/services", {"full": "true"}),
        ("/api/oruk/services", {"minimal": "true"}),
        ("/api/oruk/service_at_locations", {}),
        ("/api/oruk/service_at_locations", {"full": "true"}),
        ("/api/oruk/organizations", {"full_service": "true"}),
        ("/api/oruk/taxonomy_terms", {}),
    ],
)
def test_a_page_costs_the_same_few_queries_however_long_it_is(
    path: str, query: dict[str, str], db: None, client: Any, django_assert_max_num_queries: Any
) -> None:
    make_ward()
    term = TaxonomyTermFactory(name="Everything")
    for n in range(12):
        TaxonomyTermFactory(taxonomy=term.taxonomy, name=f"Term {n}", parent=term)
    orgs = [OrganisationFactory(name=f"Org {n}") for n in range(12)]
    for org in orgs:
        _rich_services(2, org, term)
    reindex_services(None)

    def count(per_page: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {**query, "per_page": per_page})
            assert response.status_code == 200
            assert len(response.json()["contents"]) == per_page
        return len(queries)

    assert count(2) == count(12)
    with django_assert_max_num_queries(12):
        client.get(path, {**query, "per_page": 12})


def test_minimal_and_ndjson_together_give_every_id_at_once(many_services: list[str], client: Any) -> None:
    items = ndjson(client, "/api/oruk/services", minimal="true")
    assert len(items) == 60
    assert all(set(item) == {"id", "last_modified", "modified_date"} for item in items)


def _ndjson_queries(client: Any, path: str, **query: Any) -> tuple[list[dict[str, Any]], list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        items = ndjson(client, path, **query)
    return items, [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/oruk/services", {}),
        ("/api/oruk/services", {"text": "service"}),
        ("/api/oruk/services", {"postcode": "SW19 2HL"}),
        ("/api/oruk/service_at_locations", {}),
    ],
)
def test_ndjson_reads_by_keyset_complete_and_ordered_over_many_chunks_with_no_offset_or_count(
    many_services: list[str], client: Any, monkeypatch: pytest.MonkeyPatch, path: str, query: dict[str, str]
) -> None:
    from commonweal.directory import api
    from commonweal.directory.models import Service, ServiceAtLocation

    monkeypatch.setattr(api, "NDJSON_CHUNK", 7)  # 60 rows: nine chunks
    items, sql = _ndjson_queries(client, path, **query)
    model = Service if path.endswith("/services") else ServiceAtLocation
    expected = [str(u) for u in model.objects.order_by("pk").values_list("uuid", flat=True)]
    if "postcode" not in query:  # near a postcode: only those with a place, which is all of them here
        assert [item["id"] for item in items] == expected
    else:
        assert sorted(item["id"] for item in items) == sorted(expected)
    assert not [s for s in sql if "OFFSET" in s.upper() or "OVER ()" in s.upper()]


def test_ndjson_costs_the_same_queries_for_each_chunk_however_far_in(
    many_services: list[str], client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonweal.directory import api

    def queries_with_chunk(size: int) -> int:
        monkeypatch.setattr(api, "NDJSON_CHUNK", size)
        return len(_ndjson_queries(client, "/api/oruk/services", full="true")[1])

    # 60 rows in 6, 4 and 3 chunks: each chunk costs the same number of queries, wherever it is.
    six, four, three = queries_with_chunk(10), queries_with_chunk(15), queries_with_chunk(20)
    assert six - four == 2 * (four - three)
