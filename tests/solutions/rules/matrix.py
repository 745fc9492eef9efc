"""Permission-matrix rows for the Solutions Framework's rules pages (see tests/test_permission_matrix.py).

Stewards and administrators set the rules; everyone else signed in is refused with a reason, and an anonymous
visitor is sent to sign in. Crafted POSTs are empty: rule-setters get the form back with its errors (200).
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.solutions.models import Category
from tests.matrix import Row, only

RULE_SETTERS = only("steward", "admin")
# Deleting a category nobody has used: done, and back to the rules.
DELETED = {**RULE_SETTERS, "steward": 302, "admin": 302}


def _category(t: dict[str, Any]) -> list[Any]:
    return [t["rules_category"].pk]


ROWS: list[Row] = [
    ("solutions:rules", lambda t: [], "GET", RULE_SETTERS),
    ("solutions:rules", lambda t: [], "POST", {**RULE_SETTERS, "steward": 405, "admin": 405}),
    ("solutions:rules_category_add", lambda t: [], "GET", RULE_SETTERS),
    ("solutions:rules_category_add", lambda t: [], "POST", RULE_SETTERS),
    ("solutions:rules_category_edit", _category, "GET", RULE_SETTERS),
    ("solutions:rules_category_edit", _category, "POST", RULE_SETTERS),
    ("solutions:rules_category_delete", _category, "GET", RULE_SETTERS),
    ("solutions:rules_category_delete", _category, "POST", DELETED),
    ("solutions:rules_standards", lambda t: [], "GET", RULE_SETTERS),
    ("solutions:rules_standards", lambda t: [], "POST", RULE_SETTERS),
    ("solutions:rules_settings", lambda t: [], "GET", RULE_SETTERS),
    ("solutions:rules_settings", lambda t: [], "POST", RULE_SETTERS),
    ("solutions:rules_changes", lambda t: [], "GET", RULE_SETTERS),
]


def add_targets(targets: dict[str, Any]) -> None:
    """targets['rules_category']: a category routed to one department, with no blockage raised under it."""
    department = create_organisation(name="Matrix Highways", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    category = Category.objects.create(name="Matrix road closures", slug="matrix-road-closures")
    category.departments.add(department)
    targets["rules_category"] = category
