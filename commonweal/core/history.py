"""The audit log as people read it: the fields' labels, not their names; names, not ids; 'Not set', not None;
dates as GOV.UK writes them; a changed text whole, before and after, with the words that changed marked.

Every page that shows audit-log entries (the administrators' audit log, the framework's history) reads them
through `readable()`, which names the records the entries point at in a fixed number of queries however many
entries there are."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from .audit import fetch_parents
from .chunks import keyset_chunks
from .words import Piece, date_words, datetime_words, time_words, word_diff

NOT_SET = "Not set"
BLANK = "(blank)"

ACTIONS = {
    LogEntry.Action.CREATE: "Added",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Viewed",
}


@dataclass(frozen=True)
class FieldChange:
    """One field of one entry: its label, the value before and after, and for a changed text the words marked
    (`pieces`); `summary` instead for a list of related records added or removed."""

    label: str
    before: str
    after: str
    pieces: tuple[Piece, ...] = ()
    summary: str = ""

    @property
    def removed(self) -> list[Piece]:
        """The text before, with the words taken out marked (kept words spaced as they were)."""
        return [Piece(piece.change, piece.before) for piece in self.pieces if piece.change != "added"]

    @property
    def added(self) -> list[Piece]:
        """The text after, with the words put in marked."""
        return [piece for piece in self.pieces if piece.change != "removed"]


@dataclass(frozen=True)
class ReadableEntry:
    pk: int
    timestamp: datetime.datetime
    when: str
    who: str
    who_email: str  # when `who` is a name: their address too, to tell two people of one name apart
    action: str
    record_type: str
    record: str
    content_type_id: int
    object_pk: str
    changes: tuple[FieldChange, ...]
    reason: str
    cid: str


def label_of(model: type[models.Model] | None, name: str) -> str:
    """A field's label as the page shows it: its verbose name ('Source paper'), else its name in words."""
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            verbose = getattr(field, "verbose_name", None)
            if verbose:
                return capfirst(str(verbose))
    return capfirst(name.replace("_", " "))


def _hidden(field: Any) -> bool:
    """Fields that say nothing to a reader: the row's own number, times Django stamps on every save, and the
    other side of a relation (auditlog writes its manager's name, 'directory.Asset.None', when a record is added)."""
    return any(
        (
            getattr(field, "primary_key", False),
            getattr(field, "auto_now", False),
            getattr(field, "auto_now_add", False),
            not getattr(field, "concrete", True),
        )
    )


def _stored_datetime(raw: str) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(raw)
    except ValueError:
        return None
    if timezone.is_naive(value):  # auditlog keeps date-times as naive UTC
        value = value.replace(tzinfo=datetime.UTC)
    return timezone.localtime(value)


def _key(field: models.ForeignKey[Any, Any], raw: str) -> Any:
    try:
        return field.target_field.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        return None


def shown(field: Any, raw: Any, names: dict[tuple[type[models.Model], Any], str]) -> str:
    """A stored value as a person reads it: the choice's label, Yes or No, the related record's name, a GOV.UK
    date; 'Not set' for nothing, '(blank)' for empty text."""
    if raw is None or raw == "None":
        return NOT_SET
    text = str(raw)
    if text == "":
        return BLANK
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str({str(key): label for key, label in choices}.get(text, text))
    if isinstance(field, models.BooleanField):
        return {"True": "Yes", "False": "No"}.get(text, text)
    if isinstance(field, models.ForeignKey):
        model = field.related_model
        key = _key(field, text)
        if isinstance(model, type) and (name := names.get((model, key))) is not None:
            return name
        verbose = model._meta.verbose_name if isinstance(model, type) else "record"
        return f"{capfirst(str(verbose))} (since deleted)"
    if isinstance(field, models.DateTimeField):
        when = _stored_datetime(text)
        return datetime_words(when) if when else text
    if isinstance(field, models.DateField):
        try:
            return date_words(datetime.date.fromisoformat(text[:10]))
        except ValueError:
            return text
    if isinstance(field, models.TimeField):
        try:
            return time_words(datetime.time.fromisoformat(text))
        except ValueError:
            return text
    return text


