"""Responding to a consultation: answers saved as a draft on every page, the person's details and equality
monitoring, then submitting (counted at once for someone signed in; for someone without an account, once they
follow the link we email them). Also: the emailed link to come back to a draft, and asking for another format.

Every function is one use case in one transaction; bad input raises EngagementError with a message per field,
and a failed write leaves nothing behind.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonweal.accounts.models import Organisation
from commonweal.core import notify
from commonweal.places.models import CouncilArea
from commonweal.places.services import PostcodeError, look_up_postcode, ward_for_point

from .. import monitoring, tallies
from ..errors import EngagementError
from ..models import Answer, Consultation, Monitoring, Question, Response
from ..models_responding import AlternativeFormatRequest, ResponseConfirmation
from ..permissions import group_ids, signed_in

CONFIRM_DAYS = 7  # the link that confirms a response from someone without an account
RESUME_DAYS = 30  # the link back to a draft (or until the consultation closes, if that is sooner)
TEXT_LIMIT = 10_000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def long_date(day: datetime.date | datetime.datetime) -> str:
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return date_format(day, "j F Y")


def reference(response: Response) -> str:
    """A short reference people can quote: the first part of the response's id."""
    return str(response.uuid).split("-")[0].upper()


# --- when responses are accepted ---------------------------------------------------------------------------


def closing_message(consultation: Consultation) -> str:
    assert consultation.closes_on is not None
    return f"This consultation closed on {long_date(consultation.closes_on)}. Responses are no longer accepted."


def check_open(consultation: Consultation, today: datetime.date | None = None) -> None:
    """Refuse unless the consultation is open today."""
    today = today or timezone.localdate()
    phase = consultation.phase(today)
    if phase == Consultation.Phase.OPEN:
        return
    if phase == Consultation.Phase.FORTHCOMING and consultation.opens_on is not None:
        raise EngagementError(
            f"This consultation opens on {long_date(consultation.opens_on)}. You can respond from then."
        )
    if phase in (Consultation.Phase.CLOSED, Consultation.Phase.DECIDED) and consultation.closes_on is not None:
        raise EngagementError(closing_message(consultation))
    raise EngagementError("This consultation is not open for responses.")


def earlier_response(consultation: Consultation, *, by: Any = None, email: str = "") -> Response | None:
    """The submitted response this person (or this email address) already gave, if one counts against them."""
    if consultation.allows_many_responses:
        return None
    submitted = Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)
    if signed_in(by):
        return submitted.filter(user=by).order_by("submitted_at").first()
    if email:
        return submitted.filter(email__iexact=email.strip()).order_by("submitted_at").first()
    return None


def already_message(earlier: Response) -> str:
    assert earlier.submitted_at is not None
    return f"You have already responded to this consultation on {long_date(earlier.submitted_at)}."


# --- drafts ------------------------------------------------------------------------------------------------


def start_draft(*, consultation: Consultation, by: Any) -> Response:
    """Start a draft response: refused if the consultation is not open, or if this person has responded and may
    respond only once."""
    check_open(consultation)
    earlier = earlier_response(consultation, by=by)
    if earlier is not None:
        raise EngagementError(already_message(earlier))
    return Response.objects.create(
        consultation=consultation,
        user=by if signed_in(by) else None,
        email=by.email if signed_in(by) else "",
        name=(by.full_name or "") if signed_in(by) else "",
    )


def claim_draft(*, response: Response, by: Any) -> Response | None:
    """Someone who started without an account and then signed in keeps their answers: the draft their browser
    holds becomes theirs (unless they have already responded, and may only once)."""
    if not signed_in(by):
        return None
    with transaction.atomic():
        locked = Response.objects.select_for_update().filter(pk=response.pk, user__isnull=True).first()
        if locked is None or locked.status != Response.Status.DRAFT:
            return None
        if earlier_response(locked.consultation, by=by) is not None:
            return None
        locked.user = by
        locked.email = by.email
        locked.name = by.full_name or ""
        locked.save(update_fields=["user", "email", "name", "updated_at"])
        return locked


@dataclass
class Given:
    """One answer as given on a question page (the form's cleaned values)."""

    choices: list[int] = field(default_factory=list)
    scale: int | None = None
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (self.choices or self.scale is not None or self.text or self.postcode.strip()) and (
            self.latitude is None and self.longitude is None
        )


