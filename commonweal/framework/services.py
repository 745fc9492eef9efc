"""Writes to the framework: one function per use case, each in a transaction, recorded by the audit log."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from commonweal.core.audit import acting
from commonweal.core.ordering import move_in_order

from .models import Element, Framework, kind_label
from .presets import Preset, get_preset, list_presets
from .queries import Restore, framework_restore, still_used_message

Direction = Literal["up", "down"]

FRAMEWORK_NAME_MAX = Framework._meta.get_field("name").max_length or 200
VISION_MAX = Framework._meta.get_field("vision").max_length or 3000
ELEMENT_NAME_MAX = Element._meta.get_field("name").max_length or 120
DESCRIPTION_MAX = Element._meta.get_field("description").max_length or 2000


def _check_text(errors: dict[str, str], field: str, value: str, *, what: str, limit: int) -> None:
    if not value:
        errors[field] = f"Enter {what}."
    elif len(value) > limit:
        errors[field] = (
            f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer. You entered {len(value):,}."
        )


def _clean_element(*, framework: Framework, kind: str, name: str, description: str, exclude_pk: int | None) -> None:
    label = kind_label(kind)
    errors: dict[str, str] = {}
    _check_text(errors, "name", name, what=f"the name of the {label}", limit=ELEMENT_NAME_MAX)
    _check_text(errors, "description", description, what=f"a description of the {label}", limit=DESCRIPTION_MAX)
    if "name" not in errors:
        taken = Element.objects.filter(framework=framework, kind=kind, name__iexact=name)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors["name"] = f'There is already a {label} called "{name}".'
    if errors:
        raise ValidationError(errors)


def _save(instance: Framework | Element) -> None:
    instance.full_clean()
    instance.save()


@transaction.atomic
def update_vision(*, name: str, vision: str, by: Any = None) -> Framework:
    """Set the framework's name and vision, starting the council's own framework if it has none."""
    name, vision = name.strip(), vision.strip()
    errors: dict[str, str] = {}
    _check_text(errors, "name", name, what="the name of the framework", limit=FRAMEWORK_NAME_MAX)
    _check_text(errors, "vision", vision, what="the vision", limit=VISION_MAX)
    if errors:
        raise ValidationError(errors)
    framework = Framework.current() or Framework()
    if framework.pk is not None and (framework.name, framework.vision) == (name, vision):
        return framework
    framework.name, framework.vision = name, vision
    with acting(by):
        _save(framework)
    return framework


def _require_framework() -> Framework:
    framework = Framework.current()
    if framework is None:
        raise ValidationError("Set up the framework's name and vision before you add to it.")
    return framework


@transaction.atomic
def create_element(*, kind: str, name: str, description: str, by: Any = None) -> Element:
    """Add a principle, theme, outcome or equality objective at the end of its kind; names unique per kind."""
    if kind not in Element.Kind.values:
        raise ValidationError(f'"{kind}" is not a part of a framework.')
    framework = _require_framework()
    name, description = name.strip(), description.strip()
    _clean_element(framework=framework, kind=kind, name=name, description=description, exclude_pk=None)
    last = Element.objects.filter(framework=framework, kind=kind).order_by("-position").first()
    element = Element(
        framework=framework,
        kind=kind,
        name=name,
        description=description,
        position=last.position + 1 if last else 0,
    )
    with acting(by):
        _save(element)
    return element


@transaction.atomic
def update_element(*, element: Element, name: str, description: str, by: Any = None) -> Element:
    """Change an element's name and description; names stay unique within its kind."""
    name, description = name.strip(), description.strip()
    _clean_element(
        framework=element.framework,
        kind=element.kind,
        name=name,
        description=description,
        exclude_pk=element.pk,
    )
    if (element.name, element.description) == (name, description):
        return element
    element.name, element.description = name, description
    with acting(by):
        _save(element)
    return element


@transaction.atomic
def delete_element(*, element: Element, by: Any = None) -> None:
    """Remove an element from the framework; the audit log keeps what it said."""
    with acting(by):
        element.delete()


@transaction.atomic
def move_element(*, element: Element, direction: Direction, by: Any = None) -> bool:
    """Swap an element with its neighbour in its kind; returns False when it is already first or last."""
    if direction not in ("up", "down"):
        raise ValidationError(f'"{direction}" is not a direction: choose up or down.')
    moved = move_in_order(
        element, Element.objects.filter(framework=element.framework, kind=element.kind), direction, by=by
    )
    element.refresh_from_db()
    return moved


@transaction.atomic
def confirm_element(*, element: Element, by: Any = None) -> Element:
    """Mark a placeholder element as confirmed by the council."""
    if element.to_confirm:
        element.to_confirm = False
        with acting(by):
            element.save(update_fields=["to_confirm"])
    return element


