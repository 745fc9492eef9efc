"""Forms for keeping the directory true. They carry what was typed and turn it into the services' values;
the services check the rules, so the web pages and any other caller give the same messages.

Every text field is a plain CharField with no length limit here, so nothing a person typed is cut short or
lost: the service says if it is too long, and the form is shown again with their text in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any

from django import forms
from django.http import QueryDict

from commonweal.accounts.models import Organisation, SizeBand
from commonweal.core.fields import checkbox_field, radio_field, time_of_day
from commonweal.core.forms import HoneypotMixin
from commonweal.framework.queries import theme_choices
from commonweal.places.models import Ward

from .listing_text import NoteVerdict, check_time_note
from .models import Asset, Location, Report, Schedule, Service, TaxonomyTerm
from .queries import time_words

DAY_CHOICES = list(
    zip(Schedule.DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
DELIVERY_CHOICES = [("in_person", "In person"), ("by_phone", "By phone"), ("online", "Online")]
MAX_SCHEDULE_ROWS = 14


def _text(label: str, *, hint: str = "", rows: int = 0, width: str = "", kind: str = "text") -> forms.CharField:
    attrs: dict[str, str] = {}
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    if kind == "number":
        attrs.update(inputmode="numeric", spellcheck="false")
    if rows:
        widget: forms.Widget = forms.Textarea(attrs={"rows": str(rows)})
    elif kind == "email":
        widget = forms.EmailInput(attrs={**attrs, "autocomplete": "email", "spellcheck": "false"})
    elif kind == "url":
        widget = forms.URLInput(attrs={**attrs, "spellcheck": "false"})
    elif kind == "tel":
        widget = forms.TextInput(attrs={**attrs, "type": "tel", "autocomplete": "tel"})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, help_text=hint, required=False, strip=False, widget=widget)


def ward_choices() -> list[tuple[int, str]]:
    return list(Ward.objects.order_by("name").values_list("pk", "name"))


def term_choices() -> list[tuple[int, str]]:
    """Every category, a child shown with its parent ('Food: Food banks') so the list reads on its own."""
    terms = TaxonomyTerm.objects.select_related("parent", "taxonomy").order_by("taxonomy__name", "position", "name")
    return [(t.pk, f"{t.parent.name}: {t.name}" if t.parent_id and t.parent else t.name) for t in terms]


def location_choices(organisation: Organisation) -> list[tuple[int, str]]:
    places = organisation.locations.exclude(listing_status__in=["withdrawn", "rejected"]).order_by("name", "pk")
    return [(p.pk, f"{p.name}: {p.one_line_address}" if p.name and p.one_line_address else str(p)) for p in places]


class ValuesForm(forms.Form):
    """A form whose cleaned data becomes a service's values, and which starts from a record's values."""

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: ("" if value is None else value) for name, value in values.items()}


# --- organisation --------------------------------------------------------------------------------


class OrganisationListingForm(ValuesForm):
    name = _text("Name of the organisation")
    description = _text("What the organisation does", hint="In a few sentences, in plain words, for residents.", rows=5)
    email = _text("Contact email", kind="email", width="20")
    website = _text("Website", hint="For example, https://www.example.org", kind="url")
    phone = _text("Phone number", kind="tel", width="20")
    postcode = _text("Postcode", hint="Where the organisation is based.", width="10")
    size_band = forms.ChoiceField(
        label="Size (yearly income)",
        required=False,
        choices=[("", "Not known"), *SizeBand.choices],
        error_messages={"invalid_choice": "Choose a size from the list."},
    )
    charity_number = _text("Charity number", hint="If it is a registered charity.", width="10", kind="number")
    company_number = _text("Company number", hint="If it is registered at Companies House.", width="10")
    wards_served = checkbox_field("Wards it serves", invalid="Choose wards from the list.", ids=True)
    themes = checkbox_field(
        "Themes",
        hint="The parts of the council's framework its work helps with.",
        invalid="Choose themes from the list.",
        ids=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wards_served"].choices = ward_choices()  # type: ignore[attr-defined]
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]
        if not self.fields["themes"].choices:  # type: ignore[attr-defined]
            del self.fields["themes"]


# --- services and when they run --------------------------------------------------------------------


class ServiceForm(ValuesForm):
    name = _text("Name of the service")
    description = _text("What the service does", hint="What people get, in plain words.", rows=5)
    status = radio_field(
        "Is it running?",
        Service.Status.choices,
        initial=Service.Status.ACTIVE,
        missing="Say whether the service is running.",
    )
    eligibility_description = _text("Who it is for", hint="For example, 'Carers of people with dementia'.", rows=3)
    minimum_age = _text("Youngest age", hint="Leave blank if there is no youngest age.", width="3", kind="number")
    maximum_age = _text("Oldest age", hint="Leave blank if there is no oldest age.", width="3", kind="number")
    application_process = _text(
        "How to get help", hint="For example, 'Just turn up' or 'Ask your GP to refer you'.", rows=3
    )
    is_free = radio_field(
        "Is it free?",
        [("yes", "Yes, it is free"), ("no", "No, there is a cost")],
        missing="Say whether the service is free.",
    )
    fees_description = _text("Cost", hint="What it costs and who pays less, if it is not free.", rows=2)
    delivery = checkbox_field(
        "How people use it", DELIVERY_CHOICES, invalid="Choose from in person, by phone or online."
    )
    locations = checkbox_field(
        "Where it runs",
        hint="Add a place under Locations first if it is not listed.",
        invalid="Choose places from your organisation's own locations.",
        ids=True,
    )
    url = _text("Website", kind="url")
    email = _text("Contact email", kind="email", width="20")
    phone = _text("Phone number", kind="tel", width="20")
    languages = _text("Languages other than English", hint="For example, Tamil, Polish, British Sign Language.")
    terms = checkbox_field(
        "Categories",
        hint="Choose every category a resident might look under.",
        invalid="Choose categories from the list.",
        ids=True,
    )
    themes = checkbox_field("Themes", invalid="Choose themes from the list.", ids=True)
    wards_served = checkbox_field("Wards it serves", invalid="Choose wards from the list.", ids=True)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locations"].choices = location_choices(organisation)  # type: ignore[attr-defined]
        self.fields["terms"].choices = term_choices()  # type: ignore[attr-defined]
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]
        self.fields["wards_served"].choices = ward_choices()  # type: ignore[attr-defined]
        for name in ("locations", "terms", "themes"):
            if not self.fields[name].choices:  # type: ignore[attr-defined]
                del self.fields[name]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        delivery = set(data.pop("delivery", []))
        data.update({name: name in delivery for name, _ in DELIVERY_CHOICES})
        data["is_free"] = data.get("is_free") == "yes"
        return data

    @classmethod
    def initial_from(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(values)
        initial["delivery"] = [name for name, _ in DELIVERY_CHOICES if values.get(name)]
        initial["is_free"] = "yes" if values.get("is_free", True) else "no"
        return initial


class ScheduleRowForm(forms.Form):
    """One line of 'when it runs': days of the week with opening and closing times."""

    days = checkbox_field("Days", DAY_CHOICES, invalid="Choose days of the week.")
    opens_at = _text("Opens at", hint="For example, 09:30", width="5")
    closes_at = _text("Closes at", hint="For example, 16:00", width="5")
    description = _text("Note", hint="For example, 'term time only'.")

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"when-{number}"
        super().__init__(*args, **kwargs)
        self.number = number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        n = self.number
        opens, closes = (data.get("opens_at") or "").strip(), (data.get("closes_at") or "").strip()
        times: dict[str, str] = {}
        for name, value, what in (("opens_at", opens, "opening"), ("closes_at", closes, "closing")):
            if value:
                parsed = _parse_time(value)
                if parsed is None:
                    self.add_error(name, f"Enter the {what} time for time {n} as hours and minutes, like 09:30.")
                else:
                    times[name] = parsed
        filled = bool(data.get("days") or opens or closes or (data.get("description") or "").strip())
        if filled and not data.get("days"):
            self.add_error("days", f"Choose the days of the week for time {n}.")
        if bool(opens) != bool(closes) and not self.errors:
            missing = "closes_at" if opens else "opens_at"
            self.add_error(missing, f"Give both the opening and the closing time for time {n}.")
        elif len(times) == 2 and times["opens_at"] >= times["closes_at"]:
            self.add_error("closes_at", f"Time {n} closes before it opens. Check the times.")
        elif len(times) == 2:
            opens_at, closes_at = time.fromisoformat(times["opens_at"]), time.fromisoformat(times["closes_at"])
            self._check_note(data.get("description") or "", opens_at, closes_at)
        data.update(times)
        return data

    def _check_note(self, note: str, opens: time, closes: time) -> None:
        """A note must not give other times than the row's own: the public page would say two things (the times
        changed and the note did not). The group is told, beside the note."""
        check = check_time_note(note, opens=opens, closes=closes)
        if check.verdict is NoteVerdict.CONTRADICTS:
            stated = " and ".join(time_words(value) for value in check.stated)
            self.add_error(
                "description",
                f"The note for time {self.number} says {stated}, but time {self.number} is {time_words(opens)} to "
                f"{time_words(closes)}. Change the note to match the times, or clear it.",
            )

    def value(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not (data.get("days") or data.get("opens_at") or data.get("closes_at") or data.get("description")):
            return None
        return {
            "days": data.get("days") or [],
            "opens_at": data.get("opens_at") or "",
            "closes_at": data.get("closes_at") or "",
            "description": (data.get("description") or "").strip(),
        }


def _parse_time(text: str) -> str | None:
    """'9.30', '9:30', '0930', '9', '1pm' -> '09:30' / '09:00' / '13:00'; None if it is not a time of day."""
    found = time_of_day(text, bare_hour=True)
    return f"{found:%H:%M}" if found is not None else None


class ScheduleRows:
    """The rows of 'when it runs': the service's times and blank rows to add more (no JavaScript needed)."""

    def __init__(self, data: QueryDict | None = None, *, initial: Iterable[Mapping[str, Any]] = ()) -> None:
        rows = list(initial)
        if data is not None:
            try:
                count = int(data.get("when-rows", "0"))
            except ValueError:
                count = 0
            count = min(max(count, 1), MAX_SCHEDULE_ROWS)
            self.forms = [ScheduleRowForm(data, number=n) for n in range(1, count + 1)]
        else:
            count = min(max(len(rows) + 1, 2), MAX_SCHEDULE_ROWS)
            self.forms = [
                ScheduleRowForm(initial=dict(rows[n - 1]) if n <= len(rows) else None, number=n)
                for n in range(1, count + 1)
            ]
        self.count = len(self.forms)

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # noqa: C419  every form must be checked

    def values(self) -> list[dict[str, Any]]:
        return [row for form in self.forms if (row := form.value()) is not None]

    @property
    def errors(self) -> bool:
        return any(form.errors for form in self.forms)


