"""Writes for the consultations area: drafting a consultation part by part, its questions and documents, the
Gunning check and the equality impact assessment at launch, publishing and withdrawing.

Each service is one transaction on the consultation's locked row, refuses bad input with a full sentence beside
its field (EngagementError) and is audited (auditlog, and the workflow's events for publishing and
withdrawing). Any change to something the Gunning check reads clears a completed check, so the check shown with
a published consultation is the one completed for it as it stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation
from commonweal.core.audit import acting
from commonweal.core.files import delete_after_commit
from commonweal.core.uploads import check_upload
from commonweal.framework.models import Element
from commonweal.places.models import Ward

from .. import gunning
from ..errors import EngagementError
from ..models import Characteristic, Consultation, Document, ImpactAssessment, Question
from ..permissions import department_ids, is_steward, runs_consultation, runs_engagement
from ..workflows import CONSULTATION, take
from . import queries

C = Consultation.Status
K = Question.Kind

# What the Gunning check reads: changing any of them on a draft clears a completed check.
CHECKED_FIELDS = frozenset(
    {
        "summary",
        "proposal",
        "options_open",
        "decision_maker",
        "decision_due_on",
        "formative_statement",
        "information_statement",
        "opens_on",
        "closes_on",
        "short_period_reason",
        "consideration_plan",
        "considered_by",
    }
)
MAX_QUESTIONS = 50
MAX_OPTIONS = 30
OPTION_LENGTH = 200
DOCUMENT_TYPES = ["pdf", "docx", "odt", "jpg", "png"]
MAX_DOCUMENT_MB = 20
TEXT_EXTENSIONS = (".txt",)


# --- the consultation, part by part ------------------------------------------------------------------------------


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _may_change(consultation: Consultation, by: Any) -> None:
    if not runs_consultation(by, consultation):
        raise PermissionDenied(
            "Only officers of the department running this consultation, and the stewards, can change it."
        )


def _draft_only(consultation: Consultation, what: str = "it") -> None:
    if consultation.status != C.DRAFT:
        shown = str(consultation.get_status_display()).lower()
        raise EngagementError(f"This consultation is {shown}, so {what} can no longer be changed.")


def _unique_slug(title: str, consultation: Consultation | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "consultation"
    others = Consultation.objects.all()
    if consultation is not None:
        others = others.exclude(pk=consultation.pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean(text: str) -> str:
    return (text or "").strip()


def _forget_check(consultation: Consultation) -> None:
    consultation.gunning_completed_at = None
    consultation.gunning_completed_by = None


def _set(consultation: Consultation, values: Mapping[str, Any], by: Any) -> Consultation:
    """Write the changed values; a change to a field the check reads clears a completed check."""
    changed = {name for name, value in values.items() if getattr(consultation, name) != value}
    for name, value in values.items():
        setattr(consultation, name, value)
    if changed & CHECKED_FIELDS:
        _forget_check(consultation)
    with acting(by):
        consultation.save()
    return consultation


DETAILS_LIMITS = {
    "title": 200,
    "summary": 2000,
    "proposal": 20000,
    "options_open": 10000,
    "background": 20000,
}


def _check_details(values: dict[str, str]) -> None:
    errors: dict[str, str] = {}
    required = {
        "title": "Enter the consultation's title.",
        "summary": "Enter a summary in plain English.",
        "proposal": "Enter what is proposed.",
        "options_open": "Say what is still open.",
    }
    for name, message in required.items():
        if not values.get(name):
            errors[name] = message
    for name, limit in DETAILS_LIMITS.items():
        if len(values.get(name, "")) > limit:
            errors[name] = f"{gunning.FIELD_LABELS.get(name, name.capitalize())} must be {limit:,} characters or fewer."
    if errors:
        raise EngagementError(errors)


def start_consultation(
    *,
    by: Any,
    department: Organisation | None,
    title: str,
    summary: str,
    proposal: str,
    options_open: str,
    background: str = "",
    contact_email: str = "",
) -> Consultation:
    """An officer starts a draft for one of their departments (a steward for any); its address comes from its
    title."""
    if not runs_engagement(by):
        raise PermissionDenied("Only council officers and the stewards can start a consultation.")
    values = {
        "title": _clean(title),
        "summary": _clean(summary),
        "proposal": _clean(proposal),
        "options_open": _clean(options_open),
        "background": _clean(background),
    }
    _check_details(values)
    if department is None or department.kind != Organisation.Kind.COUNCIL_DEPARTMENT:
        raise EngagementError({"department": "Choose the council department running it."})
    if not is_steward(by) and department.pk not in department_ids(by):
        raise EngagementError({"department": "Choose one of your own departments."})
    with transaction.atomic(), acting(by):
        return Consultation.objects.create(
            slug=_unique_slug(values["title"]),
            department=department,
            created_by=by,
            contact_email=_clean(contact_email),
            **values,
        )


@transaction.atomic
def change_details(
    *,
    consultation: Consultation,
    by: Any,
    title: str,
    summary: str,
    proposal: str,
    options_open: str,
    background: str = "",
    contact_email: str = "",
) -> Consultation:
    """The title, summary, what is proposed, what is still open, background and contact, while a draft."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _draft_only(consultation, "its details")
    values: dict[str, Any] = {
        "title": _clean(title),
        "summary": _clean(summary),
        "proposal": _clean(proposal),
        "options_open": _clean(options_open),
        "background": _clean(background),
    }
    _check_details(values)
    values["contact_email"] = _clean(contact_email)
    if values["title"] != consultation.title:
        values["slug"] = _unique_slug(values["title"], consultation)
    return _set(consultation, values, by)


