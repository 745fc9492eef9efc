"""Residents read the framework; stewards, and only stewards, change it through the editor."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.framework.models import Element, Framework
from commonweal.framework.services import create_element, load_framework_preset, update_vision

REFUSAL = "Only stewards can change the framework."
THEME = Element.Kind.THEME


@pytest.fixture
def steward_client(client: Client, make_user: Callable[..., Any], mfa_exempt: None) -> Client:
    client.force_login(make_user("steward"))
    return client


@pytest.fixture
def theme(db: None) -> Element:
    update_vision(name="Our borough together", vision="Everyone gets help.")
    return create_element(kind=THEME, name="Green spaces", description="Parks and commons.")


def _editor_requests(theme: Element) -> list[tuple[str, str, dict[str, str]]]:
    element = f"/framework/edit/elements/{theme.pk}"
    return [
        ("get", "/framework/edit/", {}),
        ("get", "/framework/edit/vision/", {}),
        ("post", "/framework/edit/vision/", {"name": "Taken over", "vision": "Mine now."}),
        ("get", "/framework/edit/theme/add/", {}),
        ("post", "/framework/edit/theme/add/", {"name": "Sneaky", "description": "x"}),
        ("get", f"{element}/", {}),
        ("post", f"{element}/", {"name": "Renamed", "description": "x"}),
        ("get", f"{element}/delete/", {}),
        ("post", f"{element}/delete/", {}),
        ("post", f"{element}/move/", {"direction": "up"}),
        ("post", f"{element}/confirm/", {}),
        ("get", "/framework/edit/history/", {}),
        ("get", "/framework/edit/presets/", {}),
        ("get", "/framework/edit/presets/merton/", {}),
        ("post", "/framework/edit/presets/merton/", {}),
    ]


# --- the public page ----------------------------------------------------------------------------


def test_a_resident_reads_the_vision_themes_and_source_paper(client: Client, db: None) -> None:
    load_framework_preset(slug="merton")
    page = client.get("/framework/").content.decode()
    assert "Working Better with Communities Framework" in page
    assert "mobilise all the assets in the borough" in page
    for heading in ["Principles", "Themes", "Outcomes"]:
        assert f">{heading}</h2>" in page
    assert "Enabling system and place" in page
    assert page.count("To be confirmed</strong>") == 3
    assert "Merton Council Cabinet, 16 January 2023" in page
    assert "Edit the framework" not in page


def test_a_resident_is_told_when_there_is_no_framework_yet(client: Client, db: None) -> None:
    response = client.get(reverse("framework:detail"))
    assert response.status_code == 200
    assert "The council has not set up its framework yet." in response.content.decode()


def test_a_steward_sees_a_link_to_edit_the_framework(steward_client: Client, theme: Element) -> None:
    assert "Edit the framework" in steward_client.get("/framework/").content.decode()


# --- who may edit -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["resident", "group_member", "officer", "champion", "admin"])
def test_only_stewards_may_open_or_post_to_the_editor(
    role: str, client: Client, user_in_role: Callable[[str], Any], theme: Element, mfa_exempt: None
) -> None:
    client.force_login(user_in_role(role))
    for method, url, data in _editor_requests(theme):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, f"{role} {method} {url}"
        assert REFUSAL in response.content.decode()
    theme.refresh_from_db()
    assert theme.name == "Green spaces"
    assert Framework.objects.get().name == "Our borough together"


def test_anonymous_visitors_are_sent_to_sign_in_from_every_editor_page(client: Client, theme: Element) -> None:
    for method, url, data in _editor_requests(theme):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, f"{method} {url}"
        assert response["Location"].startswith("/accounts/login/?next=")
    assert Element.objects.count() == 1


def test_changes_cannot_be_made_with_a_get(steward_client: Client, theme: Element) -> None:
    for url in [
        f"/framework/edit/elements/{theme.pk}/move/",
        f"/framework/edit/elements/{theme.pk}/confirm/",
    ]:
        assert steward_client.get(url).status_code == 405
    assert steward_client.post("/framework/edit/").status_code == 405


def test_unknown_kinds_elements_and_presets_are_not_found(steward_client: Client, theme: Element) -> None:
    for url in [
        "/framework/edit/villain/add/",
        "/framework/edit/elements/999999/",
        "/framework/edit/elements/99999999999999999999999/delete/",
        "/framework/edit/presets/atlantis/",
    ]:
        assert steward_client.get(url).status_code == 404, url
    assert steward_client.post("/framework/edit/elements/999999/move/", {"direction": "up"}).status_code == 404


def test_a_crafted_move_direction_is_refused_without_moving_anything(steward_client: Client, theme: Element) -> None:
    response = steward_client.post(f"/framework/edit/elements/{theme.pk}/move/", {"direction": "sideways"})
    assert response.status_code == 400


def test_a_csrf_token_is_needed_to_change_anything(
    make_user: Callable[..., Any], theme: Element, mfa_exempt: None
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("steward"))
    response = client.post(f"/framework/edit/elements/{theme.pk}/delete/")
    assert response.status_code == 403
    assert Element.objects.filter(pk=theme.pk).exists()


# --- what a steward does ------------------------------------------------------------------------


def test_a_steward_adds_a_theme_and_residents_see_it(steward_client: Client, theme: Element) -> None:
    response = steward_client.post(
        "/framework/edit/theme/add/", {"name": "Libraries", "description": "Books for all."}, follow=True
    )
    assert "You added the theme &quot;Libraries&quot;." in response.content.decode()
    assert "Libraries" in Client().get("/framework/").content.decode()


def test_a_steward_adds_an_equality_objective(steward_client: Client, theme: Element) -> None:
    page = steward_client.get("/framework/edit/equality-objective/add/").content.decode()
    assert "Add an equality objective" in page
    steward_client.post("/framework/edit/equality-objective/add/", {"name": "Fair pay", "description": "x"})
    assert Element.objects.filter(kind=Element.Kind.EQUALITY_OBJECTIVE, name="Fair pay").exists()


def test_a_steward_is_sent_to_write_the_vision_before_adding_a_theme(steward_client: Client) -> None:
    response = steward_client.get("/framework/edit/theme/add/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("framework:vision")
    response = steward_client.post(
        "/framework/edit/vision/", {"name": "Together", "vision": "Help for all."}, follow=True
    )
    assert "The framework&#x27;s name and vision are saved." in response.content.decode()
    assert Framework.objects.get().name == "Together"


def test_a_steward_changes_a_theme(steward_client: Client, theme: Element) -> None:
    url = f"/framework/edit/elements/{theme.pk}/"
    assert 'value="Green spaces"' in steward_client.get(url).content.decode()
    response = steward_client.post(url, {"name": "Parks", "description": "Parks and commons."}, follow=True)
    assert "Your changes to the theme &quot;Parks&quot; are saved." in response.content.decode()


def test_a_steward_confirms_before_a_theme_is_deleted(steward_client: Client, theme: Element) -> None:
    url = f"/framework/edit/elements/{theme.pk}/delete/"
    page = steward_client.get(url).content.decode()
    assert "Are you sure you want to delete this theme?" in page
    assert Element.objects.filter(pk=theme.pk).exists()
    response = steward_client.post(url, follow=True)
    assert "You deleted the theme &quot;Green spaces&quot;." in response.content.decode()
    assert not Element.objects.filter(pk=theme.pk).exists()


def test_a_steward_moves_and_confirms_themes_from_the_overview(steward_client: Client, db: None) -> None:
    load_framework_preset(slug="merton")
    last = Element.objects.filter(kind=THEME, to_confirm=True).order_by("-position").first()
    assert last is not None and last.position == 2
    response = steward_client.post(f"/framework/edit/elements/{last.pk}/move/", {"direction": "up"}, follow=True)
    assert f"You moved &quot;{last.name}&quot; up." in response.content.decode()
    response = steward_client.post(f"/framework/edit/elements/{last.pk}/confirm/", follow=True)
    assert "You confirmed the theme" in response.content.decode()
    last.refresh_from_db()
    assert not last.to_confirm and last.position == 1


def test_a_steward_sees_who_changed_what_in_the_history(steward_client: Client, theme: Element) -> None:
    steward_client.post(f"/framework/edit/elements/{theme.pk}/", {"name": "Parks", "description": "Parks."})
    page = steward_client.get("/framework/edit/history/").content.decode()
    assert "steward" in page and "@example.org" in page
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Name Before: [removed: Green spaces] After: [added: Parks]" in text
    assert steward_client.get("/framework/edit/history/?page=9999").status_code == 200
    assert steward_client.get("/framework/edit/history/?page=nonsense").status_code == 200


def test_a_steward_is_asked_before_a_preset_replaces_the_framework(steward_client: Client, theme: Element) -> None:
    page = steward_client.get("/framework/edit/presets/").content.decode()
    for council in ["Merton", "Thurrock", "Sefton", "Barnet", "Havering"]:
        assert council in page
    page = steward_client.get("/framework/edit/presets/thurrock/").content.decode()
    assert "This replaces the name, vision" in page
    assert Framework.objects.get().name == "Our borough together"
    response = steward_client.post("/framework/edit/presets/thurrock/", follow=True)
    assert "The framework now follows Thurrock Council" in response.content.decode()
    assert Framework.objects.get().preset == "thurrock"
    assert not Element.objects.filter(name="Green spaces").exists()


# --- bad input ----------------------------------------------------------------------------------


def test_errors_are_shown_beside_the_field_and_keep_what_was_typed(steward_client: Client, theme: Element) -> None:
    response = steward_client.post(
        "/framework/edit/theme/add/", {"name": "green spaces", "description": "My careful words."}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("There is already a theme called &quot;green spaces&quot;.") == 2
    assert 'href="#id_name"' in page
    assert 'value="green spaces"' in page
    assert "My careful words.</textarea>" in page


def test_an_empty_and_an_over_long_name_get_clear_messages(steward_client: Client, theme: Element) -> None:
    page = steward_client.post("/framework/edit/theme/add/", {"name": "", "description": ""}).content.decode()
    assert "Enter the name of the theme." in page
    assert "Enter a description of the theme." in page
    long_name = "n" * 500
    page = steward_client.post(
        f"/framework/edit/elements/{theme.pk}/", {"name": long_name, "description": "kept"}
    ).content.decode()
    assert "must be 120 characters or fewer. You entered 500." in page
    assert f'value="{long_name}"' in page


def test_hostile_text_is_shown_as_text(steward_client: Client, theme: Element) -> None:
    hostile = '<script>alert("x")</script>\u202eevil\u200f'
    steward_client.post("/framework/edit/theme/add/", {"name": hostile, "description": hostile * 10})
    for url in ["/framework/", "/framework/edit/", "/framework/edit/history/"]:
        page = steward_client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url


def test_a_crafted_post_with_missing_fields_gets_messages_not_an_error(steward_client: Client, theme: Element) -> None:
    for url in [
        "/framework/edit/vision/",
        "/framework/edit/outcome/add/",
        f"/framework/edit/elements/{theme.pk}/",
    ]:
        response = steward_client.post(url, {})
        assert response.status_code == 200, url
        assert "There is a problem" in response.content.decode()
