"""Closing the loop: writing 'we asked, you said, we did' for a closed consultation, revisiting its equality
impact assessment with what the responses showed, publishing it (the consultation's 'decide' step), and telling
everyone who responded and asked to hear back.

One function per use case, each in its own transaction, raising EngagementError (full sentences keyed by the
field they are about) or PermissionDenied; none takes the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonweal.core import notify
from commonweal.core.audit import acting
from commonweal.core.uploads import check_upload

from .. import permissions
from ..errors import EngagementError
from ..models import Characteristic, Consultation, DecisionNotice, Document, ImpactAssessment
from ..models_closing import address_hash
from ..workflows import CONSULTATION, take
from . import queries

logger = logging.getLogger(__name__)

PAPER_TYPES = ["pdf", "docx", "odt"]
PAPER_MAX_MB = 20
# How many people are emailed in one transaction: a failure part-way keeps the record of those already told.
BATCH = 200
NOT_YOURS = "Only officers of the department running this consultation, and the stewards, can close it."


@dataclass(frozen=True)
class ImpactDraft:
    impact: str = ""
    evidence: str = ""
    mitigations: str = ""


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def check_closed(consultation: Consultation, *, by: Any, today: date) -> None:
    """Refuse anyone who does not run it, and any consultation that is not closed and waiting for 'we did'."""
    if not permissions.runs_consultation(by, consultation):
        raise PermissionDenied(NOT_YOURS)
    if consultation.status == Consultation.Status.DECIDED:
        raise EngagementError("'We did' has already been published for this consultation.")
    if consultation.status != Consultation.Status.PUBLISHED:
        raise EngagementError(
            f"This consultation is {consultation.get_status_display().lower()}, so it has no 'we did' to write."
        )
    phase = consultation.phase(today)
    if phase != Consultation.Phase.CLOSED:
        closes = _day(consultation.closes_on) if consultation.closes_on else "a date not set yet"
        running = "still open" if phase == Consultation.Phase.OPEN else "not open yet: it runs"
        raise EngagementError(
            f"This consultation is {running} until {closes}. You can write and publish 'we did' once it has closed."
        )


def _store_paper(consultation: Consultation, paper: UploadedFile, by: Any) -> Document:
    try:
        checked = check_upload(paper, file_types=PAPER_TYPES, max_file_mb=PAPER_MAX_MB, error=EngagementError)
    except EngagementError as refused:
        raise EngagementError({"decision_paper": refused.messages}) from refused
    title = PurePath(paper.name or "").stem.strip()[:150] or "Decision paper"
    paper.name = f"decision-paper.{checked.extension}"
    return Document.objects.create(
        consultation=consultation,
        kind=Document.Kind.DECISION,
        title=title,
        file=paper,
        size=paper.size or 0,
        uploaded_by=by,
    )


def save_we_did(
    *,
    consultation: Consultation,
    by: Any,
    you_said: str,
    decision: str,
    how_changed: str,
    decision_paper_url: str,
    impacts: dict[str, ImpactDraft],
    paper: UploadedFile | None = None,
    today: date | None = None,
) -> Consultation:
    """Keep a draft of 'we did' and the assessment after the responses, as typed, whatever is still missing
    (nothing shows publicly until it is published)."""
    today = today or timezone.localdate()
    unknown = set(impacts) - set(Characteristic.values)
    if unknown:
        raise EngagementError("The impact assessment names a characteristic that is not one of the ten.")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        check_closed(locked, by=by, today=today)
        if paper is not None:
            _store_paper(locked, paper, by)
        locked.you_said = you_said.strip()
        locked.decision = decision.strip()
        locked.how_changed = how_changed.strip()
        locked.decision_paper_url = decision_paper_url.strip()
        with acting(by):
            locked.save(update_fields=["you_said", "decision", "how_changed", "decision_paper_url", "updated_at"])
            existing = {row.characteristic: row for row in locked.impacts.filter(stage=ImpactAssessment.Stage.CLOSING)}
            for characteristic, draft in impacts.items():
                row = existing.get(characteristic) or ImpactAssessment(
                    consultation=locked, stage=ImpactAssessment.Stage.CLOSING, characteristic=characteristic
                )
                row.impact = draft.impact
                row.evidence = draft.evidence.strip()
                row.mitigations = draft.mitigations.strip()
                row.save()
    return locked


def problems(consultation: Consultation) -> dict[str, list[str]]:
    """What is missing before 'we did' can be published, keyed by the field (an assessment row's fields as
    '<characteristic>-impact' and so on)."""
    found: dict[str, list[str]] = {}
    if not consultation.you_said.strip():
        found["you_said"] = ["Say what people said: a summary of the responses."]
    if not consultation.decision.strip():
        found["decision"] = ["Say what was decided."]
    if not consultation.how_changed.strip():
        found["how_changed"] = [
            "Say how the responses changed the decision (or why they did not), so people see they were heard."
        ]
    rows = queries.impacts(consultation)["closing"]
    for value, label in Characteristic.choices:
        row = rows.get(value)
        if row is None or row.impact not in ImpactAssessment.Impact.values:
            found[f"{value}-impact"] = [
                f"Choose the likely impact on people by {str(label).lower()} after the responses."
            ]
            continue
        if not row.evidence.strip():
            found[f"{value}-evidence"] = [
                f"Give the evidence for the impact on people by {str(label).lower()}, from the responses or elsewhere."
            ]
        if row.impact == ImpactAssessment.Impact.NEGATIVE and not row.mitigations.strip():
            found[f"{value}-mitigations"] = [
                f"Say how the negative impact on people by {str(label).lower()} will be reduced or removed."
            ]
    return found


def publish_we_did(*, consultation: Consultation, by: Any, today: date | None = None) -> Consultation:
    """Publish 'we did' from the saved draft, complete with its assessment after the responses: the consultation
    is decided, and everyone who responded and asked to hear back is emailed once it commits (off the request)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        check_closed(locked, by=by, today=today)
        missing = problems(locked)
        if missing:
            raise EngagementError(missing)
        locked.you_said_figures = queries.figures(locked)
        locked.hear_back_total = queries.hear_back_addresses(locked).count()
        locked.decided_by = by
        locked.decided_at = timezone.now()
        take(CONSULTATION, locked, "decide", by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _queue_telling(pk))
    return locked


