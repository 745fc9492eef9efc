"""The form fields every app uses: text, money and GOV.UK's three-box date input.

Each field takes `label` (the question, which its messages name) and `what` (how a message names the value,
such as 'the award date'); messages follow the GOV.UK Design System's wording, so a page in one app says
the same thing as a page in another. Fields are optional unless told otherwise, so that a service can say
what is missing in its own words.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

LARGEST_AMOUNT = Decimal("9999999999.99")
PARTS = ("day", "month", "year")


def text_field(
    label: str,
    *,
    hint: str = "",
    what: str = "",
    required: bool = False,
    max_length: int | None = None,
    rows: int = 0,
    width: str = "",
    kind: str = "text",
) -> forms.CharField:
    """Text with its ends stripped; a limit says how many characters are allowed, never cuts what was typed."""
    what = what or label.lower()
    if rows:
        widget: forms.Widget = forms.Textarea(attrs={"rows": str(rows)})
    else:
        attrs = {"class": f"govuk-input--width-{width}"} if width else {}
        widget = forms.TextInput(attrs={**attrs, "type": kind} if kind != "text" else attrs)
    messages = {"required": f"Enter {what}"}
    if max_length is not None:
        messages["max_length"] = f"{_sentence(what)} must be {max_length:,} characters or fewer"
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=max_length,
        widget=widget,
        error_messages=messages,
    )


def radio_field(
    label: str,
    choices: Any,
    *,
    required: bool = False,
    missing: str = "",
    invalid: str = "Choose from the list.",
    initial: Any = None,
) -> forms.ChoiceField:
    """One answer from a few, as GOV.UK radios: `missing` is what a required question says when none is chosen,
    `invalid` what a crafted answer outside the list is told."""
    messages = {"invalid_choice": invalid, **({"required": missing} if missing else {})}
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices,
        initial=initial,
        widget=forms.RadioSelect,
        error_messages=messages,
    )


def checkbox_field(
    label: str, choices: Any = (), *, hint: str = "", invalid: str, ids: bool = False
) -> forms.MultipleChoiceField:
    """Any number of answers from a list, as GOV.UK checkboxes (none is an answer too): `invalid` is what a
    crafted answer outside the list is told; with `ids` the answers are records' ids, as whole numbers."""
    options: dict[str, Any] = {
        "label": label,
        "help_text": hint,
        "required": False,
        "choices": choices,
        "widget": forms.CheckboxSelectMultiple,
        "error_messages": {"invalid_choice": invalid},
    }
    return forms.TypedMultipleChoiceField(coerce=int, **options) if ids else forms.MultipleChoiceField(**options)


class MoneyField(forms.Field):
    """An amount in pounds as people type it: '1234', '1,234', '£1,234.50'. Pennies at most, never negative."""

    def __init__(
        self,
        *,
        label: str,
        hint: str = "",
        what: str = "",
        required: bool = False,
        largest: Decimal = LARGEST_AMOUNT,
        **kwargs: Any,
    ) -> None:
        attrs = {"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        super().__init__(label=label, help_text=hint, required=required, widget=forms.TextInput(attrs=attrs), **kwargs)
        self.what = what or _plain(label)
        self.largest = largest
        if "required" not in kwargs.get("error_messages", {}):
            self.error_messages["required"] = f"Enter {self.what}"

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            text = str(value)
        else:
            text = str(value or "").strip().replace(",", "").replace(" ", "").removeprefix("£")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                f"{_sentence(self.what)} must be an amount of money, like 1500 or 1,500.50", code="invalid"
            ) from None
        if not amount.is_finite():
            raise forms.ValidationError(
                f"{_sentence(self.what)} must be an amount of money, like 1500 or 1,500.50", code="invalid"
            )
        if amount < 0:
            raise forms.ValidationError(f"{_sentence(self.what)} must be £0 or more", code="min_value")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                f"{_sentence(self.what)} must be pounds and pence, with no more than 2 decimal places",
                code="max_decimal_places",
            )
        if amount > self.largest:
            raise forms.ValidationError(
                f"{_sentence(self.what)} must be £{self.largest:,.2f} or less".replace(".00 ", " "), code="max_value"
            )
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:.2f}".removesuffix(".00")
        return value


# --- GOV.UK date input ----------------------------------------------------------------------------------


class DateFault:
    """Why the three boxes do not make a date: the message and which boxes are at fault."""

    def __init__(self, message: str, parts: Sequence[str]) -> None:
        self.message = message
        self.parts = tuple(parts)


