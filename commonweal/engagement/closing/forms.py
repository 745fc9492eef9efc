"""The close form: 'we asked, you said, we did' and the equality impact assessment after the responses.

Nothing is required to save a draft (nothing typed is lost); what publishing needs is checked by the service,
whose messages go beside the fields they are about."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.core.fields import radio_field, text_field

from ..models import Characteristic, ImpactAssessment
from .services import PAPER_MAX_MB, ImpactDraft


class WeDidForm(forms.Form):
    you_said = text_field(
        "You said: what people told us",
        hint="A summary of the responses in plain English. We started it from the results: check and edit it. "
        "Do not quote anyone in a way that could identify them, and never give a figure for fewer than 10 people.",
        what="what people said",
        max_length=10000,
        rows=8,
    )
    decision = text_field(
        "We did: what was decided",
        hint="The decision as it was made, and who made it.",
        what="what was decided",
        max_length=10000,
        rows=6,
    )
    how_changed = text_field(
        "How the responses changed it",
        hint="What is different because of what people said, or, where nothing changed, why not.",
        what="how the responses changed it",
        max_length=10000,
        rows=6,
    )
    decision_paper_url = forms.URLField(
        label="Link to the decision paper (optional)",
        help_text="The committee or cabinet report on the council's website, starting https://",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the link to the decision paper as a web address, like https://www.example.gov.uk/report",
            "max_length": "The link to the decision paper must be 500 characters or fewer",
        },
    )
    decision_paper = forms.FileField(
        label="Upload the decision paper (optional)",
        help_text=f"A PDF, Word document (DOCX) or OpenDocument text (ODT), smaller than {PAPER_MAX_MB}MB.",
        required=False,
        error_messages={"invalid": "The selected file could not be read. Choose the file again."},
    )


class ImpactForm(forms.Form):
    """One characteristic's row of the assessment after the responses (prefixed by the characteristic)."""

    def __init__(self, data: Any = None, *, characteristic: str) -> None:
        super().__init__(data, prefix=characteristic)
        self.characteristic = characteristic
        label = str(Characteristic(characteristic).label)
        self.label = label
        self.fields["impact"] = radio_field(
            f"{label}: likely impact after the responses",
            ImpactAssessment.Impact.choices,
            invalid=f"Choose the likely impact on people by {label.lower()} from the list.",
        )
        self.fields["evidence"] = text_field(
            f"{label}: evidence",
            hint="What the responses (and any other evidence) showed.",
            what=f"the evidence for {label.lower()}",
            max_length=5000,
            rows=3,
        )
        self.fields["mitigations"] = text_field(
            f"{label}: mitigations",
            hint="Needed where the impact is negative: what will reduce or remove it.",
            what=f"the mitigations for {label.lower()}",
            max_length=5000,
            rows=3,
        )

    def draft(self) -> ImpactDraft:
        data = self.cleaned_data
        return ImpactDraft(
            impact=data.get("impact") or "", evidence=data.get("evidence", ""), mitigations=data.get("mitigations", "")
        )
