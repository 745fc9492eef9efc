"""The layouts published pools come in: the Nature paper's replication files and the Sortition Foundation's."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from commonweal.panels.sortition import read_categories_csv, read_people_csv

# The replication repository's example_small_20: categories are 'category,feature,min,max' (category names the
# feature, feature is its value) and the respondents file has no id column at all.
REPLICATION_CATEGORIES = (
    "category,feature,min,max\ngender,female,9,20\ngender,male,9,20\nleaning,liberal,9,20\nleaning,conservative,9,20\n"
)
REPLICATION_PEOPLE = "gender,leaning\nfemale,conservative\n" + "female,liberal\n" * 99 + "male,conservative\n" * 100


def test_replication_categories_name_the_feature_in_category_and_the_value_in_feature() -> None:
    quotas = read_categories_csv(REPLICATION_CATEGORIES)
    assert [(q.feature, q.value, q.min, q.max) for q in quotas][:2] == [
        ("gender", "female", 9, 20),
        ("gender", "male", 9, 20),
    ]


def test_a_people_file_without_ids_numbers_its_people_by_row() -> None:
    people = read_people_csv(REPLICATION_PEOPLE, features={"gender", "leaning"})
    assert len(people) == 200
    assert people[0].id == "1" and dict(people[0].features) == {"gender": "female", "leaning": "conservative"}
    assert people[-1].id == "200"


def test_the_replication_example_gives_everyone_k_over_n(tmp_path: Path) -> None:
    # The paper's reference output for example_small_20: LEXIMIN minimum probability exactly 10%, as k/n = 20/200.
    people, categories = tmp_path / "respondents.csv", tmp_path / "categories.csv"
    people.write_text(REPLICATION_PEOPLE, encoding="utf-8")
    categories.write_text(REPLICATION_CATEGORIES, encoding="utf-8")
    out = StringIO()
    call_command(
        "panels", "select", "--people", str(people), "--categories", str(categories), "--k", "20", "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["n"] == 200
    assert result["min_probability"] == pytest.approx(0.1, abs=1e-6)
    assert result["upper_bound"] == pytest.approx(0.1, abs=1e-6)
    assert sum(result["probabilities"].values()) == pytest.approx(20)
    for panel in result["panels"]:
        members = panel["members"]
        women = [m for m in members if m == "1" or int(m) <= 100]
        assert len(members) == 20 and 9 <= len(women) <= 11


def test_sortition_foundation_people_files_keep_their_other_columns_out_of_the_way() -> None:
    people = read_people_csv(
        "nationbuilder_id,first_name,primary_zip,Gender\np0,Ann,AB1,Female\np1,Bob,AB2,Male\n",
        features={"Gender"},
    )
    assert [person.id for person in people] == ["p0", "p1"]
    assert people[1].features["Gender"] == "Male"
