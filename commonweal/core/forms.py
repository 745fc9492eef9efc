"""GOV.UK Design System markup for Django forms, through Django 5's field templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    """Render `{{ form }}` and `{{ field.as_field_group }}` as GOV.UK form groups."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


def show_errors(form: Any, error: ValidationError, elsewhere: dict[str, Any] | None = None) -> None:
    """Put a service's messages beside the fields they are about; the rest go at the top of the form.

    `elsewhere` maps a message's key to a callable that shows it somewhere other than a field (a table of
    rows, say); it is given the messages.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        if elsewhere and name in elsewhere:
            elsewhere[name](problems)
        else:
            form.add_error(name if name in form.fields else None, problems)


HONEYPOT_FIELD = "website"


class HoneypotMixin:
    """A field people never see or hear, that bots fill in: a form whose honeypot is filled is a bot's.

    The view checks `form.is_bot()` before anything else and, if so, shows the usual success page without
    storing anything, so the bot learns nothing. The field is visually hidden, aria-hidden, out of the tab
    order and not autofilled, so no person (or their browser) fills it in by accident."""

    honeypot_field = HONEYPOT_FIELD

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = forms.CharField(
            label="Leave this empty",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        field.template_name = "govuk/honeypot.html"  # type: ignore[attr-defined]  # Django 5, not in the stubs
        self.fields[self.honeypot_field] = field  # type: ignore[attr-defined]

    def is_bot(self) -> bool:
        data = getattr(self, "data", None) or {}
        return bool(str(data.get(self.honeypot_field, "")).strip())


def coordinate(value: str, what: str) -> float | None:
    """A latitude or longitude typed by hand (a comma for the decimal point allowed), None when left empty; a word
    or infinity is refused in a sentence naming `what`. Whether the point is in the borough is the caller's."""
    value = value.strip().replace(",", ".") if value else ""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as error:
        raise forms.ValidationError(f"Enter the {what} as a number, like 51.4101.") from error
    if number != number or number in (float("inf"), float("-inf")):
        raise forms.ValidationError(f"Enter the {what} as a number, like 51.4101.")
    return number
