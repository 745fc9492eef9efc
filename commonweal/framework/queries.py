"""Reads for the framework pages, one function a page, and the themes other apps' forms offer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Field, ProtectedError, QuerySet
from django.db.models.deletion import Collector

from commonweal.core.history import FieldChange, ReadableEntry, label_of, readable, shown
from commonweal.core.words import word_diff

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


def history_entries(entries: Iterable[LogEntry]) -> list[ReadableEntry]:
    """The history page's rows: each change read as people read it, an element named by its kind ('Theme'),
    from the change itself or, for a change that does not say, the element (all fetched in one query)."""
    rows = readable(entries)
    element_type = ContentType.objects.get_for_model(Element).pk
    ids = {int(row.object_pk) for row in rows if row.content_type_id == element_type and row.object_pk.isdigit()}
    kinds: dict[int, str] = dict(Element.objects.filter(pk__in=ids).values_list("pk", "kind"))
    if gone := ids - set(kinds):  # deleted since: its deletion says what it was
        deletions = LogEntry.objects.filter(
            content_type_id=element_type, object_pk__in=[str(pk) for pk in gone], action=LogEntry.Action.DELETE
        )
        for pk, changes in deletions.values_list("object_pk", "changes"):
            kind = (changes or {}).get("kind", [None])[0] if isinstance(changes, dict) else None
            if kind in Element.Kind.values:
                kinds[int(pk)] = kind
    named = []
    for row in rows:
        if row.content_type_id == element_type:
            said = next((c.after if row.action == "Added" else c.before for c in row.changes if c.label == "Kind"), "")
            kind = kinds.get(int(row.object_pk)) if row.object_pk.isdigit() else None
            label = str(Element.Kind(kind).label) if kind else said
            row = replace(row, record_type=label or row.record_type)
        named.append(row)
    return named


def framework_history() -> QuerySet[LogEntry]:
    """Every recorded change to the framework and its elements, newest first."""
    types = ContentType.objects.get_for_models(Framework, Element).values()
    return (
        LogEntry.objects.filter(content_type__in=types)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


# What a version of the framework is: these fields of the framework and of each of its elements.
FRAMEWORK_FIELDS = ("name", "vision", "preset", "source")
ELEMENT_FIELDS = ("kind", "name", "description", "position", "to_confirm", "source")


@dataclass
class Version:
    """The framework as it stood: its fields, and each element's fields by the element's id."""

    framework: dict[str, Any]
    elements: dict[int, dict[str, Any]]


@dataclass(frozen=True)
class ElementChange:
    """What going back does to one element: brings it back, takes it out, or changes some of its fields."""

    what: str  # "back", "out" or "changed"
    kind_label: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Restore:
    """A version the steward may go back to, and what going back would change."""

    entry: ReadableEntry
    version: Version
    framework_changes: tuple[FieldChange, ...]
    element_changes: tuple[ElementChange, ...]
    still_used: tuple[str, ...] = ()  # why going back cannot be done: elements it takes out that records use

    @property
    def changes_anything(self) -> bool:
        return bool(self.framework_changes or self.element_changes)

    @property
    def framework_entry(self) -> dict[str, Any]:
        """The framework's own changes, shaped as core/_changes.html reads an entry."""
        return {"changes": self.framework_changes, "action": "Changed"}


def _value(model: type[Framework] | type[Element], name: str, raw: Any) -> Any:
    field = model._meta.get_field(name)
    return None if raw in (None, "None") or not isinstance(field, Field) else field.to_python(raw)


def _now(framework: Framework) -> Version:
    return Version(
        framework={name: getattr(framework, name) for name in FRAMEWORK_FIELDS},
        elements={
            element.pk: {name: getattr(element, name) for name in ELEMENT_FIELDS}
            for element in framework.elements.all()
        },
    )


