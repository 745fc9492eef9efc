"""Forums, events and councillors: an event drafted, published (its ward's councillors invited), cancelled (everyone
signed up told) and its notes published once it has started; a place signed up for and given up by the emailed
link; ward councillors appointed, their wards changed, and removed.

Every function here is one use case in one transaction: it raises EngagementError (a message per field) on bad
input, and a failed write leaves nothing behind. Emails go once the transaction commits.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership, revoke_membership
from commonweal.core import notify
from commonweal.core.audit import acting
from commonweal.places.models import CouncilArea, Locality, Ward

from ..errors import EngagementError
from ..models import Consultation, Councillor, Event
from ..models_forums import Cancellation, Invitation, Signup
from ..permissions import department_ids, is_steward, runs_engagement, runs_event, signed_in
from . import emails

# --- events -------------------------------------------------------------------------------------------------


@dataclass
class EventAnswers:
    """What an officer wrote about an event: the form's cleaned values."""

    kind: str = ""
    title: str = ""
    description: str = ""
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    ward_id: int | None = None
    locality_id: int | None = None
    consultation_id: int | None = None
    department_id: int | None = None
    venue_name: str = ""
    venue_address: str = ""
    online_url: str = ""
    accessibility: str = ""
    step_free: bool = False
    hearing_loop: bool = False
    accessible_toilet: bool = False
    bsl: bool = False
    capacity: int | None = None


def _limit(problems: dict[str, str], model: Any, name: str, value: str, what: str) -> None:
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        problems[name] = f"{what} must be {limit:,} characters or fewer. You have {len(value):,}."


def departments_for(by: Any) -> list[Organisation]:
    """The departments an event may be run by: the officer's own; every department for a steward."""
    found = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    if not is_steward(by):
        found = found.filter(pk__in=department_ids(by))
    return list(found.order_by("name"))


def _check_event(answers: EventAnswers, *, by: Any) -> dict[str, Any]:
    """Every rule an event's details must meet, each problem beside its field; the records they name, found."""
    problems: dict[str, str] = {}
    for name in ("title", "description", "venue_name", "venue_address", "accessibility", "online_url"):
        setattr(answers, name, str(getattr(answers, name) or "").strip())
    if answers.kind not in Event.Kind.values:
        problems["kind"] = "Choose the kind of event."
    if not answers.title:
        problems["title"] = "Enter the event's title."
    if not answers.description:
        problems["description"] = "Say what the event is about."
    _limit(problems, Event, "title", answers.title, "The title")
    _limit(problems, Event, "description", answers.description, "What it is about")
    _limit(problems, Event, "venue_name", answers.venue_name, "The venue")
    _limit(problems, Event, "venue_address", answers.venue_address, "The address")
    _limit(problems, Event, "accessibility", answers.accessibility, "Access at the venue")
    if answers.starts_at is None:
        problems["starts_at"] = "Enter when the event starts."
    if answers.ends_at is None:
        problems["ends_at"] = "Enter when the event ends."
    elif answers.starts_at is not None and answers.ends_at <= answers.starts_at:
        problems["ends_at"] = "The event must end after it starts."
    if answers.capacity is not None and answers.capacity < 1:
        problems["capacity"] = "The number of places must be 1 or more, or left empty for no limit."
    if answers.online_url:
        try:
            URLValidator(schemes=["https", "http"])(answers.online_url)
        except ValidationError:
            problems["online_url"] = "Enter the link to join online as a web address, like https://example.org/join."
    if not answers.venue_name and not answers.online_url:
        problems["venue_name"] = "Enter the venue, or a link to join online."
    council = CouncilArea.current()
    found: dict[str, Any] = {"ward": None, "locality": None, "consultation": None, "department": None}
    if answers.ward_id is not None:
        found["ward"] = Ward.objects.filter(pk=answers.ward_id, council=council).first()
        if found["ward"] is None:
            problems["ward"] = "Choose a ward of this council from the list."
    if answers.locality_id is not None:
        found["locality"] = Locality.objects.filter(pk=answers.locality_id, council=council).first()
        if found["locality"] is None:
            problems["locality"] = "Choose a locality from the list."
    departments = {d.pk: d for d in departments_for(by)}
    found["department"] = departments.get(answers.department_id or 0)
    if found["department"] is None:
        problems["department"] = "Choose the department running the event (one you are an officer of)."
    if answers.consultation_id is not None:
        consultation = Consultation.objects.filter(pk=answers.consultation_id).first()
        if consultation is None or consultation.status == Consultation.Status.WITHDRAWN:
            problems["consultation"] = "Choose a consultation from the list."
        elif found["department"] is not None and consultation.department_id != found["department"].pk:
            problems["consultation"] = "Choose a consultation the department running the event runs."
        found["consultation"] = consultation
    if problems:
        raise EngagementError(problems)
    return found


