"""A steward takes the framework back to an earlier version: shown what will change first, then recorded as new
changes on top of the history (never rewriting it), each audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client

from commonweal.framework.models import Element, Framework
from commonweal.framework.queries import framework_history, framework_restore
from commonweal.framework.services import (
    create_element,
    delete_element,
    move_element,
    restore_framework_version,
    update_element,
    update_vision,
)

THEME = Element.Kind.THEME
pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(make_user: Callable[..., Any]) -> Any:
    return make_user("steward")


def _latest() -> int:
    return framework_history().values_list("pk", flat=True)[0]


def _themes() -> list[tuple[str, str]]:
    return list(Element.objects.filter(kind=THEME).order_by("position", "pk").values_list("name", "description"))


def test_going_back_undoes_every_later_change_and_records_it_as_new_changes(steward: Any) -> None:
    update_vision(name="Our borough", vision="Everyone gets help.", by=steward)
    parks = create_element(kind=THEME, name="Parks", description="Green spaces.", by=steward)
    create_element(kind=THEME, name="Housing", description="Homes for all.", by=steward)
    version = _latest()
    before = _themes()

    update_vision(name="Our borough", vision="Everyone gets help when they need it.", by=steward)
    update_element(element=parks, name="Green spaces", description="Parks and woods.", by=steward)
    create_element(kind=THEME, name="Jobs", description="Good work.", by=steward)
    housing = Element.objects.get(name="Housing")
    housing_pk = housing.pk
    move_element(element=housing, direction="up", by=steward)
    delete_element(element=housing, by=steward)
    history_before = LogEntry.objects.count()
    first_entries = list(framework_history().order_by("pk").values_list("pk", "changes"))

    restore = framework_restore(version)
    assert restore is not None and restore.changes_anything
    assert [(c.what, c.name) for c in restore.element_changes] == [
        ("changed", "Green spaces"),
        ("back", "Housing"),
        ("out", "Jobs"),
    ]
    vision = restore.framework_changes[0]
    assert (vision.label, vision.before, vision.after) == (
        "Vision",
        "Everyone gets help when they need it.",
        "Everyone gets help.",
    )

    restore_framework_version(entry_pk=version, by=steward)
    framework = Framework.objects.get()
    assert framework.vision == "Everyone gets help."
    assert _themes() == before
    assert Element.objects.get(name="Housing").pk == housing_pk  # back as the same record, its history whole
    # Nothing was rewritten: the old entries are as they were, the going back is new entries, marked as such.
    assert list(framework_history().order_by("pk").values_list("pk", "changes"))[: len(first_entries)] == first_entries
    new = LogEntry.objects.filter(pk__gt=max(pk for pk, _ in first_entries))
    assert LogEntry.objects.count() > history_before and new.count() >= 4
    assert all(entry.actor == steward for entry in new)
    assert all(str(entry.additional_data["reason"]).startswith("Went back to the version of ") for entry in new)


def test_the_history_names_each_element_by_its_kind_even_once_deleted(steward: Any) -> None:
    from commonweal.framework.queries import history_entries

    update_vision(name="Our borough", vision="Everyone gets help.", by=steward)
    parks = create_element(kind=THEME, name="Parks", description="Green.", by=steward)
    update_element(element=parks, name="Parks", description="Green and blue.", by=steward)
    create_element(kind=Element.Kind.OUTCOME, name="Fewer lonely people", description="Friends.", by=steward)
    delete_element(element=parks, by=steward)
    rows = history_entries(framework_history())
    assert [(row.action, row.record_type) for row in rows] == [
        ("Deleted", "Theme"),
        ("Added", "Outcome"),
        ("Changed", "Theme"),
        ("Added", "Theme"),
        ("Added", "Framework"),
    ]


def test_going_back_to_the_framework_as_it_is_changes_nothing(steward: Any) -> None:
    update_vision(name="Our borough", vision="Everyone gets help.", by=steward)
    restore = framework_restore(_latest())
    assert restore is not None and not restore.changes_anything
    with pytest.raises(ValidationError, match="nothing to change"):
        restore_framework_version(entry_pk=_latest(), by=steward)


def test_two_themes_that_swapped_names_swap_back(steward: Any) -> None:
    update_vision(name="Our borough", vision="Everyone gets help.", by=steward)
    parks = create_element(kind=THEME, name="Parks", description="Green.", by=steward)
    homes = create_element(kind=THEME, name="Homes", description="Houses.", by=steward)
    version = _latest()
    update_element(element=parks, name="Spare", description="Green.", by=steward)
    update_element(element=homes, name="Parks", description="Houses.", by=steward)
    update_element(element=parks, name="Homes", description="Green.", by=steward)
    restore_framework_version(entry_pk=version, by=steward)
    assert _themes() == [("Parks", "Green."), ("Homes", "Houses.")]


def test_a_theme_other_records_still_use_is_not_taken_out_and_nothing_changes(
    steward: Any, client: Client, mfa_exempt: None
) -> None:
    from commonweal.funding.models import ThemeBudget
    from tests.funding.factories import FundFactory

    update_vision(name="Our borough", vision="Everyone gets help.", by=steward)
    version = _latest()
    theme = create_element(kind=THEME, name="Parks", description="Green.", by=steward)
    update_vision(name="Our borough", vision="Changed.", by=steward)
    ThemeBudget.objects.create(fund=FundFactory(), theme_id=theme.pk, amount=500)
    with pytest.raises(ValidationError, match='Going back would take out the theme "Parks", but 1 other record'):
        restore_framework_version(entry_pk=version, by=steward)
    assert Framework.objects.get().vision == "Changed."  # all or nothing

    # The steward is told before they try, with no button to press.
    client.force_login(steward)
    page = client.get(f"/framework/edit/history/{version}/go-back/").content.decode()
    assert "You cannot go back to this version yet" in page and "still uses it (such as &quot;Parks: " in page
    assert "<button" not in page.split('id="main-content"')[-1]
    response = client.post(f"/framework/edit/history/{version}/go-back/")
    assert response.status_code == 400 and "There is a problem" in response.content.decode()


def test_the_steward_sees_the_changes_then_goes_back(client: Client, steward: Any, mfa_exempt: None) -> None:
    update_vision(name="Our borough", vision="Everyone gets help.", by=steward)
    version = _latest()
    update_vision(name="Our borough", vision="Everyone gets good help.", by=steward)
    client.force_login(steward)
    page = client.get(f"/framework/edit/history/{version}/go-back/").content.decode()
    assert "Go back to this version of the framework?" in page
    assert "[removed: </span>good " in page  # the vision now, with the word going back takes out marked
    response = client.post(f"/framework/edit/history/{version}/go-back/", follow=True)
    assert "The framework is back as it was on " in response.content.decode()
    assert Framework.objects.get().vision == "Everyone gets help."
    assert client.get("/framework/edit/history/999999/go-back/").status_code == 404
