"""Forms only carry what was typed: the services check it, so the web, the API and the command line agree."""

from __future__ import annotations

from django import forms


class VisionForm(forms.Form):
    name = forms.CharField(label="Name of the framework", required=False)
    vision = forms.CharField(
        label="Vision",
        required=False,
        help_text="What the council and its partners want to achieve together, in a few sentences.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ElementForm(forms.Form):
    name = forms.CharField(label="Name", required=False)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: object, kind_label: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["name"].label = f"Name of the {kind_label}"
        self.fields["description"].help_text = f"Say what the {kind_label} means for residents and partners."