def _is_text(field: Any) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not getattr(field, "choices", None)


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _names(entries: Sequence[LogEntry]) -> dict[tuple[type[models.Model], Any], str]:
    """The name of every record the entries' foreign keys point at: one query per kind of record pointed at,
    and the records' own parents fetched in bulk too (their names often say whose they are)."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if not isinstance(field, models.ForeignKey) or not isinstance(values, list | tuple):
                continue
            related = field.related_model
            if not isinstance(related, type):
                continue
            for raw in values:
                if raw not in (None, "None", "") and (key := _key(field, str(raw))) is not None:
                    wanted.setdefault(related, set()).add(key)
    names: dict[tuple[type[models.Model], Any], str] = {}
    for related, keys in wanted.items():
        found = list(related._default_manager.in_bulk(sorted(keys)).values())
        fetch_parents(found)
        names.update({(related, obj.pk): _name(obj) for obj in found})
    return names


def _name(obj: models.Model) -> str:
    """A record's name; a type of record by its label ('Service'), not Django's 'directory | service'."""
    if isinstance(obj, ContentType) and (model := obj.model_class()) is not None:
        return capfirst(str(model._meta.verbose_name))
    return str(obj)


def _changes(entry: LogEntry, names: dict[tuple[type[models.Model], Any], str]) -> tuple[FieldChange, ...]:
    model = entry.content_type.model_class()
    changes: list[FieldChange] = []
    for name, values in (entry.changes_dict or {}).items():
        field = _field(model, name)
        if field is not None and _hidden(field):
            continue
        label = label_of(model, name)
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = {"add": "added", "delete": "removed"}.get(str(values.get("operation")), "cleared")
            objects = ", ".join(str(o) for o in values.get("objects", []))
            changes.append(FieldChange(label, "", "", summary=f"{verb} {objects}".strip()))
            continue
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue
        before, after = shown(field, values[0], names), shown(field, values[1], names)
        if entry.action == LogEntry.Action.CREATE and after in (NOT_SET, BLANK):
            continue  # a new record's empty fields are not news
        if entry.action == LogEntry.Action.DELETE and before in (NOT_SET, BLANK):
            continue
        pieces: tuple[Piece, ...] = ()
        if entry.action == LogEntry.Action.UPDATE and _is_text(field) and NOT_SET not in (before, after):
            pieces = tuple(word_diff(str(values[0]), str(values[1])))
        changes.append(FieldChange(label, before, after, pieces))
    return tuple(changes)


def _who(entry: LogEntry) -> tuple[str, str]:
    if entry.actor is not None:
        email = getattr(entry.actor, "email", "") or ""
        name = str(entry.actor)
        return name, email if email != name else ""
    return entry.actor_email or "The system", ""


def readable(entries: Iterable[LogEntry]) -> list[ReadableEntry]:
    """Audit-log entries (with actor and content_type selected) as a page shows them, in a fixed number of
    queries however many there are."""
    rows = list(entries)
    names = _names(rows)
    readable_rows = []
    for entry in rows:
        model = entry.content_type.model_class()
        when = timezone.localtime(entry.timestamp)
        extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        who, who_email = _who(entry)
        readable_rows.append(
            ReadableEntry(
                pk=entry.pk,
                timestamp=when,
                when=datetime_words(when),
                who=who,
                who_email=who_email,
                action=ACTIONS.get(entry.action, "Changed"),
                record_type=capfirst(str(model._meta.verbose_name if model else entry.content_type.name)),
                record=entry.object_repr,
                content_type_id=entry.content_type_id,
                object_pk=entry.object_pk,
                changes=_changes(entry, names),
                reason=str(extra.get("reason", "")),
                cid=entry.cid or "",
            )
        )
    return readable_rows


CSV_HEADER = ("When", "Who", "Action", "Type of record", "Record", "What changed", "Before", "After")


def csv_rows(entries: models.QuerySet[LogEntry], *, chunk: int = 500) -> Iterator[list[str]]:
    """The entries as the rows of a spreadsheet, oldest first, one row for each field changed: read a chunk at a
    time (a fixed number of queries a chunk), for a streamed download of a log of any length."""
    for rows in keyset_chunks(entries.select_related("actor", "content_type"), chunk):
        for entry in readable(rows):
            start = [entry.timestamp.strftime("%Y-%m-%d %H:%M:%S"), entry.who, entry.action, entry.record_type]
            if not entry.changes:
                yield [*start, entry.record, "", "", ""]
            for change in entry.changes:
                # A record added had nothing before; one deleted has nothing after: blank, not 'Not set'.
                before = "" if entry.action == "Added" else change.before
                after = "" if entry.action == "Deleted" else change.summary or change.after
                yield [*start, entry.record, change.label, before, after]
