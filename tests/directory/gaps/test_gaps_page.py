"""Officers read the gaps page and download its CSV; nobody else can; hostile names are shown safely."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from commonweal.directory.models import TaxonomyTerm
from commonweal.places.models import Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def merton(merton_for_one_test: Any) -> Any:
    # This module also checks what happens with no council loaded, so Merton must not outlive a test.
    return merton_for_one_test


GAPS = "/directory/gaps/"
CSV = "/directory/gaps/wards.csv"


@pytest.fixture
def officer_client(client: Client, make_user: Any, mfa_exempt: None) -> Client:
    client.force_login(make_user("officer"))
    return client


def page_text(response: Any) -> str:
    return response.content.decode()


def table_rows(response: Any) -> list[str]:
    """The wards in the table, in the order shown."""
    html = page_text(response)
    table = html[
        html.index('data-testid="gaps-table"') : html.index("</table>", html.index('data-testid="gaps-table"'))
    ]
    return [chunk.split("<bdi>")[1].split("</bdi>")[0] for chunk in table.split('data-testid="gaps-row"')[1:]]


def read_csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_an_officer_sees_every_ward_with_its_figures(officer_client: Client, small_directory: Any) -> None:
    response = officer_client.get(GAPS)
    assert response.status_code == 200
    html = page_text(response)
    assert "Gaps in the directory" in html
    assert len(table_rows(response)) == 20
    assert "Across Merton: 3 organisations, 2 services and 2 assets" in html
    abbey = response.context["wards"][0]
    assert (abbey.name, abbey.organisations, abbey.services, abbey.assets) == ("Abbey", 2, 1, 1)
    assert f"{1000 / small_directory.abbey.population:.2f}" in html
    assert 'id="ward-E05013810"' in html


def test_the_map_is_hidden_until_its_script_runs_and_carries_every_ward(
    officer_client: Client, small_directory: Any
) -> None:
    response = officer_client.get(GAPS)
    html = page_text(response)
    assert "data-choropleth-block hidden" in html
    data = json.loads(html.split('id="gaps-map-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["features"]) == 20
    abbey = next(f for f in data["features"] if f["properties"]["code"] == "E05013810")
    assert abbey["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert abbey["properties"]["label"].startswith("Abbey: services per 1,000 residents")
    # Cannon Hill has the most services per resident, so it is in the darkest group shown.
    cannon_hill = next(f for f in data["features"] if f["properties"]["name"] == "Cannon Hill")
    assert cannon_hill["properties"]["class"] == max(f["properties"]["class"] for f in data["features"])
    key = html.split('data-testid="gaps-key"')[1].split("</ul>")[0]
    assert "none" in key and "over 0, up to " in key  # most wards have none; the rest are shared out


def test_the_map_can_be_shaded_by_another_measure(officer_client: Client, small_directory: Any) -> None:
    response = officer_client.get(GAPS, {"measure": "assets"})
    assert "Map: Assets" in page_text(response)
    assert response.context["measure_label"] == "Assets"


def test_the_table_sorts_by_a_column_link_and_back(officer_client: Client, small_directory: Any) -> None:
    response = officer_client.get(GAPS, {"sort": "services", "order": "desc"})
    assert table_rows(response)[:2] == ["Cannon Hill", "Abbey"]
    html = page_text(response)
    assert 'aria-sort="descending"><a class="govuk-link gaps-sort" href="?sort=services&amp;order=asc">Services' in html
    response = officer_client.get(GAPS, {"sort": "services", "order": "asc"})
    assert table_rows(response)[-2:] == ["Abbey", "Cannon Hill"]
    assert table_rows(officer_client.get(GAPS, {"sort": "nonsense"}))[0] == "Abbey"


def test_sort_links_keep_the_filters(officer_client: Client, small_directory: Any) -> None:
    html = page_text(officer_client.get(GAPS, {"category": "food", "asset_kind": "gift", "measure": "assets"}))
    assert 'href="?category=food&amp;asset_kind=gift&amp;measure=assets&amp;sort=population&amp;order=desc"' in html
    assert 'href="/directory/gaps/wards.csv?category=food&amp;asset_kind=gift&amp;measure=assets"' in html


def test_filtering_by_category_and_kind_says_so_and_changes_the_figures(
    officer_client: Client, small_directory: Any
) -> None:
    response = officer_client.get(GAPS, {"category": "money", "asset_kind": "gift"})
    html = page_text(response)
    assert "Organisations and services in the category <bdi>Money and debt</bdi> only." in html
    assert "Assets of the kind A person&#x27;s skill or gift only." in html
    rows = {row.name: row for row in response.context["wards"]}
    assert (rows["Cannon Hill"].organisations, rows["Cannon Hill"].services, rows["Cannon Hill"].assets) == (1, 1, 1)
    assert (rows["Abbey"].organisations, rows["Abbey"].services, rows["Abbey"].assets) == (0, 0, 0)


def test_a_filter_that_is_not_on_the_list_is_explained_beside_it(officer_client: Client, small_directory: Any) -> None:
    response = officer_client.get(GAPS, {"category": "<script>", "asset_kind": "castle", "measure": "x" * 10_000})
    assert response.status_code == 200
    html = page_text(response)
    assert "There is a problem" in html
    assert '<a href="#id_category">Choose a category from the list.</a>' in html
    assert "Choose a kind of asset from the list." in html
    assert "Choose what to shade the map by from the list." in html
    assert "<script>" not in html.split('data-testid="gaps-filters"')[1].split("</form>")[0]
    # The figures are still shown, for everything.
    assert response.context["report"].total_services == 2


def test_the_csv_holds_the_same_figures(officer_client: Client, small_directory: Any) -> None:
    response = officer_client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ward-gaps.csv"'
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:12] == [
        "Ward code",
        "Ward",
        "Population (mid 2015)",
        "Small areas (LSOAs)",
        "Median IMD 2019 decile",
        "Most deprived IMD 2019 decile",
        "Organisations",
        "Organisations per 1,000 residents",
        "Services",
        "Services per 1,000 residents",
        "Assets",
        "Assets per 1,000 residents",
    ]
    assert "Services: Food" in header and "Assets: Physical space" in header
    assert len(body) == 20
    abbey = dict(zip(header, next(row for row in body if row[0] == "E05013810"), strict=True))
    population = small_directory.abbey.population
    assert abbey["Ward"] == "Abbey"
    assert abbey["Population (mid 2015)"] == str(population)
    assert (abbey["Organisations"], abbey["Services"], abbey["Assets"]) == ("2", "1", "1")
    assert abbey["Services per 1,000 residents"] == str(round(1000 / population, 2))
    assert abbey["Services: Food"] == "1" and abbey["Services: Money and debt"] == "0"
    assert abbey["Assets: Physical space"] == "1"


def test_the_csv_follows_the_filters_and_names_them(officer_client: Client, small_directory: Any) -> None:
    response = officer_client.get(CSV, {"category": "money", "asset_kind": "gift"})
    assert response["Content-Disposition"] == 'attachment; filename="ward-gaps-money-gift.csv"'
    header, *body = read_csv(response)
    assert header[6] == "Organisations running Money and debt services"
    assert header[8] == "Services: Money and debt only"
    assert header[10] == "Assets: A person's skill or gift only"
    cannon_hill = next(row for row in body if row[1] == "Cannon Hill")
    assert (cannon_hill[6], cannon_hill[8], cannon_hill[10]) == ("1", "1", "1")


def test_a_csv_link_with_a_bad_filter_goes_to_the_page_that_explains_it(
    officer_client: Client, small_directory: Any
) -> None:
    response = officer_client.get(CSV, {"category": "nonsense"})
    assert response.status_code == 302
    assert response["Location"] == f"{GAPS}?category=nonsense"


def test_csv_cells_cannot_run_as_formulas(officer_client: Client, small_directory: Any) -> None:
    Ward.objects.filter(code="E05013810").update(name='=HYPERLINK("http://evil.example","Abbey")')
    TaxonomyTerm.objects.filter(code="food").update(name="+cmd|' /C calc'!A0")
    header, *body = read_csv(officer_client.get(CSV))
    abbey = next(row for row in body if row[0] == "E05013810")
    assert abbey[1] == '\'=HYPERLINK("http://evil.example","Abbey")'
    assert "Services: +cmd|' /C calc'!A0" in header  # starts with 'Services', so it is text already
    for row in [header, *body]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_hostile_names_are_shown_safely(officer_client: Client, small_directory: Any) -> None:
    hostile = "<script>alert(1)</script>\u202eevil"
    # As long as each field allows: a ward's name is 100 characters at most, a category's 200.
    Ward.objects.filter(code="E05013810").update(name=(hostile + "x" * 100)[:100])
    TaxonomyTerm.objects.filter(code="food").update(name=(hostile + "y" * 200)[:200])
    html = page_text(officer_client.get(GAPS))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\u202eevil" in html
    assert "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;\u202eevil" in html
    # In the map's data the name is JSON, escaped so it cannot end the script block.
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in html


def test_before_the_wards_are_loaded_the_page_says_so(client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("admin"))
    response = client.get(GAPS)
    assert response.status_code == 200
    assert "have not been loaded yet" in page_text(response)
    assert read_csv(client.get(CSV)) == [read_csv(client.get(CSV))[0]]


@pytest.mark.parametrize("role", ["officer", "champion", "steward", "admin"])
def test_council_roles_may_see_the_gaps(
    role: str, client: Client, make_user: Any, mfa_exempt: None, small_directory: Any
) -> None:
    client.force_login(make_user(role))
    assert client.get(GAPS).status_code == 200
    assert client.get(CSV).status_code == 200


@pytest.mark.parametrize("role", ["resident", "group_member"])
def test_residents_and_group_members_are_refused_and_told_why(
    role: str, client: Client, make_user: Any, small_directory: Any
) -> None:
    client.force_login(make_user(role))
    for path in (GAPS, CSV):
        response = client.get(path)
        assert response.status_code == 403
        assert "Only council officers, champions, stewards and administrators" in page_text(response)


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, small_directory: Any) -> None:
    for path in (GAPS, CSV):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_pages_only_answer_get(officer_client: Client, small_directory: Any) -> None:
    assert officer_client.post(GAPS).status_code == 405
    assert officer_client.post(CSV).status_code == 405
