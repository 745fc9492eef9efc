"""The forms of forums and events: the calendar's filters, signing up, an officer's event, cancelling it, its
notes, and appointing a ward councillor. The rules live in services; these parse what was typed."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commonweal.core.fields import DateTimeField, checkbox_field, text_field
from commonweal.core.forms import HoneypotMixin

from ..models import Event
from ..models_forums import Signup
from .queries import CalendarFilters
from .services import EventAnswers


def _max(model: Any, name: str) -> int:
    limit = getattr(model._meta.get_field(name), "max_length", None)
    assert limit is not None
    return int(limit)


def _choice(label: str, *, invalid: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=[], help_text=hint, error_messages={"invalid_choice": invalid}
    )


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


class CalendarFilterForm(forms.Form):
    """Filter the calendar by ward, locality and kind; a bad value is ignored, as a filter should be."""

    ward = _choice("Ward", invalid="Choose a ward from the list.")
    locality = _choice("Area", invalid="Choose an area from the list.")
    kind = _choice("Kind of event", invalid="Choose a kind of event from the list.")

    def __init__(self, *args: Any, wards: list[Any], localities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {name: cast(forms.ChoiceField, self.fields[name]) for name in ("ward", "locality", "kind")}
        fields["ward"].choices = [("", "All wards")] + [(str(w.pk), w.name) for w in wards]
        fields["locality"].choices = [("", "All areas")] + [(str(x.pk), x.name) for x in localities]
        fields["kind"].choices = [("", "All kinds")] + list(Event.Kind.choices)

    def filters(self, *, past: bool) -> CalendarFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return CalendarFilters(
            ward_id=_int_or_none(data.get("ward", "")),
            locality_id=_int_or_none(data.get("locality", "")),
            kind=data.get("kind", ""),
            past=past,
        )


class SignupForm(HoneypotMixin, forms.Form):
    name = text_field("Your name", what="your name", max_length=_max(Signup, "name"), width="20")
    email = text_field(
        "Your email address",
        hint="We will email you the details, a calendar file and a link to give up your place if you cannot come.",
        what="your email address",
        kind="email",
        max_length=254,
        width="20",
    )
    access_needs = text_field(
        "Access needs (optional)",
        hint="Tell us anything that would help you take part, such as a British Sign Language interpreter, "
        "large print or a quiet space. Only the people running the event see this.",
        what="your access needs",
        max_length=_max(Signup, "access_needs"),
        rows=3,
    )

    def __init__(self, *args: Any, account_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if account_email:
            # Signed in: the place is theirs, by their account's address.
            del self.fields["email"]


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of event",
        required=False,
        choices=[("", "Choose a kind")] + list(Event.Kind.choices),
        error_messages={"invalid_choice": "Choose the kind of event."},
    )
    title = text_field("Title", what="the title", max_length=_max(Event, "title"))
    description = text_field("What it is about", what="what it is about", max_length=_max(Event, "description"), rows=5)
    starts_at = DateTimeField(label="Starts", what="the start")
    ends_at = DateTimeField(label="Ends", what="the end")
    department = _choice("Department running it", invalid="Choose a department from the list.")
    ward = _choice("Ward (optional)", invalid="Choose a ward of this council from the list.")
    locality = _choice("Area (optional)", invalid="Choose an area from the list.")
    consultation = _choice(
        "The consultation it is about (optional)",
        invalid="Choose a consultation from the list.",
        hint="Consultations run by your department.",
    )
    venue_name = text_field("Venue", hint="Leave empty if it is online only.", max_length=_max(Event, "venue_name"))
    venue_address = text_field("Address", what="the address", max_length=_max(Event, "venue_address"))
    online_url = text_field(
        "Link to join online (optional)", what="the link to join online", max_length=200, kind="url"
    )
    access = checkbox_field(
        "Access at the venue",
        [
            ("step_free", "Step-free access"),
            ("hearing_loop", "Hearing loop"),
            ("accessible_toilet", "Accessible toilet"),
            ("bsl", "British Sign Language interpreter"),
        ],
        invalid="Choose from the list.",
    )
    accessibility = text_field(
        "More about access (optional)",
        hint="For example, the nearest step-free station, parking, or a quiet room.",
        what="more about access",
        max_length=_max(Event, "accessibility"),
        rows=3,
    )
    capacity = forms.IntegerField(
        label="Places (optional)",
        required=False,
        help_text="Leave empty for no limit.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the number of places as a whole number, like 40."},
    )

    def __init__(
        self,
        *args: Any,
        departments: list[Any],
        wards: list[Any],
        localities: list[Any],
        consultations: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = {
            name: cast(forms.ChoiceField, self.fields[name])
            for name in ("department", "ward", "locality", "consultation")
        }
        if len(departments) == 1:
            fields["department"].choices = [(str(departments[0].pk), departments[0].name)]
        else:
            fields["department"].choices = [("", "Choose a department")] + [(str(d.pk), d.name) for d in departments]
        fields["ward"].choices = [("", "No one ward")] + [(str(w.pk), w.name) for w in wards]
        fields["locality"].choices = [("", "No one area")] + [(str(x.pk), x.name) for x in localities]
        fields["consultation"].choices = [("", "None")] + [(str(c.pk), c.title) for c in consultations]

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        return {
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "department": str(event.department_id or ""),
            "ward": str(event.ward_id or ""),
            "locality": str(event.locality_id or ""),
            "consultation": str(event.consultation_id or ""),
            "venue_name": event.venue_name,
            "venue_address": event.venue_address,
            "online_url": event.online_url,
            "access": [
                name for name in ("step_free", "hearing_loop", "accessible_toilet", "bsl") if getattr(event, name)
            ],
            "accessibility": event.accessibility,
            "capacity": event.capacity,
        }

    def answers(self) -> EventAnswers:
        data = self.cleaned_data
        access = set(data.get("access") or [])
        return EventAnswers(
            kind=data.get("kind", ""),
            title=data.get("title", ""),
            description=data.get("description", ""),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            ward_id=_int_or_none(data.get("ward", "")),
            locality_id=_int_or_none(data.get("locality", "")),
            consultation_id=_int_or_none(data.get("consultation", "")),
            department_id=_int_or_none(data.get("department", "")),
            venue_name=data.get("venue_name", ""),
            venue_address=data.get("venue_address", ""),
            online_url=data.get("online_url", ""),
            accessibility=data.get("accessibility", ""),
            step_free="step_free" in access,
            hearing_loop="hearing_loop" in access,
            accessible_toilet="accessible_toilet" in access,
            bsl="bsl" in access,
            capacity=data.get("capacity"),
        )


class CancelEventForm(forms.Form):
    reason = text_field(
        "Why is it cancelled?",
        hint="Everyone signed up is emailed this.",
        what="why it is cancelled",
        max_length=2000,
        rows=4,
    )


class NotesForm(forms.Form):
    notes = text_field(
        "Notes of the event",
        hint="What was discussed, what people said, and what happens next. They are published on the event's page.",
        what="the notes",
        max_length=_max(Event, "notes"),
        rows=12,
    )


class CouncillorForm(forms.Form):
    email = text_field(
        "Email address of their account",
        hint="They must have an account with a confirmed email address.",
        what="the email address",
        kind="email",
        max_length=254,
        width="20",
    )
    wards = checkbox_field("Wards they represent", invalid="Choose wards from the list.", ids=True)
    party = text_field("Party (optional)", what="the party", max_length=100, width="20")

    def __init__(self, *args: Any, wards: list[Any], appointing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["wards"]).choices = [(w.pk, w.name) for w in wards]
        if not appointing:
            del self.fields["email"]
