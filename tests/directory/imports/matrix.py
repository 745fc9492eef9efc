"""Permission-matrix rows for the directory's imports and vocabulary routes (see tests/test_permission_matrix.py).

Administrators import; officers and administrators read the vocabularies (officers file services under them),
administrators alone change them. A POST here is empty: the form comes back with its errors (200).
"""

from __future__ import annotations

from typing import Any

from commonweal.directory.models import ImportRun, Taxonomy, TaxonomyTerm
from tests.matrix import Row, only

ADMINS = only("admin")
OFFICERS_AND_ADMINS = only("officer", "admin")

ROWS: list[Row] = [
    ("directory:imports", lambda t: [], "GET", ADMINS),
    ("directory:imports", lambda t: [], "POST", ADMINS),
    (
        "directory:import_template",
        lambda t: [],
        "GET",
        OFFICERS_AND_ADMINS,
    ),
    ("directory:import_run", lambda t: [t["import_run"].pk], "GET", ADMINS),
    # The matrix run finished, so there is nothing to try again: an administrator is told so (409).
    ("directory:import_retry", lambda t: [t["import_run"].pk], "POST", {**ADMINS, "admin": 409}),
    ("directory:import_retry", lambda t: [t["import_run"].pk], "GET", {**ADMINS, "admin": 405}),
    ("directory:import_status", lambda t: [t["import_run"].pk], "GET", ADMINS),
    (
        "directory:import_rejections",
        lambda t: [t["import_run"].pk],
        "GET",
        ADMINS,
    ),
    ("directory:taxonomy", lambda t: [], "GET", OFFICERS_AND_ADMINS),
    ("directory:taxonomy_import", lambda t: [], "GET", ADMINS),
    ("directory:taxonomy_import", lambda t: [], "POST", ADMINS),
    ("directory:taxonomy_detail", lambda t: [t["vocabulary"].pk], "GET", OFFICERS_AND_ADMINS),
    (
        "directory:taxonomy_csv",
        lambda t: [t["vocabulary"].pk],
        "GET",
        OFFICERS_AND_ADMINS,
    ),
    ("directory:term_add", lambda t: [t["vocabulary"].pk], "GET", ADMINS),
    ("directory:term_add", lambda t: [t["vocabulary"].pk], "POST", ADMINS),
    ("directory:term_edit", lambda t: [t["term"].pk], "GET", ADMINS),
    ("directory:term_edit", lambda t: [t["term"].pk], "POST", ADMINS),
    ("directory:term_delete", lambda t: [t["term"].pk], "GET", ADMINS),
    # An administrator's POST deletes the term and goes back to its vocabulary; nobody else's is obeyed.
    (
        "directory:term_delete",
        lambda t: [t["term_to_delete"].pk],
        "POST",
        {**ADMINS, "admin": 302},
    ),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
    vocabulary, _ = Taxonomy.objects.get_or_create(
        name="Matrix vocabulary", defaults={"description": "For the matrix."}
    )
    targets["vocabulary"] = vocabulary
    targets["term"] = TaxonomyTerm.objects.create(taxonomy=vocabulary, code="matrix", name="Matrix", description="x")
    targets["term_to_delete"] = TaxonomyTerm.objects.create(
        taxonomy=vocabulary, code="matrix-delete", name="Matrix delete", description="x"
    )
    targets["import_run"] = ImportRun.objects.create(
        kind=ImportRun.Kind.GROUPS_CSV,
        filename="matrix.csv",
        stored_path="/nowhere/matrix.csv",
        status=ImportRun.Status.SUCCEEDED,
        rejections=[{"line": 2, "reason": "The name is blank."}],
        rejected_count=1,
    )
