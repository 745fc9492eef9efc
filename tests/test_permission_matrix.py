"""Every view against every role: the expected answer for each, and no view left out.

Codes: 200 shown; 'login' sends an anonymous visitor to sign in; 403 refused with a reason; 405 wrong method.
Officers and above are treated as having set up two-factor sign-in (tests/accounts covers the enforcement).
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from commonweal.accounts.models import Organisation
from commonweal.framework.models import Element
from commonweal.places.models import Locality, Ward
from tests.conftest import ROLES
from tests.directory.api import matrix as api_matrix
from tests.directory.exports import matrix as exports_matrix
from tests.directory.gaps import matrix as gaps_matrix
from tests.directory.imports import matrix as imports_matrix
from tests.directory.manage import matrix as manage_matrix
from tests.directory.public import matrix as public_matrix
from tests.engagement.analysis import matrix as engagement_analysis_matrix
from tests.engagement.budgets import matrix as engagement_budgets_matrix
from tests.engagement.closing import matrix as engagement_closing_matrix
from tests.engagement.consultations import matrix as engagement_consultations_matrix
from tests.engagement.forums import matrix as engagement_forums_matrix
from tests.engagement.responding import matrix as engagement_responding_matrix
from tests.engagement.surveys import matrix as engagement_surveys_matrix
from tests.funding.apply import matrix as apply_matrix
from tests.funding.assess import matrix as assess_matrix
from tests.funding.awards import matrix as awards_matrix
from tests.funding.opendata import matrix as opendata_matrix
from tests.funding.setup import matrix as setup_matrix
from tests.funding.sources import matrix as sources_matrix
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row, only, path
from tests.panels import matrix as panels_matrix
from tests.places import matrix as places_profile_matrix
from tests.solutions.cases import matrix as solutions_cases_matrix
from tests.solutions.public import matrix as solutions_public_matrix
from tests.solutions.raising import matrix as raising_matrix
from tests.solutions.rules import matrix as solutions_rules_matrix
from tests.solutions.transfers import matrix as transfers_matrix

# Each area of the directory keeps its own rows and adds its own targets (tests/directory/matrix_*.py).
# Funding's areas follow (tests/funding/matrix_*.py), in the order their records build on each other.
AREAS = (
    public_matrix,
    manage_matrix,
    imports_matrix,
    gaps_matrix,
    exports_matrix,
    api_matrix,
    setup_matrix,
    apply_matrix,
    assess_matrix,
    awards_matrix,
    sources_matrix,
    opendata_matrix,
    solutions_rules_matrix,
    transfers_matrix,
    raising_matrix,
    solutions_cases_matrix,
    solutions_public_matrix,
    engagement_consultations_matrix,
    engagement_responding_matrix,
    engagement_analysis_matrix,
    engagement_forums_matrix,
    engagement_closing_matrix,
    engagement_budgets_matrix,
    places_profile_matrix,
    engagement_surveys_matrix,
    panels_matrix,
)

pytestmark = pytest.mark.django_db

STEWARDS = only("steward")
# A steward who GETs a change that must be POSTed is told the method is wrong; others never get that far.
POST_ONLY = {**STEWARDS, "steward": 405}
# A steward makes the change and goes back to the editor; a crafted POST from anyone else is refused.
DONE = {**STEWARDS, "steward": 302}

ADMIN = only("admin")

# (url name, the URL's args from the targets, method, expected per role): see tests/matrix.py
MATRIX: list[Row] = [
    ("home:home", lambda t: [], "GET", ALL),
    # Each signed-in person's own home: every role sees its own sections; nothing to POST.
    ("home:your_home", lambda t: [], "GET", SIGNED_IN),
    ("home:your_home", lambda t: [], "POST", {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}),
    ("core:healthz", lambda t: [], "GET", ALL),
    ("core:healthz", lambda t: [], "POST", dict.fromkeys(ROLES, 405)),
    ("core:accessibility", lambda t: [], "GET", ALL),
    ("core:data_sources", lambda t: [], "GET", ALL),
    ("accounts:dashboard", lambda t: [], "GET", SIGNED_IN),
    # The group's own member may see and change it; everyone else, an administrator included, is refused.
    (
        "accounts:organisation",
        lambda t: [t["group"].slug],
        "GET",
        only("group_member"),
    ),
    # Changing details is the directory's moderated edit: managers are sent there, everyone else refused.
    (
        "accounts:organisation_edit",
        lambda t: [t["group"].slug],
        "GET",
        only("group_member") | {"group_member": 302},
    ),
    (
        "accounts:organisation_edit",
        lambda t: [t["group"].slug],
        "POST",
        only("group_member") | {"group_member": 302},
    ),
    ("accounts:audit_log", lambda t: [], "GET", only("admin")),
    (
        "accounts:audit_log",
        lambda t: ["?actor=steward&since_day=1&since_month=1&since_year=2026"],
        "GET",
        only("admin"),
    ),
    ("accounts:audit_log", lambda t: [], "POST", {**only("admin"), "admin": 405}),
    ("accounts:audit_log_csv", lambda t: ["?record_type=&actor=a"], "GET", only("admin")),
    # A person's own data: anyone signed in downloads their own, or asks for it to be erased.
    ("accounts:download_data", lambda t: [], "GET", SIGNED_IN),
    # 'Send the link again': anyone signed in (everyone here has confirmed, so is told so and sent back).
    ("accounts:send_confirmation_link", lambda t: [], "POST", {**dict.fromkeys(SIGNED_IN, 302), "anonymous": LOGIN}),
    ("accounts:send_confirmation_link", lambda t: [], "GET", {**dict.fromkeys(SIGNED_IN, 405), "anonymous": LOGIN}),
    ("accounts:erase", lambda t: [], "GET", SIGNED_IN),
    ("accounts:erase", lambda t: [], "POST", SIGNED_IN),  # empty: re-shown asking them to confirm
    # The privacy notice is public; only administrators change how long records are kept.
    ("home:privacy", lambda t: [], "GET", ALL),
    ("home:retention", lambda t: [], "GET", only("admin")),
    ("home:retention_edit", lambda t: ["reporter_emails"], "GET", only("admin")),
    ("home:retention_edit", lambda t: ["reporter_emails"], "POST", only("admin")),  # empty: re-shown with errors
    ("accounts:failed_jobs", lambda t: [], "GET", only("admin")),
    ("accounts:failed_jobs", lambda t: [], "POST", {**only("admin"), "admin": 405}),
    # An administrator's retry queues the failed job again and goes back to the list.
    ("accounts:retry_job", lambda t: [t["failed_job"].pk], "POST", {**only("admin"), "admin": 302}),
    ("accounts:retry_job", lambda t: [t["failed_job"].pk], "GET", {**only("admin"), "admin": 405}),
    # The framework: public to read, stewards alone change it.
    ("framework:detail", lambda t: [], "GET", ALL),
    ("framework:edit", lambda t: [], "GET", STEWARDS),
    ("framework:vision", lambda t: [], "GET", STEWARDS),
    ("framework:vision", lambda t: [], "POST", STEWARDS),  # empty: re-shown with errors
    ("framework:element_add", lambda t: ["theme"], "GET", STEWARDS),
    ("framework:element_edit", lambda t: [t["theme"].pk], "GET", STEWARDS),
    ("framework:element_delete", lambda t: [t["theme"].pk], "GET", STEWARDS),
    ("framework:element_move", lambda t: [t["theme"].pk], "GET", POST_ONLY),
    ("framework:element_confirm", lambda t: [t["theme"].pk], "GET", POST_ONLY),
    (
        "framework:element_move",
        lambda t: [t["theme"].pk],
        "POST",
        {**STEWARDS, "steward": 400},
    ),  # no direction given
    ("framework:element_confirm", lambda t: [t["theme"].pk], "POST", DONE),
    ("framework:history", lambda t: [], "GET", STEWARDS),
    # Going back to the framework as it was before its vision last changed: shown, then done.
    ("framework:restore", lambda t: [t["version"]], "GET", STEWARDS),
    ("framework:presets", lambda t: [], "GET", STEWARDS),
    ("framework:preset_use", lambda t: ["thurrock"], "GET", STEWARDS),
    # Places are public.
    ("places:index", lambda t: [], "GET", ALL),
    ("places:postcode", lambda t: ["?postcode=SW19+1ZZ"], "GET", ALL),
    ("places:ward", lambda t: [t["ward"].code], "GET", ALL),
    ("places:locality", lambda t: [t["locality"].slug], "GET", ALL),
    ("framework:restore", lambda t: [t["version"]], "POST", DONE),
    ("places:boundaries", lambda t: [], "GET", ALL),
    # Deletes the theme the rows above use; each row's changes are rolled back before the next.
    ("framework:element_delete", lambda t: [t["theme"].pk], "POST", DONE),
    (
        "admin:index",
        lambda t: [],
        "GET",
        {**only("admin"), **{r: 302 for r in ROLES if r != "admin"}},
    ),
]

for area in AREAS:
    MATRIX.extend(area.ROWS)

# Named routes the matrix need not list: allauth's own sign-in pages (tests/accounts covers them)
# and the Django admin's model pages, which share admin:index's permission check.
EXEMPT_NAMESPACES = {"admin"}


def our_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace and namespace not in EXEMPT_NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_route_has_a_row_in_the_matrix() -> None:
    missing = our_route_names() - {name for name, *_ in MATRIX}
    assert not missing, f"Add these routes to the permission matrix: {sorted(missing)}"


@pytest.fixture
def targets(merton: Any, make_user: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    from commonweal.accounts.services import create_organisation

    settings.MEDIA_ROOT = tmp_path / "media"  # the matrix's uploaded file stays out of var/media
    # A live-server test run earlier on the same worker empties the database, the data migrations' rows too.
    from django.apps import apps

    import_module("commonweal.core.migrations.0003_privacy_default_retention_periods").add_defaults(apps, None)
    group = create_organisation(name="Matrix Group", kind=Organisation.Kind.INFORMAL_GROUP)
    ward = Ward.objects.order_by("code").first()
    locality = Locality.objects.create(council=merton, name="Matrix Locality", slug="matrix-locality")
    locality.wards.add(ward)
    theme = Element.objects.filter(kind=Element.Kind.THEME).first()
    found = {
        "group": group,
        "ward": ward,
        "locality": locality,
        "theme": theme,
        "failed_job": _failed_job(),
        "version": _a_version_to_go_back_to(),
    }
    for area in AREAS:
        area.add_targets(found)
    return found


def _a_version_to_go_back_to() -> int:
    """The framework's version before a steward changes its vision: going back to it changes the vision back."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from commonweal.framework.models import Element, Framework
    from commonweal.framework.services import update_vision

    entries = LogEntry.objects.filter(content_type__in=ContentType.objects.get_for_models(Framework, Element).values())
    version = entries.order_by("-pk").values_list("pk", flat=True)[0]
    framework = Framework.objects.get()
    update_vision(name=framework.name, vision=f"{framework.vision} And more.")
    return version


