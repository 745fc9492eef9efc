"""Reads for the vocabulary pages: the vocabularies, and one vocabulary's terms as a tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from commonweal.directory.models import Taxonomy, TaxonomyTerm


def vocabularies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.annotate(term_count=Count("terms")).order_by("name")


@dataclass
class Node:
    term: TaxonomyTerm
    services: int
    children: list[Node] = field(default_factory=list)


def term_tree(taxonomy: Taxonomy) -> list[Node]:
    """The vocabulary's terms nested under their parents, each with how many services use it."""
    terms = TaxonomyTerm.objects.filter(taxonomy=taxonomy).annotate(service_count=Count("services"))
    nodes = {term.pk: Node(term, term.service_count) for term in terms.order_by("position", "name")}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.term.parent_id) if node.term.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def parent_choices(taxonomy: Taxonomy, *, leaving_out: set[int] | None = None) -> QuerySet[TaxonomyTerm]:
    """Terms a term may sit under: any in its vocabulary except itself and its own narrower terms."""
    terms = TaxonomyTerm.objects.filter(taxonomy=taxonomy).order_by("name")
    return terms.exclude(pk__in=leaving_out) if leaving_out else terms
