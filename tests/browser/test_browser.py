"""A steward edits the framework in a real browser, and every page of it passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from commonweal.framework.models import Element
from commonweal.framework.services import load_framework_preset

pytestmark = pytest.mark.browser


@pytest.fixture
def steward_page(
    page: Any, live_server: Any, make_user: Callable[..., Any], sign_in: Callable[..., None], mfa_exempt: None
) -> Any:
    sign_in(page, make_user("steward"))
    return page


def test_a_steward_adds_a_theme_sees_it_published_changes_it_and_reads_the_history(
    steward_page: Any, live_server: Any, assert_accessible: Callable[[Any], None]
) -> None:
    page = steward_page
    load_framework_preset(slug="merton")
    page.goto(f"{live_server.url}/framework/")
    page.get_by_role("link", name="Edit the framework").click()
    assert_accessible(page)

    page.get_by_role("link", name="Add a theme").click()
    assert_accessible(page)
    page.get_by_label("Name of the theme").fill("Enabling system and place")
    page.get_by_label("Description").fill("Typed with care.")
    page.get_by_role("button", name="Add a theme").click()
    duplicate = 'There is already a theme called "Enabling system and place".'
    expect(page.get_by_role("link", name=duplicate)).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("Typed with care.")
    assert_accessible(page)

    page.get_by_label("Name of the theme").fill("Libraries for everyone")
    page.get_by_role("button", name="Add a theme").click()
    expect(page.get_by_text('You added the theme "Libraries for everyone".')).to_be_visible()

    page.goto(f"{live_server.url}/framework/")
    expect(page.get_by_role("heading", name="Libraries for everyone")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/framework/edit/")
    page.get_by_role("link", name="Change Libraries for everyone").click()
    page.get_by_label("Name of the theme").fill("Libraries and learning")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text('Your changes to the theme "Libraries and learning" are saved.')).to_be_visible()

    page.get_by_role("link", name="See the history of changes").click()
    history = page.get_by_test_id("history")
    expect(history.locator("del", has_text="for everyone").first).to_be_visible()
    expect(history.locator("ins", has_text="and learning").first).to_be_visible()
    assert_accessible(page)


def test_a_steward_moves_and_deletes_a_theme(
    steward_page: Any, live_server: Any, assert_accessible: Callable[[Any], None]
) -> None:
    page = steward_page
    load_framework_preset(slug="merton")
    page.goto(f"{live_server.url}/framework/edit/")
    page.get_by_role("button", name="Move up Enabling system and place").click()
    expect(page.get_by_text('You moved "Enabling system and place" up.')).to_be_visible()

    page.get_by_role("link", name="Delete Enabling system and place").click()
    expect(page.get_by_role("heading", name="Are you sure you want to delete this theme?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Delete theme").click()
    expect(page.get_by_text('You deleted the theme "Enabling system and place".')).to_be_visible()
    assert not Element.objects.filter(name="Enabling system and place").exists()


def test_a_steward_replaces_the_framework_with_another_councils_after_confirming(
    steward_page: Any, live_server: Any, assert_accessible: Callable[[Any], None]
) -> None:
    page = steward_page
    load_framework_preset(slug="merton")
    page.goto(f"{live_server.url}/framework/edit/presets/")
    assert_accessible(page)
    page.get_by_role("link", name="Use this framework from Thurrock Council").click()
    expect(page.get_by_text("This replaces the name, vision")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Replace the framework").click()
    expect(page.get_by_text("The framework now follows Thurrock Council")).to_be_visible()
    page.goto(f"{live_server.url}/framework/")
    expect(page.get_by_role("heading", name="Equality objectives")).to_be_visible()


def test_the_empty_framework_pages_pass_axe(
    steward_page: Any, live_server: Any, assert_accessible: Callable[[Any], None]
) -> None:
    page = steward_page
    for path in ["/framework/", "/framework/edit/", "/framework/edit/vision/", "/framework/edit/history/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/framework/edit/vision/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter the name of the framework.")).to_be_visible()
    assert_accessible(page)