def _set_themes(consultation: Consultation, themes: list[Element]) -> None:
    consultation.themes.set(themes)


@transaction.atomic
def change_affected(
    *,
    consultation: Consultation,
    by: Any,
    wards: Iterable[Ward],
    groups: Iterable[Organisation],
    themes: Iterable[Element],
    affected_people: str = "",
) -> Consultation:
    """Who is affected: wards, groups from the directory, framework themes and anyone else, while a draft."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _draft_only(consultation, "who it affects")
    affected_people = _clean(affected_people)
    if len(affected_people) > 2000:
        raise EngagementError({"affected_people": "Who else is affected must be 2,000 characters or fewer."})
    chosen_wards = list(wards)
    before = set(consultation.wards.values_list("pk", flat=True))
    with acting(by):
        consultation.wards.set(chosen_wards)
        consultation.groups.set(list(groups))
        _set_themes(consultation, list(themes))
    # Which wards are affected decides which need an event: the check reads it.
    if before != {w.pk for w in chosen_wards}:
        _forget_check(consultation)
    return _set(consultation, {"affected_people": affected_people}, by)


@transaction.atomic
def change_dates(
    *,
    consultation: Consultation,
    by: Any,
    opens_on: date | None,
    closes_on: date | None,
    short_period_reason: str = "",
    allows_many_responses: bool = False,
) -> Consultation:
    """When it opens and closes, why it is shorter than usual (if it is), and whether a person may respond more
    than once, while a draft. The length rules are the Gunning check's; here only the order is refused."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _draft_only(consultation, "its dates")
    reason = _clean(short_period_reason)
    errors = {}
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be the same as or after the opening date."
    if len(reason) > 2000:
        errors["short_period_reason"] = "The reason must be 2,000 characters or fewer."
    if errors:
        raise EngagementError(errors)
    values = {
        "opens_on": opens_on,
        "closes_on": closes_on,
        "short_period_reason": reason,
        "allows_many_responses": allows_many_responses,
    }
    return _set(consultation, values, by)


GUNNING_LIMITS = {
    "decision_maker": 200,
    "formative_statement": 5000,
    "information_statement": 5000,
    "consideration_plan": 5000,
    "considered_by": 200,
}


