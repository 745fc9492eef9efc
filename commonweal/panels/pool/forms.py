"""The pool's forms: parse what people type; pool/services.py decides what is allowed."""

from __future__ import annotations

from django import forms

from commonweal.core.fields import radio_field, text_field
from commonweal.core.forms import HoneypotMixin

from ..models import DISABILITY_CHOICES, ETHNICITY_CHOICES, SEX_CHOICES, TENURE_CHOICES

NOT_SAID_HINT = (
    "If you prefer not to say, you stay in the pool, but the panel is chosen to match the borough on this, so "
    "you cannot be chosen for a panel until you tell us."
)


class JoinForm(HoneypotMixin, forms.Form):
    name = text_field("Full name", what="your full name", max_length=200)
    email = text_field(
        "Email address",
        what="your email address",
        max_length=254,
        kind="email",
        hint="We tell you here if you are selected.",
    )
    phone = text_field("Phone number (optional)", what="your phone number", max_length=40, width="20", kind="tel")
    address_line = text_field(
        "First line of your address",
        what="the first line of your address",
        max_length=200,
        hint="One person per household can join, so that no household has a greater say.",
    )
    postcode = text_field("Postcode", what="your postcode", max_length=10, width="10")
    birth_year = forms.IntegerField(
        label="Year of birth",
        help_text="For example, 1980. You need to be 16 or over.",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the year you were born as a number, like 1980."},
    )
    sex = radio_field("Sex", SEX_CHOICES, invalid="Choose your sex from the list.")
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        help_text=NOT_SAID_HINT,
        choices=[("", "Choose your ethnic group"), *ETHNICITY_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Choose your ethnic group from the list."},
    )
    tenure = radio_field("Do you own or rent your home?", TENURE_CHOICES, invalid="Choose from the list.")
    disability = radio_field(
        "Are your day-to-day activities limited because of a health problem or disability that has lasted, or is "
        "expected to last, at least 12 months?",
        DISABILITY_CHOICES,
        invalid="Choose from the list.",
    )
    consent = forms.BooleanField(label="I agree to how my details are kept and used, as set out above", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file of volunteers",
        help_text=(
            "One row per volunteer, with columns name, email, address_line, postcode, birth_year (or age), sex, "
            "ethnicity, tenure and disability (phone optional). Use the categories on this page; write 'Prefer not "
            "to say' where a volunteer did not say."
        ),
        required=False,
        error_messages={"invalid": "Choose a CSV file."},
    )


class SearchForm(forms.Form):
    q = text_field("Search by name, email or postcode", what="a name, email or postcode", max_length=100)
