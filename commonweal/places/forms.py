"""The postcode finder: one field, checked against the council's own postcodes."""

from __future__ import annotations

from typing import Any

from django import forms

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
