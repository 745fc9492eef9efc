from typing import Any

from allauth.account import forms as allauth_forms
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


# allauth's other sign-in forms, with labels in GOV.UK's sentence case (ACCOUNT_FORMS); their rules are allauth's.
LABELS = {
    "login": "Email address",
    "email": "Email address",
    "password": "Password",
    "remember": "Keep me signed in on this device",
    "oldpassword": "Current password",
    "password1": "New password",
    "password2": "New password (again)",
}


class _GovukLabels:
    """Relabel the fields allauth names, and drop its placeholders (GOV.UK's inputs use labels and hints)."""

    relabel: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            field.widget.attrs.pop("placeholder", None)
            if name in self.relabel:
                field.label = LABELS[name]


class LoginForm(_GovukLabels, allauth_forms.LoginForm):
    relabel = ("login", "password", "remember")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""  # the page links to 'Forgotten your password?' itself


class ChangePasswordForm(_GovukLabels, allauth_forms.ChangePasswordForm):
    relabel = ("oldpassword", "password1", "password2")


class SetPasswordForm(_GovukLabels, allauth_forms.SetPasswordForm):
    relabel = ("password1", "password2")


class ResetPasswordForm(_GovukLabels, allauth_forms.ResetPasswordForm):
    relabel = ("email",)


class ResetPasswordKeyForm(_GovukLabels, allauth_forms.ResetPasswordKeyForm):
    relabel = ("password1", "password2")


class AddEmailForm(_GovukLabels, allauth_forms.AddEmailForm):
    relabel = ("email",)
