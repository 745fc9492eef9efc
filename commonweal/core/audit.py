"""Naming who made a change in the audit log (django-auditlog)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_actor

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
        if before is not None:
            auditlog_value.set(before)
