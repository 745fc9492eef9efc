"""Forms for the vocabulary pages: they carry what was typed; services check it."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.core.fields import text_field

from ..imports.forms import UploadField, _RefusesOversize
from ..imports.reading import megabytes
from ..imports.runner import max_bytes
from ..models import TaxonomyTerm


class VocabularyImportForm(_RefusesOversize):
    file = UploadField(
        label="Upload a CSV file",
        help_text=(
            f"Columns: code, name, description, parent_code. Up to {megabytes(max_bytes())}. Terms are matched "
            "on their code, so importing the same file again changes nothing."
        ),
    )
    name = forms.CharField(
        label="Name of the vocabulary",
        max_length=200,
        help_text="An existing vocabulary's name adds to it; a new name makes a new vocabulary.",
        error_messages={
            "required": "Enter the name of the vocabulary.",
            "max_length": "The name must be 200 characters or fewer.",
        },
    )


class TermForm(forms.Form):
    name = text_field("Name")
    code = forms.CharField(
        label="Code",
        required=False,
        help_text="A short, unique code, such as food-bank. Letters, digits and - _ . : / only.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-20"}),
    )
    description = text_field("Description", hint="What the category covers, in plain words.", rows=4)
    parent = forms.ModelChoiceField(
        label="Broader term (optional)",
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        empty_label="None: a top-level term",
        error_messages={"invalid_choice": "Choose a broader term from the list."},
    )
    term_uri = text_field("Web address (optional)")

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents
