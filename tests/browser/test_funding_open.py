"""Anyone reads the open data page and where the money went on a real browser: map with JavaScript, the table
of the same figures always; axe passes on each."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(merton: Any, make_user: Any) -> Any:
    from commonweal.accounts.models import Organisation
    from commonweal.framework.models import Element
    from commonweal.funding.models import MatchFunding
    from commonweal.places.models import Ward
    from tests.funding.factories import ApplicantFactory, FundFactory, RoundFactory
    from tests.funding.opendata.conftest import make_grant

    officer = make_user("officer")
    wards = list(Ward.objects.filter(council=merton).order_by("code"))
    themes = list(Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk"))
    round_ = RoundFactory(fund=FundFactory(name="Civic Pride Fund"), name="Round one")
    charity = ApplicantFactory(name="Wimbledon Food Bank", slug="wimbledon-food-bank")
    group = ApplicantFactory(
        name="<b>Pollards</b> \u202eHill Pickers",
        slug="pollards",
        kind=Organisation.Kind.INFORMAL_GROUP,
        charity_number="",
        org_id="",
    )
    make_grant(
        round_=round_,
        organisation=charity,
        officer=officer,
        reference="CPF/001",
        amount="9500",
        wards=wards[:2],
        themes=themes[:2],
        paid=("4750",),
        match=(("2000", MatchFunding.Status.SECURED),),
        title="Food for families",
    )
    make_grant(
        round_=round_,
        organisation=group,
        officer=officer,
        reference="CPF/002",
        amount="1200",
        wards=wards[5:9],
        themes=themes[:1],
        title="Litter picks",
        summary="Contact us at pickers@example.org",
    )
    return officer


def test_a_resident_sees_where_the_money_went_on_the_map_and_in_the_table(
    page: Page, live_server: Any, published: Any, assert_accessible: Any
) -> None:
    from commonweal.places.models import Ward

    problems = watch_for_problems(page)
    page.goto(f"{live_server.url}/funding/where-the-money-went/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where the money went")
    expect(page.get_by_test_id("money-totals")).to_contain_text("£10,700 in 2 grants")
    wards = Ward.objects.count()
    expect(page.locator("#money-map path.leaflet-interactive")).to_have_count(wards)
    expect(page.get_by_test_id("money-key")).to_be_visible()
    expect(page.get_by_test_id("money-ward-row")).to_have_count(wards)
    expect(page.get_by_test_id("money-latest")).to_contain_text("<b>Pollards</b>")
    assert_accessible(page)

    # A ward on the map is reached by keyboard and says its figures; Enter goes to its row in the table.
    first = page.locator("#money-map path.leaflet-interactive").first
    first.focus()
    label = first.get_attribute("aria-label") or ""
    assert re.match(
        r".+: (£[\d,]+ per 1,000 residents|not known.*), (median deprivation decile \d+|deprivation not known)", label
    ), label
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#ward-E05\d{6}$"))

    # Sorting is a link; the heading says how the table is sorted.
    page.get_by_role("link", name="Awarded").click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Awarded")
    expect(page.get_by_test_id("money-ward-row").first.locator("td").first).to_have_text("£4,750")
    assert_accessible(page)
    assert problems == []


def test_without_javascript_the_table_holds_the_figures_and_the_map_stays_hidden(
    browser: Browser, live_server: Any, published: Any
) -> None:
    from commonweal.places.models import Ward

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/funding/where-the-money-went/")
    expect(page.get_by_test_id("money-ward-row")).to_have_count(Ward.objects.count())
    expect(page.locator("#money-map")).to_be_hidden()
    page.get_by_role("link", name="Median IMD decile").click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Median IMD decile")
    context.close()


def test_the_open_data_page_for_the_public_and_for_an_officer(
    page: Page, live_server: Any, published: Any, sign_in: Any, mfa_exempt: None, assert_accessible: Any
) -> None:
    page.goto(f"{live_server.url}/funding/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data: grants we have awarded")
    expect(page.get_by_test_id("open-data-count")).to_have_text("2")
    expect(page.get_by_test_id("open-data-licence")).to_have_text(re.compile("CC BY 4.0"))
    expect(page.get_by_test_id("open-data-quality")).to_have_count(0)
    assert_accessible(page)
    response = page.request.get(f"{live_server.url}/funding/open-data/360giving.json")
    assert response.ok and response.headers["access-control-allow-origin"] == "*"
    assert [g["id"] for g in response.json()["grants"]] == ["360G-commonweal-CPF_001", "360G-commonweal-CPF_002"]

    sign_in(page, published)
    page.goto(f"{live_server.url}/funding/open-data/")
    expect(page.get_by_test_id("schema-valid")).to_be_visible()
    expect(page.get_by_test_id("quality-summary")).to_contain_text("Email addresses in the title or description")
    page.get_by_text("The first warning").click()
    expect(page.get_by_test_id("quality-warnings")).to_contain_text("360G-commonweal-CPF_002")
    assert_accessible(page)


def test_while_the_spreadsheet_is_being_built_the_page_says_so_and_offers_the_json(
    page: Page,
    live_server: Any,
    published: Any,
    assert_accessible: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    tmp_path: Any,
) -> None:
    from types import SimpleNamespace

    from commonweal.funding import tasks

    settings.VAR_DIR = tmp_path / "var"
    # The worker has not got to it yet: nothing is built.
    monkeypatch.setattr(tasks, "build_360giving_spreadsheet", SimpleNamespace(enqueue=lambda: SimpleNamespace(id="")))
    response = page.goto(f"{live_server.url}/funding/open-data/360giving.xlsx")
    expect(page.get_by_role("heading", level=1)).to_have_text("The spreadsheet is being prepared")
    expect(page.get_by_role("link", name="360Giving JSON")).to_be_visible()
    # It looks again by itself, with no JavaScript needed, and says so.
    assert response is not None and response.headers.get("refresh") == "15"
    expect(page.get_by_test_id("refreshing")).to_contain_text("checks again every 15 seconds")
    assert_accessible(page)
    # Someone who wants the page to stay still can say so.
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="stop this page refreshing itself").click()
    assert "refresh" not in navigation.value.headers
    expect(page.get_by_test_id("not-refreshing")).to_be_visible()
    assert_accessible(page)
