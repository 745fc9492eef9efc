"""The postcode finder: one field, checked against the council's own postcodes."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.core.uploads import MB

from .models import Postcode
from .services import PostcodeError, look_up_postcode


class PostcodeField(forms.CharField):
    """A free-text postcode; every check (and its message) belongs to look_up_postcode."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # CharField's null-character validator speaks in fragments; the service rejects such text itself.
        self.validators = []


class PostcodeForm(forms.Form):
    postcode = PostcodeField(
        label="Postcode",
        help_text="For example, SW19 2HL",
        error_messages={"required": "Enter a postcode."},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )

    def clean_postcode(self) -> str:
        raw: str = self.cleaned_data["postcode"]
        try:
            self.found: Postcode = look_up_postcode(raw)
        except PostcodeError as error:
            raise forms.ValidationError(error.message, code="postcode") from error
        return self.found.postcode


PROFILE_MAX_MB = 10


class ProfileImportForm(forms.Form):
    """A Census ward table to import into the borough's profile; the import service checks its rows."""

    file = forms.FileField(
        label="Upload a CSV file",
        help_text=(
            "A Census 2021 ward table as the ONS custom dataset tool downloads it, or a file with the columns "
            f"ward_code, characteristic, category and count. Up to {PROFILE_MAX_MB} MB."
        ),
        error_messages={
            "required": "Select a CSV file.",
            "empty": "The selected file is empty. Choose a file with something in it.",
            "invalid": "The selected file could not be uploaded. Try again.",
            "missing": "Select a CSV file.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    source = forms.CharField(
        label="Where the figures come from (optional)",
        required=False,
        max_length=200,
        help_text="For example, ‘Census 2021, TS007A (Nomis)’. It is shown beside the figures.",
        error_messages={"max_length": "The source must be 200 characters or fewer."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > PROFILE_MAX_MB * MB:
            raise forms.ValidationError(f"The selected file must be smaller than {PROFILE_MAX_MB} MB.", code="too_big")
        if not (upload.name or "").lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file.", code="file_type")
        return upload
