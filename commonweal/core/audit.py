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