def outside_message() -> str:
    council = CouncilArea.current()
    where = council.area_name if council else "the council's area"
    return f"That point is outside {where}. Choose a place inside the borough."


def _check_pin(given: Given) -> tuple[float, float]:
    if given.latitude is not None or given.longitude is not None:
        if given.latitude is None or given.longitude is None:
            missing = "latitude" if given.latitude is None else "longitude"
            raise EngagementError({missing: f"Enter the {missing} as well, or leave both empty."})
        if not (-90 <= given.latitude <= 90 and -180 <= given.longitude <= 180):
            raise EngagementError({"latitude": "Enter a latitude from -90 to 90 and a longitude from -180 to 180."})
        if ward_for_point(given.latitude, given.longitude) is None:
            raise EngagementError({"latitude": outside_message()})
        return given.latitude, given.longitude
    try:
        found = look_up_postcode(given.postcode)
    except PostcodeError as error:
        raise EngagementError({"postcode": str(error)}) from error
    return found.latitude, found.longitude


def check_given(question: Question, given: Given) -> Given:
    """Every rule an answer to this question must meet; the answer as it will be kept. Raises beside the field
    (`answer`, or for a ranking `rank_<n>`, for a pin `latitude`/`longitude`/`postcode`)."""
    kind = Question.Kind
    if given.is_empty():
        if question.required:
            wording = {
                kind.SINGLE: "Choose an answer.",
                kind.MULTIPLE: "Choose at least one answer.",
                kind.SCALE: "Choose a point on the scale.",
                kind.TEXT: "Enter your answer.",
                kind.RANKING: "Put the options in order.",
                kind.PIN: "Choose a place on the map, or enter a postcode.",
            }[Question.Kind(question.kind)]
            raise EngagementError({"latitude" if question.kind == kind.PIN else "answer": wording})
        return Given()
    options = len(question.options or [])
    if question.kind in (kind.SINGLE, kind.MULTIPLE):
        if any(not 0 <= c < options for c in given.choices) or len(set(given.choices)) != len(given.choices):
            raise EngagementError({"answer": "Choose from the list."})
        if question.kind == kind.SINGLE and len(given.choices) != 1:
            raise EngagementError({"answer": "Choose one answer."})
        return Given(choices=sorted(given.choices))
    if question.kind == kind.SCALE:
        if given.scale is None or not 1 <= given.scale <= question.scale_points:
            raise EngagementError({"answer": f"Choose a point from 1 to {question.scale_points}."})
        return Given(scale=given.scale)
    if question.kind == kind.TEXT:
        text = given.text.strip()
        if len(text) > TEXT_LIMIT:
            raise EngagementError({"answer": f"Your answer must be {TEXT_LIMIT:,} characters or fewer"})
        if not text:
            if question.required:
                raise EngagementError({"answer": "Enter your answer."})
            return Given()
        return Given(text=text)
    if question.kind == kind.RANKING:
        # given.choices[i] is the place (1st = 1) given to option i; 0 where none was chosen.
        places = given.choices
        if len(places) != options:
            raise EngagementError({"rank_0": "Put the options in order."})
        problems: dict[str, str] = {}
        seen: dict[int, int] = {}
        for option, place in enumerate(places):
            if place == 0:
                problems[f"rank_{option}"] = f"Choose a place for {question.options[option]}."
            elif not 1 <= place <= options:
                problems[f"rank_{option}"] = f"Choose a place from 1st to {ordinal(options)}."
            elif place in seen:
                problems[f"rank_{option}"] = (
                    f"{question.options[option]} and {question.options[seen[place]]} are both {ordinal(place)}. "
                    "Give each option a different place."
                )
            else:
                seen[place] = option
        if problems:
            raise EngagementError(problems)
        order = sorted(range(options), key=lambda option: places[option])
        return Given(choices=order)
    if question.kind == kind.PIN:
        lat, lon = _check_pin(given)
        return Given(latitude=lat, longitude=lon)
    raise EngagementError("This question cannot be answered here.")  # pragma: no cover - every kind is above


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _locked_draft(response: Response) -> Response:
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status != Response.Status.DRAFT:
        raise EngagementError("This response has been sent, so it cannot be changed.")
    return locked