def save_event(*, answers: EventAnswers, by: Any, event: Event | None = None) -> Event:
    """Draft a new event, or change one: a published event's new ward's councillors are invited in turn, and a new
    time or place is emailed to everyone signed up."""
    if not runs_engagement(by) or (event is not None and not runs_event(by, event)):
        raise PermissionDenied("Only the council officers running this event can change it.")
    with transaction.atomic(), acting(by):
        if event is not None:
            event = Event.objects.select_for_update().get(pk=event.pk)
            if event.status == Event.Status.CANCELLED:
                raise EngagementError("This event has been cancelled, so it can no longer be changed.")
        found = _check_event(answers, by=by)
        if event is None:
            event = Event(organised_by=by)
        before = _where_and_when(event) if event.pk else None
        event.kind = answers.kind
        event.title = answers.title
        event.description = answers.description
        assert answers.starts_at is not None and answers.ends_at is not None
        event.starts_at = answers.starts_at
        event.ends_at = answers.ends_at
        event.ward = found["ward"]
        event.locality = found["locality"]
        event.consultation = found["consultation"]
        event.department = found["department"]
        event.venue_name = answers.venue_name
        event.venue_address = answers.venue_address
        event.online_url = answers.online_url
        event.accessibility = answers.accessibility
        event.step_free = answers.step_free
        event.hearing_loop = answers.hearing_loop
        event.accessible_toilet = answers.accessible_toilet
        event.bsl = answers.bsl
        event.capacity = answers.capacity
        event.save()
        if event.status == Event.Status.PUBLISHED:
            invite_councillors(event, now=timezone.now())
            if before is not None and before != _where_and_when(event):
                _tell_of_change(event)
        return event


def _where_and_when(event: Event) -> tuple[Any, ...]:
    return (event.starts_at, event.ends_at, event.venue_name, event.venue_address, event.online_url)


def _tell_of_change(event: Event) -> None:
    """Everyone signed up, and every councillor invited, is sent the new time or place with a new .ics (the same
    UID, so a calendar that has the event moves it)."""
    people = list(active_signups(event).values_list("email", flat=True))
    people += list(Invitation.objects.filter(event=event).values_list("user__email", flat=True))
    emails.email_with_calendar_on_commit(
        to=people,
        subject=f"Changed: {event.title}",
        template="engagement/forums/emails/changed.txt",
        context={
            "event": event,
            "when": when(event),
            "link": notify.site_url(reverse("engagement:event", args=[event.uuid])),
        },
        event=event,
    )


def when(event: Event) -> str:
    """'Tuesday 3 March 2027, 6:30pm to 8pm' in the council's time."""
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day = formats.date_format(starts, "l j F Y")
    same_day = starts.date() == ends.date()
    end = _clock(ends) if same_day else f"{formats.date_format(ends, 'l j F Y')}, {_clock(ends)}"
    return f"{day}, {_clock(starts)} to {end}"


def _clock(moment: datetime.datetime) -> str:
    """GOV.UK's style for times: 6:30pm, 8pm, midday, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    return f"{hour}{half}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{half}"


def invite_councillors(event: Event, *, now: datetime.datetime) -> list[Invitation]:
    """Invite the councillors of the event's ward who have not been invited yet, by email with the .ics."""
    if event.ward_id is None:
        return []
    already = set(Invitation.objects.filter(event=event).values_list("user_id", flat=True))
    councillors = (
        Councillor.objects.filter(wards=event.ward_id, user__is_active=True, user__memberships__role=Role.COUNCILLOR)
        .exclude(user_id__in=already)
        .select_related("user")
        .distinct()
    )
    made = [Invitation.objects.create(event=event, user=c.user, sent_at=now) for c in councillors]
    if made:
        emails.email_with_calendar_on_commit(
            to=[invitation.user.email for invitation in made],
            subject=f"You are invited: {event.title}",
            template="engagement/forums/emails/invited.txt",
            context={
                "event": event,
                "when": when(event),
                "ward": event.ward,
                "link": notify.site_url(reverse("engagement:event", args=[event.uuid])),
            },
            event=event,
        )
    return made


def publish_event(*, event: Event, by: Any, now: datetime.datetime | None = None) -> Event:
    """Put a draft event on the public calendar, and invite its ward's councillors."""
    if not runs_event(by, event):
        raise PermissionDenied("Only the council officers running this event can publish it.")
    now = now or timezone.now()
    with transaction.atomic(), acting(by):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != Event.Status.DRAFT:
            raise EngagementError(f"This event is {locked.get_status_display().lower()}, so it cannot be published.")
        if locked.starts_at <= now:
            raise EngagementError("This event has already started. Change its dates before publishing it.")
        locked.status = Event.Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
        invite_councillors(locked, now=now)
        return locked


