"""The forms of community asset transfer, in GOV.UK markup (core.forms' renderer and core.fields)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commonweal.core.fields import DateField, radio_field, text_field

from ..models import SignOff

LONG = 5000


def _choices(records: Any, label: Any = str) -> list[tuple[str, str]]:
    return [(str(r.pk), label(r)) for r in records]


def _one_of(field: str, records: Any, value: str) -> Any:
    """The record chosen, from those offered (a crafted id is refused beside the field)."""
    found = next((r for r in records if str(r.pk) == value), None)
    if found is None:
        raise forms.ValidationError("Choose from the list.")
    return found


class InterestForm(forms.Form):
    asset = forms.ChoiceField(
        label="Which council building or space?",
        error_messages={"required": "Choose the building or space", "invalid_choice": "Choose from the list."},
    )
    proposed_use = text_field(
        "What would your group use it for?",
        what="what your group would use it for",
        required=True,
        max_length=LONG,
        rows=5,
    )
    community_benefit = text_field(
        "How would the community benefit?",
        hint="Who would use it, how often, and what difference it would make.",
        what="how the community would benefit",
        required=True,
        max_length=LONG,
        rows=5,
    )
    file = forms.FileField(
        label="Attach a document (optional)",
        help_text="For example, your group's plan or a letter of support. PDF, Word, Excel, OpenDocument, JPG or "
        "PNG, up to 20MB.",
        required=False,
    )
    file_title = text_field("What the document is (optional)", max_length=150)

    def __init__(self, *args: Any, assets: list[Any], groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assets = assets
        self.groups = groups
        cast(forms.ChoiceField, self.fields["asset"]).choices = [
            ("", "Choose a building or space"),
            *_choices(assets, _asset_label),
        ]
        if len(groups) > 1:
            self.fields["group"] = radio_field(
                "Which of your groups is it for?", _choices(groups), required=True, missing="Choose your group"
            )
            self.order_fields(["group", "asset"])

    def clean_asset(self) -> Any:
        return _one_of("asset", self.assets, self.cleaned_data["asset"])

    def clean_group(self) -> Any:
        return _one_of("group", self.groups, self.cleaned_data["group"])


def _asset_label(asset: Any) -> str:
    return f"{asset.name} ({asset.organisation.name})" if asset.organisation else asset.name


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Choose a file",
        help_text="PDF, Word, Excel, OpenDocument, JPG or PNG, up to 20MB.",
        error_messages={"required": "Choose a file to attach"},
    )
    title = text_field("What the document is", hint="For example, 'Business case, version 2'.", max_length=150)


class NoteForm(forms.Form):
    """A step that takes an optional note."""

    reason = text_field("Note (optional)", max_length=3000, rows=3)


class ReasonForm(forms.Form):
    """A step that needs a reason."""

    reason = text_field("Why?", what="the reason", required=True, max_length=3000, rows=4)

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class SupportForm(forms.Form):
    support_body = forms.ChoiceField(
        label="Which VCS support body will help the group?",
        error_messages={"required": "Choose the support body", "invalid_choice": "Choose from the list."},
    )
    reason = text_field("Note for the group (optional)", max_length=3000, rows=3)

    def __init__(self, *args: Any, bodies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bodies = bodies
        cast(forms.ChoiceField, self.fields["support_body"]).choices = [
            ("", "Choose an organisation"),
            *_choices(bodies),
        ]

    def clean_support_body(self) -> Any:
        return _one_of("support_body", self.bodies, self.cleaned_data["support_body"])


class SignOffsForm(forms.Form):
    """The department that owns each of the three sign-offs."""

    def __init__(self, *args: Any, departments: list[Any], defaults: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.departments = departments
        for kind, label in SignOff.Kind.choices:
            default = defaults.get(kind)
            self.fields[kind] = forms.ChoiceField(
                label=f"{label} sign-off by",
                choices=[("", "Choose a department"), *_choices(departments)],
                initial=str(default.pk) if default else "",
                error_messages={
                    "required": f"Choose the department that gives the {str(label).lower()} sign-off",
                    "invalid_choice": "Choose from the list.",
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in SignOff.Kind.values:
            if cleaned.get(kind):
                try:
                    cleaned[kind] = _one_of(kind, self.departments, cleaned[kind])
                except forms.ValidationError as problem:
                    self.add_error(kind, problem)
        return cleaned


class SignOffDecisionForm(forms.Form):
    decision = radio_field(
        "Do you sign it off?",
        [("signed", "Yes, sign it off"), ("refused", "No, refuse it and send the business case back")],
        required=True,
        missing="Choose whether you sign it off",
    )
    reason = text_field(
        "Note",
        hint="Say why if you refuse it: the group will see your reason.",
        what="the note",
        max_length=3000,
        rows=4,
    )


class DecisionForm(forms.Form):
    decision = radio_field(
        "What has the council decided?",
        [("approve", "Approve the transfer"), ("decline", "Decline the transfer")],
        required=True,
        missing="Choose the decision",
    )
    reason = text_field(
        "The reasons for the decision",
        what="the reasons for the decision",
        required=True,
        max_length=LONG,
        rows=5,
    )


class LeaseForm(forms.Form):
    years = forms.IntegerField(
        label="Length of the lease in years",
        min_value=1,
        max_value=999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the length of the lease in years",
            "invalid": "The length of the lease must be a whole number of years, like 25",
            "min_value": "The lease must be at least 1 year",
            "max_value": "The lease must be 999 years or fewer",
        },
    )
    starts_on = DateField(label="When does the lease start?", what="the date the lease starts", required=True)


class ChampionForm(forms.Form):
    champion = forms.ChoiceField(
        label="Who is the champion?",
        error_messages={"required": "Choose the champion", "invalid_choice": "Choose from the list."},
    )

    def __init__(self, *args: Any, champions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.champions = champions
        cast(forms.ChoiceField, self.fields["champion"]).choices = [("", "Choose a champion"), *_choices(champions)]

    def clean_champion(self) -> Any:
        return _one_of("champion", self.champions, self.cleaned_data["champion"])


class ListForm(forms.Form):
    stage = forms.ChoiceField(
        label="Stage", required=False, error_messages={"invalid_choice": "Choose a stage from the list."}
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("oldest", "Oldest first"), ("newest", "Newest first")],
        error_messages={"invalid_choice": "Choose how to sort from the list."},
    )

    def __init__(self, *args: Any, stages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [("", "All stages"), *stages]
