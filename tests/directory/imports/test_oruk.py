"""An administrator imports another council's Open Referral UK feed: organisations, services, places (with
their wards), schedules, contacts and the feed's own categories; re-importing it updates and never duplicates."""

from __future__ import annotations

import copy
import json
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.directory.models import Contact, ImportRun, Location, Service, Taxonomy, TaxonomyTerm
from commonweal.places.models import Ward
from tests.directory.imports.conftest import counts, rejected

pytestmark = pytest.mark.django_db
ORUK = ImportRun.Kind.ORUK_FEED
EXAMPLES = Path(__file__).resolve().parents[4] / "shared" / "standards" / "oruk" / "examples"

ORG_ID = "5f8a4b0e-6c55-4c3e-9d0a-0d5a3f4d9f01"
SERVICE_ID = "0b3c7d5e-1111-4a2b-8c3d-4e5f6a7b8c9d"
OTHER_SERVICE_ID = "0b3c7d5e-2222-4a2b-8c3d-4e5f6a7b8c9d"
LOCATION_ID = "7e1f2a3b-3333-4c5d-8e9f-0a1b2c3d4e5f"
FOOD = "9a8b7c6d-4444-4e5f-8a9b-0c1d2e3f4a5b"
FOOD_BANKS = "9a8b7c6d-5555-4e5f-8a9b-0c1d2e3f4a5b"


