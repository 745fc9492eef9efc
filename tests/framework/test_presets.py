"""A steward starts the framework from a council's preset, and can swap it for another."""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from commonweal.framework.models import Element, Framework
from commonweal.framework.presets import PRESETS_DIR, list_presets
from commonweal.framework.services import load_framework_preset

SLUGS = ["barnet", "havering", "merton", "sefton", "thurrock"]


def _json(slug: str) -> dict:
    return json.loads(Path(PRESETS_DIR, f"{slug}.json").read_text(encoding="utf-8"))


def _names(kind: str) -> list[str]:
    return list(Element.objects.filter(kind=kind).order_by("position").values_list("name", flat=True))


def test_the_five_councils_presets_are_listed() -> None:
    assert sorted(preset.slug for preset in list_presets()) == SLUGS


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_each_preset_loads_with_every_element_of_its_paper(slug: str) -> None:
    data = _json(slug)
    framework = load_framework_preset(slug=slug)
    assert framework.name == data["name"]
    assert framework.vision == data["vision"]
    assert framework.source == data["source"]
    expected = Counter(element["kind"] for element in data["elements"])
    assert Counter(framework.elements.values_list("kind", flat=True)) == expected
    for kind in expected:
        in_paper_order = [element["name"] for element in data["elements"] if element["kind"] == kind]
        assert _names(kind) == in_paper_order


@pytest.mark.django_db
def test_merton_has_four_themes_three_of_them_to_be_confirmed() -> None:
    load_framework_preset(slug="merton")
    themes = Element.objects.filter(kind=Element.Kind.THEME)
    assert themes.count() == 4
    assert "Enabling system and place" in _names(Element.Kind.THEME)
    assert themes.filter(to_confirm=True).count() == 3


@pytest.mark.django_db
def test_thurrock_has_its_four_equality_objectives() -> None:
    load_framework_preset(slug="thurrock")
    assert len(_names(Element.Kind.EQUALITY_OBJECTIVE)) == 4


@pytest.mark.django_db
def test_loading_a_preset_twice_changes_nothing() -> None:
    from auditlog.models import LogEntry

    load_framework_preset(slug="merton")
    entries = LogEntry.objects.count()
    again = load_framework_preset(slug="merton")
    assert Framework.objects.count() == 1
    assert again.elements.count() == len(_json("merton")["elements"])
    load_framework_preset(slug="merton", replace=True)
    assert LogEntry.objects.count() == entries, "replacing a preset with itself should write nothing"


@pytest.mark.django_db
def test_an_existing_framework_is_kept_unless_replace_is_asked_for() -> None:
    load_framework_preset(slug="merton")
    kept = load_framework_preset(slug="thurrock")
    assert kept.name == _json("merton")["name"]
    replaced = load_framework_preset(slug="thurrock", replace=True)
    assert Framework.objects.count() == 1
    assert replaced.name == _json("thurrock")["name"]
    assert replaced.preset == "thurrock"
    assert Counter(replaced.elements.values_list("kind", flat=True)) == Counter(
        element["kind"] for element in _json("thurrock")["elements"]
    )
    assert not Element.objects.filter(name="Enabling system and place").exists()


@pytest.mark.django_db
def test_an_unknown_preset_is_refused_with_the_ones_there_are() -> None:
    with pytest.raises(ValidationError) as refused:
        load_framework_preset(slug="../../etc/passwd")
    assert "There is no preset called" in refused.value.messages[0]
    assert "merton" in refused.value.messages[0]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_the_command_says_what_it_loaded_and_what_it_left_alone() -> None:
    out = StringIO()
    call_command("load_framework_preset", "merton", stdout=out)
    assert "Loaded London Borough of Merton's" in out.getvalue()
    assert "4 themes" in out.getvalue()
    out = StringIO()
    call_command("load_framework_preset", "thurrock", stdout=out)
    assert "left as it is" in out.getvalue()
    out = StringIO()
    call_command("load_framework_preset", "thurrock", "--replace", stdout=out)
    assert "Replaced the framework with Thurrock Council's" in out.getvalue()
    assert "4 equality objectives" in out.getvalue()
    with pytest.raises(CommandError, match="There is no preset called"):
        call_command("load_framework_preset", "nowhere")
