"""The figures on the gaps page, checked against a small directory whose every answer is known (conftest.py)."""

from __future__ import annotations

from statistics import median_low
from typing import Any

import pytest
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.directory import gaps
from commonweal.directory.gaps import WardGaps
from commonweal.directory.models import Asset, Service, TaxonomyTerm
from commonweal.places.models import Lsoa, Ward
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merton(merton_for_one_test: Any) -> Any:
    # This module also checks what happens with no council loaded, so Merton must not outlive a test.
    return merton_for_one_test


def rows_by_name(report: gaps.GapsReport) -> dict[str, WardGaps]:
    return {row.name: row for row in report.wards}


def test_each_ward_counts_what_serves_it_or_is_in_it(small_directory: Any) -> None:
    rows = rows_by_name(gaps.ward_gaps())
    abbey, cannon_hill = rows["Abbey"], rows["Cannon Hill"]
    # Abbey: A serves it, D's postcode is in it; the food bank serves it; one published hall.
    assert (abbey.organisations, abbey.services, abbey.assets) == (2, 1, 1)
    # Cannon Hill: B has a place there; the food bank serves it and the money advice is there (once).
    assert (cannon_hill.organisations, cannon_hill.services, cannon_hill.assets) == (1, 2, 1)
    others = [row for name, row in rows.items() if name not in {"Abbey", "Cannon Hill"}]
    assert len(others) == 18
    assert all((row.organisations, row.services, row.assets) == (0, 0, 0) for row in others)


def test_the_borough_totals_count_each_record_once(small_directory: Any) -> None:
    report = gaps.ward_gaps()
    assert (report.total_organisations, report.total_services, report.total_assets) == (3, 2, 2)
    assert report.population == sum(Ward.objects.values_list("population", flat=True))


def test_figures_per_thousand_residents_use_the_wards_population(small_directory: Any) -> None:
    abbey = rows_by_name(gaps.ward_gaps())["Abbey"]
    population = small_directory.abbey.population
    assert population > 0
    assert abbey.services_per_1000 == round(1000 / population, 2)
    assert abbey.organisations_per_1000 == round(2000 / population, 2)
    assert abbey.assets_per_1000 == round(1000 / population, 2)


def test_a_category_counts_its_services_and_the_organisations_that_run_them(small_directory: Any) -> None:
    food = gaps.ward_gaps(category_code="food")
    assert food.category is not None and food.category.name == "Food"
    rows = rows_by_name(food)
    # A runs the food bank; D runs a lunch club (whose only place is withdrawn, but D's postcode is in Abbey).
    assert (rows["Abbey"].organisations, rows["Abbey"].services) == (2, 1)
    assert (rows["Cannon Hill"].organisations, rows["Cannon Hill"].services) == (0, 1)
    assert (food.total_organisations, food.total_services) == (2, 1)
    money = rows_by_name(gaps.ward_gaps(category_code="money"))
    assert (money["Abbey"].organisations, money["Abbey"].services) == (0, 0)
    assert (money["Cannon Hill"].organisations, money["Cannon Hill"].services) == (1, 1)


def test_services_by_category_count_a_service_once_however_many_of_its_terms_fall_in_it(
    small_directory: Any,
) -> None:
    report = gaps.ward_gaps()
    ids = {category.code: category.id for category in report.categories}
    rows = rows_by_name(report)
    assert rows["Abbey"].services_by_category == {ids["food"]: 1}
    # The money advice has two money terms (benefits and debt) but is one service.
    assert rows["Cannon Hill"].services_by_category == {ids["food"]: 1, ids["money"]: 1}


def test_a_term_nested_deeper_still_counts_in_its_top_level_category(small_directory: Any) -> None:
    food_bank = TaxonomyTerm.objects.get(code="food-bank")
    deeper = TaxonomyTerm.objects.create(
        taxonomy=food_bank.taxonomy, code="baby-bank", name="Baby banks", description="Nappies.", parent=food_bank
    )
    service = ServiceFactory(organisation=small_directory.organisations["A"], name="Baby bank")
    service.terms.add(deeper)
    service.wards_served.add(small_directory.abbey)
    rows = rows_by_name(gaps.ward_gaps(category_code="food"))
    assert rows["Abbey"].services == 2


def test_a_kind_of_asset_narrows_the_asset_counts(small_directory: Any) -> None:
    rows = rows_by_name(gaps.ward_gaps(asset_kind=Asset.Kind.GIFT))
    assert (rows["Abbey"].assets, rows["Cannon Hill"].assets) == (0, 1)
    everything = rows_by_name(gaps.ward_gaps())
    assert everything["Abbey"].assets_by_kind == {"space": 1}
    assert everything["Cannon Hill"].assets_by_kind == {"gift": 1}


def test_an_unknown_category_or_kind_counts_everything(small_directory: Any) -> None:
    report = gaps.ward_gaps(category_code="no-such-category", asset_kind="no-such-kind")
    assert report.category is None and report.asset_kind is None
    assert report.total_services == 2


