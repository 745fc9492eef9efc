"""No list page or API list does more database queries as its rows grow (issue 14, item 6).

Each case makes 2 rows of what a page lists, with the related rows a real list has (places, categories, scores),
counts the queries the page takes, makes 48 more and checks the page takes no more and shows them (or a full
page), so a case cannot pass by listing nothing. Every route is either a case here, checked by an area's own
test named in ELSEWHERE, or named in NOT_LISTS: a new list route without a row fails the completeness test.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts import query_counts as accounts_cases
from tests.directory import query_counts as directory_cases
from tests.engagement import query_counts as engagement_cases
from tests.engagement.surveys import query_counts as engagement_surveys_cases
from tests.funding import query_counts as funding_cases
from tests.matrix import path
from tests.panels import query_counts as panels_cases
from tests.places import query_counts as places_cases
from tests.query_counts import ListCase
from tests.solutions import query_counts as solutions_cases
from tests.test_permission_matrix import our_route_names

AREAS = (
    accounts_cases,
    directory_cases,
    funding_cases,
    engagement_cases,
    solutions_cases,
    places_cases,
    engagement_surveys_cases,
    panels_cases,
)
CASES: list[ListCase] = [case for area in AREAS for case in area.CASES]
# List routes whose area's own tests count their queries for few and many rows: (module, test).
ELSEWHERE: dict[str, tuple[str, str]] = {name: test for area in AREAS for name, test in area.ELSEWHERE.items()}
# Routes outside the areas above that list nothing that grows with the data.
PLATFORM_NOT_LISTS: set[str] = {
    # Forms, actions, and pages about one person or one group.
    "accounts:dashboard",
    "accounts:download_data",
    "accounts:erase",
    "accounts:organisation",
    "accounts:organisation_edit",
    "accounts:retry_job",
    "accounts:send_confirmation_link",
    "home:retention_edit",
    "framework:edit",
    "framework:element_add",
    "framework:element_confirm",
    "framework:element_delete",
    "framework:element_edit",
    "framework:element_move",
    "framework:preset_use",
    "framework:restore",
    "framework:vision",
    # Pages of fixed text or of the shipped reference data: the council's wards, its framework, the presets.
    "core:accessibility",
    "core:data_sources",
    "core:healthz",
    "home:home",
    "home:privacy",
    "home:retention",
    "framework:detail",
    "framework:presets",
    "places:boundaries",
    "places:index",
    "places:postcode",
    # A ward's or locality's page: how many services, groups and assets are there, one count each.
    "places:locality",
    "places:ward",
}
NOT_LISTS = PLATFORM_NOT_LISTS.union(*(area.NOT_LISTS for area in AREAS))

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 50


def test_every_route_is_a_case_checked_elsewhere_or_not_a_list() -> None:
    routes = our_route_names()
    listed = {case.name for case in CASES} | set(ELSEWHERE) | NOT_LISTS
    assert not routes - listed, (
        f"Add a query-count case for these list routes, or name them in NOT_LISTS: {sorted(routes - listed)}"
    )
    assert not listed - routes, f"These are not routes any more: {sorted(listed - routes)}"
    counted = {case.name for case in CASES} | set(ELSEWHERE)
    assert not counted & NOT_LISTS, f"Lists named in NOT_LISTS too: {sorted(counted & NOT_LISTS)}"


def test_the_tests_named_elsewhere_exist() -> None:
    from importlib import import_module

    for name, (module, test) in ELSEWHERE.items():
        assert hasattr(import_module(module), test), f"{name}: {module}.{test} is not there"


def _shape(sql: str) -> str:
    """A statement with its numbers and quoted values taken out, so the same query for another row matches."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:300]


def _extra(few: list[dict[str, str]], many: list[dict[str, str]]) -> str:
    """The statements the longer list ran more often than the shorter one, with how many more times."""
    more = Counter(_shape(q["sql"]) for q in many) - Counter(_shape(q["sql"]) for q in few)
    return "\n".join(f"{times} more: {sql}" for sql, times in more.most_common(5))


def _get(client: Client, url: str) -> str:
    """The page (or download, read to its end), with the shared cache emptied first so both counts start from the
    same place."""
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_list_takes_no_more_queries_for_50_rows_than_for_2(
    case: ListCase, client: Client, merton: Any, make_user: Any, mfa_exempt: None
) -> None:
    context: dict[str, Any] = {"merton": merton, "make_user": make_user}
    context["user"] = None if case.role == "anonymous" else make_user(case.role)
    if context["user"] is not None:
        client.force_login(context["user"])
    if case.setup is not None:
        case.setup(context)
    labels = [case.make(context, 0)]
    url = path(case.name, case.args(context))
    _get(client, url)  # once, so what the first request of all caches is not counted
    # Each count follows a change to the rows, so what a page keeps until its rows change is read again for both.
    labels += [case.make(context, n) for n in range(1, FEW)]
    with CaptureQueriesContext(connection) as few:
        _get(client, url)
    labels += [case.make(context, n) for n in range(FEW, MANY)]
    with CaptureQueriesContext(connection) as many:
        page = _get(client, url)
    allowed = len(few) + case.counts_when_full
    assert len(many) <= allowed, f"{url}: {len(few)} queries for {FEW} rows, {len(many)} for {MANY}:\n" + _extra(
        few.captured_queries, many.captured_queries
    )
    shown = sum(label in page for label in labels)
    assert shown >= min(MANY, case.per_page), f"{url} shows {shown} of the {MANY} rows"
