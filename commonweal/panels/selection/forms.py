"""A selection's forms: parse what officers type; selection/services.py decides what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.core.fields import checkbox_field, radio_field, text_field

from ..models import Selection


class SelectionForm(forms.Form):
    title = text_field("Name of the selection", what="a name for the selection", max_length=140)
    k = forms.IntegerField(
        label="How many people the panel needs",
        help_text="For example, 30 for a citizens' jury or 110 for an assembly.",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the panel size as a whole number, like 30."},
    )


class RunForm(forms.Form):
    method = radio_field(
        "How to choose",
        Selection.Method.choices,
        initial=Selection.Method.LEXIMIN,
        invalid="Choose how to select from the list.",
    )


class DrawForm(forms.Form):
    random_number = text_field(
        "The published random number",
        what="the published random number",
        max_length=220,
        width="20",
        hint="The number read out or published for this draw, for example 4821. Digits only.",
    )


class ReplaceForm(forms.Form):
    dropped = checkbox_field(
        "Who dropped out",
        hint="Tick everyone on the panel who can no longer take part.",
        invalid="Choose from the list.",
        ids=True,
    )

    def __init__(self, *args: Any, people: list[tuple[int, str | None, str]], **kwargs: Any) -> None:
        """`people`: (number, name, why erased) for each member still on the panel; name None when their details
        are erased (why: SelectionMember's get_erased_display(), blank if not kept): those are ticked to start."""
        super().__init__(*args, **kwargs)
        self.fields["dropped"].choices = [  # type: ignore[attr-defined]
            (
                n,
                f"{name} (volunteer number {n})"
                if name
                else f"Volunteer number {n}: details erased" + (f" ({why})" if why else ""),
            )
            for n, name, why in people
        ]
        self.fields["dropped"].initial = [n for n, name, _ in people if name is None]


def quota_values(data: Any, ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """The quotas table's posted figures (min-<id>, max-<id>): whole numbers where they are, else what was typed,
    for the service to refuse in words."""

    def number(raw: Any) -> Any:
        text = str(raw or "").strip()
        return int(text) if text.isdigit() else text

    return {pk: (number(data.get(f"min-{pk}")), number(data.get(f"max-{pk}"))) for pk in ids}