def date_fault(what: str, day: str, month: str, year: str) -> DateFault | None:
    """What is wrong with a date typed as day, month and year, in GOV.UK's words; None if it is a real date.

    Empty boxes are not a fault here: a date left empty is for the field's `required` to judge.
    """
    subject = _sentence(what)
    typed = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    missing = [part for part in PARTS if not typed[part]]
    if len(missing) == 3:
        return None
    if missing:
        return DateFault(f"{subject} must include a {' and '.join(missing)}", missing)
    numbers = {part: int(typed[part]) if typed[part].isdigit() else None for part in PARTS}
    wrong = [part for part in PARTS if numbers[part] is None]
    if numbers["day"] is not None and not 1 <= numbers["day"] <= 31:
        wrong.append("day")
    if numbers["month"] is not None and not 1 <= numbers["month"] <= 12:
        wrong.append("month")
    if wrong:
        return DateFault(f"{subject} must be a real date", [part for part in PARTS if part in wrong])
    if len(typed["year"]) != 4:
        return DateFault("Year must include 4 numbers", ["year"])
    try:
        datetime.date(numbers["year"] or 0, numbers["month"] or 0, numbers["day"] or 0)
    except ValueError:
        return DateFault(f"{subject} must be a real date", PARTS)
    return None


class DateBoxesWidget(forms.MultiWidget):
    """Three boxes named `<name>_day`, `<name>_month` and `<name>_year`, rendered as GOV.UK's date input."""

    template_name = "govuk/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        # `data-faults` (from the govuk_widget filter) names the boxes that get the error class; the
        # described-by ids belong on the fieldset around the boxes, as GOV.UK's markup has them.
        attrs = dict(attrs or {})
        faults = set(str(attrs.pop("data-faults", "")).split())
        attrs.pop("aria-describedby", None)
        context = super().get_context(name, value, attrs)
        for part, widget, sub in zip(PARTS, self.widgets, context["widget"]["subwidgets"], strict=True):
            sub["part"] = part
            sub["label"] = part.capitalize()
            if "id" in context["widget"]["attrs"]:
                sub["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
            sub["attrs"]["class"] = widget.attrs["class"] + (" govuk-input--error" if part in faults else "")
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_


class DateField(forms.MultiValueField):
    """A date typed in GOV.UK's three boxes; the message says what is wrong and which boxes to put right."""

    widget = DateBoxesWidget

    def __init__(self, *, label: str, hint: str = "", what: str = "", required: bool = False, **kwargs: Any) -> None:
        super().__init__(
            fields=tuple(forms.CharField(required=False) for _ in PARTS),
            label=label,
            help_text=hint or "For example, 27 3 2027",
            required=required,
            require_all_fields=False,
            **kwargs,
        )
        self.what = what or _plain(label)
        self.error_messages["required"] = f"Enter {self.what}"

    def clean(self, value: Any) -> datetime.date | None:
        day, month, year = _three(value)
        if not (day or month or year):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        fault = date_fault(self.what, day, month, year)
        if fault is not None:
            # No params: the page recomputes the boxes at fault from what was typed (date_faults).
            raise forms.ValidationError(fault.message, code="invalid")
        return datetime.date(int(year), int(month), int(day))

    def compress(self, data_list: list[Any]) -> datetime.date | None:  # pragma: no cover - clean() does it
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        return _three(initial) != _three(data)


def date_faults(field: forms.BoundField) -> list[str]:
    """The boxes of a bound date input that are at fault, recomputed from what was typed, for rendering."""
    if not field.errors:
        return []
    value = field.value()
    fault = date_fault(getattr(field.field, "what", ""), *_three(value)) if isinstance(value, list) else None
    return list(fault.parts) if fault is not None else list(PARTS)


def _three(value: Any) -> tuple[str, str, str]:
    if isinstance(value, datetime.date):
        return str(value.day), str(value.month), str(value.year)
    parts = [str(v or "").strip() for v in (list(value or []) + ["", "", ""])[:3]]
    return parts[0], parts[1], parts[2]


def _plain(label: str) -> str:
    """'Amount of the grant (£)' -> 'amount of the grant': a label as the subject of a sentence."""
    words = label.split(" (")[0].strip().rstrip("?")
    return words[:1].lower() + words[1:]


def _sentence(what: str) -> str:
    return what[:1].upper() + what[1:]