def version_after(entry: LogEntry, framework: Framework) -> Version:
    """The framework as it stood just after the change `entry` belongs to (every entry that change wrote, when one
    request wrote several): the framework now, with every later change to it undone, newest first. Only the later
    entries are read, so a version stays reachable however old the log's first entries are."""
    types = ContentType.objects.get_for_models(Framework, Element)
    framework_type, element_type = types[Framework], types[Element]
    same_change = LogEntry.objects.filter(pk__gte=entry.pk, content_type__in=types.values())
    last = same_change.filter(cid=entry.cid).order_by("-pk").values_list("pk", flat=True).first() if entry.cid else None
    version = _now(framework)
    later = LogEntry.objects.filter(pk__gt=last or entry.pk, content_type__in=types.values()).order_by("-pk")
    for change in later.iterator():
        values = change.changes_dict or {}
        before = {name: pair[0] for name, pair in values.items() if isinstance(pair, list | tuple) and len(pair) == 2}
        if change.content_type_id == framework_type.pk and change.object_pk == str(framework.pk):
            if change.action == LogEntry.Action.UPDATE:
                for name in FRAMEWORK_FIELDS:
                    if name in before:
                        version.framework[name] = _value(Framework, name, before[name])
            continue
        if change.content_type_id != element_type.pk or not str(change.object_pk).isdigit():
            continue
        pk = int(change.object_pk)
        if change.action == LogEntry.Action.CREATE:
            version.elements.pop(pk, None)
        elif change.action == LogEntry.Action.DELETE and before.get("framework") == str(framework.pk):
            version.elements[pk] = {name: _value(Element, name, before.get(name, "")) for name in ELEMENT_FIELDS}
        elif change.action == LogEntry.Action.UPDATE and pk in version.elements:
            for name in ELEMENT_FIELDS:
                if name in before:
                    version.elements[pk][name] = _value(Element, name, before[name])
    return version


def _field_changes(
    model: type[Framework] | type[Element], now: dict[str, Any], then: dict[str, Any]
) -> list[FieldChange]:
    found = []
    for name in now:
        if now[name] == then[name]:
            continue
        field = model._meta.get_field(name)
        before, after = shown(field, now[name], {}), shown(field, then[name], {})
        if name == "position":
            before, after = str(now[name] + 1), str(then[name] + 1)
        text = isinstance(now[name], str) and isinstance(then[name], str) and name != "kind"
        pieces = tuple(word_diff(now[name], then[name])) if text and now[name] and then[name] else ()
        found.append(FieldChange(label_of(model, name), before, after, pieces))
    return found


def framework_restore(entry_pk: int) -> Restore | None:
    """The steward's 'go back to this version' page: the version after that change, and what going back to it
    would change in the framework as it is now (None when there is no such change to the framework)."""
    framework = Framework.current()
    types = ContentType.objects.get_for_models(Framework, Element).values()
    entry = LogEntry.objects.filter(pk=entry_pk, content_type__in=types).select_related("actor", "content_type").first()
    if framework is None or entry is None:
        return None
    version = version_after(entry, framework)
    now = _now(framework)
    element_changes = []
    order = sorted(
        {*now.elements, *version.elements},
        key=lambda pk: (
            Element.Kind.values.index((version.elements.get(pk) or now.elements[pk])["kind"]),
            (version.elements.get(pk) or now.elements[pk])["position"],
            pk,
        ),
    )
    for pk in order:
        was, then = now.elements.get(pk), version.elements.get(pk)
        if was is None and then is not None:
            element_changes.append(ElementChange("back", kind_label(then["kind"]), then["name"], ()))
        elif was is not None and then is None:
            element_changes.append(ElementChange("out", kind_label(was["kind"]), was["name"], ()))
        elif was is not None and then is not None and (changes := _field_changes(Element, was, then)):
            element_changes.append(ElementChange("changed", kind_label(was["kind"]), was["name"], tuple(changes)))
    out = Element.objects.filter(pk__in=set(now.elements) - set(version.elements))
    return Restore(
        still_used=tuple(message for element in out if (message := _still_used(element))),
        entry=readable([entry])[0],
        version=version,
        framework_changes=tuple(_field_changes(Framework, now.framework, version.framework)),
        element_changes=tuple(element_changes),
    )


def still_used_message(element: Element, error: ProtectedError) -> str:
    """Why an element cannot be taken out: the records that use it, one named."""
    uses = error.protected_objects
    return (
        f'Going back would take out the {element.kind_label} "{element.name}", but {len(uses):,} other '
        f"record{'s' if len(uses) != 1 else ''} still use{'' if len(uses) != 1 else 's'} it (such as "
        f'"{next(iter(uses))}"). Change those records first, or go back to a later version.'
    )


def _still_used(element: Element) -> str:
    """The reason an element cannot be deleted ('' when it can): Django's own check of protected references,
    which reads and writes nothing."""
    try:
        Collector(using=router.db_for_write(Element)).collect([element])
    except ProtectedError as error:
        return still_used_message(element, error)
    return ""
