"""An administrator loads the council's real geography from the ONS reference data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from commonweal.places.models import CouncilArea, Lsoa, Ward
from commonweal.places.services import CouncilDataError, load_council_area, ward_for_point


@pytest.fixture
def merton(merton_for_one_test: Any) -> Any:
    # This module also checks what happens with no council loaded, so Merton must not outlive a test.
    return merton_for_one_test


def test_merton_loads_its_twenty_wards_with_ons_codes(merton: Any) -> None:
    assert merton.name == "London Borough of Merton"
    assert merton.area_name == "Merton"
    assert merton.org_id == "GB-LAE-MRT"
    wards = Ward.objects.filter(council=merton)
    assert wards.count() == 20
    assert all(ward.code.startswith("E05") for ward in wards)
    assert wards.filter(name="Abbey").exists()


def test_every_ward_has_small_areas_and_people(merton: Any) -> None:
    for ward in Ward.objects.filter(council=merton):
        assert ward.lsoas.exists(), ward.name
        assert ward.population > 0, ward.name
        assert ward.min_lat < ward.centroid_lat < ward.max_lat
        assert ward.min_lon < ward.centroid_lon < ward.max_lon


def test_ward_populations_add_up_to_the_small_areas_in_them(merton: Any) -> None:
    ward_total = Ward.objects.filter(council=merton).aggregate(total=Sum("population"))["total"]
    lsoa_total = Lsoa.objects.filter(ward__council=merton).aggregate(total=Sum("population"))["total"]
    assert ward_total == lsoa_total
    assert 190_000 < ward_total < 220_000  # Merton's mid-2015 population was about 205,000
    assert not Lsoa.objects.filter(ward__isnull=True).exists()


def test_every_small_area_has_a_deprivation_decile_and_rank(merton: Any) -> None:
    lsoas = Lsoa.objects.filter(ward__council=merton)
    assert lsoas.count() == 124
    assert all(lsoa.code.startswith("E01") for lsoa in lsoas)
    assert {lsoa.imd_decile for lsoa in lsoas} <= set(range(1, 11))
    assert all(1 <= (lsoa.imd_rank or 0) <= 32_844 for lsoa in lsoas)


def test_loading_again_updates_without_duplicating(merton: Any) -> None:
    before = (CouncilArea.objects.count(), Ward.objects.count(), Lsoa.objects.count())
    ward = Ward.objects.get(name="Abbey")
    ward.name, ward.population = "Renamed by mistake", 1
    ward.save()
    load_council_area(gss_code="E09000024")
    assert (CouncilArea.objects.count(), Ward.objects.count(), Lsoa.objects.count()) == before
    ward.refresh_from_db()
    assert ward.name == "Abbey"
    assert ward.population > 1


@pytest.mark.parametrize("gss_code", ["E09000003", "E09000016", "E06000034", "E08000014"])
def test_the_other_councils_load_too(db: None, gss_code: str) -> None:
    council = load_council_area(gss_code=gss_code)
    assert council.wards.count() >= 15
    assert all(ward.population > 0 for ward in council.wards.all())


def test_an_unknown_council_code_says_so(db: None) -> None:
    with pytest.raises(CouncilDataError, match="E09999999"):
        load_council_area(gss_code="E09999999")
    assert not CouncilArea.objects.exists()


def test_a_point_finds_the_ward_it_is_in(merton: Any) -> None:
    lsoa = Lsoa.objects.get(code="E01003355")  # Merton 009A, in Abbey
    assert ward_for_point(lsoa.centroid_lat, lsoa.centroid_lon) == lsoa.ward
    assert ward_for_point(51.5074, -0.1278) is None  # Charing Cross is not in Merton
