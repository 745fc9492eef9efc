"""Forms for assessment. They carry what was typed; the services check the rules and say what is wrong, so a
crafted request gets the same messages as the web page. Text fields have no length limit here so nothing typed
is cut short: the service says if it is too long and the form is shown again with the text in it."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Criterion, Decision


def _text(label: str, *, hint: str = "", rows: int = 0, kind: str = "text") -> forms.CharField:
    if rows:
        widget: forms.Widget = forms.Textarea(attrs={"rows": str(rows)})
    elif kind == "email":
        widget = forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    else:
        widget = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"})
    return forms.CharField(label=label, help_text=hint, required=False, strip=False, widget=widget)


class AddAssessorForm(forms.Form):
    email = _text("Email address of the person to add", hint="They need an account already.", kind="email")


class DeclareForm(forms.Form):
    conflict = forms.ChoiceField(
        label="Do you have a conflict of interest in this application?",
        help_text=(
            "For example, you are a member, trustee, employee or close relative of someone at the organisation, "
            "or you would gain from its project."
        ),
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes, I have a conflict of interest")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you have a conflict of interest.",
            "invalid_choice": "Say whether you have a conflict of interest.",
        },
    )
    conflict_reason = _text(
        "If you have a conflict, what is it?", hint="Officers see this; the applicant does not.", rows=3
    )


class ScoreForm(forms.Form):
    """A score and a comment per criterion of the round, named score_<pk> and comment_<pk>."""

    def __init__(self, *args: Any, criteria: list[Criterion], score_max: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(str(n), str(n)) for n in range(score_max + 1)]
        for criterion in criteria:
            message = f"Choose a score from 0 to {score_max} for {criterion.name}."
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"Score for {criterion.name} (0 to {score_max})",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": message},
            )
            self.fields[f"comment_{criterion.pk}"] = _text(
                f"Comment on {criterion.name}",
                hint="The applicant sees your comments as feedback, without your name.",
                rows=4,
            )

    def pairs(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The panel's decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to fund this application.",
            "invalid_choice": "Choose whether to fund this application.",
        },
    )
    amount = _text("Amount to award (£)", hint="Only if you fund it: no more than was asked for or the pot allows.")
    reasons = _text("The panel's reasons", hint="Kept on record; the applicant is told if it is not funded.", rows=5)
    feedback = _text(
        "Feedback to the applicant",
        hint="Drafted from the assessors' comments, without their names. Change it as you need.",
        rows=12,
    )
