"""Shared fixtures: people in every role, the Merton reference data, and a real browser with axe."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("COMMONWEAL_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests skip on a machine with no Chromium, but never in CI: there a missing browser fails."""
    if os.path.exists(CHROMIUM):
        return
    if IN_CI:
        raise pytest.UsageError(f"CI=true but Chromium is not at {CHROMIUM}: browser tests must run in CI.")
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def postgresql(db: None) -> None:
    """For tests about PostgreSQL itself (row locks, concurrent writers, servers in other processes sharing one
    database). They skip on SQLite, in CI too: CI runs every test a second time on PostgreSQL, where they run."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("about PostgreSQL (set DATABASE_URL); CI runs it in its PostgreSQL pass")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's Chromium: a Playwright browser download cannot work on these machines.
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# --- people -----------------------------------------------------------------------------------

ROLES = ["anonymous", "resident", "group_member", "officer", "champion", "steward", "admin", "councillor"]


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Make a person in a role, their email address confirmed (verified=False: not yet, and no role); group
    members and officers get an organisation of the right kind."""
    from commonweal.accounts.models import Organisation, User
    from commonweal.accounts.services import confirm_email, create_organisation, grant_membership

    counter = {"n": 0}

    def make(
        role: str = "resident",
        *,
        organisation: Organisation | None = None,
        email: str | None = None,
        verified: bool = True,
    ) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            email or f"{role}{counter['n']}@example.org", PASSWORD, full_name=f"Test {role.replace('_', ' ')}"
        )
        if not verified:
            return user  # has not followed the emailed link: can be given no role
        confirm_email(user)
        if role == "resident":
            return user
        if role in {"group_member", "officer"} and organisation is None:
            kind = Organisation.Kind.COUNCIL_DEPARTMENT if role == "officer" else Organisation.Kind.INFORMAL_GROUP
            organisation = create_organisation(name=f"{role} organisation {counter['n']}", kind=kind)
        grant_membership(user=user, role=role, organisation=organisation)
        if role == "councillor":
            from commonweal.engagement.models import Councillor

            Councillor.objects.create(user=user)  # for no ward yet: tests add the wards they need
        return user

    return make


@pytest.fixture
def user_in_role(make_user: Callable[..., Any]) -> Callable[[str], Any]:
    """A user for a matrix role name; None for 'anonymous'."""

    def get(role: str) -> Any:
        return None if role == "anonymous" else make_user(role)

    return get


# --- reference data ---------------------------------------------------------------------------


def load_merton() -> Any:
    """Merton's real wards and LSOAs from the shipped reference data, with its preset framework."""
    from commonweal.framework.services import load_framework_preset
    from commonweal.places.services import load_council_area

    council = load_council_area(gss_code="E09000024")
    load_framework_preset(slug="merton")
    return council


@pytest.fixture(scope="module")
def merton_for_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """Merton loaded once for a module and rolled back after its last test (see demo_borough)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_merton()
        transaction.set_rollback(True)


@pytest.fixture
def merton(merton_for_module: Any, db: None) -> Any:
    """Merton's real wards and LSOAs with its preset framework; each test's changes to them are rolled back.

    Loaded once per module, so it is there for the module's later tests too: a module that also checks what
    happens with no council, or whose tests commit (a live server), uses merton_for_one_test instead."""
    return merton_for_module


@pytest.fixture
def merton_for_one_test(db: None) -> Any:
    """Merton loaded for this test alone."""
    return load_merton()


@pytest.fixture
def abbey_postcode(merton: Any) -> Any:
    """SW19 2HL, placed at the centre of the Abbey ward's first LSOA so it is inside the ward."""
    from commonweal.places.models import Postcode, Ward

    ward = Ward.objects.get(code="E05013810")
    lsoa = ward.lsoas.first()
    assert lsoa is not None
    return Postcode.objects.create(
        postcode="SW19 2HL", latitude=lsoa.centroid_lat, longitude=lsoa.centroid_lon, ward=ward, lsoa_code=lsoa.code
    )


@pytest.fixture(scope="module")
def demo_borough(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The demo borough, loaded once for a module's tests rather than once for each (it takes seconds).

    It is loaded inside a transaction that is rolled back after the module's last test; each test runs in its own
    savepoint within it (pytest-django's django_db), so whatever a test writes is gone before the next one."""
    from django.db import transaction

    from commonweal.home.demo import load_demo_borough

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_borough()
        transaction.set_rollback(True)


# --- browser ----------------------------------------------------------------------------------

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # target-size (WCAG 2.2, 2.5.8) is off by default in axe-core; we hold ourselves to it.
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}


@pytest.fixture
def assert_accessible() -> Callable[[Any], None]:
    """Run axe-core on the page as it is now and fail with its report on any WCAG 2.2 AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> None:
        from playwright.sync_api import Error

        # A click that navigates returns before the new page has loaded; axe run on a page being replaced
        # finds no document. Wait for the page that is loading, and check that one.
        page.wait_for_load_state()
        try:
            results = axe.run(page, options=AXE_OPTIONS)
        except Error as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()
            results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


def watch_for_problems(page: Any) -> list[str]:
    """Collect script errors and CSP refusals as they happen, which a user would see as a blank map or table."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, Any], None]:
    """Sign a user in through the real sign-in form."""

    def do(page: Any, user: Any) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()

    return do


@pytest.fixture(autouse=True)
def _no_shared_cache(settings: Any) -> Iterator[None]:
    """Each test starts with an empty shared cache (no login-throttle counts, no kept council, figures or
    results) and nothing kept in this process from another test's directory."""
    from django.core.cache import cache

    from commonweal.directory import changes

    cache.clear()
    changes.forget()
    yield


@pytest.fixture(autouse=True)
def _own_var_dir(settings: Any, tmp_path: Any) -> None:
    """Files the platform keeps (the directory's downloads) go to this test's own folder, not the checkout's."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def mfa_exempt(settings: Any) -> None:
    """For tests about something else: officers and stewards may skip the authenticator app."""
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
