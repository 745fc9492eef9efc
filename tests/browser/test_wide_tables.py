"""A wide table on a 390 px phone scrolls in its own box, its key column staying in view; the page does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from tests.directory.factories import OrganisationFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_overflows(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


def test_a_group_member_on_a_phone_scrolls_their_records_and_still_sees_which_record_each_row_is(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    group = OrganisationFactory(name="Pollards Hill Community Food Partnership")
    for name in ("Saturday breakfast club for families", "Emergency food parcels by appointment"):
        ServiceFactory(organisation=group, name=name)

    page.set_viewport_size(PHONE)
    sign_in(page, make_user("group_member", organisation=group))
    page.goto(f"{live_server.url}/directory/manage/")

    table = page.get_by_role("region", name="Records, those needing a check first")
    expect(table).to_be_visible()
    assert not page_overflows(page), "the whole page is wider than the phone"
    assert table.evaluate("box => box.scrollWidth > box.clientWidth"), "the table fits: nothing to scroll"

    row = table.locator("tbody tr").filter(has_text="Saturday breakfast club for families")
    key, last = row.locator("td").first, row.locator("td").last
    key_before, last_before = key.bounding_box(), last.bounding_box()
    assert key_before and last_before

    # By keyboard, as a person without a touch screen or mouse would: the box takes focus and arrows scroll it.
    table.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expect(table).not_to_have_js_property("scrollLeft", 0)

    key_after, last_after = key.bounding_box(), last.bounding_box()
    assert key_after and last_after
    assert last_after["x"] < last_before["x"], "the other columns did not move"
    assert key_after["x"] == pytest.approx(key_before["x"], abs=1), "the key column scrolled out of view"
    # Nothing is drawn over the key column: what is at its middle is still the record's name.
    middle = (key_after["x"] + key_after["width"] / 2, key_after["y"] + key_after["height"] / 2)
    assert "Saturday breakfast club" in page.evaluate("([x, y]) => document.elementFromPoint(x, y).textContent", middle)
    assert not page_overflows(page)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/directory/export/", "/funding/manage/"])
def test_other_wide_tables_keep_the_page_within_a_phone(
    path: str,
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    from commonweal.funding.generate import generate_round

    generate_round(applications=3, assessors=2, criteria=2, grants=0)
    page.set_viewport_size(PHONE)
    sign_in(page, make_user("officer"))
    page.goto(f"{live_server.url}{path}")
    regions = page.locator(".app-table-scroll[role=region]")
    expect(regions.first).to_be_visible()
    for box in regions.all():
        assert box.get_attribute("tabindex") == "0"
        assert box.evaluate("box => document.getElementById(box.getAttribute('aria-labelledby')) !== null")
    assert not page_overflows(page)
    assert_accessible(page)
