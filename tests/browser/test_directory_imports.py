"""An administrator imports community groups in a real browser, watches a run's progress and reads the report;
the vocabulary pages work by keyboard and mouse alike. Every page passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.directory.models import ImportRun, TaxonomyTerm
from commonweal.directory.vocabulary import load_starter_vocabulary
from tests.directory.factories import ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = (
    "name,description,contact_email,phone,postcode,website,wards,categories,what_they_do,when_they_meet\n"
    "Abbey Road Litter Pickers,Neighbours who pick litter.,hello@litter.example,,SW19 2HL,,Abbey,Food,"
    "Monthly litter picks.,Saturdays 10:00 to 12:00\n"
    "Bad Postcode Group,,,,SW19 XXXX,,,,,\n"
    '=HYPERLINK("http://evil.example"),,,,,,,,,\n'
)


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def test_an_administrator_uploads_groups_and_reads_the_report(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
    var_dir: Path,
    tmp_path: Path,
) -> None:
    load_starter_vocabulary()
    sign_in(page, make_user("admin"))
    page.goto(f"{live_server.url}/directory/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import into the directory")
    assert_accessible(page)

    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what kind of file it is.")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file.")
    assert_accessible(page)

    upload = tmp_path / "merton-groups.csv"
    upload.write_text(GROUPS, encoding="utf-8")
    page.get_by_label("Community groups (our CSV template)").check()
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("merton-groups.csv")
    expect(page.get_by_test_id("import-finished")).to_contain_text("rows rejected")
    rejections = page.get_by_test_id("rejections")
    expect(rejections).to_contain_text("The postcode “SW19 XXXX” is not a real postcode.")
    expect(rejections).to_contain_text("which a spreadsheet would run as a formula")
    assert_accessible(page)

    page.get_by_role("link", name="Back to imports").click()
    expect(page.get_by_test_id("import-runs")).to_contain_text("merton-groups.csv")
    expect(page.get_by_test_id("import-runs")).to_contain_text("Finished")


def test_the_run_page_follows_progress_until_the_import_finishes(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.CHARITY_COMMISSION,
        filename="register.csv",
        stored_path="/nowhere/register.csv",
        status=ImportRun.Status.RUNNING,
        total_rows=1000,
        processed_rows=100,
    )
    sign_in(page, make_user("admin"))
    page.goto(f"{live_server.url}/directory/imports/{run.pk}/")
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_contain_text("Checking the rows.")
    expect(progress).to_contain_text("100 of about 1,000 rows checked (10%)")
    expect(page.get_by_role("link", name="Check progress")).to_be_visible()
    assert_accessible(page)

    ImportRun.objects.filter(pk=run.pk).update(processed_rows=600)
    expect(progress).to_contain_text("600 of about 1,000 rows checked (60%)", timeout=10_000)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.SUCCEEDED, processed_rows=1000, created_count=990, rejected_count=10
    )
    expect(page.get_by_test_id("import-finished")).to_contain_text("990 records added", timeout=10_000)
    assert_accessible(page)


def test_without_javascript_the_run_page_offers_a_link_to_check_progress(
    browser: Browser, live_server: Any, merton: Any, make_user: Any, mfa_exempt: None, assert_accessible: Any
) -> None:
    from tests.conftest import PASSWORD

    run = ImportRun.objects.create(
        kind=ImportRun.Kind.GROUPS_CSV, filename="groups.csv", stored_path="/nowhere", status=ImportRun.Status.QUEUED
    )
    user = make_user("admin")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/directory/imports/{run.pk}/")
    expect(page.get_by_test_id("import-progress")).to_contain_text("Waiting for the background worker")
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, error="The file is empty.")
    page.get_by_role("link", name="Check progress").click()
    expect(page.get_by_test_id("import-failed")).to_contain_text("The file is empty.")
    context.close()


def test_an_administrator_looks_after_the_vocabulary(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    starter = load_starter_vocabulary()
    ServiceFactory().terms.add(TaxonomyTerm.objects.get(code="food-bank"))
    sign_in(page, make_user("admin"))
    page.goto(f"{live_server.url}/directory/vocabulary/")
    assert_accessible(page)
    page.get_by_role("link", name=starter.name).click()
    expect(page.get_by_test_id("term-tree")).to_contain_text("Food banks")
    assert_accessible(page)

    page.get_by_role("link", name="Add a term").click()
    page.get_by_label("Name").fill("Baby banks")
    page.get_by_role("button", name="Add term").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a code for the term.")
    assert_accessible(page)
    page.get_by_label("Code").fill("baby-bank")
    page.get_by_label("Broader term (optional)").select_option(label="Food")
    page.get_by_role("button", name="Add term").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You added the term “Baby banks”.")

    bank = TaxonomyTerm.objects.get(code="food-bank")
    page.goto(f"{live_server.url}/directory/vocabulary/terms/{bank.pk}/delete/")
    expect(page.get_by_test_id("term-in-use")).to_contain_text("1 service is filed under this term.")
    assert_accessible(page)
    page.get_by_role("button", name="Delete term").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 service no longer has it.")