def save_answer(*, response: Response, question: Question, given: Given) -> Answer | None:
    """Keep one answer in the draft (an empty answer to an optional question removes it)."""
    if question.consultation_id != response.consultation_id:
        raise EngagementError("That question is not part of this consultation.")
    with transaction.atomic():
        _locked_draft(response)
        check_open(response.consultation)
        kept = check_given(question, given)
        if kept.is_empty():
            Answer.objects.filter(response=response, question=question).delete()
            Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
            return None
        answer, _made = Answer.objects.update_or_create(
            response=response,
            question=question,
            defaults={
                "choices": kept.choices,
                "scale": kept.scale,
                "text": kept.text,
                "lat": kept.latitude,
                "lon": kept.longitude,
            },
        )
        Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
        return answer


@dataclass
class AboutYou:
    postcode: str = ""
    organisation_id: int | None = None
    name: str = ""
    email: str = ""
    hear_back: bool = False


def save_about_you(*, response: Response, about: AboutYou, by: Any) -> Response:
    """Keep who is responding: the ward (from a postcode), the group it is on behalf of, and for someone
    without an account their name and email address (needed to confirm the response)."""
    problems: dict[str, str] = {}
    ward = None
    if about.postcode.strip():
        try:
            ward = look_up_postcode(about.postcode).ward
        except PostcodeError as error:
            problems["postcode"] = str(error)
    organisation = None
    if about.organisation_id is not None:
        if about.organisation_id not in group_ids(by):
            problems["organisation"] = "You can only respond on behalf of a group you are a member of."
        else:
            organisation = Organisation.objects.get(pk=about.organisation_id)
    email = by.email if signed_in(by) else about.email.strip()
    if not signed_in(by) and not email:
        problems["email"] = "Enter your email address. We send you a link to confirm your response."
    if problems:
        raise EngagementError(problems)
    with transaction.atomic():
        locked = _locked_draft(response)
        locked.ward = ward
        locked.organisation = organisation
        locked.email = email
        locked.name = (by.full_name or "") if signed_in(by) else about.name.strip()
        locked.hear_back = about.hear_back
        locked.save(update_fields=["ward", "organisation", "email", "name", "hear_back", "updated_at"])
        return locked


def save_monitoring(*, response: Response, answers: dict[str, str]) -> Monitoring | None:
    """Keep the optional equality monitoring answers (ONS 2021 Census categories); none given keeps none."""
    problems = {
        name: "Choose from the list."
        for name, value in answers.items()
        if value and value not in dict(monitoring.BY_FIELD[name].choices)
    }
    if problems:
        raise EngagementError(problems)
    with transaction.atomic():
        _locked_draft(response)
        given = {q.field: answers.get(q.field, "") for q in monitoring.QUESTIONS}
        if not any(given.values()):
            Monitoring.objects.filter(response=response).delete()
            return None
        group = monitoring.ETHNIC_GROUP_OF.get(given["ethnicity"], "")
        kept, _made = Monitoring.objects.update_or_create(response=response, defaults={**given, "ethnic_group": group})
        return kept


def missing_answers(response: Response) -> list[Question]:
    """The required questions the draft has no answer to."""
    answered = set(response.answers.values_list("question_id", flat=True))
    return [q for q in response.consultation.questions.filter(required=True) if q.pk not in answered]


# --- submitting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    response: Response
    # True when someone without an account must follow the emailed link before it counts.
    needs_confirming: bool


def _count(locked: Response, now: datetime.datetime) -> Response:
    locked.status = Response.Status.SUBMITTED
    locked.submitted_at = now
    locked.resume_token = ""
    locked.resume_expires_at = None
    locked.save(update_fields=["status", "submitted_at", "resume_token", "resume_expires_at", "updated_at"])
    tallies.count_response(locked)
    _email_receipt(locked)
    return locked


def _email_receipt(response: Response) -> None:
    answers = list(response.answers.select_related("question").order_by("question__position", "question__pk"))
    notify.email_on_commit(
        to=[response.email],
        subject=f"Your response to {response.consultation.title}",
        template="engagement/responding/emails/receipt.txt",
        context={
            "response": response,
            "consultation": response.consultation,
            "reference": reference(response),
            "answers": [(a.question.text, answer_words(a)) for a in answers],
            "closes_on": long_date(response.consultation.closes_on) if response.consultation.closes_on else "",
            "link": notify.site_url(reverse("engagement:your_responses")) if response.user_id else "",
        },
    )