def active_signups(event: Event) -> Any:
    return Signup.objects.filter(event=event, cancelled_at__isnull=True)


def cancel_event(*, event: Event, reason: str, by: Any, now: datetime.datetime | None = None) -> Event:
    """Cancel an event, saying why: everyone signed up (and every councillor invited) is told by email."""
    if not runs_event(by, event):
        raise PermissionDenied("Only the council officers running this event can cancel it.")
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise EngagementError({"reason": "Say why the event is cancelled. Everyone signed up is told."})
    if len(reason) > 2000:
        raise EngagementError({"reason": f"The reason must be 2,000 characters or fewer. You have {len(reason):,}."})
    with transaction.atomic(), acting(by):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status == Event.Status.CANCELLED:
            raise EngagementError("This event has already been cancelled.")
        if locked.ends_at <= now:
            raise EngagementError("This event is over, so it cannot be cancelled.")
        was_published = locked.status == Event.Status.PUBLISHED
        Cancellation.objects.create(
            event=locked, reason=reason, was_published=was_published, cancelled_at=now, cancelled_by=by
        )
        locked.status = Event.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        people = list(active_signups(locked).values_list("email", flat=True))
        people += list(Invitation.objects.filter(event=locked).values_list("user__email", flat=True))
        emails.email_with_calendar_on_commit(
            to=people,
            subject=f"Cancelled: {locked.title}",
            template="engagement/forums/emails/cancelled.txt",
            context={"event": locked, "when": when(locked), "reason": reason},
            event=locked,
        )
        return locked


def publish_notes(*, event: Event, notes: str, by: Any, now: datetime.datetime | None = None) -> Event:
    """Publish the notes of an event on its page; only once it has started (they say what happened)."""
    if not runs_event(by, event):
        raise PermissionDenied("Only the council officers running this event can publish its notes.")
    now = now or timezone.now()
    notes = (notes or "").strip()
    with transaction.atomic(), acting(by):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != Event.Status.PUBLISHED:
            raise EngagementError("Only a published event that has taken place can have notes.")
        if locked.starts_at > now:
            raise EngagementError(
                {"notes": f"You can publish the notes once the event has started. It starts on {when(locked)}."}
            )
        if not notes:
            raise EngagementError({"notes": "Enter the notes of the event."})
        if len(notes) > 20000:
            raise EngagementError({"notes": f"The notes must be 20,000 characters or fewer. You have {len(notes):,}."})
        locked.notes = notes
        locked.notes_published_at = locked.notes_published_at or now
        locked.save(update_fields=["notes", "notes_published_at", "updated_at"])
        return locked


# --- signing up ---------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


FULL = "This event is full."


def places_left(event: Event, taken: int) -> int | None:
    return None if event.capacity is None else max(0, event.capacity - taken)


def sign_up(
    *, event: Event, name: str, email: str, access_needs: str = "", by: Any, now: datetime.datetime | None = None
) -> Signup:
    """Take a place at a published event that has not started: one per email address, never more than its
    places (counted with the event's row locked, so two people cannot take the last place). The person is
    emailed the .ics and a link to give up their place."""
    now = now or timezone.now()
    name = (name or "").strip()
    email = (email or "").strip().lower()
    access_needs = (access_needs or "").strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Enter your name."
    _limit(problems, Signup, "name", name, "Your name")
    if not email:
        problems["email"] = "Enter your email address, so we can send you the details."
    else:
        try:
            EmailValidator()(email)
        except ValidationError:
            problems["email"] = "Enter an email address in the correct format, like name@example.com."
    _limit(problems, Signup, "access_needs", access_needs, "Your access needs")
    if problems:
        raise EngagementError(problems)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status == Event.Status.CANCELLED:
            raise EngagementError("This event has been cancelled.")
        if locked.status != Event.Status.PUBLISHED:
            raise EngagementError("This event is not open for sign-up.")
        if locked.starts_at <= now:
            raise EngagementError("This event has already started, so sign-up has closed.")
        taken = active_signups(locked)
        if taken.filter(email=email).exists():
            raise EngagementError(
                {"email": "You have already signed up to this event with this email address. Check your email."}
            )
        if locked.capacity is not None and taken.count() >= locked.capacity:
            raise EngagementError(FULL)
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                signup = Signup.objects.create(
                    event=locked,
                    user=by if signed_in(by) else None,
                    name=name,
                    email=email,
                    access_needs=access_needs,
                    cancel_token=hash_token(token),
                )
        except IntegrityError as error:  # the same address at the same moment, from another request
            raise EngagementError(
                {"email": "You have already signed up to this event with this email address. Check your email."}
            ) from error
        emails.personal_emails_on_commit(
            messages=[
                (
                    email,
                    {
                        "event": locked,
                        "when": when(locked),
                        "name": name,
                        "access_needs": access_needs,
                        "link": notify.site_url(reverse("engagement:event", args=[locked.uuid])),
                        "cancel_link": notify.site_url(reverse("engagement:signup_cancel", args=[token])),
                    },
                )
            ],
            subject=f"You are signed up: {locked.title}",
            template="engagement/forums/emails/signed_up.txt",
            event=locked,
        )
        return signup


