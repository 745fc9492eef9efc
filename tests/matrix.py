"""The vocabulary of the permission matrix (tests/test_permission_matrix.py), shared by every area's rows.

Codes: 200 shown; 'login' sends an anonymous visitor to sign in; 403 refused with a reason; 405 wrong method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import ROLES

LOGIN = "login"
ALL: dict[str, int | str] = dict.fromkeys(ROLES, 200)
SIGNED_IN: dict[str, int | str] = {**ALL, "anonymous": LOGIN}

# (url name, how to build the path from the targets, method, expected per role)
Row = tuple[str, Callable[[dict[str, Any]], str], str, dict[str, int | str]]


def only(*roles: str, others: int = 403) -> dict[str, int | str]:
    """200 for these roles, sign-in for an anonymous visitor, `others` (403) for everyone else."""
    return {role: (200 if role in roles else LOGIN if role == "anonymous" else others) for role in ROLES}