def submit_response(*, response: Response, by: Any, now: datetime.datetime | None = None) -> Sent:
    """Send a draft: someone signed in has it counted at once (once only, unless the consultation allows more);
    someone without an account is emailed a link, and it is counted when they follow it."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=response.consultation_id)
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status == Response.Status.SUBMITTED:
            return Sent(locked, needs_confirming=False)  # a double click: already counted, once
        check_open(consultation, timezone.localdate(now))
        missing = missing_answers(locked)
        if missing:
            raise EngagementError(f"Answer the question “{missing[0].text}” before you send your response.")
        if signed_in(by):
            if locked.user_id != by.pk:
                raise EngagementError("This response is not yours to send.")
            earlier = earlier_response(consultation, by=by)
            if earlier is not None:
                raise EngagementError(already_message(earlier))
            return Sent(_count(locked, now), needs_confirming=False)
        if not locked.email:
            raise EngagementError({"email": "Enter your email address. We send you a link to confirm your response."})
        earlier = earlier_response(consultation, email=locked.email)
        if earlier is not None:
            raise EngagementError(already_message(earlier))
        token = secrets.token_urlsafe(32)
        ResponseConfirmation.objects.update_or_create(
            response=locked,
            defaults={
                "token": hash_token(token),
                "sent_to": locked.email,
                "sent_at": now,
                "expires_at": now + datetime.timedelta(days=CONFIRM_DAYS),
                "confirmed_at": None,
            },
        )
        notify.email_on_commit(
            to=[locked.email],
            subject=f"Confirm your response to {consultation.title}",
            template="engagement/responding/emails/confirm.txt",
            context={
                "consultation": consultation,
                "link": notify.site_url(reverse("engagement:confirm_response", args=[token])),
                "days": CONFIRM_DAYS,
            },
        )
        return Sent(locked, needs_confirming=True)


class LinkUnknown(EngagementError):
    """No response holds this link: mistyped, cut short, or never sent."""


class LinkExpired(EngagementError):
    """The link is too old to use."""


UNKNOWN_LINK = "This link is not right. Check you copied the whole link from the email."


def confirmation_for_token(token: str) -> ResponseConfirmation:
    if not token or len(token) > 100:
        raise LinkUnknown(UNKNOWN_LINK)
    digest = hash_token(token)
    found = ResponseConfirmation.objects.select_related("response__consultation").filter(token=digest).first()
    if found is None or not hmac.compare_digest(found.token, digest):
        raise LinkUnknown(UNKNOWN_LINK)
    return found


def confirm_response(*, token: str, now: datetime.datetime | None = None) -> Response:
    """Count a response from someone without an account, when they press the button on the emailed link's page:
    once only, and only if that address has not already responded (unless the consultation allows more)."""
    now = now or timezone.now()
    with transaction.atomic():
        found = confirmation_for_token(token)
        consultation = Consultation.objects.select_for_update().get(pk=found.response.consultation_id)
        locked = Response.objects.select_for_update().get(pk=found.response_id)
        confirmation = ResponseConfirmation.objects.select_for_update().get(pk=found.pk)
        if locked.status == Response.Status.SUBMITTED:
            return locked
        if now > confirmation.expires_at:
            raise LinkExpired(
                f"This link has expired. Links work for {CONFIRM_DAYS} days. "
                "Send your response again to get a new link."
            )
        check_open(consultation, timezone.localdate(now))
        earlier = earlier_response(consultation, email=locked.email)
        if earlier is not None:
            raise EngagementError(already_message(earlier))
        confirmation.confirmed_at = now
        confirmation.save(update_fields=["confirmed_at"])
        return _count(locked, now)


# --- coming back later ---------------------------------------------------------------------------------------


def resume_expiry(consultation: Consultation, now: datetime.datetime) -> datetime.datetime:
    expires = now + datetime.timedelta(days=RESUME_DAYS)
    if consultation.closes_on is not None:
        closing = timezone.make_aware(
            datetime.datetime.combine(consultation.closes_on + datetime.timedelta(days=1), datetime.time.min)
        )
        expires = min(expires, closing)
    return expires


def send_resume_link(*, response: Response, email: str, now: datetime.datetime | None = None) -> Response:
    """Email someone without an account a link back to their draft (it lasts RESUME_DAYS days, or until the
    consultation closes); only the link's hash is kept, and a new link replaces the old one."""
    now = now or timezone.now()
    email = email.strip()
    if not email:
        raise EngagementError({"email": "Enter your email address, so we can send you the link."})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = _locked_draft(response)
        locked.email = email
        locked.resume_token = hash_token(token)
        locked.resume_expires_at = resume_expiry(locked.consultation, now)
        locked.save(update_fields=["email", "resume_token", "resume_expires_at", "updated_at"])
        notify.email_on_commit(
            to=[email],
            subject=f"Your draft response to {locked.consultation.title}",
            template="engagement/responding/emails/resume.txt",
            context={
                "consultation": locked.consultation,
                "link": notify.site_url(reverse("engagement:resume", args=[token])),
                "expires": long_date(locked.resume_expires_at),
            },
        )
        return locked