class LinkUnknown(EngagementError):
    """No sign-up holds this link: mistyped, cut short in the email, or never sent."""


def signup_for_token(token: str) -> Signup:
    """The sign-up an emailed link is for, compared by its hash (in constant time); refused if unknown."""
    unknown = "This link is not right. Check you copied the whole link from the email."
    if not token or len(token) > 100:
        raise LinkUnknown(unknown)
    digest = hash_token(token)
    found = Signup.objects.select_related("event").filter(cancel_token=digest).first()
    if found is None or not hmac.compare_digest(found.cancel_token, digest):
        raise LinkUnknown(unknown)
    return found


def cancel_signup(*, token: str, now: datetime.datetime | None = None) -> Signup:
    """Give up a place by the emailed link; following it again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        found = signup_for_token(token)
        locked = Signup.objects.select_for_update().select_related("event").get(pk=found.pk)
        if locked.cancelled_at is None:
            locked.cancelled_at = now
            locked.save(update_fields=["cancelled_at"])
        return locked


# --- ward councillors ---------------------------------------------------------------------------------------


def _wards(ward_ids: list[int]) -> list[Ward]:
    found = list(Ward.objects.filter(pk__in=ward_ids, council=CouncilArea.current()).order_by("name"))
    if not ward_ids:
        raise EngagementError({"wards": "Choose at least one ward they represent."})
    if len(found) != len(set(ward_ids)):
        raise EngagementError({"wards": "Choose wards of this council from the list."})
    return found


def _may_appoint(by: Any) -> None:
    if not is_steward(by):
        raise PermissionDenied("Only stewards and administrators appoint ward councillors.")


def appoint_councillor(*, email: str, ward_ids: list[int], party: str = "", by: Any) -> Councillor:
    """Give an existing account the councillor role for the wards they represent (audited)."""
    _may_appoint(by)
    email = (email or "").strip()
    party = (party or "").strip()
    if not email:
        raise EngagementError({"email": "Enter the email address of the councillor's account."})
    if len(party) > 100:
        raise EngagementError({"party": "The party must be 100 characters or fewer."})
    with transaction.atomic(), acting(by):
        user = User.objects.filter(email__iexact=email).first()
        if user is None or not user.is_active:
            raise EngagementError(
                {"email": f"There is no account with the email address {email}. Ask them to create one first."}
            )
        wards = _wards(ward_ids)
        if Membership.objects.filter(user=user, role=Role.COUNCILLOR).exists():
            raise EngagementError(
                {"email": f"{user.full_name or user.email} is already a ward councillor. Change their wards instead."}
            )
        try:
            grant_membership(user=user, role=Role.COUNCILLOR)
        except ValidationError as error:
            raise EngagementError({"email": error.messages[0]}) from error
        councillor, _ = Councillor.objects.get_or_create(user=user)
        councillor.party = party
        councillor.save()
        councillor.wards.set(wards)
        return councillor


def change_councillor(*, councillor: Councillor, ward_ids: list[int], party: str = "", by: Any) -> Councillor:
    """Change the wards a councillor represents, and their party (audited)."""
    _may_appoint(by)
    party = (party or "").strip()
    if len(party) > 100:
        raise EngagementError({"party": "The party must be 100 characters or fewer."})
    with transaction.atomic(), acting(by):
        wards = _wards(ward_ids)
        councillor.party = party
        councillor.save()
        councillor.wards.set(wards)
        return councillor


def remove_councillor(*, councillor: Councillor, by: Any) -> None:
    """Take the councillor role away and forget their wards (audited); their account stays."""
    _may_appoint(by)
    with transaction.atomic(), acting(by):
        for membership in Membership.objects.filter(user=councillor.user_id, role=Role.COUNCILLOR):
            revoke_membership(membership=membership)
        councillor.wards.clear()
        councillor.delete()
