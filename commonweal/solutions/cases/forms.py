"""Forms for the council's side of a blockage. They carry what was typed; the services check the rules and say
what is wrong, so a crafted request gets the same messages as the page. Text fields have no length limit here so
nothing typed is cut short: the service says if it is too long and the form is shown again with the text in it."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.accounts.models import Organisation
from commonweal.places.models import Ward

from ..models import Blockage, Category, Part
from ..workflows import Transition
from . import queries
from .services import champions


def _text(label: str, *, hint: str = "", rows: int = 4, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=required, strip=False, widget=forms.Textarea(attrs={"rows": str(rows)})
    )


STATUS_CHOICES = [
    (queries.OPEN, "Open"),
    (queries.CLOSED, "Closed"),
    (queries.ANY, "Any status"),
    *[(value, label) for value, label in Blockage.Status.choices if value != Blockage.Status.UNCONFIRMED],
]
SORT_CHOICES = [(queries.BY_DUE, "Due date, most overdue first"), (queries.BY_AGE, "Age, oldest first")]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the address (GET): a bad value is shown beside its field, never a 500."""

    scope = forms.ChoiceField(label="Show", required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    category = forms.ModelChoiceField(
        label="Category", queryset=Category.objects.all(), required=False, empty_label="Any category"
    )
    ward = forms.ModelChoiceField(
        label="Ward", queryset=Ward.objects.order_by("name"), required=False, empty_label="Any ward"
    )
    late = forms.BooleanField(label="Late only", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(scope, queries.SCOPE_LABELS[scope]) for scope in scopes]
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]
        if len(scopes) < 2:
            self.fields["scope"].widget = forms.HiddenInput()

    def filters(self, scopes: list[str]) -> queries.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return queries.QueueFilters(
            scope=data.get("scope") or scopes[0],
            status=data.get("status") or queries.OPEN,
            category=data["category"].pk if data.get("category") else None,
            ward=data["ward"].pk if data.get("ward") else None,
            late_only=bool(data.get("late")),
            sort=data.get("sort") or queries.BY_DUE,
        )


# What each step's note is called on its form, and whether the button asks for one.
NOTE_LABELS = {
    "acknowledge": "Note to the person who raised it (optional)",
    "agree_steps": "The steps agreed",
    "start": "Note (optional)",
    "wait": "What do you need from the person who raised it?",
    "reply": "Your reply",
    "resume": "Note (optional)",
    "resolve": "How it was resolved",
    "not_resolvable": "Why it cannot be resolved",
}
BUTTONS = {
    "acknowledge": "Acknowledge",
    "agree_steps": "Agree the steps",
    "start": "Start work",
    "wait": "Put on hold for the person who raised it",
    "reply": "Send your reply",
    "resume": "Take off hold",
    "resolve": "Resolve",
    "not_resolvable": "Close as not resolvable",
}


class StepForm(forms.Form):
    """One step's form on the case page: its note (its reason, where the step needs one)."""

    reason = _text("Note", rows=3)

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", transition.name)
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.button = BUTTONS.get(transition.name, transition.name.replace("_", " ").capitalize())
        self.fields["reason"].label = NOTE_LABELS.get(transition.name, "Note (optional)")
        if transition.name == "reply":
            self.fields["reason"].help_text = "The council reads it, and the blockage goes back to where it was."
        elif transition.needs_reason:
            self.fields["reason"].help_text = "The person who raised it is emailed this."


class PartForm(forms.Form):
    status = forms.ChoiceField(label="Where your department's part stands", choices=Part.Status.choices)
    note = _text("What your department is doing", rows=3)

    def __init__(self, *args: Any, part: Part, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"part-{part.pk}")
        kwargs.setdefault("initial", {"status": part.status, "note": part.note})
        super().__init__(*args, **kwargs)
        self.part = part
        self.fields["status"].label = f"Where {part.department.name}'s part stands"
        self.fields["note"].label = f"What {part.department.name} is doing"


class ChampionForm(forms.Form):
    champion = forms.ModelChoiceField(
        label="Champion", queryset=champions(), empty_label="Choose a champion", required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "champion")
        super().__init__(*args, **kwargs)
        self.fields["champion"].queryset = champions()  # type: ignore[attr-defined]
        self.fields["champion"].label_from_instance = lambda user: user.full_name or user.email  # type: ignore[attr-defined]
        self.fields["champion"].error_messages["required"] = "Choose the champion."
        self.fields["champion"].error_messages["invalid_choice"] = "Choose someone who holds the champion role."


class AddDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(
        label="Send it to another department too",
        queryset=Organisation.objects.none(),
        empty_label="Choose a department",
    )

    def __init__(self, *args: Any, blockage: Blockage, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "department")
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT)
            .exclude(solution_parts__blockage=blockage)
            .order_by("name")
        )
        field.error_messages["required"] = "Choose a department."
        field.error_messages["invalid_choice"] = "Choose a council department not already working on it."


class LearningForm(forms.Form):
    change = forms.ChoiceField(
        label="What changed because of it?",
        choices=Blockage.Change.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    change_detail = _text("What changed, in detail", hint="The rule, process, guidance or contact, and how.")
    reflection = _text(
        "What if it had been done differently?",
        hint="Sefton's question: what might have happened, and what would you do differently next time?",
    )


class CaseStudyForm(forms.Form):
    """Sefton's structure for a case study."""

    title = forms.CharField(label="Title", required=False, strip=False)
    opportunity = _text("The opportunity", hint="What the group set out to do, and why it mattered.", rows=5)
    challenge = _text("The challenge", hint="What was in the way: the rule, process or habit.", rows=5)
    outcome = _text("The outcome", rows=5)
    learning_for = _text("Learning: what worked", rows=5)
    learning_against = _text("Learning: what did not", rows=5)
    is_published = forms.BooleanField(label="Publish it on the public list of case studies", required=False)
