"""Perception surveys' writes: making a survey from the standard question set, adding waves, taking a wave's
steps (open, close, publish), inviting people with one-time links, and sending a response. Each runs in a
transaction, raises EngagementError (a full sentence per field) on bad input and then writes nothing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation
from commonweal.core import notify
from commonweal.core.audit import acting, log_created
from commonweal.framework.models import Element
from commonweal.places import categories
from commonweal.places.models import CouncilArea, Ward
from commonweal.places.services import PostcodeError, look_up_postcode

from .. import monitoring, workflows
from ..errors import EngagementError
from ..models_surveys import Survey, SurveyQuestion, SurveyResponse, Wave, WaveInvitation
from ..permissions import department_ids, is_steward, runs_engagement, signed_in
from . import questions
from .permissions import runs_survey

W = Wave.Status
TITLE_LIMIT = 200
SUMMARY_LIMIT = 2000
WAVE_NAME_LIMIT = 100
MOST_INVITES = 2000  # addresses in one go
YOUNGEST, OLDEST = 16, 120
RESERVED = {"new", "invited"}
STEPS = {"open": "opened_at", "close": "closed_at", "publish": "published_at"}


def _keyed(wave: Wave, kind: str, value: str) -> str:
    """A keyed hash per wave, so an address or account cannot be matched to a response without the site's
    secret, nor one wave's respondents to another's."""
    message = f"survey-{kind}:{wave.pk}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def council_name() -> str:
    council = CouncilArea.current()
    return council.name if council else "the council"


# --- surveys and waves ----------------------------------------------------------------------------------


def _text(errors: dict[str, str], name: str, value: str, what: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[name] = f"Enter {what}."
    elif len(value) > limit:
        errors[name] = f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer."
    return value


def _unique_slug(model: Any, text: str, **within: Any) -> str:
    base = (slugify(text)[:100] or "survey").strip("-")
    slug, n = base, 1
    while slug in RESERVED or model.objects.filter(slug=slug, **within).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_survey(
    *,
    title: str,
    summary: str,
    department: Organisation | None,
    outcome_ids: Sequence[int] = (),
    by: Any,
    is_demo: bool = False,
) -> Survey:
    """A survey asking the standard question set (this version) and one question for each outcome chosen."""
    if not runs_engagement(by):
        raise PermissionDenied("Only officers and the stewards can start a survey.")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, "the survey's title", TITLE_LIMIT)
    summary = _text(errors, "summary", summary, "what the survey is for", SUMMARY_LIMIT)
    if department is None:
        errors["department"] = "Choose the department running the survey."
    elif department.kind != Organisation.Kind.COUNCIL_DEPARTMENT:
        errors["department"] = "Choose a council department."
    elif not is_steward(by) and department.pk not in department_ids(by):
        errors["department"] = "You can only start a survey for a department you are an officer of."
    outcomes = list(Element.objects.filter(pk__in=outcome_ids, kind=Element.Kind.OUTCOME).order_by("position", "pk"))
    if len(outcomes) != len(set(outcome_ids)):
        errors["outcomes"] = "Choose outcomes from the council's framework."
    if errors or department is None:
        raise EngagementError(errors)
    with acting(by):
        survey = Survey.objects.create(
            slug=_unique_slug(Survey, title),
            title=title,
            summary=summary,
            department=department,
            question_set=questions.VERSION,
            created_by=by if signed_in(by) else None,
            is_demo=is_demo,
        )
        name = council_name()
        asked: list[tuple[questions.StandardQuestion, Element | None]] = [(q, None) for q in questions.STANDARD]
        asked += [(questions.outcome_question(o.name), o) for o in outcomes]
        made = SurveyQuestion.objects.bulk_create(
            SurveyQuestion(
                survey=survey,
                position=n,
                key=question.key or f"outcome_{getattr(outcome, 'pk', n)}",
                text=question.text.replace("{council}", name),
                hint=question.hint,
                headline=question.headline,
                options=list(question.options),
                positive=list(question.positive),
                excluded=list(question.excluded),
                source=question.source,
                outcome=outcome,
            )
            for n, (question, outcome) in enumerate(asked, start=1)
        )
        log_created(made, by=by)
    return survey


@transaction.atomic
def add_wave(*, survey: Survey, name: str, opens_on: date | None, closes_on: date | None, sample: str, by: Any) -> Wave:
    """A new wave of the survey, in draft: its name is unique within the survey."""
    if not runs_survey(by, survey):
        raise PermissionDenied(workflows.WAVE.refusal)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, "the wave's name, like Spring 2026", WAVE_NAME_LIMIT)
    if name and survey.waves.filter(name__iexact=name).exists():
        errors["name"] = f"This survey already has a wave called ‘{name}’. Give this one another name."
    if sample not in Wave.Sample.values:
        errors["sample"] = "Choose who may answer."
    if opens_on is None:
        errors["opens_on"] = "Enter the date the wave opens."
    if closes_on is None:
        errors["closes_on"] = "Enter the date the wave closes."
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date."
    if errors:
        raise EngagementError(errors)
    with acting(by):
        return Wave.objects.create(
            survey=survey,
            name=name,
            slug=_unique_slug(Wave, name, survey=survey),
            opens_on=opens_on,
            closes_on=closes_on,
            sample=sample,
            created_by=by if signed_in(by) else None,
        )


@transaction.atomic
def take_step(*, wave: Wave, step: str, by: Any) -> Wave:
    """Open, close or publish a wave: only from the stage before, by its department's officers or a steward."""
    locked = Wave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    if step not in STEPS:
        raise EngagementError(f"‘{step}’ is not a step a survey wave can take.")
    if not runs_survey(by, locked.survey):
        raise PermissionDenied(workflows.WAVE.refusal)
    if step == "publish" and locked.status == W.CLOSED and not locked.responses.exists():
        raise EngagementError("This wave has no responses, so there are no results to publish.")
    setattr(locked, STEPS[step], timezone.now())
    workflows.take(workflows.WAVE, locked, step, by=by)
    return locked


