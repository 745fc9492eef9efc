"""Writes to a vocabulary: add, change and delete its terms, keeping the search index true."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max

from commonweal.core.audit import acting
from commonweal.directory.imports.vocabulary_csv import CODE, CODE_RULE
from commonweal.directory.models import Service, Taxonomy, TaxonomyTerm
from commonweal.directory.search import reindex_services

CODE_MAX = TaxonomyTerm._meta.get_field("code").max_length or 60
NAME_MAX = TaxonomyTerm._meta.get_field("name").max_length or 200
DESCRIPTION_MAX = TaxonomyTerm._meta.get_field("description").max_length or 2000


def descendant_ids(term: TaxonomyTerm) -> set[int]:
    """Every term below this one, however deep."""
    found: set[int] = set()
    frontier = {term.pk}
    while frontier:
        frontier = set(TaxonomyTerm.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def _clean(
    *,
    taxonomy: Taxonomy,
    code: str,
    name: str,
    description: str,
    parent: TaxonomyTerm | None,
    term_uri: str,
    term: TaxonomyTerm | None = None,
) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for the term."
    elif len(name) > NAME_MAX:
        errors["name"] = f"The name must be {NAME_MAX} characters or fewer. You entered {len(name):,}."
    if not code:
        errors["code"] = "Enter a code for the term."
    elif len(code) > CODE_MAX:
        errors["code"] = f"The code must be {CODE_MAX} characters or fewer. You entered {len(code):,}."
    elif not CODE.fullmatch(code):
        errors["code"] = f"The code must {CODE_RULE}."
    else:
        taken = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code)
        if term is not None:
            taken = taken.exclude(pk=term.pk)
        if taken.exists():
            errors["code"] = f"The vocabulary already has a term with the code “{code}”. Choose another code."
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = (
            f"The description must be {DESCRIPTION_MAX:,} characters or fewer. You entered {len(description):,}."
        )
    if parent is not None:
        if parent.taxonomy_id != taxonomy.pk:
            errors["parent"] = "Choose a broader term from the same vocabulary."
        elif term is not None and (parent.pk == term.pk or parent.pk in descendant_ids(term)):
            errors["parent"] = "A term cannot sit under itself or under one of its own narrower terms."
    if term_uri:
        try:
            URLValidator(schemes=["http", "https"])(term_uri)
        except ValidationError:
            errors["term_uri"] = "Enter a web address starting with https://, or leave it blank."
        else:
            if len(term_uri) > 200:
                errors["term_uri"] = "The web address must be 200 characters or fewer."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_term(
    *,
    taxonomy: Taxonomy,
    code: str,
    name: str,
    description: str = "",
    parent: TaxonomyTerm | None = None,
    term_uri: str = "",
    by: Any = None,
) -> TaxonomyTerm:
    """Add a term at the end of its vocabulary; codes are unique within a vocabulary."""
    code, name, description, term_uri = code.strip(), name.strip(), description.strip(), term_uri.strip()
    _clean(taxonomy=taxonomy, code=code, name=name, description=description, parent=parent, term_uri=term_uri)
    last = TaxonomyTerm.objects.filter(taxonomy=taxonomy).aggregate(last=Max("position"))["last"]
    with acting(by):
        return TaxonomyTerm.objects.create(
            taxonomy=taxonomy,
            code=code,
            name=name,
            description=description or name,
            parent=parent,
            term_uri=term_uri,
            position=(last or 0) + 1,
        )


@transaction.atomic
def update_term(
    *,
    term: TaxonomyTerm,
    code: str,
    name: str,
    description: str,
    parent: TaxonomyTerm | None,
    term_uri: str = "",
    by: Any = None,
) -> TaxonomyTerm:
    """Change a term; services filed under it are reindexed, since its name is part of what search finds."""
    code, name, description, term_uri = code.strip(), name.strip(), description.strip(), term_uri.strip()
    _clean(
        taxonomy=term.taxonomy,
        code=code,
        name=name,
        description=description,
        parent=parent,
        term_uri=term_uri,
        term=term,
    )
    term.code, term.name, term.description, term.parent, term.term_uri = (
        code,
        name,
        description or name,
        parent,
        term_uri,
    )
    with acting(by):
        term.save()
    reindex_services(list(services_using(term)))
    return term


def services_using(term: TaxonomyTerm) -> set[int]:
    return set(Service.terms.through.objects.filter(taxonomyterm_id=term.pk).values_list("service_id", flat=True))


@transaction.atomic
def delete_term(*, term: TaxonomyTerm, by: Any = None) -> int:
    """Delete a term: its narrower terms move up to its own parent, and services lose only this category.
    Returns how many services were filed under it."""
    affected = services_using(term)
    with acting(by):
        for child in TaxonomyTerm.objects.filter(parent=term):
            child.parent_id = term.parent_id
            child.save(update_fields=["parent", "updated_at"])
        term.delete()
    if affected:
        reindex_services(sorted(affected))
    return len(affected)
