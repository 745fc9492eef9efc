"""The public directory's forms: 'Find help' and the asset map's filters. Both are GET forms, so every
result has an address people can share."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms

from commonweal.places.forms import PostcodeField
from commonweal.places.models import Postcode
from commonweal.places.services import PostcodeError, look_up_postcode

from . import changes
from .models import Asset
from .search import SearchQuery

MILE = 1609.344
DISTANCES = [
    ("1", "Within 1 mile"),
    ("2", "Within 2 miles"),
    ("5", "Within 5 miles"),
    ("10", "Within 10 miles"),
    ("any", "Any distance"),
]
DEFAULT_DISTANCE = "2"
DELIVERY = [
    ("", "Any way"),
    ("in_person", "In person"),
    ("by_phone", "By phone"),
    ("online", "Online"),
]
MAX_WORDS_LENGTH = 200

Choices = list[tuple[str, Any]]


class FindHelpForm(forms.Form):
    """What a resident is looking for: words, filters and a postcode to search near."""

    q = forms.CharField(
        label="What do you need help with?",
        help_text="For example, food bank, debt advice or lunch club",
        required=False,
        max_length=MAX_WORDS_LENGTH,
        error_messages={"max_length": "Search words must be %(limit_value)d characters or fewer."},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "true", "enterkeyhint": "search"}),
    )
    category = forms.ChoiceField(label="Category", required=False)
    ward = forms.ChoiceField(label="Ward", required=False)
    postcode = PostcodeField(
        label="Near a postcode",
        help_text="For example, SW19 2HL",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )
    distance = forms.ChoiceField(label="Distance", choices=DISTANCES, required=False, initial=DEFAULT_DISTANCE)
    open_now = forms.BooleanField(label="Open now", required=False)
    free = forms.BooleanField(label="Free only", required=False)
    delivery = forms.ChoiceField(
        label="How you get help", choices=DELIVERY, required=False, widget=forms.RadioSelect, initial=""
    )

    def __init__(self, *args: Any, categories: Choices, wards: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", "All categories"), *categories]
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "All wards"), *wards]
        self.found: Postcode | None = None
        # A wrong choice in a shared link names what was wrong, as a field error would.
        self.fields["category"].error_messages["invalid_choice"] = "Choose a category from the list."
        self.fields["ward"].error_messages["invalid_choice"] = "Choose a ward from the list."
        self.fields["distance"].error_messages["invalid_choice"] = "Choose a distance from the list."
        self.fields["delivery"].error_messages["invalid_choice"] = "Choose how you want to get help."

    def clean_postcode(self) -> str:
        raw: str = self.cleaned_data.get("postcode") or ""
        if not raw.strip():
            return ""
        try:
            # Kept for an hour (changes.kept): postcodes change only when a new list is imported, and looking one
            # up is the one query a search already answered would otherwise still make.
            self.found = changes.kept(
                "postcode", raw.strip().upper(), lambda: look_up_postcode(raw), timeout=3600, by_version=False
            )
        except PostcodeError as error:
            raise forms.ValidationError(error.message, code="postcode") from error
        return self.found.postcode

    def search_query(self, *, now: datetime, term_ids: tuple[int, ...], ward_id: int | None) -> SearchQuery:
        """The search this form asks for; `term_ids` and `ward_id` are the chosen category and ward's ids."""
        data = self.cleaned_data
        near = within = None
        if self.found is not None:
            near = (self.found.latitude, self.found.longitude)
            distance = data.get("distance") or DEFAULT_DISTANCE
            within = None if distance == "any" else float(distance) * MILE
        delivery = data.get("delivery") or ""
        return SearchQuery(
            words=data.get("q") or "",
            term_ids=term_ids,
            ward_id=ward_id,
            open_at=now if data.get("open_now") else None,
            is_free=True if data.get("free") else None,
            delivery=frozenset({delivery}) if delivery else frozenset(),
            near=near,
            within_metres=within,
        )


class AssetFilterForm(forms.Form):
    """Which community assets to show: by ward or locality, and by kind."""

    ward = forms.ChoiceField(label="Ward", required=False)
    locality = forms.ChoiceField(label="Locality", required=False)
    kind = forms.ChoiceField(label="Kind of asset", required=False, choices=[("", "All kinds"), *Asset.Kind.choices])

    def __init__(self, *args: Any, wards: Choices, localities: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "All wards"), *wards]
        cast(forms.ChoiceField, self.fields["locality"]).choices = [("", "All localities"), *localities]
        self.fields["ward"].error_messages["invalid_choice"] = "Choose a ward from the list."
        self.fields["locality"].error_messages["invalid_choice"] = "Choose a locality from the list."
        self.fields["kind"].error_messages["invalid_choice"] = "Choose a kind of asset from the list."


class GroupFilterForm(forms.Form):
    """Which groups and organisations to list: those in one ward, or all of them."""

    ward = forms.ChoiceField(label="Ward", required=False)

    def __init__(self, *args: Any, wards: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "All wards"), *wards]
        self.fields["ward"].error_messages["invalid_choice"] = "Choose a ward from the list."
