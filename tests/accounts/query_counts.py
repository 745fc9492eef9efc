"""Query-count cases for the administrators' lists, the framework's history and each person's home (see
tests/test_query_counts.py)."""

from __future__ import annotations

from tests.query_counts import Context, ListCase, label


def audited_change(context: Context, n: int) -> str:
    """A group made by someone: an audit log entry with who and what."""
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation

    return create_organisation(name=label("group", n), kind=Organisation.Kind.INFORMAL_GROUP).name


def failed_job(context: Context, n: int) -> str:
    from tests.test_permission_matrix import _failed_job

    error = f"Listed{n:03d}Error"
    _failed_job(f"tests.{error}")
    return error


def framework_change(context: Context, n: int) -> str:
    """The framework renamed by a steward: a version to go back to."""
    from commonweal.framework.services import update_vision

    name = label("framework", n)
    update_vision(name=name, vision="Neighbours helping neighbours.", by=context["user"])
    return name


CASES = [
    ListCase("accounts:audit_log", "admin", audited_change),
    ListCase("accounts:audit_log_csv", "admin", audited_change),
    ListCase("accounts:failed_jobs", "admin", failed_job),
    ListCase("framework:history", "steward", framework_change, per_page=25),
]

ELSEWHERE = {
    "home:your_home": ("tests.home.test_your_home", "test_the_page_costs_the_same_queries_however_much_is_waiting"),
}

# The platform-wide routes that list nothing are in tests/test_query_counts.py.
NOT_LISTS: set[str] = set()
