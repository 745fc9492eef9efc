"""Forms of the apply area: the eligibility checker and the application form built from a round's questions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator

from commonweal.accounts.models import Organisation
from commonweal.core.fields import DateField
from commonweal.places.models import CouncilArea, Ward

from ..models import Application, Fund, Question
from .answers import question_field
from .eligibility import Answers, area_question

YES_NO = [("yes", "Yes"), ("no", "No")]


class EligibilityForm(forms.Form):
    """Yes/no questions of the fund, then the organisation's kind, income and (if asked) where it works."""

    kind = forms.ChoiceField(
        label="What kind of organisation are you?",
        choices=[("", "Choose a kind of organisation"), *Organisation.Kind.choices],
        error_messages={"required": "Choose what kind of organisation you are."},
    )
    income = forms.DecimalField(
        label="What is your organisation's yearly income, in pounds?",
        help_text="Your income in your last full year, for example 18000. Enter 0 if you are new.",
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter your organisation's yearly income.",
            "invalid": "Enter your yearly income as a number of pounds, like 18000.",
            "min_value": "Your yearly income cannot be less than £0.",
            "max_digits": "Enter a yearly income of less than £10,000,000,000.",
            "max_decimal_places": "Enter your yearly income in pounds and pence, like 18000.50.",
        },
    )

    def __init__(self, *args: Any, fund: Fund, area_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund = fund
        self.question_names: list[str] = []
        questions: dict[str, forms.Field] = {}
        for question in fund.eligibility_questions.all():
            name = question_field(question.pk)
            questions[name] = forms.ChoiceField(
                label=question.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer yes or no: {question.question}"},
            )
            self.question_names.append(name)
        if fund.must_serve_area:
            questions["works_in_area"] = forms.ChoiceField(
                label=area_question(area_name),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer yes or no: does your work benefit people in {area_name}?"},
            )
        # The fund's own questions first, in its order, then kind and income.
        self.fields = {**questions, **self.fields}
        self.fields["income"].widget.attrs.update({"inputmode": "decimal", "class": "govuk-input--width-10"})

    def answers(self) -> Answers:
        data = self.cleaned_data
        works = data.get("works_in_area")
        return Answers(
            questions={int(name.rsplit("_", 1)[1]): data[name] == "yes" for name in self.question_names},
            kind=data["kind"],
            income=data["income"],
            works_in_area=None if works is None else works == "yes",
        )


# --- the application form -----------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    """Every field optional here: a draft keeps whatever is valid. Submitting checks what is needed."""

    title = forms.CharField(
        label="Project name",
        max_length=140,
        required=False,
        help_text="A short name for your project.",
        error_messages={"max_length": "The project name must be 140 characters or fewer."},
    )
    summary = forms.CharField(
        label="Summary of the project",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you will do, for whom, and what will change. The panel reads this first.",
        error_messages={"max_length": "The summary must be 5,000 characters or fewer."},
    )
    amount_requested = forms.DecimalField(
        label="How much are you asking for, in pounds?",
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        error_messages={
            "invalid": "Enter the amount as a number of pounds, like 2000.",
            "min_value": "The amount cannot be less than £0.",
            "max_digits": "Enter an amount of less than £10,000,000,000.",
            "max_decimal_places": "Enter the amount in pounds and pence, like 2000.50.",
        },
    )
    themes: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Which of the fund's themes does your project work towards?",
        queryset=None,  # set per fund below
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least one.",
    )
    wards = forms.ModelMultipleChoiceField(
        label="Which wards will the project serve?",
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every ward where people taking part live.",
    )
    starts_on = DateField(label="When will the project start?", hint="For example, 1 4 2027", what="the start date")
    ends_on = DateField(label="When will the project end?", hint="For example, 31 3 2028", what="the end date")

    def __init__(self, *args: Any, application: Application, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.questions = questions
        fund = application.round.fund
        self.fields["themes"].queryset = fund.themes.all()  # type: ignore[attr-defined]
        council = CouncilArea.current()
        wards = Ward.objects.filter(council=council) if council is not None else Ward.objects.all()
        self.fields["wards"].queryset = wards.order_by("name")  # type: ignore[attr-defined]
        pot = application.pot
        if pot is not None:
            self.fields[
                "amount_requested"
            ].help_text = f"{pot.name}: from £{pot.min_amount:,.0f} to £{pot.max_amount:,.0f}."
        self.fields["amount_requested"].widget.attrs.update({"inputmode": "decimal", "class": "govuk-input--width-10"})
        for question in questions:
            name = question_field(question.pk)
            field: forms.Field
            if question.kind == Question.Kind.NUMBER:
                field = forms.DecimalField(
                    max_digits=14,
                    decimal_places=2,
                    error_messages={"invalid": "Enter a number, like 120."},
                )
                field.widget.attrs.update({"inputmode": "decimal", "class": "govuk-input--width-10"})
            elif question.kind == Question.Kind.ATTACHMENT:
                field = forms.FileField(
                    allow_empty_file=True,  # uploads.check_upload says it is empty, beside the field
                    error_messages={"invalid": "The selected file could not be uploaded. Try again."},
                )
            elif question.kind == Question.Kind.SHORT_TEXT:
                field = forms.CharField(max_length=500)
            else:
                # No length cap: text over the word limit is saved and flagged, never cut off or lost.
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), strip=False)
            field.label = question.label
            field.required = False
            field.help_text = question.hint
            self.fields[name] = field
