"""Status tags: each status set's GOV.UK tag colours, declared once beside its TextChoices, and the label it
shows taken from the choices themselves, so a page never types a status's name or colour by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Choices, Model

COLOURS = frozenset({"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"})

_registry: dict[type[Choices], dict[str, str]] = {}


class StatusTag(NamedTuple):
    label: str
    colour: str


def tag_colours(choices: type[Choices], colours: Mapping[Any, str]) -> None:
    """Declare the colour of every status in `choices` (GOV.UK's tag colours); a status left out is an error."""
    by_value = {str(value): colour for value, colour in colours.items()}
    missing = sorted(set(map(str, choices.values)) - set(by_value))
    unknown = sorted(set(by_value.values()) - COLOURS)
    if missing or unknown:
        raise ImproperlyConfigured(f"{choices.__qualname__}: no colour for {missing}, unknown colours {unknown}")
    _registry[choices] = by_value


def choices_for(record: Model, field: str = "status") -> type[Choices]:
    """The registered status set a model field takes its choices from."""
    offered = list(record._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    for choices in _registry:
        if [(str(v), str(label)) for v, label in choices.choices] == [(str(v), str(label)) for v, label in offered]:
            return choices
    raise ImproperlyConfigured(f"{type(record).__name__}.{field} has no tag colours: declare them with tag_colours()")


def status_tag(record: Model, field: str = "status", value: Any = None) -> StatusTag:
    """The label and colour of a record's status (or of `value`, another status of the same set)."""
    choices = choices_for(record, field)
    current = str(getattr(record, field) if value is None else value)
    member = choices(current)
    return StatusTag(str(member.label), _registry[choices][current])
