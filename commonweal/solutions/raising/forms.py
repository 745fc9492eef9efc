"""The forms for raising a blockage: what is blocked and where (one page), then files and sending (the check page),
and the button that joins an open blockage instead."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import EmailValidator

from commonweal.core.fields import radio_field, text_field
from commonweal.core.forms import HoneypotMixin, coordinate

from ..models import Blockage
from .services import MAX_FILE_MB, MAX_FILES, Answers


def _max(name: str) -> int:
    limit = getattr(Blockage._meta.get_field(name), "max_length", None)
    assert limit is not None
    return int(limit)


class RaiseForm(HoneypotMixin, forms.Form):
    """Everything about the blockage on one page, in the order people think of it: for whom, what, where, why."""

    organisation = radio_field("Who are you raising it for?", [], invalid="Choose yourself or one of your groups.")
    title = text_field(
        "What is blocked, in a few words",
        hint="For example, 'Three conifers for our communitree'.",
        what="what is blocked, in a few words",
        max_length=_max("title"),
    )
    description = text_field(
        "Describe what is blocked",
        hint="What you wanted to do, and what stopped you.",
        what="the description",
        max_length=_max("description"),
        rows=6,
    )
    category = radio_field("What kind of blockage is it?", [], invalid="Choose a kind of blockage from the list.")
    ward = forms.ChoiceField(
        label="Ward",
        required=False,
        choices=[],
        help_text="The ward it is in. Or give a postcode or a point instead.",
        error_messages={"invalid_choice": "Choose a ward from the list."},
    )
    postcode = text_field("Postcode (optional)", width="10", max_length=100)
    latitude = text_field(
        "Latitude (optional)", hint="Click the map to fill this in, or type it, like 51.4101.", width="10"
    )
    longitude = text_field("Longitude (optional)", hint="Like -0.1945.", width="10")
    council_process = text_field(
        "Which council process or rule seems to be in the way? (optional)",
        hint="For example, 'the licence for planting on council land'. Say if you do not know.",
        what="the council process or rule",
        max_length=_max("council_process"),
        rows=4,
    )
    tried = text_field(
        "What have you tried? (optional)",
        hint="Who you asked, and what they said.",
        what="what you have tried",
        max_length=_max("tried"),
        rows=4,
    )
    would_help = text_field(
        "What would help? (optional)", what="what would help", max_length=_max("would_help"), rows=4
    )
    asset = forms.ChoiceField(
        label="Is it about a place or building in the directory? (optional)",
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Choose a place or building from the list, or leave it empty."},
    )
    show_raiser = forms.BooleanField(
        label="Show my name, or my group's name, on the public log",
        required=False,
        help_text="If you leave this unticked, the public log says only that a resident or a group raised it.",
    )
    raiser_name = text_field("Your name", what="your name", max_length=_max("raiser_name"), width="20")
    raiser_email = text_field(
        "Your email address",
        hint="We will send you a link to confirm it, and tell you about every step the council takes.",
        what="your email address",
        kind="email",
        max_length=254,
        width="20",
    )
    raiser_phone = text_field(
        "Your phone number (optional)", what="your phone number", max_length=_max("raiser_phone"), width="20"
    )

    def __init__(
        self,
        *args: Any,
        signed_in: bool,
        categories: list[Any],
        wards: list[Any],
        assets: list[Any],
        groups: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        choice_fields = {
            name: cast(forms.ChoiceField, self.fields[name]) for name in ("category", "ward", "asset", "organisation")
        }
        choice_fields["category"].choices = [(str(c.pk), c.name) for c in categories]
        choice_fields["ward"].choices = [("", "Choose a ward")] + [(str(w.pk), w.name) for w in wards]
        choice_fields["asset"].choices = [("", "None of these")] + [(str(a.pk), a.name) for a in assets]
        self.fields["raiser_email"].widget.attrs["autocomplete"] = "email"
        self.fields["raiser_name"].widget.attrs["autocomplete"] = "name"
        self.fields["raiser_phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        if groups:
            choice_fields["organisation"].choices = [("", "Myself")] + [(str(g.pk), g.name) for g in groups]
        else:
            del self.fields["organisation"]
        if signed_in:
            for name in ("raiser_name", "raiser_email", "raiser_phone", self.honeypot_field):
                del self.fields[name]
        else:
            self.fields["raiser_email"].validators.append(
                EmailValidator(message="Enter an email address in the correct format, like name@example.com.")
            )

    def clean_latitude(self) -> float | None:
        return coordinate(self.cleaned_data.get("latitude", ""), "latitude")

    def clean_longitude(self) -> float | None:
        return coordinate(self.cleaned_data.get("longitude", ""), "longitude")

    def answers(self) -> Answers:
        data = self.cleaned_data

        def whole(name: str) -> int | None:
            value = data.get(name) or ""
            return int(value) if str(value).isdigit() else None

        return Answers(
            title=data.get("title", ""),
            description=data.get("description", ""),
            category_id=whole("category"),
            ward_id=whole("ward"),
            postcode=data.get("postcode", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            council_process=data.get("council_process", ""),
            tried=data.get("tried", ""),
            would_help=data.get("would_help", ""),
            show_raiser=bool(data.get("show_raiser")),
            asset_id=whole("asset"),
            organisation_id=whole("organisation"),
            raiser_name=data.get("raiser_name", ""),
            raiser_email=data.get("raiser_email", ""),
            raiser_phone=data.get("raiser_phone", ""),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SendForm(forms.Form):
    """The check page's own form: files to attach (optional), then send."""

    attachments = forms.FileField(
        label="Attach photos or documents (optional)",
        help_text=f"Up to {MAX_FILES} files: PDF, JPG, PNG, Word or OpenDocument, each smaller than {MAX_FILE_MB}MB.",
        required=False,
        allow_empty_file=True,  # services say it is empty, beside the field
        widget=MultipleFileInput(),
    )

    def clean_attachments(self) -> list[Any]:
        return list(self.files.getlist("attachments")) if self.files else []


class JoinForm(forms.Form):
    blockage = forms.UUIDField(
        error_messages={
            "required": "Choose the blockage to join.",
            "invalid": "There is no blockage to join here. Choose one from the list, or send your own.",
        }
    )