def _queue_telling(consultation_id: int) -> None:
    from .tasks import tell_respondents

    try:
        tell_respondents.enqueue(consultation_id)
    except Exception:
        # The decision stands; the task can be queued again and only emails those not yet told.
        logger.exception("Could not queue the 'we did' emails for consultation %s", consultation_id)


def send_remaining_emails(*, consultation: Consultation, by: Any) -> int:
    """Queue the 'we did' emails again for those not told yet (after the mail server failed part-way); returns
    how many are still to be told. Those already told are never emailed again."""
    if not permissions.runs_consultation(by, consultation):
        raise PermissionDenied(NOT_YOURS)
    if consultation.status != Consultation.Status.DECIDED:
        raise EngagementError("'We did' has not been published yet, so there is nobody to tell.")
    remaining = (consultation.hear_back_total or 0) - queries.told_count(consultation)
    if remaining <= 0:
        raise EngagementError("Everyone who asked to hear back has been emailed already.")
    pk = consultation.pk
    transaction.on_commit(lambda: _queue_telling(pk))
    return remaining


def tell_respondents(*, consultation_id: int, batch: int = BATCH) -> int:
    """Email the decision to everyone who responded and asked to hear back, each address once ever: those
    already told are passed over, so running it again (a retry) emails nobody twice. Returns how many it told."""
    consultation = Consultation.objects.select_related("department").filter(pk=consultation_id).first()
    if consultation is None or consultation.status != Consultation.Status.DECIDED:
        return 0  # gone, or withdrawn from under the job: nobody to tell
    addresses = list(queries.hear_back_addresses(consultation))
    subject = f"What we decided: {notify.one_line(consultation.title)}"
    body = render_to_string(
        "engagement/closing/emails/we_did.txt",
        {
            "consultation": consultation,
            "url": notify.site_url(reverse("engagement:we_did", args=[consultation.slug])),
        },
    )
    told = 0
    for start in range(0, len(addresses), batch):
        chunk = addresses[start : start + batch]
        failure: Exception | None = None
        with transaction.atomic():
            # One run at a time per consultation: a second run waits, then finds these already told.
            Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
            done = set(
                DecisionNotice.objects.filter(
                    consultation=consultation, address_hash__in=[address_hash(a) for a in chunk]
                ).values_list("address_hash", flat=True)
            )
            sent: list[DecisionNotice] = []
            connection = get_connection()
            for address in chunk:
                hashed = address_hash(address)
                if hashed in done:
                    continue
                try:
                    EmailMessage(subject=subject, body=body, to=[address], connection=connection).send()
                except Exception as error:  # the mail server refused: keep who was told, stop, let it retry
                    failure = error
                    break
                sent.append(DecisionNotice(consultation=consultation, address_hash=hashed))
                done.add(hashed)
            DecisionNotice.objects.bulk_create(sent, ignore_conflicts=True)
            told += len(sent)
        if failure is not None:
            raise failure
    return told
