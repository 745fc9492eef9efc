"""The vocabulary of the permission matrix (tests/test_permission_matrix.py), shared by every area's rows.

Codes: 200 shown; 'login' sends an anonymous visitor to sign in; 403 refused with a reason; 405 wrong method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from tests.conftest import ROLES

LOGIN = "login"
ALL: dict[str, int | str] = dict.fromkeys(ROLES, 200)
SIGNED_IN: dict[str, int | str] = {**ALL, "anonymous": LOGIN}

# (url name, the URL's args from the targets, method, expected per role). A last arg starting '?' is a query
# string: reverse() builds the path, so a row never holds a hand-typed path that drifts from the URLconf.
Row = tuple[str, Callable[[dict[str, Any]], list[Any]], str, dict[str, int | str]]


def path(name: str, args: list[Any]) -> str:
    """The row's path: reverse() by URL name and args, then the query string if the row gives one."""
    query = ""
    if args and isinstance(args[-1], str) and args[-1].startswith("?"):
        *args, query = args
    return reverse(name, args=args) + query


def only(*roles: str, others: int = 403) -> dict[str, int | str]:
    """200 for these roles, sign-in for an anonymous visitor, `others` (403) for everyone else."""
    return {role: (200 if role in roles else LOGIN if role == "anonymous" else others) for role in ROLES}
