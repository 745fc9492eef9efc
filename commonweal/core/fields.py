"""The form fields every app uses: text, money and GOV.UK's three-box date input.

Each field takes `label` (the question, which its messages name) and `what` (how a message names the value,
such as 'the award date'); messages follow the GOV.UK Design System's wording, so a page in one app says
the same thing as a page in another. Fields are optional unless told otherwise, so that a service can say
what is missing in its own words.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

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


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WRITTEN = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def month_number(text: str) -> str:
    """'April', 'apr' or '4' as the month's number ('4'); anything else as it was typed."""
    return str(MONTHS.get(text.strip().lower().rstrip("."), text.strip()))


def written_date(text: str) -> datetime.date | None:
    """A date as people write it in one line: '1 April 2027', '1st Apr 2027', '1/4/2027', '2027-04-01';
    None when it is not one (or is not a real date)."""
    typed = " ".join(str(text or "").lower().split())
    found = _WRITTEN.match(typed)
    if found:
        day, month, year = found.group(1), month_number(found.group(2)), found.group(3)
    elif found := _NUMBERED.match(typed):
        day, month, year = found.groups()
    elif found := _ISO.match(typed):
        year, month, day = found.groups()
    else:
        return None
    if not month.isdigit():
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def date_fault(what: str, day: str, month: str, year: str) -> DateFault | None:
    """What is wrong with a date typed as day, month and year, in GOV.UK's words; None if it is a real date.

    A month may be a name ('April', 'apr') as well as a number. Empty boxes are not a fault here: a date left
    empty is for the field's `required` to judge.
    """
    subject = _sentence(what)
    typed = {"day": day.strip(), "month": month_number(month), "year": year.strip()}
    missing = [part for part in PARTS if not typed[part]]
    if len(missing) == 3:
        return None
    if len(missing) == 2:
        (given,) = [part for part in PARTS if typed[part]]
        if written_date(typed[given]) is not None:
            return None  # the whole date in one box, as in '1 April 2027': taken as it was meant
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
        super().__init__(self.boxes(), attrs)

    def boxes(self) -> dict[str, forms.Widget | type[forms.Widget]]:
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )

        return {"day": box(2), "month": box(2), "year": box(4)}

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
        for part, widget, sub in zip(PARTS, self.widgets[:3], context["widget"]["subwidgets"][:3], strict=True):
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
        return self.date_of(day, month, year)

    def date_of(self, day: str, month: str, year: str) -> datetime.date:
        fault = date_fault(self.what, day, month, year)
        if fault is not None:
            # No params: the page recomputes the boxes at fault from what was typed (date_faults).
            raise forms.ValidationError(fault.message, code="invalid")
        whole = [text for text in (day, month, year) if text.strip()]
        if len(whole) == 1:
            found = written_date(whole[0])
            assert found is not None  # date_fault let it through only as a whole written date
            return found
        return datetime.date(int(year), int(month_number(month)), int(day))

    def fault(self, value: Any) -> DateFault | None:
        """What is wrong with the boxes as typed, for the page to mark the boxes at fault."""
        return date_fault(self.what, *_three(value))

    def compress(self, data_list: list[Any]) -> datetime.date | None:  # pragma: no cover - clean() does it
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        return _three(initial) != _three(data)


def date_faults(field: forms.BoundField) -> list[str]:
    """The boxes of a bound date input that are at fault, recomputed from what was typed, for rendering."""
    if not field.errors:
        return []
    value = field.value()
    fault = field.field.fault(value) if isinstance(value, list) and hasattr(field.field, "fault") else None
    return list(fault.parts) if fault is not None else list(getattr(field.field, "parts", PARTS))


# --- a date and a time: the date input with a box for the time --------------------------------------------

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
WORDS_FOR_TIMES = {"midday": datetime.time(12, 0), "noon": datetime.time(12, 0), "midnight": datetime.time(0, 0)}


def time_of_day(text: str, *, bare_hour: bool = False) -> datetime.time | None:
    """A time as people type it: '17:00', '9.30', '0930', '5pm', '5:30pm', 'midday'; None when it is not one.

    A bare hour ('9') is a time only with `bare_hour`, where the context says which (opening hours start in the
    morning); for a deadline '5' could be 5am or 5pm, so it is refused.
    """
    typed = " ".join(str(text or "").lower().split())
    if typed in WORDS_FOR_TIMES:
        return WORDS_FOR_TIMES[typed]
    found = _CLOCK.match(typed)
    if not found:
        return None
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), (found.group(3) or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif found.group(2) is None and not bare_hour:
        return None
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class DateTimeBoxesWidget(DateBoxesWidget):
    """GOV.UK's date input with a fourth box, `<name>_time`, for the time of day."""

    def boxes(self) -> dict[str, forms.Widget | type[forms.Widget]]:
        clock = forms.TextInput(attrs={"class": "govuk-input govuk-date-input__input govuk-input--width-5"})
        return {**super().boxes(), "time": clock}

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"]
        return [None, None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        faults = set(str((attrs or {}).get("data-faults", "")).split())
        context = super().get_context(name, value, attrs)
        clock = context["widget"]["subwidgets"][3]
        clock["part"], clock["label"] = "time", "Time"
        if "id" in context["widget"]["attrs"]:
            clock["attrs"]["id"] = f"{context['widget']['attrs']['id']}_time"
        clock["attrs"]["class"] = self.widgets[3].attrs["class"] + (" govuk-input--error" if "time" in faults else "")
        return context


class DateTimeField(DateField):
    """A moment typed as a date in GOV.UK's three boxes and a time ('17:00' or '5pm'), in the council's time
    zone; the message says what is wrong and which box to put right."""

    widget = DateTimeBoxesWidget
    parts = (*PARTS, "time")

    def __init__(self, *, label: str, hint: str = "", what: str = "", required: bool = False, **kwargs: Any) -> None:
        super().__init__(
            label=label, hint=hint or "For example, 27 3 2027 and 17:00 or 5pm", what=what, required=required, **kwargs
        )
        self.fields = (*self.fields, forms.CharField(required=False))

    def clean(self, value: Any) -> datetime.datetime | None:
        parts = _four(value)
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        fault = self.fault(value)
        if fault is not None:
            raise forms.ValidationError(fault.message, code="invalid")
        day = self.date_of(*parts[:3])
        clock = time_of_day(parts[3])
        assert clock is not None  # fault() checked it
        return timezone.make_aware(datetime.datetime.combine(day, clock))

    def fault(self, value: Any) -> DateFault | None:
        parts = _four(value)
        fault = date_fault(self.what, *parts[:3])
        if fault is None and not any(parts[:3]):
            fault = DateFault(f"{_sentence(self.what)} must include a day, month and year", PARTS)
        if fault is not None:
            return fault
        if not parts[3]:
            return DateFault(f"{_sentence(self.what)} must include a time, like 17:00 or 5pm", ["time"])
        if time_of_day(parts[3]) is None:
            return DateFault(f"{_sentence(self.what)} must be a real time, like 17:00 or 5pm", ["time"])
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        return _four(initial) != _four(data)


def _four(value: Any) -> tuple[str, str, str, str]:
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"
    parts = [str(v or "").strip() for v in (list(value or []) + ["", "", "", ""])[:4]]
    return parts[0], parts[1], parts[2], parts[3]


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
