"""The page people see while the database is down (tests/faults proves when it is served): clear and accessible."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_service_unavailable_page_says_what_to_do_and_is_accessible(
    page: Page, live_server: Any, assert_accessible: Any
) -> None:
    from commonweal.core.views import service_unavailable

    response = service_unavailable()
    address = f"{live_server.url}/a-page-while-the-database-is-down/"
    # The server's own 503 answer, as the browser receives it from a server whose database is down.
    page.route(
        address,
        lambda route: route.fulfill(status=503, headers=dict(response.items()), body=response.content),
    )
    answer = page.goto(address)
    assert answer is not None and answer.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is unavailable")
    expect(page.get_by_text("Try again in a few minutes.")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the home page")).to_have_attribute("href", "/")
    assert_accessible(page)
