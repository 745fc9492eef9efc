"""An administrator imports community groups from our CSV template: each becomes an informal group with a
service, a place, a schedule, wards and categories; re-running the file updates and never duplicates."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.directory.models import ImportRun, Location, Schedule, Service
from commonweal.directory.vocabulary import load_starter_vocabulary
from commonweal.places.models import Ward
from tests.directory.imports.conftest import GROUPS_HEADER, counts, rejected

pytestmark = pytest.mark.django_db
GROUPS = ImportRun.Kind.GROUPS_CSV

LITTER = (
    "Abbey Road Litter Pickers,Neighbours who pick litter.,hello@litter.example,+44 20 7946 0000,SW19 2HL,"
    "www.litter.example,Abbey;Wandle,Volunteering,Monthly litter picks.,Saturdays 10:00 to 12:00"
)
KNITTERS = "Knit and Natter,A friendly knitting circle.,,,,,,,,"


def groups_csv(*rows: str) -> str:
    return "\n".join([GROUPS_HEADER, *rows]) + "\n"


@pytest.fixture
def vocabulary(db: None) -> None:
    taxonomy = load_starter_vocabulary()
    taxonomy.terms.get_or_create(code="volunteering", defaults={"name": "Volunteering", "description": "Give time."})


def test_each_row_becomes_an_informal_group_with_a_service_a_place_and_a_schedule(
    run_import: Any, abbey: Ward, vocabulary: None
) -> None:
    run = run_import(GROUPS, groups_csv(LITTER, KNITTERS))
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rejected_count == 0
    group = Organisation.objects.get(name="Abbey Road Litter Pickers")
    assert group.kind == Organisation.Kind.INFORMAL_GROUP and group.listing_status == ListingStatus.PUBLISHED
    assert (group.email, group.phone, group.postcode, group.website) == (
        "hello@litter.example",
        "+44 20 7946 0000",
        "SW19 2HL",
        "https://www.litter.example",
    )
    assert set(group.wards_served.values_list("name", flat=True)) == {"Abbey", "Wandle"}
    service = group.services.get()
    assert service.description == "Monthly litter picks." and service.source == GROUPS
    assert list(service.terms.values_list("name", flat=True)) == ["Volunteering"]
    place = service.locations.get()
    assert (place.postcode, place.ward, place.latitude) == ("SW19 2HL", abbey, abbey.centroid_lat)
    schedule = service.schedules.get()
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == ("SA", time(10), time(12))
    # A group with nothing but a name and a description is listed without a service.
    knitters = Organisation.objects.get(name="Knit and Natter")
    assert knitters.services.count() == 0


def test_re_running_the_file_changes_nothing_and_a_changed_row_updates_its_group(
    run_import: Any, abbey: Ward, vocabulary: None
) -> None:
    run_import(GROUPS, groups_csv(LITTER, KNITTERS))
    before = counts()
    again = run_import(GROUPS, groups_csv(LITTER, KNITTERS))
    assert (again.created_count, again.updated_count, again.rejected_count) == (0, 0, 0)
    assert counts() == before
    changed = LITTER.replace("Saturdays 10:00 to 12:00", "Sundays 2pm to 4pm").replace(
        "Monthly litter picks.", "Weekly litter picks."
    )
    run = run_import(GROUPS, groups_csv(changed, KNITTERS))
    assert (run.created_count, run.updated_count) == (0, 1)
    assert counts() == before
    service = Service.objects.get(organisation__name="Abbey Road Litter Pickers")
    assert service.description == "Weekly litter picks."
    assert service.schedules.get().byday == "SU"


def test_a_group_is_matched_whatever_the_case_and_spacing_of_its_name(run_import: Any, abbey: Ward) -> None:
    run_import(GROUPS, groups_csv("Knit and Natter,First,,,SW19 2HL,,,,,"))
    run = run_import(GROUPS, groups_csv("  KNIT  and natter ,Second,,,sw192hl,,,,,"))
    assert (run.created_count, run.updated_count) == (0, 1)
    assert Organisation.objects.get().description == "Second"


def test_postcodes_outside_our_table_are_kept_without_a_ward(run_import: Any, merton: Any) -> None:
    run = run_import(GROUPS, groups_csv("Far Away Group,,,,EH1 1YZ,,,,Tea and chat,"))
    assert run.rejected_count == 0
    place = Location.objects.get()
    assert (place.postcode, place.ward, place.latitude) == ("EH1 1YZ", None, None)


def test_unknown_wards_categories_and_columns_are_reported(run_import: Any, merton: Any, vocabulary: None) -> None:
    run = run_import(GROUPS, groups_csv("A,,,,,,Atlantis,,,", "B,,,,,,,Underwater basket weaving,Weaving,"))
    assert rejected(run) == {
        2: "“Atlantis” is not a ward in Merton.",
        3: "“Underwater basket weaving” is not a category in any vocabulary.",
    }
    assert Organisation.objects.count() == 0
    refused = run_import(GROUPS, "name,catgories\nA,Food\n")
    assert refused.status == ImportRun.Status.FAILED
    assert "catgories" in refused.error and "template's column names" in refused.error
    missing = run_import(GROUPS, "group,postcode\nA,SW19 2HL\n")
    assert "it has no name column" in missing.error


def test_malformed_rows_give_line_numbered_reasons_and_nothing_half_done(run_import: Any, merton: Any) -> None:
    content = groups_csv(
        "Good Group,,,,,,,,,",
        "Bad Postcode Group,,,,SW19 XXXX,,,,,",
        "Good Group,again,,,,,,,,",
        "=cmd|' /C calc'!A0,,,,,,,,,",
        "@SUM(1+1),,,,,,,,,",
        "Short Row,,",
        ",no name,,,,,,,,",
    )
    run = run_import(GROUPS, content)
    reasons = rejected(run)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert reasons[3] == "The postcode “SW19 XXXX” is not a real postcode."
    assert reasons[4].startswith("This is the same organisation as line 2 (name and postcode)")
    assert "formula" in reasons[5] and "formula" in reasons[6]
    assert "3 cells where the header has 10" in reasons[7]
    assert reasons[8] == "The name is blank."
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Good Group"]


def test_hostile_text_is_stored_as_text(run_import: Any, merton: Any) -> None:
    name = '<script>alert("x")</script> \u202eevil'
    run = run_import(GROUPS, groups_csv(f'"{name.replace(chr(34), chr(34) * 2)}",' + "x" * 2000 + ",,,,,,,,"))
    assert run.rejected_count == 0
    assert Organisation.objects.get().name == name


def test_schedules_the_file_does_not_mention_are_left_alone(run_import: Any, merton: Any) -> None:
    run_import(GROUPS, groups_csv("Tea Club,,,,,,,,Tea,Mondays 10:00-11:00"))
    run_import(GROUPS, groups_csv("Tea Club,,,,,,,,Tea and cake,"))
    assert Schedule.objects.get().byday == "MO"
