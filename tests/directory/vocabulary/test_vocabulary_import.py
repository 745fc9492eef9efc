"""An administrator imports a vocabulary of service categories from CSV, into a vocabulary they name."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.directory.models import ImportRun, Taxonomy, TaxonomyTerm
from commonweal.directory.vocabulary import STARTER_CSV, STARTER_NAME, load_starter_vocabulary
from tests.directory.imports.conftest import rejected

pytestmark = pytest.mark.django_db
VOCABULARY = ImportRun.Kind.TAXONOMY_CSV

CSV = (
    "code,name,description,parent_code\n"
    "food-bank,Food banks,Emergency food parcels.,food\n"  # its parent comes later in the file
    "food,Food,Food and meals.,\n"
    "advice,Advice,,\n"
)


def test_terms_nest_under_parents_named_anywhere_in_the_file(run_import: Any) -> None:
    run = run_import(VOCABULARY, CSV, name="Sutton categories")
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    vocabulary = Taxonomy.objects.get(name="Sutton categories")
    food = TaxonomyTerm.objects.get(taxonomy=vocabulary, code="food")
    bank = TaxonomyTerm.objects.get(taxonomy=vocabulary, code="food-bank")
    assert bank.parent == food and food.parent is None
    assert TaxonomyTerm.objects.get(code="advice").description == "Advice"  # a blank description takes the name
    assert (run.created_count, run.updated_count) == (4, 0)  # the vocabulary and its three terms


def test_importing_again_changes_nothing_and_a_changed_file_updates_terms_by_code(run_import: Any) -> None:
    run_import(VOCABULARY, CSV, name="Sutton categories")
    again = run_import(VOCABULARY, CSV, name="Sutton categories")
    assert (again.created_count, again.updated_count) == (0, 0)
    changed = CSV.replace("Food banks,Emergency", "Foodbanks,Emergency").replace(
        "advice,Advice,,", "advice,Advice,,food"
    )
    run = run_import(VOCABULARY, changed, name="Sutton categories")
    assert (run.created_count, run.updated_count) == (0, 2)
    assert TaxonomyTerm.objects.get(code="food-bank").name == "Foodbanks"
    assert TaxonomyTerm.objects.get(code="advice").parent.code == "food"  # type: ignore[union-attr]
    assert TaxonomyTerm.objects.count() == 3


def test_the_starter_vocabulary_file_imports_onto_the_loaded_one_without_a_change(run_import: Any) -> None:
    load_starter_vocabulary()
    terms = TaxonomyTerm.objects.count()
    run = run_import(VOCABULARY, STARTER_CSV.read_bytes(), name=STARTER_NAME)
    assert (run.status, run.created_count, run.updated_count, run.rejected_count) == ("succeeded", 0, 0, 0)
    assert TaxonomyTerm.objects.count() == terms
    load_starter_vocabulary()  # and the loader still works after an import
    assert TaxonomyTerm.objects.count() == terms


def test_bad_rows_are_reported_by_line(run_import: Any) -> None:
    content = (
        "code,name,description,parent_code\n"
        "food,Food,,\n"
        "food,Food again,,\n"
        "orphan,Orphan,,nowhere\n"
        "a,A,,b\n"
        "b,B,,a\n"
        "child-of-a,Child,,a\n"
        "has space,Spaced,,\n"
        "self,Self,,self\n"
        ",No code,,\n"
        "=cmd,Formula,,\n"
        "grandchild,Grandchild,,orphan\n"
    )
    run = run_import(VOCABULARY, content, name="Broken")
    reasons = rejected(run)
    assert reasons[3] == "The code “food” is also on line 2."
    assert reasons[4] == "Its parent code “nowhere” is not a term in this file or the vocabulary."
    assert reasons[5] == reasons[6] == "Its parents go round in a circle back to it."
    assert reasons[7] == "Its parent “a” is in a circle of parents."
    assert "has characters a code cannot have" in reasons[8]
    assert reasons[9] == "A term cannot be its own parent."
    assert reasons[10] == "The code is blank."
    assert "formula" in reasons[11]
    assert reasons[12] == "Its parent “orphan” was rejected, so it was too."
    assert list(TaxonomyTerm.objects.values_list("code", flat=True)) == ["food"]


def test_a_file_without_code_and_name_columns_is_refused(run_import: Any) -> None:
    run = run_import(VOCABULARY, "term,label\nx,y\n", name="Broken")
    assert run.status == ImportRun.Status.FAILED
    assert "no code and name columns" in run.error
    assert not Taxonomy.objects.filter(name="Broken").exists()