def _failed_job(exception_class_path: str = "") -> Any:
    """A reminders job whose worker died (or that raised this exception), for the failed-jobs rows."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from commonweal.core.jobs import WORKER_LOST
    from commonweal.funding.tasks import send_report_reminders

    return DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=send_report_reminders.module_path,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path=exception_class_path or WORKER_LOST,
    )


# Statements that change rows. The session and allauth's sign-in bookkeeping are written on any request by a
# signed-in person, refused or not; everything else must stay as it was when a change is refused.
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
BOOKKEEPING = ("django_session",)


def writes(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if WRITE.match(q["sql"]) and not any(table in q["sql"] for table in BOOKKEEPING)]


def refused(response: Any, want: int | str) -> bool:
    return want == LOGIN or response.status_code in {403, 404, 405}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(
    role: str, client: Client, targets: dict[str, Any], make_user: Any, mfa_exempt: None
) -> None:
    if role == "group_member":
        user = make_user(role, organisation=targets["group"])
    else:
        user = None if role == "anonymous" else make_user(role)
    if user is not None:
        client.force_login(user)
    failures = []
    # Each row runs in a savepoint rolled back afterwards, so it sees the targets as they were set up whatever
    # ran before it: the rows may run in any order.
    for name, args, method, expected in MATRIX:
        row_path = path(name, args(targets))
        queries = CaptureQueriesContext(connection)
        # Only a POST's statements are checked, so only a POST's are kept.
        with transaction.atomic(), queries if method == "POST" else nullcontext():
            response = client.post(row_path, {}) if method == "POST" else client.get(row_path)
            transaction.set_rollback(True)
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            ok = response.status_code == want
        if not ok:
            failures.append(f"{method} {row_path} ({name}): expected {want}, got {response.status_code}")
        elif method == "POST" and refused(response, want) and writes(queries.captured_queries):
            failures.append(f"{method} {row_path} ({name}): refused, yet wrote {writes(queries.captured_queries)}")
    assert not failures, f"{role}:\n" + "\n".join(failures)