def test_deprivation_is_the_median_and_most_deprived_decile_of_the_wards_small_areas(merton: Any) -> None:
    rows = rows_by_name(gaps.ward_gaps())
    for ward in Ward.objects.all():
        deciles = sorted(Lsoa.objects.filter(ward=ward, imd_decile__isnull=False).values_list("imd_decile", flat=True))
        row = rows[ward.name]
        assert row.median_decile == (median_low(deciles) if deciles else None)
        assert row.most_deprived_decile == (deciles[0] if deciles else None)
        assert row.lsoa_count == Lsoa.objects.filter(ward=ward).count()


def test_the_figures_follow_every_change_to_the_directory_at_once(small_directory: Any) -> None:
    """The counts are kept between requests, so each kind of change must be seen straight away."""
    assert rows_by_name(gaps.ward_gaps())["Abbey"].services == 1
    extra = ServiceFactory(organisation=small_directory.organisations["A"], name="Benefits drop-in")
    extra.wards_served.add(small_directory.abbey)
    assert rows_by_name(gaps.ward_gaps())["Abbey"].services == 2
    # A service moved from one ward to another: as many links as before, but not the same ones.
    food_bank = small_directory.services["1"]
    food_bank.wards_served.remove(small_directory.abbey)
    extra.wards_served.remove(small_directory.abbey)
    extra.wards_served.add(small_directory.cannon_hill)
    rows = rows_by_name(gaps.ward_gaps())
    assert (rows["Abbey"].services, rows["Cannon Hill"].services) == (0, 3)
    # A listing withdrawn in the moderation screens.
    Service.objects.filter(pk=extra.pk).update(listing_status=ListingStatus.WITHDRAWN, updated_at=timezone.now())
    assert rows_by_name(gaps.ward_gaps())["Cannon Hill"].services == 2
    Organisation.objects.filter(pk=small_directory.organisations["D"].pk).delete()
    assert rows_by_name(gaps.ward_gaps())["Abbey"].organisations == 1


def test_no_council_means_no_wards_and_no_error(db: None) -> None:
    report = gaps.ward_gaps()
    assert report.council is None and report.wards == []


# --- the arithmetic ----------------------------------------------------------------------------------


def test_per_thousand_is_unknown_without_residents() -> None:
    assert gaps.per_thousand(3, 0) is None
    assert gaps.per_thousand(3, 12_000) == 0.25
    assert gaps.per_thousand(0, 12_000) == 0


def test_decile_summary() -> None:
    assert gaps.decile_summary([]) == (None, None)
    assert gaps.decile_summary([7, 2, 9, 4]) == (4, 2)
    assert gaps.decile_summary([5]) == (5, 5)


def test_class_breaks_hold_about_equal_numbers_of_wards() -> None:
    values = [float(v) for v in range(1, 21)]
    breaks = gaps.class_breaks(values)
    assert breaks == [4.0, 8.0, 12.0, 16.0, 20.0]
    groups = [gaps.class_of(v, breaks) for v in values]
    assert [groups.count(n) for n in range(5)] == [4, 4, 4, 4, 4]
    assert gaps.class_of(None, breaks) is None


def test_equal_values_never_straddle_a_break() -> None:
    assert gaps.class_breaks([0.0] * 20) == [0.0]
    assert gaps.class_breaks([0.0] * 15 + [1.0, 2.0, 3.0, 4.0, 5.0]) == [0.0, 2.0, 3.0, 4.0, 5.0]
    assert gaps.class_breaks([]) == []
    assert gaps.class_breaks([1.0, 1.0, 2.0]) == [1.0, 2.0]


def test_the_key_names_each_group() -> None:
    assert [band["label"] for band in gaps.key_labels([0.0, 0.5, 1.25])] == [
        "none",
        "over 0, up to 0.5",
        "over 0.5, up to 1.25",
    ]
    assert gaps.key_labels([2.0])[0]["label"] == "up to 2"
    assert gaps.key_labels([]) == []


def _row(name: str, services: int, population: int, decile: int | None) -> WardGaps:
    return WardGaps(0, name, name, population, median_decile=decile, services=services)


def test_sorting_puts_wards_without_the_figure_last_and_ties_in_name_order() -> None:
    wards = [_row("Cedar", 2, 1000, 3), _row("Ash", 2, 1000, None), _row("Birch", 5, 0, 7)]
    by_services = gaps.sort_wards(wards, "services", descending=True)
    assert [w.name for w in by_services] == ["Birch", "Ash", "Cedar"]
    by_rate = gaps.sort_wards(wards, "services_per_1000")
    assert [w.name for w in by_rate] == ["Ash", "Cedar", "Birch"]  # Birch has no population
    by_decile = gaps.sort_wards(wards, "decile")
    assert [w.name for w in by_decile] == ["Cedar", "Birch", "Ash"]
    assert [w.name for w in gaps.sort_wards(wards, "nonsense")] == ["Ash", "Birch", "Cedar"]
