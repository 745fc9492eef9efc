"""Writes of the apply area: starting, saving, submitting and withdrawing an application, and its files.

Each service checks who is acting, locks the row it changes, and raises FundingError with a full sentence
(or a dict of field → sentence) when the change cannot be made; nothing is half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core import uploads
from commonweal.core.audit import acting
from commonweal.core.files import delete_after_commit
from commonweal.core.money import pounds

from .. import emails
from ..errors import FundingError
from ..models import Application, ApplicationEvent, Attachment, Fund, Question, Round
from ..permissions import manages
from ..workflows import APPLICATION, take
from .answers import count_words, question_field
from .eligibility import Answers, check_eligibility
from .queries import standing_applications

A = Application.Status
EDITABLE_FIELDS = ("title", "summary", "amount_requested", "starts_on", "ends_on")


class AlreadyApplied(FundingError):
    """The round takes one application per organisation and this one has it already."""

    def __init__(self, message: str, application: Application) -> None:
        super().__init__(message)
        self.application = application


def when(moment: datetime) -> str:
    """'5pm on 1 March 2027', in the council's time zone."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    clock = f"{hour}{local:%p}".lower() if local.minute == 0 else f"{hour}:{local:%M}{local:%p}".lower()
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    return f"{clock} on {local.day} {local:%B %Y}"


def _require_manager(user: User, organisation: Organisation) -> None:
    if not manages(user, organisation):
        raise PermissionDenied(f"Only members of {organisation.name} can apply for it or change its applications.")


def round_closed_message(round: Round) -> str | None:
    """Why nobody can start an application to this round now, or None when it is open."""
    now = timezone.now()
    if round.prospectus_status != Round.Prospectus.PUBLISHED or now < round.opens_at:
        return f"This round is not open yet. It opens at {when(round.opens_at)} and closes at {when(round.closes_at)}."
    if now >= round.closes_at:
        return f"This round closed at {when(round.closes_at)}. It is no longer taking applications."
    return None


def deadline_passed_message(round: Round) -> str:
    return f"The deadline for this round was {when(round.closes_at)}; applications can no longer be submitted."


def _initials(fund: Fund) -> str:
    letters = "".join(part[0] for part in fund.slug.split("-") if part and not part.isdigit())
    return (letters or "APP").upper()[:6]


def _next_reference(round: Round) -> str:
    prefix = f"{_initials(round.fund)}-{timezone.localtime(round.opens_at).year}-"
    taken = Application.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _event(application: Application, transition: str, before: str, by: User, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        transition=transition,
        from_status=before,
        to_status=application.status,
        by=by,
        note=note,
    )


@transaction.atomic
def start_application(*, round: Round, organisation: Organisation, by: User, eligibility: Answers) -> Application:
    """A member of an eligible group starts a draft in an open round; one per group when the round says so."""
    _require_manager(by, organisation)
    # Lock the fund (its references) and the round (its one-per-organisation rule): no double start.
    Fund.objects.select_for_update(of=("self",)).filter(pk=round.fund_id).first()
    locked = Round.objects.select_for_update(of=("self",)).select_related("fund").get(pk=round.pk)
    closed = round_closed_message(locked)
    if closed:
        raise FundingError(closed)
    if locked.one_per_organisation:
        existing = standing_applications(locked, [organisation]).get(organisation.pk)
        if existing is not None:
            raise AlreadyApplied(
                f"{organisation.name} has already started an application to this round, and the round takes "
                "one application from each organisation.",
                existing,
            )
    result = check_eligibility(locked.fund, eligibility)
    if not result.eligible:
        raise FundingError(" ".join(result.reasons))
    with acting(by):
        application = Application.objects.create(
            reference=_next_reference(locked),
            round=locked,
            organisation=organisation,
            created_by=by,
            pot=result.pot,
            turnover=eligibility.income,
            eligibility=eligibility.as_json(),
        )
        _event(application, "start", "", by)
    return application


# --- drafts ---------------------------------------------------------------------------------------------


def _lock_draft(application: Application, by: User) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__fund", "pot", "organisation")
        .get(pk=application.pk)
    )
    _require_manager(by, locked.organisation)
    if locked.status != A.DRAFT:
        raise FundingError(
            f"This application is {locked.get_status_display().lower()}, so it can no longer be changed."
        )
    return locked


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _store_file(application: Application, question: Question, upload: Any, by: User) -> Attachment:
    checked = uploads.check_upload(
        upload, file_types=list(question.file_types), max_file_mb=question.max_file_mb, error=FundingError
    )
    # One file per question: a new upload replaces the old one.
    for old in Attachment.objects.filter(application=application, question=question):
        delete_after_commit(old.file)
        old.delete()
    original = (getattr(upload, "name", "") or f"file.{checked.extension}")[-255:]
    attachment = Attachment(
        application=application,
        question=question,
        original_name=original,
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(original, upload, save=False)
    attachment.save()
    return attachment


@dataclass(frozen=True)
class Saved:
    application: Application
    problems: dict[str, str]  # field → message: what was refused (a bad file) or flagged (over a word limit)


@transaction.atomic
def save_draft(
    *, application: Application, by: User, values: dict[str, Any], files: dict[int, Any] | None = None
) -> Saved:
    """Keep every valid value given (text over a word limit too, flagged); refuse bad files beside their field."""
    locked = _lock_draft(application, by)
    questions = {q.pk: q for q in locked.round.questions.all()}
    answers = dict(locked.answers)
    problems: dict[str, str] = {}
    with acting(by):
        for name in EDITABLE_FIELDS:
            if name in values:
                value = values[name]
                setattr(locked, name, (value or "") if name in ("title", "summary") else value)
        for pk, question in questions.items():
            name = question_field(pk)
            if name in values and question.kind != Question.Kind.ATTACHMENT:
                value = values[name]
                if value in (None, ""):
                    answers.pop(str(pk), None)
                else:
                    answers[str(pk)] = _json_value(value)
        locked.answers = answers
        locked.save()
        if "themes" in values:
            locked.themes.set(values["themes"])
        if "wards" in values:
            locked.wards.set(values["wards"])
        for pk, upload in (files or {}).items():
            asked = questions.get(pk)
            if asked is None or asked.kind != Question.Kind.ATTACHMENT:
                continue
            try:
                with transaction.atomic():
                    _store_file(locked, asked, upload, by)
            except FundingError as error:
                problems[question_field(pk)] = error.messages[0]
    problems = {**flags(locked, list(questions.values())), **problems}
    return Saved(application=locked, problems=problems)


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by: User) -> None:
    """Applicants may take a file off their own draft."""
    _lock_draft(attachment.application, by)
    with acting(by):
        delete_after_commit(attachment.file)
        attachment.delete()


