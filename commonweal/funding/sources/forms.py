"""Forms for money beyond the council. They carry what was typed and turn it into typed values with a clear
message when a value cannot be read; the services check the rules (org-ids, min ≤ max, quantities, dates)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from commonweal.core.fields import DateField, MoneyField

from ..models import PLEDGE_CONSENT_WORDING, HelpKind, MatchFunding, Pledge

Choices = Sequence[tuple[str, Any]]
DATE_HINT = "For example, 31 3 2027"

DEADLINES = [
    ("", "Any deadline"),
    ("open", "Open now"),
    ("soon", "Closing within 30 days"),
    ("rolling", "Rolling (no deadline)"),
]
SORTS = [("deadline", "Deadline, soonest first"), ("funder", "Funder, A to Z")]


def _money(label: str, *, what: str, hint: str = "") -> MoneyField:
    return MoneyField(label=label, hint=hint, what=what)


def _quantity(label: str, *, hint: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=hint,
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Enter how much as a number, e.g. 10 or 2.5.",
            "max_decimal_places": "Use no more than 2 decimal places.",
            "max_digits": "Enter a smaller number.",
            "max_whole_digits": "Enter a smaller number.",
        },
    )


def _date(label: str, *, what: str, hint: str = DATE_HINT, required: bool = False) -> DateField:
    return DateField(label=label, hint=hint, what=what, required=required)


def _text(label: str, *, hint: str = "", rows: int = 0, width: str = "", url: bool = False) -> forms.CharField:
    attrs: dict[str, str] = {}
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    widget: forms.Widget
    if rows:
        widget = forms.Textarea(attrs={"rows": str(rows)})
    elif url:
        widget = forms.URLInput(attrs={**attrs, "spellcheck": "false"})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget)


def _choice(
    label: str, choices: Choices, message: str, *, radios: bool = False, initial: str = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        initial=initial,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"invalid_choice": message},
    )


class SourceFilterForm(forms.Form):
    """What a group is looking for in the register: words, a theme, a grant size and a deadline."""

    q = forms.CharField(
        label="Search the register",
        help_text="A funder, programme or what they fund, for example ‘lottery’ or ‘youth’",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search words must be 200 characters or fewer."},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "true", "enterkeyhint": "search"}),
    )
    theme = _choice("Theme", [], "Choose a theme from the list.")
    amount = _money(
        "Grant size you want (£)", what="the grant size", hint="Shows programmes that give grants of this size"
    )
    deadline = _choice("Deadline", DEADLINES, "Choose a deadline from the list.")
    sort = _choice("Sort by", SORTS, "Choose how to sort from the list.", initial="deadline")

    def __init__(self, *args: Any, themes: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", "All themes"), *themes]


class SourceForm(forms.Form):
    """An external funder's programme in the register."""

    funder = _text("Funder", hint="The organisation that gives the grants")
    funder_org_id = _text(
        "Funder’s organisation identifier (optional)",
        hint="An org-id: a prefix and a number, e.g. GB-CHC-1234567 (charity) or GB-COH-01234567 (company)",
        width="20",
    )
    name = _text("Programme", hint="The name of the grant programme")
    what_they_fund = _text("What they fund", rows=4)
    eligibility = _text("Who can apply (optional)", rows=3)
    themes = forms.TypedMultipleChoiceField(
        label="Themes it fits (optional)",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose themes from the list."},
    )
    min_amount = _money("Smallest grant (£, optional)", what="the smallest grant")
    max_amount = _money("Largest grant (£, optional)", what="the largest grant")
    deadline = _date(
        "Next deadline (optional)", what="the next deadline", hint=f"Leave empty for a rolling programme. {DATE_HINT}"
    )
    url = _text("Web page (optional)", url=True)
    is_active = forms.BooleanField(label="Still open to applications", required=False, initial=True)

    def __init__(self, *args: Any, themes: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["themes"]).choices = themes
        self.fields["url"].error_messages["invalid"] = (
            "Enter a web address starting https://, e.g. https://example.org/grants."
        )

    def clean_url(self) -> str:
        url: str = (self.cleaned_data.get("url") or "").strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Enter a web address starting https://, e.g. https://example.org/grants.")
        return url