# --- invitations ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invited:
    sent: int
    already: int


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """The addresses in what an officer pasted (one per line, or separated by commas or spaces), and those
    that are not addresses."""
    found, wrong = [], []
    for part in text.replace(",", " ").replace(";", " ").split():
        address = part.strip().strip("<>").lower()
        try:
            validate_email(address)
        except Exception:
            wrong.append(part)
        else:
            if address not in found:
                found.append(address)
    return found, wrong


def _invitable(wave: Wave, by: Any, field: str) -> Wave:
    """The wave, locked, if this person may invite people to it now; else why not, beside `field`."""
    locked = Wave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    if not runs_survey(by, locked.survey):
        raise PermissionDenied(workflows.WAVE.refusal)
    if locked.sample != Wave.Sample.INVITED:
        raise EngagementError({field: "This wave is open to any resident: there is no one to invite."})
    if locked.status not in {W.DRAFT, W.OPEN}:
        raise EngagementError({field: "This wave has closed, so nobody more can be invited."})
    return locked


def _send_invitations(wave: Wave, addresses: Sequence[str], source: str) -> Invited:
    """Email each address not yet invited its own link (once per address per wave)."""
    hashes = {address: _keyed(wave, "email", address) for address in addresses}
    known = set(wave.invitations.filter(email_hash__in=hashes.values()).values_list("email_hash", flat=True))
    new = [address for address in addresses if hashes[address] not in known]
    links = {address: secrets.token_urlsafe(32) for address in new}
    WaveInvitation.objects.bulk_create(
        WaveInvitation(wave=wave, token_hash=hash_token(links[a]), email_hash=hashes[a], source=source) for a in new
    )
    for address in new:
        notify.email_on_commit(
            to=[address],
            subject=f"Your invitation: {wave.survey.title}",
            template="engagement/surveys/emails/invitation.txt",
            context={
                "wave": wave,
                "council": council_name(),
                "link": notify.site_url(reverse("engagement:survey_invited", args=[links[address]])),
            },
        )
    return Invited(sent=len(new), already=len(addresses) - len(new))