def service(ward: Ward, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": SERVICE_ID,
        "name": "Abbey Food Bank",
        "description": "Emergency food parcels.",
        "status": "active",
        "email": "food@abbey.example",
        "url": "https://abbey.example/food",
        "minimum_age": 18,
        "organization": {
            "id": ORG_ID,
            "name": "Abbey Community Trust",
            "description": "A community charity.",
            "organization_identifiers": [
                {"identifier_scheme": "GB-CHC", "identifier_type": "Charity number", "identifier": "1112223"}
            ],
        },
        "schedules": [{"freq": "WEEKLY", "byday": "TU,TH", "opens_at": "10:00", "closes_at": "12:30:00"}],
        "contacts": [{"name": "Sam Jones", "title": "Coordinator", "phones": [{"number": "020 7946 0001"}]}],
        "service_at_locations": [
            {
                "location": {
                    "id": LOCATION_ID,
                    "location_type": "physical",
                    "name": "Abbey Hall",
                    "latitude": ward.centroid_lat,
                    "longitude": ward.centroid_lon,
                    "addresses": [
                        {
                            "address_1": "1 Abbey Road",
                            "city": "London",
                            "postal_code": "SW19 2HL",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [{"description": "Step-free entrance."}],
                }
            }
        ],
        "attributes": [
            {"taxonomy_term": {"id": FOOD, "name": "Food", "description": "Food and meals."}},
            {"taxonomy_term": {"id": FOOD_BANKS, "name": "Food banks", "parent_id": FOOD}},
        ],
    }
    data.update(changes)
    return data


def page(*services: dict[str, Any]) -> str:
    envelope = {
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": list(services),
    }
    return json.dumps(envelope, indent=2)


def test_a_page_of_services_brings_in_organisations_places_times_contacts_and_categories(
    run_import: Any, abbey: Ward
) -> None:
    run = run_import(ORUK, page(service(abbey)), suffix=".json", name="Sutton Information Hub")
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rejected_count == 0
    food_bank = Service.objects.get()
    assert str(food_bank.uuid) == SERVICE_ID and food_bank.minimum_age == 18 and food_bank.source == ORUK
    trust = food_bank.organisation
    assert (str(trust.uuid), trust.org_id, trust.charity_number, trust.kind) == (
        ORG_ID,
        "GB-CHC-1112223",
        "1112223",
        Organisation.Kind.REGISTERED_CHARITY,
    )
    hall = food_bank.locations.get()
    assert (str(hall.uuid), hall.ward, hall.postcode, hall.accessibility) == (
        LOCATION_ID,
        abbey,
        "SW19 2HL",
        "Step-free entrance.",
    )
    schedule = food_bank.schedules.get()
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == ("TU,TH", time(10), time(12, 30))
    contact = Contact.objects.get()
    assert (contact.name, contact.title, contact.phone, contact.service) == (
        "Sam Jones",
        "Coordinator",
        "020 7946 0001",
        food_bank,
    )
    vocabulary = Taxonomy.objects.get(name="Sutton Information Hub")
    banks = TaxonomyTerm.objects.get(uuid=FOOD_BANKS)
    assert banks.taxonomy == vocabulary and banks.parent == TaxonomyTerm.objects.get(uuid=FOOD)
    assert set(food_bank.terms.values_list("name", flat=True)) == {"Food", "Food banks"}


def test_importing_the_same_feed_again_changes_nothing(run_import: Any, abbey: Ward) -> None:
    run_import(ORUK, page(service(abbey)), suffix=".json", name="Sutton")
    before = counts()
    again = run_import(ORUK, page(service(abbey)), suffix=".json", name="Sutton")
    assert (again.created_count, again.updated_count, again.rejected_count) == (0, 0, 0)
    assert counts() == before


def test_a_changed_feed_updates_its_services_and_takes_off_categories_it_dropped(run_import: Any, abbey: Ward) -> None:
    run_import(ORUK, page(service(abbey)), suffix=".json", name="Sutton")
    before = counts()
    changed = service(
        abbey,
        name="Abbey Food Bank and Pantry",
        schedules=[{"freq": "WEEKLY", "byday": "WE", "opens_at": "09:00", "closes_at": "11:00"}],
        attributes=[{"taxonomy_term": {"id": FOOD, "name": "Food", "description": "Food and meals."}}],
    )
    run = run_import(ORUK, page(changed), suffix=".json", name="Sutton")
    assert (run.created_count, run.updated_count, run.rejected_count) == (0, 1, 0)
    food_bank = Service.objects.get()
    assert food_bank.name == "Abbey Food Bank and Pantry"
    assert food_bank.schedules.get().byday == "WE"
    assert list(food_bank.terms.values_list("name", flat=True)) == ["Food"]
    assert counts() == {**before, "term_links": before["term_links"] - 1}


def test_organisations_and_services_listed_apart_are_joined_by_organization_id(run_import: Any, abbey: Ward) -> None:
    first = service(abbey)
    organisation = first.pop("organization")
    first["organization_id"] = ORG_ID
    second = {"id": OTHER_SERVICE_ID, "name": "Abbey Lunch Club", "organization_id": ORG_ID, "status": "active"}
    feed = {"organizations": [organisation], "services": [first, second]}
    run = run_import(ORUK, json.dumps(feed, indent=1), suffix=".json")
    assert run.rejected_count == 0 and run.status == ImportRun.Status.SUCCEEDED
    assert Organisation.objects.count() == 1
    assert set(Service.objects.values_list("organisation__name", flat=True)) == {"Abbey Community Trust"}
    assert Service.objects.count() == 2


def test_a_bare_list_of_services_is_read_too(run_import: Any, abbey: Ward) -> None:
    run = run_import(ORUK, json.dumps([service(abbey)]), suffix=".json")
    assert run.created_count >= 3 and Service.objects.count() == 1


def test_the_profiles_own_example_list_imports(run_import: Any, merton: Any) -> None:
    run = run_import(ORUK, (EXAMPLES / "service_list.json").read_bytes(), suffix=".json", name="Example")
    assert run.status == ImportRun.Status.SUCCEEDED and run.rejected_count == 0
    assert Service.objects.filter(name="Community Counselling").exists()


def test_bad_services_are_rejected_by_the_line_they_start_on(run_import: Any, abbey: Ward) -> None:
    good = service(abbey)
    no_name = service(abbey, id=OTHER_SERVICE_ID)
    del no_name["name"]
    bad_place = copy.deepcopy(service(abbey, id="0b3c7d5e-3333-4a2b-8c3d-4e5f6a7b8c9d"))
    bad_place["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ABC 1234"
    orphan = {
        "id": "0b3c7d5e-4444-4a2b-8c3d-4e5f6a7b8c9d",
        "name": "Orphan",
        "status": "active",
        "organization_id": "00000000-0000-4000-8000-000000000000",
    }
    odd = service(
        abbey,
        id="0b3c7d5e-5555-4a2b-8c3d-4e5f6a7b8c9d",
        status="open",
        minimum_age=-3,
        schedules=[{"freq": "DAILY", "opens_at": "25:00"}],
    )
    text = page(good, no_name, bad_place, orphan, odd, good)
    run = run_import(ORUK, text, suffix=".json")
    lines = [n + 1 for n, line in enumerate(text.splitlines()) if line.startswith("    {")]
    reasons = rejected(run)
    assert sorted(reasons) == lines[1:]
    assert reasons[lines[1]] == "The name is blank."
    assert reasons[lines[2]] == "The postcode of location 1 “ABC 1234” is not a real postcode."
    assert reasons[lines[3]] == "Its organisation (id 00000000-0000-4000-8000-000000000000) is not in the file."
    assert "status “open”" in reasons[lines[4]] and "not an age" in reasons[lines[4]]
    assert "WEEKLY or MONTHLY" in reasons[lines[4]] and "“25:00” is not a time" in reasons[lines[4]]
    assert reasons[lines[5]] == f"This service (id {SERVICE_ID}) is also on line {lines[0]}."
    assert Service.objects.count() == 1


def test_files_that_are_not_feeds_are_refused_with_their_line(run_import: Any, merton: Any) -> None:
    not_json = run_import(ORUK, "name,postcode\nA,B\n", suffix=".csv")
    assert not_json.status == ImportRun.Status.FAILED and "not JSON" in not_json.error
    broken = run_import(ORUK, '{"contents": [\n  {"name": "A",}\n]}', suffix=".json")
    assert broken.error.startswith("Line 2 is not valid JSON")
    other = run_import(ORUK, '{"grants": []}', suffix=".json")
    assert "not an Open Referral UK feed" in other.error
    latin = run_import(ORUK, b'[\n{"name": "Caf\xe9", "status": "active"}\n]', suffix=".json")
    assert latin.error.startswith("Line 2 has characters that are not UTF-8")
    assert Service.objects.count() == 0 and Location.objects.count() == 0
