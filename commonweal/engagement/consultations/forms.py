"""The consultations area's forms: a draft's parts, its questions and documents, the Gunning check's statements,
the equality impact assessment, publishing and withdrawing, and the public list's filters. Forms only read what
was typed; the services say what is missing."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commonweal.accounts.models import Organisation
from commonweal.core.fields import DateField, checkbox_field, radio_field, text_field
from commonweal.framework.models import Theme
from commonweal.places.models import Ward

from ..models import Characteristic, Document, ImpactAssessment, Question


class DetailsForm(forms.Form):
    department = forms.ModelChoiceField(
        label="Department running it",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose a department",
        error_messages={"invalid_choice": "Choose a department from the list."},
    )
    title = text_field(
        "Title", hint="A few words people will recognise, such as ‘Our plan for Mitcham high street’.", max_length=200
    )
    summary = text_field(
        "Summary in plain English",
        hint="What it is about and why it matters, in a few sentences anyone can read.",
        what="a summary in plain English",
        max_length=2000,
        rows=4,
    )
    proposal = text_field("What is proposed", what="what is proposed", max_length=20000, rows=8)
    options_open = text_field(
        "What is still open",
        hint="The options being considered and what can still change because of what people say.",
        what="what is still open",
        max_length=10000,
        rows=5,
    )
    background = text_field("Background (optional)", what="the background", max_length=20000, rows=5)
    contact_email = forms.EmailField(
        label="Email address for questions (optional)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments


class AffectedForm(forms.Form):
    wards = checkbox_field(
        "Wards affected",
        hint="Choose every ward where people are affected.",
        invalid="Choose wards from the list.",
        ids=True,
    )
    groups = checkbox_field(
        "Groups affected (optional)",
        hint="Groups in the directory who are affected, or who represent people who are.",
        invalid="Choose groups from the list.",
        ids=True,
    )
    themes = checkbox_field("Themes of the framework", invalid="Choose themes from the list.", ids=True)
    affected_people = text_field(
        "Who else is affected (optional)",
        hint="For example, people who work in the area, or visit it.",
        what="who else is affected",
        max_length=2000,
        rows=3,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["wards"]).choices = list(
            Ward.objects.order_by("name").values_list("pk", "name")
        )
        cast(forms.ChoiceField, self.fields["groups"]).choices = list(
            Organisation.objects.exclude(kind=Organisation.Kind.COUNCIL_DEPARTMENT)
            .order_by("name")
            .values_list("pk", "name")[:500]
        )
        cast(forms.ChoiceField, self.fields["themes"]).choices = list(
            Theme.objects.order_by("position", "pk").values_list("pk", "name")
        )


class DatesForm(forms.Form):
    opens_on = DateField(label="Opens", hint="The day it opens, for example 27 3 2027.", what="the date it opens")
    closes_on = DateField(
        label="Closes", hint="The last day people can respond, for example 19 6 2027.", what="the date it closes"
    )
    short_period_reason = text_field(
        "Why it runs for less than the usual length (if it does)",
        hint="Needed when it runs for less than the council's usual length. Say why a shorter period is proportionate.",
        what="why it is shorter",
        max_length=2000,
        rows=3,
    )
    allows_many_responses = forms.BooleanField(
        label="A person may respond more than once",
        required=False,
        help_text="Leave unticked for one response each.",
    )


class QuestionForm(forms.Form):
    kind = radio_field("Kind of question", Question.Kind.choices, required=True, missing="Choose the kind of question.")
    text = text_field("Question", what="the question", max_length=500)
    hint = text_field("Hint (optional)", what="the hint", max_length=500)
    required = forms.BooleanField(label="An answer is required", required=False)
    options = text_field(
        "Options (for choice and ranking questions)",
        hint="One option on each line, at least 2.",
        what="the options",
        max_length=10000,
        rows=5,
    )
    scale_points = forms.IntegerField(
        label="Points on the scale (for a scale)",
        help_text="From 2 to 11.",
        required=False,
        min_value=2,
        max_value=11,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the points on the scale as a whole number, like 5.",
            "min_value": "A scale must have from 2 to 11 points.",
            "max_value": "A scale must have from 2 to 11 points.",
        },
    )
    scale_low = text_field("Label for the lowest point (for a scale)", what="the lowest point's label", max_length=60)
    scale_high = text_field(
        "Label for the highest point (for a scale)", what="the highest point's label", max_length=60
    )


class DocumentForm(forms.Form):
    kind = radio_field(
        "What it is",
        [(v, label) for v, label in Document.Kind.choices if v != Document.Kind.DECISION],
        required=True,
        missing="Choose what the document is.",
    )
    title = text_field("Title", what="the document's title", max_length=200)
    language = text_field(
        "Language", hint="For example English, Polish or Tamil.", what="the language", max_length=50, width="20"
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, Word, OpenDocument text, JPG, PNG or plain text, smaller than 20MB.",
        required=False,
    )


class GunningForm(forms.Form):
    decision_maker = text_field(
        "Who makes the decision", hint="For example, Cabinet, or the Director of Environment.", max_length=200
    )
    decision_due_on = DateField(
        label="When the decision is planned",
        hint="After it closes, with time to read the responses. For example 1 9 2027.",
        what="the date the decision is planned",
    )
    formative_statement = text_field(
        "Why the proposal is still at a formative stage",
        hint="Say that no decision has been made, and what can still change.",
        what="why the proposal is at a formative stage",
        max_length=5000,
        rows=4,
    )
    information_statement = text_field(
        "The reasons and information given, so people can respond intelligently",
        hint="The reasons for the proposal, its costs and impacts, and the documents people can read.",
        what="the reasons and information given",
        max_length=5000,
        rows=4,
    )
    consideration_plan = text_field(
        "How the responses will be considered",
        hint="For example: every response is read and tagged by theme; a report goes to the decision maker.",
        what="how the responses will be considered",
        max_length=5000,
        rows=4,
    )
    considered_by = text_field("Who will consider them", what="who will consider them", max_length=200)


class ImpactsForm(forms.Form):
    """One row for each characteristic: the likely impact, the evidence and the mitigations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Characteristic.choices:
            self.fields[f"{value}-impact"] = radio_field(
                f"Likely impact on {str(label).lower()}",
                ImpactAssessment.Impact.choices,
                invalid="Choose the likely impact from the list.",
            )
            self.fields[f"{value}-evidence"] = text_field(
                "Evidence", what=f"the evidence for {str(label).lower()}", max_length=5000, rows=3
            )
            self.fields[f"{value}-mitigations"] = text_field(
                "Mitigations (required where the impact is negative)",
                what=f"the mitigations for {str(label).lower()}",
                max_length=5000,
                rows=3,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "value": value,
                "label": label,
                "impact": self[f"{value}-impact"],
                "evidence": self[f"{value}-evidence"],
                "mitigations": self[f"{value}-mitigations"],
            }
            for value, label in Characteristic.choices
        ]


class PublishForm(forms.Form):
    warnings_read = forms.BooleanField(label="I have read the warnings", required=False)


class WithdrawForm(forms.Form):
    reason = text_field(
        "Why it is being withdrawn",
        hint="Shown on its public page, so people who responded know why.",
        what="why it is being withdrawn",
        max_length=2000,
        rows=4,
    )


PHASE_FILTERS = [("", "All"), ("open", "Open"), ("forthcoming", "Forthcoming"), ("closed", "Closed")]


class ListFilterForm(forms.Form):
    phase = forms.ChoiceField(
        label="Show", choices=PHASE_FILTERS, required=False, error_messages={"invalid_choice": "Choose from the list."}
    )
    ward = forms.TypedChoiceField(
        label="Ward",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Choose a ward from the list."},
    )
    theme = forms.TypedChoiceField(
        label="Theme",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Choose a theme from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ward"]).choices = [
            ("", "All wards"),
            *Ward.objects.order_by("name").values_list("pk", "name"),
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [
            ("", "All themes"),
            *Theme.objects.order_by("position", "pk").values_list("pk", "name"),
        ]
