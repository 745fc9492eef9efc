"""Administrators look after the vocabularies: they see every term nested under its parent, add, change and
delete terms (deleting a term in use asks first and says how many services use it); officers may look."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from commonweal.directory.models import Taxonomy, TaxonomyTerm
from commonweal.directory.vocabulary import load_starter_vocabulary
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter(db: None) -> Taxonomy:
    return load_starter_vocabulary()


@pytest.fixture
def admin(client: Client, make_user: Any, mfa_exempt: None, settings_var: Any) -> Any:
    user = make_user("admin")
    client.force_login(user)
    return user


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def test_the_vocabularies_are_listed_and_a_vocabularys_terms_are_nested(
    client: Client, admin: Any, starter: Taxonomy
) -> None:
    listing = client.get("/directory/vocabulary/").content.decode()
    assert starter.name in listing and "Import a vocabulary from CSV" in listing
    ServiceFactory().terms.add(term("food-bank"))
    page = client.get(f"/directory/vocabulary/{starter.pk}/").content.decode()
    food = page.index("<bdi>Food</bdi>")
    bank = page.index("<bdi>Food banks</bdi>")
    money = page.index("<bdi>Money and debt</bdi>")
    assert food < bank < money  # Food banks sits inside Food, before the next top-level term
    assert page[food:bank].count("<ul") == 1
    assert "1 service)" in page and "Add a term" in page


def test_an_administrator_adds_a_term_under_a_parent(client: Client, admin: Any, starter: Taxonomy) -> None:
    response = client.post(
        f"/directory/vocabulary/{starter.pk}/add/",
        {"name": "Baby banks", "code": "baby-bank", "description": "Clothes and equipment.", "parent": term("food").pk},
    )
    assert response.status_code == 302
    added = term("baby-bank")
    assert added.parent == term("food") and added.taxonomy == starter
    assert LogEntry.objects.get_for_object(added).get().actor == admin
    page = client.get(response["Location"]).content.decode()
    assert "You added the term “Baby banks”." in page


def test_mistakes_in_a_term_are_explained_beside_the_fields(client: Client, admin: Any, starter: Taxonomy) -> None:
    page = client.post(
        f"/directory/vocabulary/{starter.pk}/add/", {"name": "", "code": "food bank!", "description": "x" * 2001}
    ).content.decode()
    assert "There is a problem" in page
    assert "Enter a name for the term." in page
    assert "The code must use only letters, digits" in page
    assert "The description must be 2,000 characters or fewer. You entered 2,001." in page
    taken = client.post(f"/directory/vocabulary/{starter.pk}/add/", {"name": "Again", "code": "food"})
    assert "already has a term with the code “food”" in taken.content.decode()


def test_a_term_cannot_be_moved_under_its_own_narrower_term(client: Client, admin: Any, starter: Taxonomy) -> None:
    food = term("food")
    page = client.get(f"/directory/vocabulary/terms/{food.pk}/").content.decode()
    assert f'value="{term("food-bank").pk}"' not in page  # not offered
    response = client.post(
        f"/directory/vocabulary/terms/{food.pk}/",
        {"name": "Food", "code": "food", "description": "Food.", "parent": term("food-bank").pk},
    )
    assert "Choose a broader term from the list." in response.content.decode()
    food.refresh_from_db()
    assert food.parent is None


def test_changing_a_term_saves_it_and_keeps_the_search_index_true(
    client: Client, admin: Any, starter: Taxonomy, monkeypatch: Any
) -> None:
    from commonweal.directory.vocabulary import services

    reindexed: list[Any] = []
    monkeypatch.setattr(services, "reindex_services", lambda ids: reindexed.append(sorted(ids)))
    service = ServiceFactory()
    service.terms.add(term("food-bank"))
    bank = term("food-bank")
    response = client.post(
        f"/directory/vocabulary/terms/{bank.pk}/",
        {"name": "Foodbanks", "code": "food-bank", "description": "Parcels.", "parent": term("food").pk},
    )
    assert response.status_code == 302
    bank.refresh_from_db()
    assert (bank.name, bank.description) == ("Foodbanks", "Parcels.")
    assert reindexed == [[service.pk]]


def test_deleting_a_term_in_use_asks_first_and_says_how_many_services_use_it(
    client: Client, admin: Any, starter: Taxonomy
) -> None:
    food = term("food")
    for _ in range(3):
        ServiceFactory().terms.add(food)
    page = client.get(f"/directory/vocabulary/terms/{food.pk}/delete/").content.decode()
    assert "Are you sure you want to delete this term?" in page
    assert "3 services are filed under this term." in page
    assert "Its narrower terms will become top-level terms:" in page and "Food banks" in page
    assert TaxonomyTerm.objects.filter(code="food").exists()  # nothing happens until they confirm
    response = client.post(f"/directory/vocabulary/terms/{food.pk}/delete/")
    assert response.status_code == 302
    assert not TaxonomyTerm.objects.filter(code="food").exists()
    assert term("food-bank").parent is None  # moved up, not deleted with it
    assert "3 services no longer have it." in client.get(response["Location"]).content.decode()


def test_hostile_term_names_are_shown_as_text(client: Client, admin: Any, starter: Taxonomy) -> None:
    name = '<script>alert("x")</script>\u202e'
    TaxonomyTerm.objects.create(taxonomy=starter, code="hostile", name=name, description="x")
    page = client.get(f"/directory/vocabulary/{starter.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "<bdi>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\u202e</bdi>" in page


def test_the_vocabulary_downloads_as_the_csv_the_import_reads(client: Client, admin: Any, starter: Taxonomy) -> None:
    response = client.get(f"/directory/vocabulary/{starter.pk}/terms.csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.splitlines()[0] == "code,name,description,parent_code"
    assert "food-bank,Food banks,Emergency food parcels for people who cannot afford to eat.,food" in text


def test_an_administrator_imports_a_vocabulary_through_its_own_page(
    client: Client, admin: Any, starter: Taxonomy
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    missing = client.post("/directory/vocabulary/import/", {}).content.decode()
    assert "Enter the name of the vocabulary." in missing and "Select a file." in missing
    upload = SimpleUploadedFile("sutton.csv", b"code,name,description,parent_code\nsport,Sport,Games.,\n", "text/csv")
    response = client.post("/directory/vocabulary/import/", {"name": "Sutton categories", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Import finished" in page and "2 records added" in page
    assert Taxonomy.objects.get(name="Sutton categories").terms.get().code == "sport"


def test_officers_may_look_but_not_change(client: Client, make_user: Any, mfa_exempt: None, starter: Taxonomy) -> None:
    client.force_login(make_user("officer"))
    page = client.get(f"/directory/vocabulary/{starter.pk}/").content.decode()
    assert "Food banks" in page and "Add a term" not in page and "Delete" not in page
    assert client.get(f"/directory/vocabulary/{starter.pk}/add/").status_code == 403
    assert client.post(f"/directory/vocabulary/terms/{term('food').pk}/delete/").status_code == 403
    assert TaxonomyTerm.objects.filter(code="food").exists()


@pytest.mark.parametrize("role", ["resident", "group_member", "champion", "steward"])
def test_others_may_not_see_the_vocabulary_pages(
    client: Client, make_user: Any, mfa_exempt: None, starter: Taxonomy, role: str
) -> None:
    client.force_login(make_user(role))
    assert client.get("/directory/vocabulary/").status_code == 403
    assert client.get(f"/directory/vocabulary/{starter.pk}/").status_code == 403