# --- what a draft still needs ---------------------------------------------------------------------------


def flags(application: Application, questions: list[Question]) -> dict[str, str]:
    """Problems worth saying while someone types: answers over their word limit, an amount outside the pot."""
    found: dict[str, str] = {}
    pot = application.pot
    amount = application.amount_requested
    if pot is not None and amount is not None:
        if amount > pot.max_amount:
            found["amount_requested"] = f"The most you can ask for from {pot.name} is {pounds(pot.max_amount)}."
        elif amount < pot.min_amount:
            found["amount_requested"] = f"The least you can ask for from {pot.name} is {pounds(pot.min_amount)}."
    for question in questions:
        if question.word_limit and question.kind in (Question.Kind.LONG_TEXT, Question.Kind.SHORT_TEXT):
            words = count_words(str(application.answers.get(str(question.pk), "")))
            if words > question.word_limit:
                found[question_field(question.pk)] = (
                    f"Your answer to ‘{question.label}’ must be {question.word_limit} words or fewer. "
                    f"It has {words} words: remove {words - question.word_limit}."
                )
    return found


def missing(application: Application, questions: list[Question], files: set[int]) -> dict[str, str]:
    """Everything that stops the application being submitted, by field."""
    found: dict[str, str] = {}
    if not application.title.strip():
        found["title"] = "Enter a name for your project."
    if not (application.summary or "").strip():
        found["summary"] = "Enter a summary of the project."
    if application.amount_requested is None:
        found["amount_requested"] = "Enter how much you are asking for."
    if not application.themes.exists():
        found["themes"] = "Choose at least one of the fund's themes."
    if not application.wards.exists():
        found["wards"] = "Choose at least one ward the project will serve."
    if application.starts_on is None:
        found["starts_on"] = "Enter when the project will start."
    if application.ends_on is None:
        found["ends_on"] = "Enter when the project will end."
    elif application.starts_on is not None and application.ends_on < application.starts_on:
        found["ends_on"] = "The project must end after it starts."
    for question in questions:
        if not question.required:
            continue
        if question.kind == Question.Kind.ATTACHMENT:
            if question.pk not in files:
                found[question_field(question.pk)] = f"Upload a file for ‘{question.label}’."
        elif str(application.answers.get(str(question.pk), "")).strip() == "":
            found[question_field(question.pk)] = f"Enter your answer to ‘{question.label}’."
    return {**found, **{k: v for k, v in flags(application, questions).items() if k not in found}}


@transaction.atomic
def submit_application(*, application: Application, by: User) -> Application:
    """A complete draft, within its pot and word limits, is submitted once and before the round's deadline."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__fund", "pot", "organisation")
        .get(pk=application.pk)
    )
    _require_manager(by, locked.organisation)
    if APPLICATION.find("submit", locked.status) is None:
        take(APPLICATION, locked, "submit", by=by)  # raises: 'This application has already been submitted.'
    if locked.round.is_closed():
        raise FundingError(deadline_passed_message(locked.round))
    problems = problems_before_submitting(locked)
    if problems:
        raise FundingError(problems)
    locked.submitted_at = timezone.now()
    take(APPLICATION, locked, "submit", by=by)
    emails.application_submitted(locked, closes=when(locked.round.closes_at))
    return locked


def problems_before_submitting(application: Application) -> dict[str, str]:
    """What still stops this draft being submitted, by field (nothing: it may go to 'Check your answers')."""
    questions = list(application.round.questions.all())
    files = set(application.attachments.values_list("question_id", flat=True))
    return missing(application, questions, files)


@transaction.atomic
def withdraw_application(*, application: Application, by: User, reason: str = "") -> Application:
    """Applicants may withdraw a draft or submitted application, but only before the round's deadline."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organisation")
        .get(pk=application.pk)
    )
    _require_manager(by, locked.organisation)
    if APPLICATION.find("withdraw", locked.status) is None:
        take(APPLICATION, locked, "withdraw", by=by)  # raises with the reason it cannot be withdrawn
    if locked.round.is_closed():
        raise FundingError(
            f"The deadline for this round was {when(locked.round.closes_at)}; applications can no longer be "
            "withdrawn here. Contact the funding team."
        )
    locked.withdrawn_at = timezone.now()
    take(APPLICATION, locked, "withdraw", by=by, reason=reason)
    return locked
