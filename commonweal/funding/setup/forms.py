"""Forms for setting up funds and rounds. They turn what an officer typed into values (pounds as Decimal, dates,
whole numbers) with a clear message when a value cannot be read; the services check the rules, so every caller
gets the same messages. Fields are optional here so that the services say what is missing, in their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms

from commonweal.accounts.models import Organisation
from commonweal.core.fields import DateField, DateTimeField, MoneyField
from commonweal.core.uploads import FILE_TYPES, MAX_FILE_MB
from commonweal.framework.models import Element, Framework

from ..models import Question
from .services import FUND_FIELDS, ROUND_FIELDS


def _text(label: str, *, hint: str = "", rows: int = 0, width: str = "") -> forms.CharField:
    """Plain text with no length limit here, so nothing typed is cut short: the service says if it is too long."""
    if rows:
        widget: forms.Widget = forms.Textarea(attrs={"rows": str(rows)})
    else:
        widget = forms.TextInput(attrs={"class": f"govuk-input--width-{width}"} if width else {})
    return forms.CharField(label=label, help_text=hint, required=False, strip=False, widget=widget)


def _whole(label: str, *, hint: str = "", message: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": message},
    )


def _date(label: str, *, what: str, hint: str = "") -> DateField:
    return DateField(label=label, hint=hint, what=what)


def _moment(label: str, *, what: str, hint: str = "") -> DateTimeField:
    return DateTimeField(label=label, hint=hint, what=what)


def theme_choices() -> list[tuple[int, str]]:
    framework = Framework.current()
    if framework is None:
        return []
    return list(
        Element.objects.filter(framework=framework, kind=Element.Kind.THEME)
        .order_by("position", "pk")
        .values_list("pk", "name")
    )


class ValuesForm(forms.Form):
    """A form whose cleaned data becomes a service's values."""

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FundForm(ValuesForm):
    name = _text("Name of the fund", hint="For example, Civic Pride Fund.")
    slug = _text(
        "Web address",
        hint="Lower-case letters, numbers and hyphens. Leave empty to make one from the name.",
        width="20",
    )
    summary = _text("Summary", hint="One or two sentences for lists of funds.", rows=2)
    description = _text("About the fund", hint="What it is for and who it is for, in plain words.", rows=8)
    themes = forms.TypedMultipleChoiceField(
        label="Themes of the framework it funds",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose themes from the list."},
    )
    total_budget = MoneyField(
        label="Total budget (£)", what="the total budget", hint="For example, 5000000 for £5 million."
    )
    starts_on = _date("Fund starts", hint="For example, 1 4 2026", what="the date the fund starts")
    ends_on = _date("Fund ends", hint="For example, 31 3 2029", what="the date the fund ends")
    eligible_kinds = forms.MultipleChoiceField(
        label="Kinds of organisation that may apply",
        help_text="Leave them all unticked for every kind except council departments and businesses.",
        required=False,
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose kinds of organisation from the list."},
    )
    must_serve_area = forms.BooleanField(
        label="Applicants must work in the council's area",
        help_text="Groups confirm their work benefits people in the area.",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]


def initial_values(record: Any, fields: Iterable[str]) -> dict[str, Any]:
    """A change form's starting values: the record's own, field by field."""
    return {field: getattr(record, field) for field in fields}


def fund_initial(fund: Any) -> dict[str, Any]:
    themes = [theme.pk for theme in fund.themes.all()]
    return {**initial_values(fund, ("slug", *FUND_FIELDS, "eligible_kinds")), "themes": themes}


