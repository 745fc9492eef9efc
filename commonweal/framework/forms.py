"""Forms only carry what was typed: the services check it, so the web, the API and the command line agree."""

from __future__ import annotations

from django import forms

from commonweal.core.fields import text_field


class VisionForm(forms.Form):
    name = text_field("Name of the framework")
    vision = text_field(
        "Vision", hint="What the council and its partners want to achieve together, in a few sentences.", rows=8
    )


class ElementForm(forms.Form):
    name = text_field("Name")
    description = text_field("Description", rows=6)

    def __init__(self, *args: object, kind_label: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["name"].label = f"Name of the {kind_label}"
        self.fields["description"].help_text = f"Say what the {kind_label} means for residents and partners."