@transaction.atomic
def change_gunning(
    *,
    consultation: Consultation,
    by: Any,
    decision_maker: str,
    decision_due_on: date | None,
    formative_statement: str,
    information_statement: str,
    consideration_plan: str,
    considered_by: str,
) -> Consultation:
    """The statements of the Gunning check, while a draft. Saving them is not completing the check."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _draft_only(consultation, "its Gunning check")
    values: dict[str, Any] = {
        "decision_maker": _clean(decision_maker),
        "formative_statement": _clean(formative_statement),
        "information_statement": _clean(information_statement),
        "consideration_plan": _clean(consideration_plan),
        "considered_by": _clean(considered_by),
    }
    errors = {
        name: f"{gunning.FIELD_LABELS[name]} must be {limit:,} characters or fewer."
        for name, limit in GUNNING_LIMITS.items()
        if len(values[name]) > limit
    }
    if errors:
        raise EngagementError(errors)
    values["decision_due_on"] = decision_due_on
    return _set(consultation, values, by)


@transaction.atomic
def complete_gunning_check(*, consultation: Consultation, by: Any) -> Consultation:
    """Mark the Gunning check complete: only when nothing it requires is missing (warnings may remain)."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _draft_only(consultation, "its Gunning check")
    found = queries.findings(queries.one_managed(consultation.slug) or consultation)
    if not found.complete:
        raise EngagementError({f.field: f.message for f in reversed(found.missing)})
    consultation.gunning_completed_at = timezone.now()
    consultation.gunning_completed_by = by
    with acting(by):
        consultation.save(update_fields=["gunning_completed_at", "gunning_completed_by", "updated_at"])
    return consultation


@dataclass(frozen=True)
class Impact:
    """One row of the equality impact assessment, as typed."""

    impact: str
    evidence: str = ""
    mitigations: str = ""


@transaction.atomic
def assess_impacts(*, consultation: Consultation, by: Any, rows: Mapping[str, Impact]) -> list[ImpactAssessment]:
    """The equality impact assessment at launch: every characteristic's likely impact, its evidence, and the
    mitigations (required where the impact is negative). All ten rows are saved together or none."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _draft_only(consultation, "its equality impact assessment")
    labels = dict(Characteristic.choices)
    impacts = set(ImpactAssessment.Impact.values)
    errors: dict[str, str] = {}
    for value in Characteristic.values:
        row = rows.get(value)
        label = str(labels[value]).lower()
        if row is None or row.impact not in impacts:
            errors[f"{value}-impact"] = f"Choose the likely impact on {label}."
            continue
        if len(row.evidence) > 5000:
            errors[f"{value}-evidence"] = f"The evidence for {label} must be 5,000 characters or fewer."
        if len(row.mitigations) > 5000:
            errors[f"{value}-mitigations"] = f"The mitigations for {label} must be 5,000 characters or fewer."
        if row.impact == ImpactAssessment.Impact.NEGATIVE and not row.mitigations.strip():
            errors[f"{value}-mitigations"] = f"Say how the negative impact on {label} will be reduced."
    if errors:
        raise EngagementError(errors)
    saved = []
    existing = {i.characteristic: i for i in consultation.impacts.filter(stage=ImpactAssessment.Stage.LAUNCH)}
    changed = False
    with acting(by):
        for value in Characteristic.values:
            row = rows[value]
            fields = {"impact": row.impact, "evidence": row.evidence.strip(), "mitigations": row.mitigations.strip()}
            found = existing.get(value)
            if found is None:
                found = ImpactAssessment.objects.create(
                    consultation=consultation, stage=ImpactAssessment.Stage.LAUNCH, characteristic=value, **fields
                )
                changed = True
            elif any(getattr(found, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(found, k, v)
                found.save()
                changed = True
            saved.append(found)
    if changed:
        _forget_check(consultation)
        with acting(by):
            consultation.save()
    return saved


# --- questions ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionText:
    """A question as typed: options one per line, for the kinds that have them."""

    kind: str
    text: str
    hint: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    scale_points: int | None = 5
    scale_low: str = ""
    scale_high: str = ""


def _checked_question(typed: QuestionText) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if typed.kind not in K.values:
        errors["kind"] = "Choose the kind of question."
    text, hint = typed.text.strip(), typed.hint.strip()
    if not text:
        errors["text"] = "Enter the question."
    elif len(text) > 500:
        errors["text"] = "The question must be 500 characters or fewer."
    if len(hint) > 500:
        errors["hint"] = "The hint must be 500 characters or fewer."
    options = [o.strip() for o in typed.options if o.strip()]
    values: dict[str, Any] = {"kind": typed.kind, "text": text, "hint": hint, "required": typed.required}
    if typed.kind in (K.SINGLE, K.MULTIPLE, K.RANKING):
        if len(options) < 2:
            noun = "A ranking" if typed.kind == K.RANKING else "A choice question"
            errors["options"] = f"{noun} needs at least 2 options, one on each line."
        elif len(options) > MAX_OPTIONS:
            errors["options"] = f"A question can have at most {MAX_OPTIONS} options; it has {len(options)}."
        elif any(len(o) > OPTION_LENGTH for o in options):
            errors["options"] = f"Each option must be {OPTION_LENGTH} characters or fewer."
        elif len({o.lower() for o in options}) != len(options):
            errors["options"] = "Each option must be different: remove the repeated ones."
        values["options"] = options
    else:
        values["options"] = []
    if typed.kind == K.SCALE:
        if typed.scale_points is None or not 2 <= typed.scale_points <= 11:
            errors["scale_points"] = "A scale must have from 2 to 11 points."
        for name, label in (("scale_low", typed.scale_low), ("scale_high", typed.scale_high)):
            if len(label.strip()) > 60:
                errors[name] = "A scale's end label must be 60 characters or fewer."
        values.update(
            scale_points=typed.scale_points or 5, scale_low=typed.scale_low.strip(), scale_high=typed.scale_high.strip()
        )
    else:
        values.update(scale_points=5, scale_low="", scale_high="")
    if errors:
        raise EngagementError(errors)
    return values


def _questions_changeable(consultation: Consultation) -> None:
    if consultation.status != C.DRAFT:
        raise EngagementError(
            "This consultation has been published, so its questions cannot be changed: people may already have "
            "answered them."
        )


@transaction.atomic
def add_question(*, consultation: Consultation, by: Any, typed: QuestionText) -> Question:
    """A new question at the end, while a draft."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    _questions_changeable(consultation)
    values = _checked_question(typed)
    if consultation.questions.count() >= MAX_QUESTIONS:
        raise EngagementError(f"A consultation can have at most {MAX_QUESTIONS} questions.")
    last = consultation.questions.aggregate(last=Max("position"))["last"] or 0
    with acting(by):
        return Question.objects.create(consultation=consultation, position=last + 1, **values)


