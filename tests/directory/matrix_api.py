"""Permission-matrix rows for the ORUK API (see tests/test_permission_matrix.py): public, no key, for everyone."""

from __future__ import annotations

from typing import Any

from tests.matrix import ALL, Row

ROWS: list[Row] = [
    ("oruk:api-root", lambda t: "/api/oruk/", "GET", ALL),
    ("oruk:api_details", lambda t: "/api/oruk/", "GET", ALL),
    ("oruk:docs", lambda t: "/api/docs", "GET", ALL),
    ("oruk:services", lambda t: "/api/oruk/services", "GET", ALL),
    ("oruk:service", lambda t: f"/api/oruk/services/{t['oruk_service'].uuid}", "GET", ALL),
    ("oruk:service_at_locations", lambda t: "/api/oruk/service_at_locations", "GET", ALL),
    (
        "oruk:service_at_location",
        lambda t: f"/api/oruk/service_at_locations/{t['oruk_service_at_location'].uuid}",
        "GET",
        ALL,
    ),
    ("oruk:organizations", lambda t: "/api/oruk/organizations", "GET", ALL),
    ("oruk:organization", lambda t: f"/api/oruk/organizations/{t['group'].uuid}", "GET", ALL),
    ("oruk:taxonomies", lambda t: "/api/oruk/taxonomies", "GET", ALL),
    ("oruk:taxonomy", lambda t: f"/api/oruk/taxonomies/{t['oruk_term'].taxonomy.uuid}", "GET", ALL),
    ("oruk:taxonomy_terms", lambda t: "/api/oruk/taxonomy_terms", "GET", ALL),
    ("oruk:taxonomy_term", lambda t: f"/api/oruk/taxonomy_terms/{t['oruk_term'].uuid}", "GET", ALL),
    # Read-only for everyone, admins included.
    ("oruk:services", lambda t: "/api/oruk/services", "POST", dict.fromkeys(ALL, 405)),
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
