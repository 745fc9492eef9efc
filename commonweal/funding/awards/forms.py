"""Forms for awards: the offer with its payment and report schedules, the group's answer, payments, monitoring
reports and their review. Forms parse what was typed; the services check the rules, so every caller gets the
same full-sentence messages. Rows of schedules and results are plain forms with a prefix each, with blank
rows and an 'add another' button, so nothing needs JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from django import forms
from django.http import QueryDict
from django.utils.html import format_html

from commonweal.core.fields import DateField, MoneyField
from commonweal.framework.models import Element

from ..models import ReportResult


def date_field(label: str, *, hint: str = "", what: str = "the date") -> DateField:
    return DateField(label=label, hint=hint, what=what)


def _text(label: str, *, hint: str = "", rows: int = 0, width: str = "") -> forms.CharField:
    widget: forms.Widget
    if rows:
        widget = forms.Textarea(attrs={"rows": str(rows)})
    else:
        widget = forms.TextInput(attrs={"class": f"govuk-input--width-{width}"} if width else {})
    return forms.CharField(label=label, help_text=hint, required=False, strip=False, widget=widget)


# --- rows -----------------------------------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a schedule: numbered, so its messages say which row they are about. A row with something in
    it can be removed by ticking its 'Remove' box; a blank row is left out."""

    noun = "row"
    # What a filled row must give: field -> the message when it is missing ({n} is the row's number).
    needed: dict[str, str] = {}

    def __init__(self, *args: Any, number: int, prefix_name: str, **kwargs: Any) -> None:
        kwargs["prefix"] = f"{prefix_name}-{number}"
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["remove"] = forms.BooleanField(label=f"Remove {self.noun} {number}", required=False)

    @property
    def content_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "remove"]

    @property
    def has_content(self) -> bool:
        """Whether the row shows anything, so that removing it means something."""
        return any(
            any(str(part or "").strip() for part in value) if isinstance(value, list) else str(value or "").strip()
            for value in (field.value() for field in self.content_fields)
        )

    @property
    def removed(self) -> bool:
        return self.is_bound and self["remove"].data is True

    def full_clean(self) -> None:
        super().full_clean()
        if self.removed:  # nothing in a row being removed needs putting right
            self.errors.clear()

    def filled(self) -> bool:
        return not self.removed and any(
            value not in (None, "") and not (isinstance(value, str) and not value.strip())
            for name, value in self.cleaned_data.items()
            if name != "remove"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.pop("remove", None)
        if self.filled():
            for field, message in self.needed.items():
                value = data.get(field)
                if (value is None or (isinstance(value, str) and not value.strip())) and field not in self.errors:
                    self.add_error(field, message.format(n=self.number))
        return data

    def value(self) -> dict[str, Any] | None:
        if not self.filled():
            return None
        return dict(self.cleaned_data)


RowT = TypeVar("RowT", bound=RowForm)


class Rows(Generic[RowT]):
    """A list of numbered row forms with a count in a hidden field; blank rows are left out of the values."""

    def __init__(
        self,
        row_class: type[RowT],
        name: str,
        data: QueryDict | None = None,
        *,
        initial: Iterable[Mapping[str, Any]] = (),
        blank: int = 1,
        minimum: int = 2,
        maximum: int = 24,
        add: bool = False,
        row_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.problem = ""
        extra = dict(row_kwargs or {})
        if data is not None:
            try:
                count = int(data.get(f"{name}-rows", "0"))
            except ValueError:
                count = 0
            count = min(max(count + (1 if add else 0), 1), maximum)
            self.forms = [row_class(data, number=n, prefix_name=name, **extra) for n in range(1, count + 1)]
        else:
            rows = list(initial)[:maximum]
            count = min(max(len(rows) + blank, minimum), maximum)
            self.forms = [
                row_class(initial=dict(rows[n - 1]) if n <= len(rows) else None, number=n, prefix_name=name, **extra)
                for n in range(1, count + 1)
            ]
        self.count = len(self.forms)
        self.is_full = self.count >= maximum

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # noqa: C419  every row must be checked

    def values(self) -> list[dict[str, Any]]:
        return [row for form in self.forms if (row := form.value()) is not None]

    @property
    def errors(self) -> bool:
        return bool(self.problem) or any(form.errors for form in self.forms)


class TrancheRowForm(RowForm):
    noun = "payment"

    due_on = date_field("Due date", what="the payment's due date")
    amount = MoneyField(label="Amount (£)", what="the payment's amount")
    needed = {"due_on": "Enter the date payment {n} is due.", "amount": "Enter the amount of payment {n}."}


class ReportRowForm(RowForm):
    noun = "report"

    title = _text("Title", width="20")
    due_on = date_field("Due date", what="the report's due date")
    needed = {
        "title": "Enter a title for report {n}, such as 'Final report'.",
        "due_on": "Enter the date report {n} is due.",
    }


class ResultRowForm(RowForm):
    noun = "result"
    needed = {"kind": "Choose whether result {n} is an output or an outcome.", "description": "Describe result {n}."}

    kind = forms.ChoiceField(
        label="Output or outcome",
        required=False,
        choices=[("", "Choose"), *ReportResult.Kind.choices],
        error_messages={"invalid_choice": "Choose output or outcome from the list."},
    )
    description = _text("What", hint="For example, 'Weekly lunch club sessions'.")
    quantity = forms.DecimalField(
        label="How many",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter how many as a number, like 12.",
            "min_value": "How many cannot be less than 0.",
            "max_decimal_places": "Enter how many with at most 2 decimal places.",
            "max_digits": "Enter a smaller number.",
            "max_whole_digits": "Enter a smaller number.",
        },
    )
    unit = _text("Unit", hint="For example, people, sessions, hours.", width="10")
    outcome = forms.TypedChoiceField(
        label="Framework outcome",
        help_text="For an outcome: which of the council's outcomes it is about.",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an outcome from the council's framework."},
    )

    def __init__(self, *args: Any, outcomes: Iterable[Element] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "None"), *((e.pk, e.name) for e in outcomes)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.filled():
            return data
        n = self.number
        if len((data.get("description") or "").strip()) > 300:
            self.add_error("description", f"Result {n}'s description must be 300 characters or fewer.")
        if len((data.get("unit") or "").strip()) > 60:
            self.add_error("unit", f"Result {n}'s unit must be 60 characters or fewer.")
        return data


# --- the offer ------------------------------------------------------------------------------------------


class OfferForm(forms.Form):
    amount = MoneyField(label="Amount of the grant (£)", what="the amount of the grant")
    award_date = date_field("Award date", what="the award date")
    starts_on = date_field("Planned start", what="the planned start")
    ends_on = date_field("Planned end", what="the planned end")
    conditions = _text(
        "Conditions of the grant",
        hint="What the group agrees to when it accepts: what the money is for, reporting, publicity, returning "
        "unspent money.",
        rows=8,
    )
    split_count = forms.IntegerField(
        label="Number of equal payments",
        required=False,
        min_value=1,
        max_value=24,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of payments as a whole number, like 2.",
            "min_value": "Split the grant into at least 1 payment.",
            "max_value": "Split the grant into at most 24 payments.",
        },
    )
    report_every = forms.ChoiceField(
        label="How often the group reports",
        required=False,
        choices=[("3", "Every 3 months"), ("6", "Every 6 months")],
        initial="6",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose every 3 or every 6 months."},
    )


# --- the group's answer, payments, withdrawal -----------------------------------------------------------


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, organisation_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = format_html(
            "I have read the conditions and accept them on behalf of <bdi>{}</bdi>", organisation_name
        )


class ReasonForm(forms.Form):
    reason = _text("Reason", rows=4)

    def __init__(self, *args: Any, label: str = "Reason", hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint


class PayForm(forms.Form):
    paid_on = date_field("Date paid", what="the date paid")
    payment_reference = _text("Payment reference", hint="The reference in the finance system.", width="20")


# --- monitoring reports ---------------------------------------------------------------------------------


class ReportForm(forms.Form):
    narrative = _text(
        "What happened",
        hint="What you did with the grant, who took part, what went well and what was hard.",
        rows=10,
    )
    spent = MoneyField(label="Money spent so far (£)", what="the money spent")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        required=False,
        choices=[("accept", "Accept the report"), ("changes", "Ask the group for changes")],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose to accept the report or ask for changes."},
    )
    reason = _text("What needs changing", hint="Only when you ask for changes: the group sees this.", rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)
