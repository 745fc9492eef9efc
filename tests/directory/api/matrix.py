"""Permission-matrix rows for the ORUK API (see tests/test_permission_matrix.py): public, no key, for everyone."""

from __future__ import annotations

from typing import Any

from tests.matrix import ALL, Row

ROWS: list[Row] = [
    ("oruk:api-root", lambda t: [], "GET", ALL),
    ("oruk:api_details", lambda t: [], "GET", ALL),
    ("oruk:docs", lambda t: [], "GET", ALL),
    ("oruk:services", lambda t: [], "GET", ALL),
    ("oruk:service", lambda t: [t["oruk_service"].uuid], "GET", ALL),
    ("oruk:service_at_locations", lambda t: [], "GET", ALL),
    (
        "oruk:service_at_location",
        lambda t: [t["oruk_service_at_location"].uuid],
        "GET",
        ALL,
    ),
    ("oruk:organizations", lambda t: [], "GET", ALL),
    ("oruk:organization", lambda t: [t["group"].uuid], "GET", ALL),
    ("oruk:taxonomies", lambda t: [], "GET", ALL),
    ("oruk:taxonomy", lambda t: [t["oruk_term"].taxonomy.uuid], "GET", ALL),
    ("oruk:taxonomy_terms", lambda t: [], "GET", ALL),
    ("oruk:taxonomy_term", lambda t: [t["oruk_term"].uuid], "GET", ALL),
    # Read-only for everyone, admins included.
    ("oruk:services", lambda t: [], "POST", dict.fromkeys(ALL, 405)),
]


def add_targets(targets: dict[str, Any]) -> None:
    """A published service of the matrix's group at a published place, with a category."""
    from commonweal.directory.search import reindex_services
    from tests.directory.factories import ServiceAtLocationFactory, ServiceFactory, TaxonomyTermFactory

    group = targets["group"]
    service = ServiceFactory(organisation=group, name="Matrix service")
    term = TaxonomyTermFactory(name="Matrix term")
    service.terms.add(term)
    sal = ServiceAtLocationFactory(service=service, location__organisation=group)
    reindex_services([service.pk])
    targets.update(oruk_service=service, oruk_service_at_location=sal, oruk_term=term)
