"""Forms for assessment. They carry what was typed; the services check the rules and say what is wrong, so a
crafted request gets the same messages as the web page. Text fields have no length limit here so nothing typed
is cut short: the service says if it is too long and the form is shown again with the text in it."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commonweal.places.models import CouncilArea, Ward

from ..models import Application, Criterion, Decision, Round
from .queries import ApplicationSearch


def _text(label: str, *, hint: str = "", rows: int = 0, kind: str = "text") -> forms.CharField:
    if rows:
        widget: forms.Widget = forms.Textarea(attrs={"rows": str(rows)})
    elif kind == "email":
        widget = forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    else:
        widget = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"})
    return forms.CharField(label=label, help_text=hint, required=False, strip=False, widget=widget)


class AddAssessorForm(forms.Form):
    email = _text("Email address of the person to add", hint="They need an account already.", kind="email")


class EarlyForm(forms.Form):
    """While the round is open: the officer's say-so, and why, to assign before it closes."""

    early = forms.BooleanField(
        label="Assign before the round closes",
        help_text="Only if you must: groups can still apply until the deadline.",
        required=False,
    )
    early_reason = _text(
        "Why assign before the round closes?",
        hint="Kept with each assignment and on the application's history.",
        rows=3,
    )

    def reason(self) -> str:
        """What to give the service: the reason if the box is ticked ('' if not), or a form error if it is
        ticked with no reason."""
        if not self.cleaned_data.get("early"):
            return ""
        reason = (self.cleaned_data.get("early_reason") or "").strip()
        if not reason:
            self.add_error("early_reason", "Say why you are assigning before the round closes.")
        return reason


class AssignByHandForm(EarlyForm):
    assessors = forms.MultipleChoiceField(
        label="Choose assessors",
        help_text="People who cannot assess it are listed below with the reason.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose assessors from the list: %(value)s is not one of them."},
    )
    field_order = ["assessors", "early", "early_reason"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], early: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["assessors"]).choices = choices
        if not early:
            del self.fields["early"], self.fields["early_reason"]


class DeclareForm(forms.Form):
    conflict = forms.ChoiceField(
        label="Do you have a conflict of interest in this application?",
        help_text=(
            "For example, you are a member, trustee, employee or close relative of someone at the organisation, "
            "or you would gain from its project."
        ),
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes, I have a conflict of interest")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you have a conflict of interest.",
            "invalid_choice": "Say whether you have a conflict of interest.",
        },
    )
    conflict_reason = _text(
        "If you have a conflict, what is it?", hint="Officers see this; the applicant does not.", rows=3
    )


class ScoreForm(forms.Form):
    """A score and a comment per criterion of the round, named score_<pk> and comment_<pk>."""

    def __init__(self, *args: Any, criteria: list[Criterion], score_max: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(str(n), str(n)) for n in range(score_max + 1)]
        for criterion in criteria:
            message = f"Choose a score from 0 to {score_max} for {criterion.name}."
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"Score for {criterion.name} (0 to {score_max})",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": message},
            )
            self.fields[f"comment_{criterion.pk}"] = _text(
                f"Comment on {criterion.name}",
                hint="The applicant sees your comments as feedback, without your name.",
                rows=4,
            )

        self.descriptors = {criterion.pk: criterion.score_descriptors(score_max) for criterion in criteria}

    def pairs(self) -> list[tuple[Criterion, Any, Any, list[tuple[Any, str]]]]:
        """Each criterion with its score and comment fields, and each score's radio with what it means."""
        rows = []
        for c in self.criteria:
            field = self[f"score_{c.pk}"]
            hints = self.descriptors.get(c.pk) or []
            options = [(option, hints[n] if n < len(hints) else "") for n, option in enumerate(field.subwidgets)]
            rows.append((c, field, self[f"comment_{c.pk}"], options))
        return rows


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The panel's decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to fund this application.",
            "invalid_choice": "Choose whether to fund this application.",
        },
    )
    amount = _text("Amount to award (£)", hint="Only if you fund it: no more than was asked for or the pot allows.")
    reasons = _text("The panel's reasons", hint="Kept on record; the applicant is told if it is not funded.", rows=5)
    feedback = _text(
        "Feedback to the applicant",
        hint="Drafted from the assessors' comments, without their names. Change it as you need.",
        rows=12,
    )


class ApplicationSearchForm(forms.Form):
    """Searching a round's applications (a GET form: what was chosen stays in the address, for the exports)."""

    words = forms.CharField(
        label="Name or reference",
        help_text="The project's name, the group's name or the reference.",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search for 200 characters or fewer."},
    )
    status = forms.ChoiceField(label="Status", required=False)
    ward = forms.TypedChoiceField(label="Ward", required=False, coerce=int, empty_value=None)
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council = CouncilArea.current()
        wards = Ward.objects.filter(council=council) if council is not None else Ward.objects.all()
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["status"].choices = [("", "Any status"), *Application.Status.choices]
        fields["ward"].choices = [("", "Any ward"), *wards.order_by("name").values_list("pk", "name")]
        themes = round.fund.themes.order_by("name").values_list("pk", "name")
        fields["theme"].choices = [("", "Any theme"), *themes]
        for name, what in (("status", "a status"), ("ward", "a ward"), ("theme", "a theme")):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {what} from the list."

    def search(self) -> ApplicationSearch:
        """The search as chosen; a field with a problem (shown beside it) counts as not chosen."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return ApplicationSearch(
            words=data.get("words") or "",
            status=data.get("status") or "",
            ward=data.get("ward"),
            theme=data.get("theme"),
        )