def draft_for_resume_token(token: str, now: datetime.datetime | None = None) -> Response:
    """The draft an emailed 'come back later' link is for; refused if unknown, used or expired."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise LinkUnknown(UNKNOWN_LINK)
    digest = hash_token(token)
    found = Response.objects.select_related("consultation").filter(resume_token=digest).first()
    if found is None or not hmac.compare_digest(found.resume_token, digest):
        raise LinkUnknown(UNKNOWN_LINK)
    if found.status != Response.Status.DRAFT:
        raise LinkUnknown("This response has already been sent, so the link no longer works.")
    if found.resume_expires_at is None or now > found.resume_expires_at:
        raise LinkExpired("This link has expired. Links to a draft work for 30 days, or until the consultation closes.")
    return found


# --- other formats ----------------------------------------------------------------------------------------


@dataclass
class FormatRequest:
    need: str = ""
    language: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    details: str = ""


def request_alternative_format(
    *, consultation: Consultation, asked: FormatRequest, by: Any
) -> AlternativeFormatRequest:
    """Keep a request for the consultation in another format (or to respond another way) and email it to the
    department running the consultation."""
    Need = AlternativeFormatRequest.Need
    problems: dict[str, str] = {}
    if asked.need not in Need.values:
        problems["need"] = "Choose what you need."
    if asked.need == Need.LANGUAGE and not asked.language.strip():
        problems["language"] = "Enter the language you need."
    if not asked.name.strip():
        problems["name"] = "Enter your name."
    if asked.need == Need.BY_POST and not asked.address.strip():
        problems["address"] = "Enter your postal address, so we can send you a paper form."
    elif asked.need == Need.BY_PHONE and not asked.phone.strip():
        problems["phone"] = "Enter your phone number, so we can call you."
    elif not (asked.email.strip() or asked.phone.strip() or asked.address.strip()):
        problems["email"] = "Enter an email address, a phone number or a postal address, so we can reach you."
    if problems:
        raise EngagementError(problems)
    with transaction.atomic():
        made = AlternativeFormatRequest.objects.create(
            consultation=consultation,
            need=asked.need,
            language=asked.language.strip() if asked.need == Need.LANGUAGE else "",
            name=asked.name.strip(),
            email=asked.email.strip(),
            phone=asked.phone.strip(),
            address=asked.address.strip(),
            details=asked.details.strip(),
            requested_by=by if signed_in(by) else None,
        )
        department_email = consultation.department.email if consultation.department_id else ""
        notify.email_on_commit(
            to=[consultation.contact_email or department_email],
            subject=f"Request for another format: {consultation.title}",
            template="engagement/responding/emails/format_request.txt",
            context={"request": made, "consultation": consultation},
        )
        return made


# --- words for answers -------------------------------------------------------------------------------------


def answer_words(answer: Answer) -> str:
    """An answer as the person would read it back."""
    question = answer.question
    options = question.options or []

    def option(position: int) -> str:
        return str(options[position]) if 0 <= position < len(options) else "?"

    kind = Question.Kind
    if question.kind in (kind.SINGLE, kind.MULTIPLE):
        return ", ".join(option(p) for p in answer.choices)
    if question.kind == kind.RANKING:
        return "; ".join(f"{ordinal(n)}: {option(p)}" for n, p in enumerate(answer.choices, start=1))
    if question.kind == kind.SCALE:
        if answer.scale is None:
            return ""
        ends = {1: question.scale_low, question.scale_points: question.scale_high}
        label = ends.get(answer.scale, "")
        return f"{answer.scale} of {question.scale_points}" + (f" ({label})" if label else "")
    if question.kind == kind.PIN:
        return f"{answer.lat:.5f}, {answer.lon:.5f}" if answer.lat is not None and answer.lon is not None else ""
    return answer.text