class MatchFundingForm(forms.Form):
    """Money or in-kind support a project attracted beyond the council."""

    kind = _choice(
        "What kind of support is it?", list(MatchFunding.Kind.choices), "Choose a kind of support.", radios=True
    )
    status = _choice("Is it secured?", list(MatchFunding.Status.choices), "Choose applied for or secured.", radios=True)
    funder = _text("Who is it from?", hint="The funder, business or donor")
    funder_org_id = _text(
        "Their organisation identifier (optional)", hint="e.g. GB-CHC-1234567 or GB-COH-01234567", width="20"
    )
    source = _choice("Is it from a programme in the register? (optional)", [], "Choose a programme from the list.")
    amount = _money("Amount (£)", what="the amount", hint="For in-kind support, what it would have cost")

    def __init__(self, *args: Any, sources: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = [("", "Not in the register"), *sources]


class NeedFilterForm(forms.Form):
    kind = _choice("Kind of help", [("", "Any kind"), *HelpKind.choices], "Choose a kind of help from the list.")
    theme = _choice("Theme", [], "Choose a theme from the list.")
    ward = _choice("Ward", [], "Choose a ward from the list.")
    status = _choice("Status", [], "Choose a status from the list.")

    def __init__(self, *args: Any, themes: Choices, wards: Choices, statuses: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", "All themes"), *themes]
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "All wards"), *wards]
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", "Any status"), *statuses]


class NeedForm(forms.Form):
    organisation = _choice("Your group", [], "Choose one of your groups.")
    title = _text("What does your group need?", hint="A short title, e.g. ‘Laptops for our homework club’")
    description = _text("Tell suppliers more about it", hint="What it is for and who it helps", rows=5)
    kind = _choice("Kind of help", list(HelpKind.choices), "Choose a kind of help.", radios=True)
    quantity = _quantity("How much do you need?", hint="A number, e.g. 500 (pounds), 40 (hours) or 12 (laptops)")
    unit = _text("Unit (optional)", hint="e.g. £, hours, laptops", width="10")
    theme = _choice("Theme (optional)", [], "Choose a theme from the list.")
    ward = _choice("Ward (optional)", [], "Choose a ward from the list.")

    def __init__(self, *args: Any, organisations: Choices, themes: Choices, wards: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = organisations
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", "No particular theme"), *themes]
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "No particular ward"), *wards]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0][0]


class PledgeForm(forms.Form):
    supplier = _choice("Your business", [], "Choose one of your businesses.")
    contract_reference = _text(
        "Contract reference (optional)", hint="The council contract this pledge is part of", width="20"
    )
    framework = _choice("Social value framework", list(Pledge.Framework.choices), "Choose a framework.", radios=True)
    framework_version = _text("Framework version (optional)", hint="e.g. 2022", width="10")
    measure_code = _text("Measure code (optional)", hint="e.g. NT29 in the National TOMs", width="10")
    kind = _choice("Kind of help", list(HelpKind.choices), "Choose a kind of help.", radios=True)
    quantity = _quantity("How much do you pledge?", hint="A number, e.g. 500 (pounds) or 40 (hours)")
    unit = _text("Unit (optional)", hint="e.g. £, hours, laptops", width="10")
    value = _money("Social value (£, optional)", what="the social value", hint="What the pledge is worth in pounds")
    # Consent to be named in public (optional): the exact words are stored with the pledge.
    name_publicly = forms.BooleanField(label=PLEDGE_CONSENT_WORDING, required=False)

    def __init__(self, *args: Any, suppliers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["supplier"]).choices = suppliers
        if len(suppliers) == 1:
            self.fields["supplier"].widget = forms.HiddenInput()
            self.fields["supplier"].initial = suppliers[0][0]


class FulfilmentForm(forms.Form):
    delivered_on = _date("When was it delivered?", what="the date it was delivered")
    quantity = _quantity("How much was delivered?")
    note = _text("Note (optional)", hint="What was delivered, e.g. ‘12 laptops handed over at the hall’")


class ReasonForm(forms.Form):
    reason = _text("Why are you withdrawing the pledge?", rows=3)
