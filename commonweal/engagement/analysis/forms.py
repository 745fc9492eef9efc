"""The analysis area's forms: the results' filters, themes, tagging a page of answers, and tagging by a phrase."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from ..models_analysis import AnswerTheme


class ResultsFilterForm(forms.Form):
    """One ward and one equality monitoring answer, either or both (read from the address, so no script needed)."""

    ward = forms.ChoiceField(
        label="Ward",
        required=False,
        choices=[],
        error_messages={
            "invalid_choice": "Choose a ward from the list. Wards with fewer than 10 responses are counted "
            "together as ‘Other (combined)’."
        },
    )
    answer = forms.ChoiceField(
        label="Equality monitoring answer",
        required=False,
        choices=[],
        help_text="Answers given by fewer than 10 people are counted together as ‘Other (combined)’.",
        error_messages={
            "invalid_choice": "Choose an equality monitoring answer from the list. Answers given by fewer than 10 "
            "people are counted together as ‘Other (combined)’."
        },
    )

    def __init__(
        self, *args: Any, wards: list[tuple[str, str]], answers: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "Every ward"), *wards]
        cast(forms.ChoiceField, self.fields["answer"]).choices = [("", "Every answer"), *answers]


class ThemeForm(forms.Form):
    """A theme's name and what it covers."""

    name = forms.CharField(
        label="Theme",
        max_length=80,
        error_messages={
            "required": "Enter a name for the theme.",
            "max_length": "The theme’s name must be 80 characters or fewer.",
        },
    )
    description = forms.CharField(
        label="What it covers (optional)",
        max_length=500,
        required=False,
        error_messages={"max_length": "What it covers must be 500 characters or fewer."},
    )


class MergeForm(forms.Form):
    """Merge one theme into another: its answers take the other theme and it goes."""

    into = forms.ModelChoiceField(
        label="Merge it into",
        queryset=AnswerTheme.objects.none(),
        empty_label="Choose a theme",
        error_messages={
            "required": "Choose the theme to merge it into.",
            "invalid_choice": "Choose a theme from the list.",
        },
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["into"]).queryset = themes


class BulkTagForm(forms.Form):
    """Tag every answer holding a phrase with one theme."""

    phrase = forms.CharField(
        label="Phrase",
        max_length=100,
        error_messages={
            "required": "Choose a phrase first.",
            "max_length": "The phrase must be 100 characters or fewer.",
        },
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=AnswerTheme.objects.none(),
        empty_label="Choose a theme",
        error_messages={
            "required": "Choose the theme to tag them with.",
            "invalid_choice": "Choose a theme from the list.",
        },
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = themes