@transaction.atomic
def change_question(*, question: Question, by: Any, typed: QuestionText) -> Question:
    _may_change(question.consultation, by)
    _locked(question.consultation)
    _questions_changeable(question.consultation)
    for name, value in _checked_question(typed).items():
        setattr(question, name, value)
    with acting(by):
        question.save()
    return question


@transaction.atomic
def move_question(*, question: Question, by: Any, up: bool) -> list[Question]:
    """Swap a question with the one above (or below) it; the first cannot go up nor the last down."""
    _may_change(question.consultation, by)
    _locked(question.consultation)
    _questions_changeable(question.consultation)
    ordered = list(question.consultation.questions.order_by("position", "pk"))
    at = next(n for n, q in enumerate(ordered) if q.pk == question.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(ordered):
        ordered[at], ordered[to] = ordered[to], ordered[at]
    with acting(by):
        for position, q in enumerate(ordered, start=1):
            if q.position != position:
                q.position = position
                q.save(update_fields=["position"])
    return ordered


@transaction.atomic
def delete_question(*, question: Question, by: Any) -> None:
    _may_change(question.consultation, by)
    _locked(question.consultation)
    _questions_changeable(question.consultation)
    with acting(by):
        question.delete()


# --- documents ---------------------------------------------------------------------------------------------------


def _check_text_file(upload: Any) -> None:
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise EngagementError({"file": "The selected file is empty. Choose a file with something in it."})
    if size > MAX_DOCUMENT_MB * 1024 * 1024:
        raise EngagementError({"file": f"The selected file must be smaller than {MAX_DOCUMENT_MB}MB."})
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise EngagementError({"file": "This is not a plain text file: save it as UTF-8 text and try again."}) from None
    if "\x00" in text:
        raise EngagementError({"file": "This is not a plain text file: save it as UTF-8 text and try again."})


def check_document(upload: Any) -> None:
    """PDF, Word, ODT, JPG, PNG (their content checked by core.uploads) or plain text, 20MB at most."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(TEXT_EXTENSIONS):
        _check_text_file(upload)
        return
    try:
        check_upload(upload, file_types=DOCUMENT_TYPES, max_file_mb=MAX_DOCUMENT_MB, error=EngagementError)
    except EngagementError as refused:
        raise EngagementError(
            {"file": [m.replace(" or PNG image.", ", PNG image or plain text (TXT).") for m in refused.messages]}
        ) from None


@transaction.atomic
def add_document(
    *, consultation: Consultation, by: Any, kind: str, title: str, language: str = "English", file: Any
) -> Document:
    """A document published with the consultation: while a draft, or while published (another language or
    format on request); never once decided or withdrawn."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    if consultation.status not in (C.DRAFT, C.PUBLISHED):
        shown = str(consultation.get_status_display()).lower()
        raise EngagementError(f"This consultation is {shown}, so no more documents can be added.")
    errors: dict[str, str] = {}
    if kind not in Document.Kind.values or kind == Document.Kind.DECISION:
        errors["kind"] = "Choose what the document is."
    title, language = title.strip(), (language or "").strip() or "English"
    if not title:
        errors["title"] = "Enter the document's title."
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer."
    if len(language) > 50:
        errors["language"] = "The language must be 50 characters or fewer."
    if file is None:
        errors["file"] = "Choose a file to upload."
    if errors:
        raise EngagementError(errors)
    check_document(file)
    with acting(by):
        document = Document.objects.create(
            consultation=consultation,
            kind=kind,
            title=title,
            language=language,
            file=file,
            size=file.size,
            uploaded_by=by,
        )
    if consultation.status == C.DRAFT and consultation.gunning_completed_at is not None:
        _forget_check(consultation)
        with acting(by):
            consultation.save()
    return document


@transaction.atomic
def delete_document(*, document: Document, by: Any) -> None:
    """Remove a document, while the consultation is a draft (a published one keeps what people read)."""
    consultation = document.consultation
    _may_change(consultation, by)
    consultation = _locked(consultation)
    if consultation.status != C.DRAFT:
        raise EngagementError("This consultation has been published, so its documents stay: people may have read them.")
    delete_after_commit(document.file)
    with acting(by):
        document.delete()
    if consultation.gunning_completed_at is not None:
        _forget_check(consultation)
        with acting(by):
            consultation.save()


# --- publishing and withdrawing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """Something that stops a consultation opening, and the part of the task list that fixes it."""

    part: str
    message: str


def blockers(consultation: Consultation, found: gunning.Findings) -> list[Blocker]:
    """Everything that stops this draft being published, each with the part where it is put right."""
    from .parts import part_of

    listed = [Blocker(part_of(f.field), f.message) for f in found.missing]
    if consultation.gunning_completed_at is None:
        listed.append(Blocker("gunning", "Mark the Gunning check complete."))
    if not consultation.questions.exists():
        listed.append(Blocker("questions", "Add at least one question."))
    return listed


@transaction.atomic
def publish_consultation(*, consultation: Consultation, by: Any, warnings_read: bool) -> Consultation:
    """Publish a draft: only with its Gunning check complete (and still complete today), its equality impact
    assessment written for all ten characteristics, at least one question and its dates allowed; its warnings
    read. It is forthcoming until its opening date, then open."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    if consultation.status != C.DRAFT:
        take(CONSULTATION, consultation, "publish", by=by)  # says it has already been published
    found = queries.findings(queries.one_managed(consultation.slug) or consultation)
    listed = blockers(consultation, found)
    if listed:
        raise EngagementError([f"{b.message}" for b in listed])
    if found.warnings and not warnings_read:
        raise EngagementError({"warnings_read": "Confirm you have read the warnings."})
    consultation.published_at = timezone.now()
    consultation.published_by = by
    take(CONSULTATION, consultation, "publish", by=by)
    return consultation


@transaction.atomic
def withdraw_consultation(*, consultation: Consultation, by: Any, reason: str) -> Consultation:
    """Withdraw a draft or a published consultation, saying why: the reason stays on its public page."""
    _may_change(consultation, by)
    consultation = _locked(consultation)
    reason = _clean(reason)
    if len(reason) > 2000:
        raise EngagementError({"reason": "The reason must be 2,000 characters or fewer."})
    take(CONSULTATION, consultation, "withdraw", by=by, reason=reason)
    return consultation
