"""The public open data page and where the money went, as a resident, a journalist and an officer see them."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from commonweal.accounts.models import Organisation
from commonweal.funding.opendata import giving360, queries
from commonweal.places.models import Ward

from .conftest import GrantSet, make_grant

pytestmark = pytest.mark.django_db


def page(response: Any) -> Any:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def find(doc: Any, testid: str) -> list[Any]:
    found: list[Any] = doc.xpath(f'//*[@data-testid="{testid}"]')
    return found


def text_of(doc: Any, testid: str) -> str:
    found = find(doc, testid)
    assert found, testid
    return " ".join(found[0].text_content().split())


def cells(row: Any) -> list[str]:
    return [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]


def header(row: Any) -> str:
    return " ".join(row.xpath("./th")[0].text_content().split())


def pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", "").strip())


def test_a_resident_sees_what_is_published_its_licence_and_the_downloads(client: Client, grant_set: GrantSet) -> None:
    soup = page(client.get("/funding/open-data/"))
    assert soup.xpath("//h1")[0].text_content().strip() == "Open data: grants we have awarded"
    assert text_of(soup, "open-data-count") == "3"
    assert text_of(soup, "open-data-total") == "£13,200.50"
    assert "2026" in text_of(soup, "open-data-modified") or text_of(soup, "open-data-modified")
    assert find(soup, "open-data-licence")[0].get("href") == "https://creativecommons.org/licenses/by/4.0/"
    assert find(soup, "download-json")[0].get("href") == "/funding/open-data/360giving.json"
    assert find(soup, "download-xlsx")[0].get("href") == "/funding/open-data/360giving.xlsx"
    # The quality checks are for officers only.
    assert find(soup, "open-data-quality") == []


def test_with_nothing_published_the_page_says_so(client: Client, merton: Any) -> None:
    soup = page(client.get("/funding/open-data/"))
    assert "not published any grants yet" in text_of(soup, "open-data-empty")
    money = page(client.get("/funding/where-the-money-went/"))
    assert "nothing to show" in text_of(money, "money-empty")
    empty = json.loads(b"".join(client.get("/funding/open-data/360giving.json").streaming_content))
    assert empty["grants"] == [] and empty["publisher"]["identifier"] == "GB-LAE-MRT"


def test_an_officer_sees_the_schema_check_and_the_quality_warnings(
    client: Client, grant_set: GrantSet, officer: Any, mfa_exempt: None
) -> None:
    group = Organisation.objects.create(name="Careless Group", slug="careless", kind="informal_group")
    make_grant(
        round_=grant_set.round,
        organisation=group,
        officer=officer,
        reference="CPF-CARELESS",
        amount="300",
        title="Contact jo@example.org",
    )
    client.force_login(officer)
    soup = page(client.get("/funding/open-data/"))
    assert "valid against the 360Giving schema" in text_of(soup, "schema-valid")
    summary = [cells(row) for row in find(soup, "quality-summary")[0].xpath("./tbody/tr")]
    assert ["No beneficiary location", "1"] in summary
    assert ["Email addresses in the title or description", "1"] in summary
    warnings = text_of(soup, "quality-warnings")
    assert "360G-commonweal-CPF-CARELESS: Its title contains an email address" in warnings


def test_a_resident_sees_where_the_money_went_and_every_table_adds_up(client: Client, grant_set: GrantSet) -> None:
    soup = page(client.get("/funding/where-the-money-went/"))
    assert "£13,200.50 in 3 grants" in text_of(soup, "money-totals")
    assert "shared equally" in text_of(soup, "money-meaning")
    fund_rows = find(soup, "money-by-fund")[0].xpath("./tbody/tr")
    assert [header(r) for r in fund_rows] == ["Civic Pride Fund"]
    assert [cells(r) for r in fund_rows] == [["3", "£13,200.50"]]
    theme_rows = find(soup, "money-by-theme")[0].xpath("./tbody/tr")
    assert sum(pounds(cells(r)[-1]) for r in theme_rows) == Decimal("13200.50")
    ward_rows = find(soup, "money-ward-row")
    assert len(ward_rows) == Ward.objects.count()
    assert sum(pounds(cells(r)[0]) for r in ward_rows) == Decimal("13200.50")
    latest = find(soup, "money-latest-row")
    assert {header(r) for r in latest} == {
        "Wimbledon Food Bank",
        "Mitcham Makers CIC",
        "Pollards Hill Litter Pickers",
    }
    # Declined, withdrawn and unaccepted grants are nowhere on the page.
    for hidden in grant_set.hidden:
        assert hidden.application.organisation.name not in soup.text_content()
    # The map's data is there for JavaScript; the block is hidden until it draws.
    collection = json.loads(soup.get_element_by_id("money-map-data").text)
    assert len(collection["features"]) == Ward.objects.count()
    assert soup.xpath("//*[@data-choropleth-block]")[0].get("hidden") is not None


def test_the_totals_by_fund_theme_and_ward_add_up_to_the_sum_of_the_awards(grant_set: GrantSet) -> None:
    report = queries.where_money_went()
    awarded = sum(g.amount for g in grant_set.published)
    assert report.total == awarded == Decimal("13200.50")
    assert sum(row.amount for row in report.by_fund) == awarded
    assert sum(row.amount for row in report.by_theme) == awarded
    assert sum(row.amount for row in report.wards) + report.not_in_a_ward == awarded
    # The charity's £9,500 for two wards counts £4,750 in each; the group's £1,200 for four counts £300 in each.
    first, second = grant_set.wards[0], grant_set.wards[1]
    rows = {row.code: row for row in report.wards}
    assert rows[first.code].amount == Decimal("5050") and rows[first.code].grants == 2
    assert rows[second.code].amount == Decimal("5050")


def test_money_with_no_ward_or_theme_is_still_counted(grant_set: GrantSet, officer: Any, client: Client) -> None:
    group = Organisation.objects.create(name="Anywhere Group", slug="anywhere", kind="informal_group")
    make_grant(round_=grant_set.round, organisation=group, officer=officer, reference="CPF-ANY", amount="99.50")
    report = queries.where_money_went()
    assert report.not_in_a_ward == Decimal("99.50")
    assert report.by_theme[-1].name == "No theme given" and report.by_theme[-1].amount == Decimal("99.50")
    assert sum(row.amount for row in report.wards) + report.not_in_a_ward == report.total
    assert sum(row.amount for row in report.by_theme) == report.total
    soup = page(client.get("/funding/where-the-money-went/"))
    assert "£99.50 went to grants that did not name a ward" in text_of(soup, "money-no-ward")


def test_a_grant_shared_between_three_wards_shows_whole_pounds_that_add_up(
    grant_set: GrantSet, officer: Any, client: Client
) -> None:
    group = Organisation.objects.create(name="Three Wards Trust", slug="three-wards", kind="charity")
    wards = list(Ward.objects.exclude(pk__in=[w.pk for w in grant_set.wards]).order_by("name")[:3])
    make_grant(
        round_=grant_set.round, organisation=group, officer=officer, reference="CPF-3W", amount="1000", wards=wards
    )
    soup = page(client.get("/funding/where-the-money-went/"))
    shown = {header(r): cells(r)[0] for r in find(soup, "money-ward-row")}
    # £1,000 is £333.33 a ward exactly: shown as £334, £333 and £333, never in pence.
    assert [shown[w.name] for w in wards] == ["£334", "£333", "£333"]


@pytest.mark.parametrize(
    ("query", "heading", "state"),
    [
        ("?sort=amount&order=desc", "Awarded", "descending"),
        ("?sort=decile&order=asc", "Median IMD decile", "ascending"),
        ("?sort=per_1000&order=desc", "£ per 1,000 residents", "descending"),
        ("?sort=nonsense", "Ward", "ascending"),
    ],
)
def test_the_ward_table_sorts_without_javascript(
    client: Client, grant_set: GrantSet, query: str, heading: str, state: str
) -> None:
    soup = page(client.get(f"/funding/where-the-money-went/{query}"))
    sorted_heading = soup.xpath(f'//th[@aria-sort="{state}"]')
    assert len(sorted_heading) == 1 and sorted_heading[0].text_content().strip().startswith(heading)
    rows = find(soup, "money-ward-row")
    if heading == "Awarded":
        amounts = [pounds(cells(r)[0]) for r in rows]
        assert amounts == sorted(amounts, reverse=True) and amounts[0] == Decimal("5050")
    if heading == "Median IMD decile":
        deciles = [int(cells(r)[2]) for r in rows if cells(r)[2].isdigit()]
        assert len(deciles) > 10 and deciles == sorted(deciles)
    if heading == "Ward":
        names = [header(r) for r in rows]
        assert names == sorted(names)


def test_hostile_names_are_shown_as_text(client: Client, grant_set: GrantSet, officer: Any) -> None:
    group = Organisation.objects.create(
        name="<script>alert('x')</script>\u202eGroup", slug="hostile", kind="informal_group"
    )
    make_grant(
        round_=grant_set.round,
        organisation=group,
        officer=officer,
        reference="CPF-H",
        amount="10",
        wards=grant_set.wards[:1],
    )
    response = client.get("/funding/where-the-money-went/")
    assert b"<script>alert('x')</script>" not in response.content
    assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.content
    assert page(response).xpath('//bdi[contains(., "alert")]')


def test_the_spreadsheet_download_is_public(client: Client, grant_set: GrantSet, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    response = client.get("/funding/open-data/360giving.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="360giving.xlsx"'
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_command_writes_the_package_for_cron(grant_set: GrantSet, tmp_path: Path) -> None:
    target = tmp_path / "360giving.json"
    out = StringIO()
    call_command("export_360giving", str(target), "--check", stdout=out)
    assert "Wrote 3 grants" in out.getvalue()
    package = json.loads(target.read_text(encoding="utf-8"))
    assert [g["id"] for g in package["grants"]] == [g["id"] for g in giving360.build_package()["grants"]]
    assert list(tmp_path.iterdir()) == [target]
    printed = StringIO()
    call_command("export_360giving", "-", stdout=printed)
    assert len(json.loads(printed.getvalue())["grants"]) == 3
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_360giving", str(tmp_path / "missing" / "x.json"), stdout=StringIO())


def test_an_officer_sees_schema_problems_named_by_grant(
    client: Client, grant_set: GrantSet, officer: Any, mfa_exempt: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = giving360.build_package

    def broken() -> dict[str, Any]:
        package = real()
        package["grants"][1]["currency"] = "Pounds"
        return package

    monkeypatch.setattr(giving360, "build_package", broken)
    monkeypatch.setattr(queries, "SCHEMA_CHECKED", 2)
    client.force_login(officer)
    soup = page(client.get("/funding/open-data/"))
    errors = text_of(soup, "schema-errors")
    assert "360G-commonweal-CPF-2026-002/currency: 'Pounds' is not one of" in errors
    assert "reads the 2 most recent of the 3 grants" in text_of(soup, "schema-sample")
