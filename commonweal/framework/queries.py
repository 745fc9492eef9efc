"""Reads for the framework pages, one function a page, and the themes other apps' forms offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import KIND_PLURALS, Element, Framework, kind_label, kind_slug, with_article


@dataclass(frozen=True)
class Section:
    """One kind of element with its items, as a page lists them."""

    kind: str
    heading: str
    label: str
    slug: str
    add_label: str
    elements: list[Element]


def framework_summary() -> dict[str, Any]:
    framework = Framework.current()
    themes = list(Element.objects.filter(framework=framework, kind=Element.Kind.THEME)) if framework else []
    return {"framework": framework, "themes": themes}


def theme_choices() -> list[tuple[int, str]]:
    """The current framework's themes as a form's choices (id, name), in the council's order: what other apps'
    records are tagged with."""
    framework = Framework.current()
    if framework is None:
        return []
    return list(
        Element.objects.filter(framework=framework, kind=Element.Kind.THEME)
        .order_by("position", "pk")
        .values_list("pk", "name")
    )


def framework_sections(framework: Framework | None) -> list[Section]:
    """Principles, themes, outcomes and equality objectives in that order, each in the council's order."""
    elements = list(framework.elements.order_by("position", "pk")) if framework else []
    return [
        Section(
            kind=kind,
            heading=str(KIND_PLURALS[Element.Kind(kind)]),
            label=kind_label(kind),
            slug=kind_slug(kind),
            add_label=f"Add {with_article(kind_label(kind))}",
            elements=[element for element in elements if element.kind == kind],
        )
        for kind in Element.Kind.values
    ]


def framework_history() -> QuerySet[LogEntry]:
    """Every recorded change to the framework and its elements, newest first."""
    types = ContentType.objects.get_for_models(Framework, Element).values()
    return (
        LogEntry.objects.filter(content_type__in=types)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