@transaction.atomic
def invite(*, wave: Wave, addresses: str, by: Any) -> Invited:
    """Email a one-time link to each address given (once per address per wave). Only the link's hash and a keyed
    hash of the address are kept."""
    locked = _invitable(wave, by, "addresses")
    found, wrong = parse_addresses(addresses)
    if wrong:
        shown = ", ".join(wrong[:5])
        raise EngagementError(
            {
                "addresses": f"These are not email addresses: {shown}. "
                "Put one address on each line, like name@example.com."
            }
        )
    if not found:
        raise EngagementError({"addresses": "Enter the email addresses to invite, one on each line."})
    if len(found) > MOST_INVITES:
        raise EngagementError({"addresses": f"Invite at most {MOST_INVITES:,} addresses at a time."})
    return _send_invitations(locked, found, WaveInvitation.Source.EMAIL)


def panel_members() -> list[str] | None:
    """The email addresses of the citizens' panel's selected members, or None while the panels app has no
    volunteers (the link to it is kept loose: engagement sits beside panels, not above it)."""
    from django.apps import apps

    try:
        volunteer = apps.get_model("panels", "Volunteer")
    except LookupError:
        return None
    emails = volunteer.objects.filter(status="selected").exclude(email="").values_list("email", flat=True)
    return sorted({email.strip().lower() for email in emails})


@transaction.atomic
def invite_panel(*, wave: Wave, by: Any) -> Invited:
    """Invite every selected member of the citizens' panel, each by their own one-time link."""
    locked = _invitable(wave, by, "__all__")
    members = panel_members()
    if not members:
        raise EngagementError("The citizens' panel has no selected members to invite yet.")
    return _send_invitations(locked, members, WaveInvitation.Source.PANEL)


def make_invitation(*, wave: Wave, source: str = WaveInvitation.Source.EMAIL) -> str:
    """A link's secret for one invitee (the panel's members, a paper letter): the caller hands it over."""
    token = secrets.token_urlsafe(32)
    WaveInvitation.objects.create(wave=wave, token_hash=hash_token(token), source=source)
    return token


class LinkUnknown(EngagementError):
    """No invitation has this link: mistyped, cut short, or never sent."""


def invitation_for_token(token: str) -> WaveInvitation:
    if not token or len(token) > 100:
        raise LinkUnknown("This link is not right. Check it was copied in full from your invitation.")
    digest = hash_token(token)
    found = WaveInvitation.objects.select_related("wave__survey").filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        raise LinkUnknown("This link is not right. Check it was copied in full from your invitation.")
    return found


# --- answering ------------------------------------------------------------------------------------------


def answering_refusal(wave: Wave, today: date | None = None) -> str:
    """Why nobody can answer this wave now, or '' while it is open."""
    today = today or timezone.localdate()
    if wave.status == W.DRAFT:
        return "This survey has not opened yet."
    if wave.status != W.OPEN or (wave.closes_on is not None and today > wave.closes_on):
        return "This survey has closed, so it is not taking answers any more. Thank you for your interest."
    return ""


@dataclass(frozen=True)
class About:
    """The profile questions as given: '' is not answered, PREFER_NOT_TO_SAY a refusal."""

    postcode: str = ""
    ward_id: int | None = None
    age: str = ""
    age_refused: bool = False
    sex: str = ""
    ethnicity: str = ""
    tenure: str = ""
    disability: str = ""


PREFER = categories.PREFER_NOT_TO_SAY
ALLOWED = {
    "sex": set(categories.SEXES) | {PREFER},
    "ethnicity": set(categories.ETHNICITIES) | {PREFER},
    "tenure": set(categories.TENURES) | {PREFER},
    "disability": {value for value, _label in monitoring.DISABILITY},
}