class ThemeBudgetsForm(forms.Form):
    """One amount per theme of the fund; an empty amount means no budget is set for that theme."""

    def __init__(self, *args: Any, themes: list[Element], budgets: Mapping[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for theme in themes:
            field = MoneyField(
                label=f"{theme.name} (£)",
                what=f"the budget for {theme.name}",
                hint="Leave empty for no budget of its own.",
            )
            field.initial = budgets.get(theme.pk)
            self.fields[f"theme_{theme.pk}"] = field

    def amounts(self) -> dict[int, Decimal | None]:
        return {int(name.removeprefix("theme_")): value for name, value in self.cleaned_data.items()}


class PotForm(ValuesForm):
    name = _text("Name of the pot", hint="For example, Small grants.", width="20")
    description = _text("Who it is for", hint="For example, groups with a yearly income under £25,000.", rows=3)
    min_amount = MoneyField(
        label="Smallest grant (£)", what="the smallest grant", hint="Leave empty for no smallest grant."
    )
    max_amount = MoneyField(label="Largest grant (£)", what="the largest grant", hint="For example, 2500.")
    max_turnover = MoneyField(
        label="Only for groups with a yearly income under (£)",
        what="the income limit",
        hint="Leave empty for no income limit.",
    )


class EligibilityForm(ValuesForm):
    question = _text("Question", hint="A question a group answers yes or no.")
    required_answer = forms.TypedChoiceField(
        label="Answer a group must give to be eligible",
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose yes or no."},
    )
    reason = _text(
        "What we tell a group that is not eligible",
        hint="A full sentence, for example 'The fund is only for work that benefits people in Merton.'",
        rows=2,
    )


class RoundForm(ValuesForm):
    name = _text("Name of the round", hint="For example, Round 1: 2026 to 2027.", width="20")
    slug = _text(
        "Web address",
        hint="Lower-case letters, numbers and hyphens. Leave empty to make one from the name.",
        width="20",
    )
    opens_at = _moment(
        "Opens for applications", hint="For example, 1 4 2027 and 09:00", what="the date and time it opens"
    )
    closes_at = _moment(
        "Closes (the deadline)", hint="For example, 30 4 2027 and 5pm", what="the date and time it closes"
    )
    decisions_by = _date(
        "Decisions expected by", hint="Optional. For example, 30 6 2027", what="the date decisions are expected by"
    )
    assessors_per_application = _whole(
        "Assessors per application", hint="From 1 to 10.", message="Enter a whole number, for example 2."
    )
    score_max = _whole(
        "Highest score for a criterion",
        hint="From 1 to 10. Assessors score each criterion from 0 to this.",
        message="Enter a whole number, for example 5.",
    )
    one_per_organisation = forms.BooleanField(
        label="One application per organisation", help_text="An organisation may apply only once.", required=False
    )


def round_initial(round_: Any) -> dict[str, Any]:
    return initial_values(round_, ("slug", *ROUND_FIELDS))


class QuestionForm(ValuesForm):
    label = _text("Question")
    hint = _text("Hint", hint="Optional. Help to answer it, shown under the question.", rows=2)
    kind = forms.ChoiceField(
        label="Kind of answer",
        required=False,
        choices=Question.Kind.choices,
        initial=Question.Kind.LONG_TEXT,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the kind of answer from the list."},
    )
    required = forms.BooleanField(label="An answer is needed", required=False, initial=True)
    word_limit = _whole(
        "Word limit", hint="For text answers. Leave empty for no limit.", message="Enter a whole number of words."
    )
    file_types = forms.MultipleChoiceField(
        label="File types allowed",
        help_text="For file uploads.",
        required=False,
        choices=list(FILE_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose file types from the list: PDF, DOCX, XLSX, ODT, JPG or PNG."},
    )
    max_file_mb = _whole(
        "Largest file (MB)",
        hint=f"For file uploads: from 1 to {MAX_FILE_MB}.",
        message=f"Enter a whole number of megabytes, from 1 to {MAX_FILE_MB}.",
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["kind"] = data.get("kind") or ""
        if data.get("max_file_mb") is None:
            data.pop("max_file_mb")
        return data


class DescriptorsField(forms.CharField):
    """What each score means, typed one line per score from 0 ('0: No evidence'); the value is the list of
    lines without their numbers. The service checks there is one for every score."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(f"{score}: {line}" for score, line in enumerate(value))
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list of lines, not one string
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return [re.sub(r"^\d{1,2}\s*[:.)\-–]\s*", "", line) for line in lines]


class CriterionForm(ValuesForm):
    name = _text("Criterion", hint="For example, How well the project meets a local need.")
    guidance = _text("What assessors look for", rows=4)
    weight = _whole(
        "Weight (%)",
        hint="A whole number; the weights of a round add up to 100.",
        message="Enter a whole number, for example 20.",
    )
    descriptors = DescriptorsField(
        label="What each score means",
        help_text=(
            "One line for each score, from 0 to the round's highest, like '3: Meets the need with some gaps'. "
            "Assessors see each line beside its score. Leave it empty to show the usual words for a scale of 0 to 5."
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": "7"}),
    )


class ProspectusForm(forms.Form):
    prospectus = _text(
        "Prospectus",
        hint="What the round funds, who can apply and how. Leave a blank line between paragraphs.",
        rows=16,
    )
    methodology = _text(
        "How applications are scored", hint="Published with the prospectus, beside the criteria and weights.", rows=6
    )
    comments_close_at = _moment(
        "Comments close (optional)", hint="For example, 1 3 2027 and 17:00", what="the date and time comments close"
    )


class CommentForm(forms.Form):
    body = _text("Your comment", hint="What would you change in this prospectus, and why?", rows=5)


class AnswerForm(forms.Form):
    answer = _text("Your answer", hint="Shown beside the comment to the groups who can see it.", rows=5)
