"""The demo borough's profile: real adult populations by ward from the ONS denominators, the rest invented."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from typing import Any

from django.conf import settings

from commonweal.places.categories import CATEGORIES, CHARACTERISTICS
from commonweal.places.demo import INVENTED_SOURCE, REAL_SOURCE, demo_profile_counts, load_demo_profile
from commonweal.places.models import ProfileCount
from commonweal.places.profile import borough_margins


def merton_adults_in_the_ons_file() -> tuple[int, int]:
    """Merton's residents aged 16 to 59 and 60 and over, mid 2015, read straight from File 6."""
    path = settings.REFERENCE_DATA_DIR / "imd" / "File_6_-_IoD2019_Population_Denominators.csv.gz"
    young = old = 0
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            if row[2] == "E09000024":
                young += int(row[6].replace(",", ""))
                old += int(row[7].replace(",", ""))
    return young, old


def test_the_demo_profile_has_the_real_adult_population_by_age(merton: Any) -> None:
    load_demo_profile(merton)

    margins = borough_margins(merton)
    assert (margins["age"]["16 to 59"], margins["age"]["60 and over"]) == merton_adults_in_the_ons_file()
    assert len(margins["ward"]) == merton.wards.count() == 20
    ages = ProfileCount.objects.filter(characteristic="age")
    assert {(row.source, row.invented) for row in ages} == {(REAL_SOURCE, False)}
    for ward in merton.wards.prefetch_related("lsoas"):
        assert margins["ward"][ward.name] > 0.7 * sum(lsoa.population for lsoa in ward.lsoas.all())


def test_each_invented_characteristic_sums_to_the_wards_adults(merton: Any) -> None:
    load_demo_profile(merton)

    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in ProfileCount.objects.select_related("ward"):
        totals[row.ward.code][row.characteristic] += row.count
    for code, by_characteristic in totals.items():
        assert set(by_characteristic) == set(CHARACTERISTICS), code
        assert len(set(by_characteristic.values())) == 1, (code, dict(by_characteristic))
    invented = ProfileCount.objects.exclude(characteristic="age")
    assert {(row.source, row.invented) for row in invented} == {(INVENTED_SOURCE, True)}
    margins = borough_margins(merton)
    for characteristic, categories in CATEGORIES.items():
        assert set(margins[characteristic]) == set(categories)
    # Plausible London shares: most adults White, owner-occupiers the largest tenure, about one in seven disabled.
    adults = sum(margins["ward"].values())
    assert 0.5 < margins["ethnicity"]["White"] / adults < 0.75
    assert 0.45 < margins["tenure"]["Owned (outright, with a mortgage or shared ownership)"] / adults < 0.65
    assert 0.1 < margins["disability"]["Disabled under the Equality Act"] / adults < 0.2


def test_loading_the_demo_profile_again_changes_nothing(merton: Any) -> None:
    assert load_demo_profile(merton) > 0
    first = list(ProfileCount.objects.order_by("id").values_list("id", "ward__code", "category", "count"))

    assert load_demo_profile(merton) == 0

    assert list(ProfileCount.objects.order_by("id").values_list("id", "ward__code", "category", "count")) == first
    assert demo_profile_counts(merton) == {
        (code, characteristic, category): count
        for code, characteristic, category, count in ProfileCount.objects.values_list(
            "ward__code", "characteristic", "category", "count"
        )
    }
