"""The rules a steward meets when changing the framework, whichever way they change it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from commonweal.framework.models import Element, Framework
from commonweal.framework.queries import framework_history
from commonweal.framework.services import (
    confirm_element,
    create_element,
    delete_element,
    load_framework_preset,
    move_element,
    update_element,
    update_vision,
)

THEME = Element.Kind.THEME


@pytest.fixture
def steward(make_user: Callable[..., Any]) -> Any:
    return make_user("steward")


@pytest.fixture
def framework(steward: Any) -> Framework:
    return update_vision(name="Our borough together", vision="Everyone gets help.", by=steward)


def _errors(call: Callable[[], object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def _themes() -> list[str]:
    return list(Element.objects.filter(kind=THEME).order_by("position", "pk").values_list("name", flat=True))


def test_a_steward_starts_a_framework_by_writing_its_vision(framework: Framework) -> None:
    assert Framework.current() == framework
    assert framework.vision == "Everyone gets help."


def test_a_framework_needs_a_name_and_a_vision(db: None) -> None:
    errors = _errors(lambda: update_vision(name="  ", vision=""))
    assert errors == {"name": ["Enter the name of the framework."], "vision": ["Enter the vision."]}


def test_a_theme_cannot_share_a_name_with_another_theme(framework: Framework) -> None:
    create_element(kind=THEME, name="Green spaces", description="Parks.")
    errors = _errors(lambda: create_element(kind=THEME, name="green spaces ", description="Again."))
    assert errors["name"] == ['There is already a theme called "green spaces".']


def test_an_outcome_may_share_a_name_with_a_theme(framework: Framework) -> None:
    create_element(kind=THEME, name="Green spaces", description="Parks.")
    create_element(kind=Element.Kind.OUTCOME, name="Green spaces", description="More parks.")
    assert Element.objects.filter(name="Green spaces").count() == 2


def test_an_element_needs_a_name_and_a_description(framework: Framework) -> None:
    errors = _errors(lambda: create_element(kind=Element.Kind.EQUALITY_OBJECTIVE, name="", description=" "))
    assert errors == {
        "name": ["Enter the name of the equality objective."],
        "description": ["Enter a description of the equality objective."],
    }


def test_an_over_long_name_is_refused_saying_how_long_it_may_be(framework: Framework) -> None:
    errors = _errors(lambda: create_element(kind=THEME, name="x" * 121, description="Long."))
    assert errors["name"] == ["The name of the theme must be 120 characters or fewer. You entered 121."]
    errors = _errors(lambda: create_element(kind=THEME, name="Short", description="y" * 2001))
    assert errors["description"] == ["A description of the theme must be 2,000 characters or fewer. You entered 2,001."]
    assert not Element.objects.exists()


def test_nothing_can_be_added_before_the_framework_exists(db: None) -> None:
    with pytest.raises(ValidationError, match="Set up the framework's name and vision"):
        create_element(kind=THEME, name="Early", description="Too early.")


def test_a_steward_renames_a_theme_but_not_to_another_themes_name(framework: Framework) -> None:
    parks = create_element(kind=THEME, name="Parks", description="Parks.")
    create_element(kind=THEME, name="Libraries", description="Books.")
    update_element(element=parks, name="Green spaces", description="Parks and commons.")
    assert _themes() == ["Green spaces", "Libraries"]
    errors = _errors(lambda: update_element(element=parks, name="Libraries", description="x"))
    assert errors["name"] == ['There is already a theme called "Libraries".']
    update_element(element=parks, name="Green spaces", description="Same name, new words.")
    parks.refresh_from_db()
    assert parks.description == "Same name, new words."


def test_a_steward_moves_themes_up_and_down(framework: Framework) -> None:
    first, second, third = (create_element(kind=THEME, name=n, description=n) for n in ["One", "Two", "Three"])
    assert move_element(element=third, direction="up")
    assert _themes() == ["One", "Three", "Two"]
    assert move_element(element=first, direction="down")
    assert _themes() == ["Three", "One", "Two"]
    assert not move_element(element=second, direction="down"), "the last theme cannot go further down"
    assert not move_element(element=third, direction="up"), "the first theme cannot go further up"
    assert _themes() == ["Three", "One", "Two"]


def test_moving_sorts_out_themes_that_share_a_position(framework: Framework) -> None:
    a, b = (Element.objects.create(framework=framework, kind=THEME, name=n, description=n) for n in "AB")
    move_element(element=b, direction="up")
    assert _themes() == ["B", "A"]


def test_a_steward_deletes_a_theme(framework: Framework) -> None:
    theme = create_element(kind=THEME, name="Gone soon", description="x")
    delete_element(element=theme)
    assert _themes() == []


def test_a_steward_confirms_a_placeholder_theme(db: None) -> None:
    load_framework_preset(slug="merton")
    placeholder = Element.objects.filter(kind=THEME, to_confirm=True).first()
    assert placeholder is not None
    confirm_element(element=placeholder)
    placeholder.refresh_from_db()
    assert not placeholder.to_confirm
    assert Element.objects.filter(kind=THEME, to_confirm=True).count() == 2


def test_every_change_is_in_the_audit_log_with_who_made_it(framework: Framework, steward: Any) -> None:
    theme = create_element(kind=THEME, name="Parks", description="Parks.", by=steward)
    other = create_element(kind=THEME, name="Libraries", description="Books.", by=steward)
    update_element(element=theme, name="Green spaces", description="Parks.", by=steward)
    move_element(element=other, direction="up", by=steward)
    theme.to_confirm = True
    theme.save()
    confirm_element(element=theme, by=steward)
    delete_element(element=other, by=steward)
    update_vision(name="Renamed", vision="Everyone gets help.", by=steward)
    entries = list(framework_history())
    by_steward = [entry for entry in entries if entry.actor_id == steward.pk]
    actions = [(entry.get_action_display(), entry.object_repr) for entry in by_steward]
    assert ("create", "Parks") in actions
    assert ("update", "Green spaces") in actions
    assert ("delete", "Libraries") in actions
    assert ("update", "Renamed") in actions
    assert any("position" in entry.changes_dict for entry in by_steward)
    assert any("to_confirm" in entry.changes_dict for entry in by_steward)
    assert len(by_steward) == len(entries) - 1, "only the test's own save has no actor"


def test_loading_a_preset_names_the_steward_in_the_audit_log(steward: Any) -> None:
    load_framework_preset(slug="havering", by=steward)
    assert framework_history().count() == 1 + 10, "the framework and its ten elements"
    assert not framework_history().exclude(actor=steward).exists()