def _checked_about(about: About, errors: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {"ward": None, "age": None, "age_refused": about.age_refused}
    if about.postcode.strip():
        try:
            found["ward"] = look_up_postcode(about.postcode).ward
        except PostcodeError as error:
            errors["postcode"] = f"{error.message} Or leave it blank and choose your ward."
    elif about.ward_id is not None:
        found["ward"] = Ward.objects.filter(pk=about.ward_id).first()
        if found["ward"] is None:
            errors["ward"] = "Choose your ward from the list."
    age = about.age.strip()
    if age and about.age_refused:
        errors["age"] = "Enter your age, or tick ‘Prefer not to say’, not both."
    elif age:
        if not age.isdigit() or len(age) > 3:
            errors["age"] = "Enter your age as a whole number of years, like 42."
        elif not YOUNGEST <= int(age) <= OLDEST:
            errors["age"] = (
                f"The survey is for residents aged {YOUNGEST} or over: enter an age from {YOUNGEST} to {OLDEST}."
            )
        else:
            found["age"] = int(age)
    for name, allowed in ALLOWED.items():
        value = getattr(about, name)
        if value and value not in allowed:
            errors[name] = "Choose from the list."
        found[name] = value
    return found


def checked_answers(survey_questions: Sequence[SurveyQuestion], answers: Mapping[str, Any]) -> dict[str, int]:
    """The answers given, as question key -> position; EngagementError if any is not one of its question's
    answers, or none is given."""
    by_key = {q.key: q for q in survey_questions}
    errors: dict[str, str] = {}
    kept: dict[str, int] = {}
    for key, raw in answers.items():
        if raw in ("", None):
            continue
        question = by_key.get(key)
        if question is None:
            raise EngagementError("One of the answers is to a question this survey does not ask.")
        text = str(raw)
        if not text.isdigit() or int(text) >= len(question.options):
            errors[key] = "Choose one of the answers given."
        else:
            kept[key] = int(text)
    if not kept and not errors and survey_questions:
        errors[survey_questions[0].key] = "Answer at least one question before you send your answers."
    if errors:
        raise EngagementError(errors)
    return kept


@transaction.atomic
def submit_response(
    *, wave: Wave, answers: Mapping[str, Any], about: About, by: Any = None, token: str = ""
) -> SurveyResponse:
    """Keep one resident's answers: while the wave is open; through an invitation's link once, for a wave only
    for the people invited; once per signed-in person in an open wave."""
    locked = Wave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    refusal = answering_refusal(locked)
    if refusal:
        raise EngagementError(refusal)
    invitation = None
    if token:
        found = invitation_for_token(token)
        invitation = WaveInvitation.objects.select_for_update().get(pk=found.pk)
        if invitation.wave_id != locked.pk:
            raise LinkUnknown("This link is for another survey.")
        if invitation.used_at is not None:
            raise EngagementError("This link has already been used to answer the survey. Each link works once.")
    elif locked.sample == Wave.Sample.INVITED:
        raise EngagementError("This survey is only for the people invited: use the link in your invitation.")
    person = _keyed(locked, "person", str(by.pk)) if signed_in(by) and invitation is None else ""
    if person and SurveyResponse.objects.filter(wave=locked, person_hash=person).exists():
        raise EngagementError("You have already answered this survey. Each person answers once.")
    errors: dict[str, str] = {}
    try:
        kept = checked_answers(list(locked.survey.questions.all()), answers)
    except EngagementError as error:
        errors.update(
            {key: messages[0] for key, messages in error.message_dict.items()}
            if hasattr(error, "error_dict")
            else {"__all__": error.messages[0]}
        )
        kept = {}
    profile = _checked_about(about, errors)
    if errors:
        raise EngagementError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                wave=locked, invitation=invitation, person_hash=person, answers=kept, submitted_at=now, **profile
            )
    except IntegrityError:
        raise EngagementError("You have already answered this survey. Each person answers once.") from None
    if invitation is not None:
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
    return response
