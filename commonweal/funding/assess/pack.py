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


def _build_key(round: Round, user: Any, search: ApplicationSearch) -> str:
    return f"funding-panel-pack-{pack_path(round, user, search).stem}"


def request_panel_pack(*, round: Round, user: User, search: ApplicationSearch) -> Path | jobs.JobState:
    """The reader's pack if it is built, or the state of its build: the first request queues one, and asking
    again while it runs waits for the same one."""
    target = pack_path(round, user, search)
    return jobs.request_build(
        key=_build_key(round, user, search),
        ready=lambda: target if target.exists() else None,
        enqueue=lambda: tasks.build_panel_pack.enqueue(round.pk, user.pk, dataclasses.asdict(search)),
        seconds=BUILD_SECONDS,
    )


def retry_panel_pack(*, round: Round, user: User, search: ApplicationSearch) -> None:
    """After a failed build, the next request queues a new one (never more than one at a time)."""
    jobs.forget_failed_build(_build_key(round, user, search))
