"""Naming who made a change in the audit log (django-auditlog)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from auditlog.context import auditlog_value, set_actor
from django.db.models import ForeignKey, Model

# Models deliberately not registered with the audit log, each with the reason ("app_label.Model" -> why).
NOT_AUDITED: dict[str, str] = {
    "core.WorkflowEvent": "it is itself a log of workflow steps, written once and never changed; the status "
    "change each records is audited on the record it moved",
    "framework.Theme": "a proxy of framework.Element, which is audited; rows are never saved through it",
    "framework.Outcome": "a proxy of framework.Element, which is audited; rows are never saved through it",
    "places.Lsoa": "reference data loaded in bulk from the ONS files and replaced whole; nobody edits it",
    "places.Postcode": "reference data loaded in bulk from the ONS Postcode Directory; nobody edits it",
    "directory.ImportRun": "is itself the record of an import (who, when, what); the records it writes are audited",
    "directory.SearchEntry": "a search index row, rebuilt from the audited services",
    "directory.SearchText": "a search index row, rebuilt from the audited services",
    "directory.SearchHours": "a search index row, rebuilt from the audited services",
    "directory.SearchWord": "a search index row, rebuilt from the audited services",
    "funding.ApplicationEvent": "is itself the application's history (who, when, from, to, note), only ever added to",
    "funding.ApplicationTally": "running totals worked out from the audited scores, rebuilt from them on demand",
    "funding.AssessorTally": "running totals worked out from the audited scores, rebuilt from them on demand",
    "solutions.BlockageEvent": "is itself the blockage's history (who, when, from, to, note), only ever added to",
    "solutions.TransferEvent": "is itself the asset transfer's history (who, when, from, to, note), only ever added to",
    "core.RateCount": "a counter of attempts per address for the rate limits, written on every limited request and "
    "cleared when its hour is over; it holds no record anyone edits",
    "engagement.Tally": "a kept count of a consultation's answers, added to at each submission and rebuilt from the "
    "audited answers; nobody edits it",
    "engagement.GroupSize": "a kept count of a consultation's respondents per group, added to at each submission and "
    "rebuilt from the audited responses; nobody edits it",
    "engagement.CountedResponse": "marks a submitted (audited) response as in the kept counts; nobody edits it",
    "engagement.Ballot": "a secret ballot: an audit entry (who, when) would tie a vote to a person; it is written "
    "once, never changed, and published anonymised with the count",
    "engagement.BallotChoice": "a secret ballot's choices, written once with it and never changed",
    "engagement.WaveInvitation": "a one-use link to a survey wave holding only hashes (no address); an audit entry "
    "would tie the link, and so the answers, to the person it was sent to",
    "engagement.SurveyResponse": "an anonymous survey response, written once and never edited; an audit entry "
    "(who, when) would tie a resident's answers and equality data to them",
    "engagement.BallotLink": "a one-use emailed link to a ballot, holding only hashes; deleted once the votes "
    "are counted",
}


@contextlib.contextmanager
def acting(by: Any) -> Iterator[None]:
    """Name `by` in the audit log for the writes inside.

    auditlog's set_actor does not nest: it leaves its own context behind, which would silence the request's
    middleware for the rest of the request. So put back whatever context was there before.
    """
    if by is None:
        yield
        return
    before = auditlog_value.get(None)
    try:
        with set_actor(by):
            yield
    finally:
        # None cannot be put back (auditlog's receivers index the value), so an emptied context stands for it:
        # its signal_duid is nobody's, and current_actor() reads no actor from it.
        auditlog_value.set(before if before is not None else {"signal_duid": None})


def current_actor() -> Any:
    """Whoever the request's middleware or an enclosing `acting()` names, else None.

    auditlog sets its context and never resets it: after a request (or a `set_actor` block) is over, the value
    is still there and names a user who may since be gone (a test's rolled-back user, a deleted account). The
    context is live only while auditlog's pre_save receiver for it is still connected, which its context manager
    undoes on the way out; so a context whose receiver is gone is stale and names nobody."""
    from auditlog import get_logentry_model
    from django.db.models.signals import pre_save

    context = auditlog_value.get(None) or {}
    duid = context.get("signal_duid")
    if duid is None:
        return None
    sender = id(get_logentry_model())
    if not any(key == (duid, sender) for key, *_ in pre_save.receivers):
        return None
    return context.get("actor")


def log_created(objs: Iterable[Model], by: Any = None) -> int:
    """One "created" audit-log entry per row written by bulk_create (which sends no signals for auditlog to hear),
    written in bulk too (core.bulk's writer: COPY on PostgreSQL). Unregistered models are skipped; registered
    exclusions (a secret field) are honoured, as auditlog's own diff is used. The actor is `by`, else whoever the
    request or `acting()` names. Parents are fetched a few queries per foreign key, so the entries' names cost a
    fixed number of queries however many rows there are.

    Returns how many entries were written. The rows must have their primary keys (bulk_create gives them on
    PostgreSQL and SQLite)."""
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django.utils.encoding import smart_str

    from commonweal.core.bulk import insert_rows

    if by is None:
        by = current_actor()
    actor = by if getattr(by, "is_authenticated", False) else None
    now = timezone.now()
    cid = get_cid()
    audited = [obj for obj in objs if auditlog.contains(type(obj))]
    fetch_parents(audited)
    content_types: dict[type[Model], int] = {}
    rows = []
    for obj in audited:
        if obj.pk is None:
            raise ValueError(f"{type(obj).__name__} has no primary key yet: log it after it is written")
        model = type(obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model).pk
        rows.append(
            {
                "content_type_id": content_types[model],
                "object_pk": str(obj.pk),
                "object_id": obj.pk if isinstance(obj.pk, int) else None,
                "object_repr": smart_str(obj)[:500],
                "action": LogEntry.Action.CREATE,
                "changes": model_instance_diff(
                    None, obj, use_json_for_changes=getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
                )
                or {},
                "actor_id": actor.pk if actor is not None else None,
                "actor_email": getattr(actor, "email", None),
                "timestamp": now,
                "cid": cid,
            }
        )
    insert_rows(LogEntry, rows)
    return len(rows)


def fetch_parents(objs: list[Model], *, chunk: int = 500) -> None:
    """Fetch each foreign key the rows do not hold yet, a few queries per key for all rows, so that naming each row
    (its __str__, often naming its parent) asks the database nothing more: the log stays a fixed number of queries."""
    by_model: dict[type[Model], list[Model]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for model, rows in by_model.items():
        for field in model._meta.concrete_fields:
            if not isinstance(field, ForeignKey) or not isinstance(parent_model := field.related_model, type):
                continue
            wanted = [row for row in rows if getattr(row, field.attname) is not None and not field.is_cached(row)]
            ids = sorted({getattr(row, field.attname) for row in wanted})
            parents: dict[Any, Model] = {}
            for start in range(0, len(ids), chunk):
                parents.update(parent_model._default_manager.in_bulk(ids[start : start + chunk]))
            for row in wanted:
                if (parent := parents.get(getattr(row, field.attname))) is not None:
                    field.set_cached_value(row, parent)
