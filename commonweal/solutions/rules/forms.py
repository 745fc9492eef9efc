"""The rules pages' forms: a category and its routing, the service standards, the council's settings."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.core.fields import text_field

from ..models import Stage
from . import queries


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class CategoryForm(forms.Form):
    name = text_field(
        "Name",
        hint="What people choosing a category will recognise, such as ‘Trees and planting’.",
        what="the category's name",
        required=True,
        max_length=100,
    )
    description = text_field(
        "What it covers (optional)",
        hint="Shown to people choosing a category.",
        what="what it covers",
        max_length=300,
        rows=3,
    )
    departments = forms.ModelMultipleChoiceField(
        label="Departments it goes to",
        help_text="Blockages of this kind go to each department chosen. Choose at least one.",
        queryset=queries.departments(),
        required=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one department that blockages of this kind go to.",
            "invalid_choice": "Choose departments from the list.",
            "invalid_pk_value": "Choose departments from the list.",
        },
    )
    champion = UserChoiceField(
        label="Champion (optional)",
        help_text="Named on a blockage that needs more than one department. With none chosen, the champion with "
        "the fewest open cases is named.",
        queryset=queries.champions(),
        required=False,
        empty_label="No champion: share them out",
        error_messages={"invalid_choice": "Choose a champion from the list."},
    )
    is_active = forms.BooleanField(
        label="Offer this category to people raising a blockage",
        help_text="Untick to retire it: its cases carry on, but nobody can raise a new one under it.",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Fresh querysets for each form: departments and champions change while the server runs.
        self.fields["departments"].queryset = queries.departments()  # type: ignore[attr-defined]
        self.fields["champion"].queryset = queries.champions()  # type: ignore[attr-defined]


def _days_field(label: str, *, largest: int, unit: str = "working days") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=largest,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {unit} for ‘{label}’.",
            "invalid": f"Enter the {unit} for ‘{label}’ as a whole number, like 5.",
            "min_value": f"‘{label}’ must be at least 1.",
            "max_value": f"‘{label}’ must be {largest} or fewer.",
        },
    )


class StandardsForm(forms.Form):
    """One box per stage: the working days the council gives itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage, label in Stage.choices:
            field = _days_field(str(label), largest=500)
            field.help_text = "Working days, from 1 to 500."
            self.fields[stage] = field


class SettingsForm(forms.Form):
    transfer_target_months = _days_field("Target for a whole asset transfer", largest=60, unit="months")
    escalate_to_stewards_after = _days_field("Working days a breach waits at the champion", largest=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "transfer_target_months"
        ].help_text = "In months, from 1 to 60. Sefton's took 24 months; the council sets its own aim."
        self.fields["escalate_to_stewards_after"].help_text = (
            "From 1 to 60. A late case goes to its champion first; if it is still late after this many working "
            "days, it goes to the stewards too."
        )
