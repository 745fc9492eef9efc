"""Participatory budgets' forms: parse what people type; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.accounts.models import Organisation
from commonweal.core.fields import DateField, MoneyField, radio_field, text_field
from commonweal.framework.models import Element
from commonweal.places.models import Ward

from ..models import Budget
from ..permissions import department_ids, group_ids, is_steward
from .services import BudgetValues, ProposalValues


def _whole(label: str, what: str, *, hint: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        required=False,
        min_value=0,
        max_value=1000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter {what} as a whole number, like 3.",
            "min_value": f"Enter {what} as 0 or more.",
            "max_value": f"Enter {what} as 1,000 or less.",
        },
    )


class BudgetForm(forms.Form):
    title = text_field("Name of the budget", what="the budget's name", max_length=140)
    summary = text_field("What it is for", hint="Say what kind of projects it funds and who can vote.", rows=5)
    amount = MoneyField(label="The pot (£)", what="the pot")
    department = forms.ModelChoiceField(
        label="Department running it",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose a department from the list."},
    )
    wards = forms.ModelMultipleChoiceField(
        label="Wards",
        help_text="Only people who live in these wards can vote. Choose none for the whole borough.",
        queryset=Ward.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose wards from the list.",
            "invalid_pk_value": "Choose wards from the list.",
        },
    )
    theme = forms.ModelChoiceField(
        label="Theme of the framework (optional)",
        queryset=Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "name"),
        required=False,
        error_messages={"invalid_choice": "Choose a theme from the list."},
    )
    method = radio_field("How people vote", Budget.Method.choices, missing="Choose how people vote.")
    max_choices = _whole("Approval: the most projects a voter may choose", "the most projects a voter may choose")
    points = _whole("Cumulative: the points each voter shares out", "the points each voter shares out")
    max_points_per_project = _whole("Cumulative: the most points for one project", "the most points for one project")
    min_cost = MoneyField(label="Smallest project cost (£)", what="the smallest project cost")
    max_cost = MoneyField(label="Largest project cost (£)", what="the largest project cost")
    proposals_close_on = DateField(label="Proposals close (planned)", what="the day proposals close")
    voting_opens_on = DateField(label="Voting opens (planned)", what="the day voting opens")
    voting_closes_on = DateField(label="Voting closes (planned)", what="the day voting closes")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("name")
        if not is_steward(user):
            departments = departments.filter(pk__in=department_ids(user))
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def values(self) -> BudgetValues:
        data = self.cleaned_data
        return BudgetValues(
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            amount=data.get("amount"),
            department=data.get("department"),
            wards=list(data.get("wards") or []),
            theme=data.get("theme"),
            method=data.get("method") or "",
            max_choices=data.get("max_choices"),
            points=data.get("points"),
            max_points_per_project=data.get("max_points_per_project"),
            min_cost=data.get("min_cost"),
            max_cost=data.get("max_cost"),
            proposals_close_on=data.get("proposals_close_on"),
            voting_opens_on=data.get("voting_opens_on"),
            voting_closes_on=data.get("voting_closes_on"),
        )


class ProposalForm(forms.Form):
    title = text_field("Name of the project", what="the project's name", max_length=140)
    description = text_field(
        "What it does", hint="What will happen, and what difference it makes.", rows=6, max_length=5000
    )
    beneficiaries = text_field("Who benefits", rows=3, max_length=2000)
    ward = forms.ModelChoiceField(
        label="Ward it is in",
        queryset=Ward.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose a ward from the list."},
    )
    place = text_field("Where it happens", hint="A street, a park or a building, if there is one.", max_length=200)
    cost = MoneyField(label="What it costs (£)", what="the cost")
    group = forms.ModelChoiceField(
        label="Group that would deliver it (optional)",
        help_text="Leave empty if the council would deliver it.",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of your groups, or none."},
    )

    def __init__(self, *args: Any, budget: Budget, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wards = budget.wards.order_by("name")
        self.fields["ward"].queryset = wards if wards.exists() else Ward.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["cost"].help_text = f"Between £{budget.min_cost:,.0f} and £{budget.max_cost:,.0f}."
        self.fields["group"].queryset = Organisation.objects.filter(pk__in=group_ids(user)).order_by("name")  # type: ignore[attr-defined]

    def values(self) -> ProposalValues:
        data = self.cleaned_data
        return ProposalValues(
            title=data.get("title") or "",
            description=data.get("description") or "",
            beneficiaries=data.get("beneficiaries") or "",
            ward=data.get("ward"),
            place=data.get("place") or "",
            cost=data.get("cost"),
            group=data.get("group"),
        )


class FeasibilityForm(forms.Form):
    feasible = radio_field(
        "Is the project feasible?",
        [("yes", "Feasible"), ("no", "Not feasible")],
        missing="Choose whether it is feasible.",
    )
    reason = text_field(
        "The council's reason", hint="Shown publicly. Needed when it is not feasible.", rows=4, max_length=3000
    )
    adjusted_cost = MoneyField(
        label="Adjusted cost (£, optional)", what="the adjusted cost", hint="Only if the council's estimate differs."
    )
    adjusted_reason = text_field("Why the cost was adjusted", rows=3, max_length=2000)


class VoteRequestForm(forms.Form):
    email = text_field("Email address", what="your email address", kind="email", width="20")
    postcode = text_field(
        "Your postcode", what="your postcode", hint="Where you live, to check it is inside the area.", width="10"
    )
