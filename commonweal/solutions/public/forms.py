"""The public log's filters: what someone narrows the log to, each with a plain message when it cannot be read."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from .queries import STATUS_FILTERS


def _choice(label: str, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[], required=False, error_messages={"invalid_choice": message})


class LogFilterForm(forms.Form):
    """Words, a category, a ward and a status."""

    q = forms.CharField(
        label="Search the log",
        help_text="Words in the blockage’s title or description, for example ‘trees’ or ‘licence’",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search words must be 200 characters or fewer."},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "true", "enterkeyhint": "search"}),
    )
    category = _choice("Category", "Choose a category from the list.")
    ward = _choice("Ward", "Choose a ward from the list.")
    status = _choice("Status", "Choose a status from the list.")

    def __init__(self, *args: Any, categories: list[tuple[str, str]], wards: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", "All categories"), *categories]
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "All wards"), *wards]
        cast(forms.ChoiceField, self.fields["status"]).choices = STATUS_FILTERS
