"""The surveys area's forms: answering a wave (its questions and the profile questions), starting a survey,
adding a wave and inviting people. Forms check shapes; the services check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from commonweal.core.fields import DateField, checkbox_field, radio_field, text_field
from commonweal.core.forms import HoneypotMixin
from commonweal.places import categories

from .. import monitoring
from ..models_surveys import SurveyQuestion, Wave
from .services import About

PREFER = categories.PREFER_NOT_TO_SAY
# How the tenure categories are asked (the profile's words are the Census's).
TENURE_WORDS = {
    categories.TENURES[0]: "I own it (outright, with a mortgage, or in shared ownership)",
    categories.TENURES[1]: "I rent it from the council or a housing association",
    categories.TENURES[2]: "I rent it privately, or live there rent free",
}
PROFILE_FIELDS = ("postcode", "ward", "age", "age_refused", "sex", "ethnicity", "tenure", "disability")


def _with_prefer(values: Sequence[str], words: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(value, (words or {}).get(value, value)) for value in values] + [(PREFER, PREFER)]


class AnswerForm(HoneypotMixin, forms.Form):
    """Every question of the survey, one set of radios each, then the profile questions; all optional."""

    def __init__(self, *args: Any, questions: Sequence[SurveyQuestion], wards: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            field = radio_field(question.text, [(str(n), label) for n, label in enumerate(question.options)])
            field.help_text = question.hint
            self.fields[question.key] = field
        self.fields["postcode"] = text_field(
            "Your postcode (optional)",
            hint="So the council can see what people in each ward think. We keep only your ward, not your postcode.",
            width="10",
            max_length=20,
        )
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["ward"] = forms.ChoiceField(
            label="Or choose your ward (optional)",
            required=False,
            choices=[("", "Choose a ward")] + [(str(w.pk), w.name) for w in wards],
            error_messages={"invalid_choice": "Choose your ward from the list."},
        )
        self.fields["age"] = text_field(
            "What is your age? (optional)", hint="In years, like 42.", what="your age", width="3", max_length=3
        )
        self.fields["age"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["age_refused"] = forms.BooleanField(label="Prefer not to say my age", required=False)
        self.fields["sex"] = radio_field("What is your sex? (optional)", _with_prefer(categories.SEXES))
        self.fields["ethnicity"] = radio_field(
            "What is your ethnic group? (optional)", _with_prefer(list(categories.ETHNICITIES))
        )
        self.fields["ethnicity"].help_text = "Choose the one that best describes your ethnic group or background."
        self.fields["tenure"] = radio_field(
            "Do you own or rent your home? (optional)", _with_prefer(categories.TENURES, TENURE_WORDS)
        )
        disability = radio_field(f"{monitoring.BY_FIELD['disability'].text} (optional)", list(monitoring.DISABILITY))
        disability.help_text = monitoring.BY_FIELD["disability"].hint
        self.fields["disability"] = disability

    def question_fields(self) -> list[forms.BoundField]:
        return [self[q.key] for q in self.questions]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROFILE_FIELDS]

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(q.key) or "" for q in self.questions}

    def about(self) -> About:
        data = self.cleaned_data
        ward = data.get("ward") or ""
        return About(
            postcode=data.get("postcode") or "",
            ward_id=int(ward) if str(ward).isdigit() else None,
            age=data.get("age") or "",
            age_refused=bool(data.get("age_refused")),
            sex=data.get("sex") or "",
            ethnicity=data.get("ethnicity") or "",
            tenure=data.get("tenure") or "",
            disability=data.get("disability") or "",
        )


class SurveyForm(forms.Form):
    title = text_field("Title", what="the survey's title", max_length=200, width="30")
    summary = text_field(
        "What the survey is for, in plain English",
        hint="Residents read this before they answer.",
        what="what the survey is for",
        max_length=2000,
        rows=4,
    )
    department = radio_field("Department running it", [], invalid="Choose a department from the list.")
    outcomes = checkbox_field(
        "The council's outcomes to ask about (optional)",
        hint="Each outcome chosen adds an agree or disagree question about it.",
        invalid="Choose outcomes from the council's framework.",
        ids=True,
    )

    def __init__(self, *args: Any, departments: Sequence[Any], outcomes: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(str(d.pk), d.name) for d in departments]  # type: ignore[attr-defined]
        self.fields["outcomes"].choices = [(o.pk, o.name) for o in outcomes]  # type: ignore[attr-defined]
        if not outcomes:
            del self.fields["outcomes"]


class WaveForm(forms.Form):
    name = text_field("Name of the wave", hint="Like Spring 2026.", what="the wave's name", max_length=100, width="20")
    opens_on = DateField(label="Opens", what="the date the wave opens")
    closes_on = DateField(label="Closes", what="the date the wave closes")
    sample = radio_field("Who may answer?", Wave.Sample.choices, initial=Wave.Sample.OPEN)


class InviteForm(forms.Form):
    addresses = text_field(
        "Email addresses to invite",
        hint="One on each line. Each person is emailed their own link, which works once. We keep no address.",
        what="the email addresses",
        max_length=100_000,
        rows=8,
    )
