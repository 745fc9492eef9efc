"""The panel pack PDF: every application a search of a round finds, with the scores and comments its reader may
see, made by WeasyPrint from an HTML template.

A round of 200 takes WeasyPrint the best part of a minute, so the background worker builds it
(tasks.build_panel_pack) and keeps it on disk, named by the round's state, the reader (whose conflicts of
interest decide what is in it) and the search, until any of them changes: asking again while nothing has
changed serves the same file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core import jobs

from .. import tasks
from ..models import Round
from .queries import ApplicationSearch, moderation_state, panel_pack

# How long one request's build stands for the same reader and search: longer than a build takes.
BUILD_SECONDS = 900


def _folder() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "funding-panel-packs"


def _digest(round: Round, user: Any, search: ApplicationSearch) -> str:
    parts = [round.pk, user.pk, dataclasses.astuple(search), moderation_state(round), round.name]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def pack_path(round: Round, user: Any, search: ApplicationSearch) -> Path:
    """Where this reader's pack of this search of the round, as the round stands now, is kept."""
    return _folder() / f"{round.pk}-{user.pk}-{_digest(round, user, search)}.pdf"


def build_panel_pack(*, round: Round, user: User, search: ApplicationSearch) -> Path:
    """Write the reader's panel pack to disk (once for each state of the round); their older packs of the round
    are removed."""
    from weasyprint import HTML  # a large import, needed only here

    target = pack_path(round, user, search)
    if target.exists():
        return target
    html = render_to_string(
        "funding/assess/panel_pack.html",
        {
            "round": round,
            "entries": panel_pack(round, search, user),
            "search": search,
            "made_at": timezone.now(),
            "made_by": user,
        },
    )
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        built = Path(work) / "pack.pdf"
        HTML(string=html).write_pdf(built)
        os.replace(built, target)  # atomic: a request never reads half a file
    for old in folder.glob(f"{round.pk}-{user.pk}-*.pdf"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def request_panel_pack(*, round: Round, user: User, search: ApplicationSearch) -> Path | jobs.JobState:
    """The reader's pack if it is built, or the state of its build: the first request queues one, and asking
    again while it runs waits for the same one."""
    target = pack_path(round, user, search)
    if target.exists():
        return target
    key = f"funding-panel-pack-{target.stem}"
    if cache.add(key, "", timeout=BUILD_SECONDS):
        result = tasks.build_panel_pack.enqueue(round.pk, user.pk, dataclasses.asdict(search))
        cache.set(key, str(result.id), timeout=BUILD_SECONDS)
    if target.exists():  # built already where tasks run at once
        return target
    task_id = cache.get(key) or ""
    state = jobs.job_state(task_id) if task_id else None
    if state is not None and state.failed:
        return state
    if state is not None and state.status == jobs.SUCCEEDED:
        cache.delete(key)  # built, but the round changed since: build again
        return request_panel_pack(round=round, user=user, search=search)
    return state or jobs.JobState(jobs.QUEUED)


def retry_panel_pack(*, round: Round, user: User, search: ApplicationSearch) -> None:
    """After a failed build, forget it, so the next request queues a new one (never more than one at a time)."""
    key = f"funding-panel-pack-{pack_path(round, user, search).stem}"
    task_id = cache.get(key) or ""
    state = jobs.job_state(task_id) if task_id else None
    if state is not None and state.failed:
        cache.delete(key)
