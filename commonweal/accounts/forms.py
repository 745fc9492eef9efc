from allauth.account.forms import SignupForm as _AllauthSignupForm
from django import forms

from commonweal.core.forms import HoneypotMixin


class AuditFilterForm(forms.Form):
    record_type = forms.ChoiceField(label="Type of record", required=False)
    actor = forms.CharField(label="Changed by (email)", required=False, max_length=254)


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