def _unknown_preset(slug: str) -> ValidationError:
    known = ", ".join(preset.slug for preset in list_presets())
    return ValidationError(f'There is no preset called "{slug}". Choose one of: {known}.')


def _copy_preset(framework: Framework, preset: Preset) -> None:
    """Make the framework match the preset, saving only what differs: a second load changes nothing."""
    wanted = {"name": preset.name, "vision": preset.vision, "source": preset.source, "preset": preset.slug}
    if any(getattr(framework, key) != value for key, value in wanted.items()) or framework.pk is None:
        for key, value in wanted.items():
            setattr(framework, key, value)
        _save(framework)
    existing = {(element.kind, element.name): element for element in framework.elements.all()}
    positions: dict[str, int] = {}
    keep: set[int] = set()
    for item in preset.elements:
        position = positions.get(item["kind"], 0)
        positions[item["kind"]] = position + 1
        fields = {
            "description": item["description"],
            "source": item.get("source", ""),
            "to_confirm": bool(item.get("to_confirm", False)),
            "position": position,
        }
        element = existing.get((item["kind"], item["name"]))
        if element is None:
            element = Element(framework=framework, kind=item["kind"], name=item["name"], **fields)
            _save(element)
        elif any(getattr(element, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(element, key, value)
            _save(element)
        keep.add(element.pk)
    for element in existing.values():
        if element.pk not in keep:
            element.delete()


@transaction.atomic
def load_framework_preset(*, slug: str, replace: bool = False, by: Any = None) -> Framework:
    """Start the framework from a council's preset; an existing framework is replaced only when asked."""
    preset = get_preset(slug)
    if preset is None:
        raise _unknown_preset(slug)
    framework = Framework.current()
    if framework is not None and not replace:
        return framework
    with acting(by):
        _copy_preset(framework or Framework(), preset)
    return Framework.current() or Framework()


@transaction.atomic
def restore_framework_version(*, entry_pk: int, by: Any = None) -> Restore:
    """Make the framework as it was just after an earlier change, as new changes on top (history is never
    rewritten), each audited and marked as the restore it is."""
    from auditlog.models import LogEntry

    if (now := Framework.current()) is not None:
        Framework.objects.select_for_update().filter(pk=now.pk).first()  # one restore at a time
    restore = framework_restore(entry_pk)
    if restore is None:
        raise ValidationError("There is no such version of the framework.")
    if not restore.changes_anything:
        raise ValidationError("The framework is already as it was then: there is nothing to change.")
    if restore.still_used:
        raise ValidationError(list(restore.still_used))
    framework = Framework.current() or Framework()
    written_before = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    target = restore.version
    with acting(by):
        if any(getattr(framework, name) != value for name, value in target.framework.items()):
            for name, value in target.framework.items():
                setattr(framework, name, value)
            _save(framework)
        current = {element.pk: element for element in framework.elements.all()}
        for pk, element in current.items():
            if pk not in target.elements:
                try:
                    element.delete()
                except ProtectedError as error:
                    raise ValidationError(still_used_message(element, error)) from error
        _rename_without_clashes([(current[pk], fields) for pk, fields in target.elements.items() if pk in current])
        for pk, fields in target.elements.items():
            if pk not in current:
                taken = Element.objects.filter(pk=pk).exists()  # never: ids are not used twice; but be sure
                _save(Element(pk=None if taken else pk, framework=framework, **fields))
    reason = f"Went back to the version of {restore.entry.when}"
    types = ContentType.objects.get_for_models(Framework, Element).values()
    LogEntry.objects.filter(pk__gt=written_before, content_type__in=types).update(additional_data={"reason": reason})
    return restore


def _rename_without_clashes(pairs: list[tuple[Element, dict[str, Any]]]) -> None:
    """Give each element its fields back. Two elements may swap names (unique within a kind): one whose old name
    is still held waits for the other, and a ring of swaps is broken by a name held for a moment."""
    waiting = [
        (element, fields) for element, fields in pairs if any(getattr(element, k) != v for k, v in fields.items())
    ]
    while waiting:
        held = {
            (element.kind, element.name.lower())
            for element in Element.objects.filter(framework_id=waiting[0][0].framework_id)
        }
        ready = [
            (element, fields)
            for element, fields in waiting
            if (fields["kind"], fields["name"].lower()) not in held
            or (element.kind, element.name.lower()) == (fields["kind"], fields["name"].lower())
        ]
        if not ready:
            element = waiting[0][0]
            element.name = f"{element.name} (being restored {element.pk})"[:ELEMENT_NAME_MAX]
            element.save(update_fields=["name"])
            continue
        for element, fields in ready:
            for name, value in fields.items():
                setattr(element, name, value)
            _save(element)
        waiting = [pair for pair in waiting if pair not in ready]