# --- locations and assets ------------------------------------------------------------------------------


class LocationForm(ValuesForm):
    location_type = radio_field(
        "Kind of place",
        Location.Type.choices,
        initial=Location.Type.PHYSICAL,
        missing="Choose what kind of place it is.",
    )
    name = _text("Name of the place", hint="For example, 'St Mark's church hall'.")
    address_1 = _text("Address line 1")
    address_2 = _text("Address line 2 (optional)")
    city = _text("Town or city", width="20")
    postcode = _text("Postcode", hint="We use it to show the place on the map and find its ward.", width="10")
    description = _text("About the place", rows=3)
    accessibility = _text(
        "Accessibility", hint="For example, step-free access, a hearing loop, accessible toilets.", rows=3
    )
    transportation = _text("Getting there", hint="Buses, trains, parking.", rows=2)


class AssetForm(ValuesForm):
    kind = radio_field("Kind of asset", Asset.Kind.choices, missing="Choose what kind of asset it is.")
    name = _text("Name of the asset")
    description = _text("About it", rows=4)
    space_kind = forms.ChoiceField(
        label="Kind of space",
        help_text="Only for a physical space.",
        required=False,
        choices=[("", "Not a space"), *Asset.SpaceKind.choices],
        error_messages={"invalid_choice": "Choose what kind of space it is from the list."},
    )
    capacity = _text("How many people it holds", hint="Only for a physical space.", width="4", kind="number")
    how_to_book = _text("How to book or use it", rows=3)
    who_can_use = _text("Who can use it", rows=2)
    display_name = _text(
        "Name to show for a person's gift",
        hint="Only for a person's skill or gift: a first name, like 'Sam'. Never a full name or an address.",
        width="20",
    )
    gift_consent = forms.BooleanField(label="The person has agreed to their gift being listed", required=False)
    location = forms.TypedChoiceField(
        label="Place",
        help_text="One of your organisation's locations.",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a place from your organisation's own locations."},
    )
    ward = forms.TypedChoiceField(
        label="Ward",
        help_text="If it has no place of its own: the ward it is in.",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a ward from the list."},
    )
    contact_email = _text("Contact email", kind="email", width="20")
    contact_phone = _text("Contact phone", kind="tel", width="20")
    themes = checkbox_field("Themes", invalid="Choose themes from the list.", ids=True)

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = location_choices(organisation) if organisation else []
        self.fields["location"].choices = [("", "No place"), *places]  # type: ignore[attr-defined]
        self.fields["ward"].choices = [("", "Not known"), *ward_choices()]  # type: ignore[attr-defined]
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]
        if not self.fields["themes"].choices:  # type: ignore[attr-defined]
            del self.fields["themes"]


# --- claims, reports and decisions ------------------------------------------------------------------------


class ClaimForm(forms.Form):
    message = _text(
        "How are you connected to the organisation?",
        hint="For example, 'I am the secretary of the group'. An officer reads this before deciding.",
        rows=5,
    )


class ReportForm(HoneypotMixin, forms.Form):
    reason = radio_field("What is wrong?", Report.Reason.choices, missing="Choose what is wrong with the listing.")
    details = _text("Tell us more (optional)", hint="What should it say instead?", rows=5)
    reporter_email = _text(
        "Your email (optional)",
        hint="Only if you are happy for an officer to contact you about it.",
        kind="email",
        width="20",
    )


class DecisionForm(forms.Form):
    decision = radio_field(
        "Your decision",
        [("approve", "Approve"), ("reject", "Reject")],
        required=True,
        missing="Choose whether to approve or reject it.",
        invalid="Choose approve or reject.",
    )
    reason = _text("Reason", hint="Needed if you reject it: the person who asked will see it.", rows=4)


class ResolveForm(forms.Form):
    reason = _text(
        "What was done", hint="For example, 'Phone number corrected'. The listing's owners see this.", rows=4
    )
