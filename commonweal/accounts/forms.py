from typing import Any

from allauth.account.forms import SignupForm as _AllauthSignupForm
from django import forms

from commonweal.core.fields import DateField
from commonweal.core.forms import HoneypotMixin


class AuditFilterForm(forms.Form):
    """The audit log's filters: who, which record, between which dates. The view gives the record types."""

    actor = forms.CharField(
        label="Changed by", help_text="Part of their name or email address", required=False, max_length=254
    )
    record_type = forms.ChoiceField(label="Type of record", required=False)
    record = forms.CharField(
        label="Record", help_text="Part of its name, or its number", required=False, max_length=200
    )
    since = DateField(label="From", what="the date to show changes from")
    until = DateField(label="To", what="the date to show changes up to")

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "All records"), *record_types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error(
                "until", "The date to show changes up to must be the same as or after the date to show them from"
            )
        return data


# allauth's sign-up form with the platform's honeypot (ACCOUNT_FORMS); allauth's own try_save() then answers a
# bot that fills it in with the usual 'check your email' page and creates no account
# (ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD names the same field).


class SignupForm(HoneypotMixin, _AllauthSignupForm):
    pass


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand my account will be closed and my details removed, and that this cannot be undone",
        error_messages={"required": "Tick the box to confirm you want your account and details erased"},
    )
