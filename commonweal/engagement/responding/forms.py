"""The forms of responding: one question page (its fields follow the question's kind), about you, equality
monitoring, 'save and come back later', and asking for another format. Forms check shapes; the services check
the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import EmailValidator

from commonweal.core.fields import radio_field, text_field
from commonweal.core.forms import HoneypotMixin, coordinate

from .. import monitoring
from ..models import Answer, Question
from ..models_responding import AlternativeFormatRequest
from .services import AboutYou, FormatRequest, Given, ordinal

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com."


class QuestionForm(forms.Form):
    """One question's answer. Field names: `answer` (choices, scale, text), `rank_<n>` (a ranking: the place
    given to option n), `postcode`, `latitude`, `longitude` (a pin)."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        kind = Question.Kind
        options = [(str(n), str(label)) for n, label in enumerate(question.options or [])]
        label = question.text
        if question.kind == kind.SINGLE:
            self.fields["answer"] = radio_field(label, options, invalid="Choose from the list.")
        elif question.kind == kind.MULTIPLE:
            self.fields["answer"] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose from the list."},
            )
        elif question.kind == kind.SCALE:
            points = []
            for n in range(1, question.scale_points + 1):
                end = question.scale_low if n == 1 else question.scale_high if n == question.scale_points else ""
                points.append((str(n), f"{n} – {end}" if end else str(n)))
            self.fields["answer"] = radio_field(label, points, invalid="Choose a point on the scale.")
        elif question.kind == kind.TEXT:
            self.fields["answer"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": "8"}), strip=True
            )
        elif question.kind == kind.RANKING:
            places = [("", "Choose a place")] + [(str(n), ordinal(n)) for n in range(1, len(options) + 1)]
            for position, option in options:
                self.fields[f"rank_{position}"] = forms.ChoiceField(
                    label=option,
                    required=False,
                    choices=places,
                    error_messages={"invalid_choice": f"Choose a place from 1st to {ordinal(len(options))}."},
                )
        elif question.kind == kind.PIN:
            self.fields["postcode"] = text_field("Postcode", width="10", max_length=100)
            self.fields["latitude"] = text_field(
                "Latitude", hint="Click or tap the map to fill this in, or type it, like 51.4101.", width="10"
            )
            self.fields["longitude"] = text_field("Longitude", hint="Like -0.1945.", width="10")
            self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean_latitude(self) -> float | None:
        return coordinate(self.cleaned_data.get("latitude", ""), "latitude")

    def clean_longitude(self) -> float | None:
        return coordinate(self.cleaned_data.get("longitude", ""), "longitude")

    def given(self) -> Given:
        data = self.cleaned_data
        kind = Question.Kind
        question = self.question
        if question.kind in (kind.SINGLE, kind.MULTIPLE):
            raw = data.get("answer") or []
            chosen = [raw] if isinstance(raw, str) else list(raw)
            return Given(choices=[int(c) for c in chosen if str(c).isdigit()])
        if question.kind == kind.SCALE:
            raw = data.get("answer") or ""
            return Given(scale=int(raw) if str(raw).isdigit() else None)
        if question.kind == kind.TEXT:
            return Given(text=data.get("answer") or "")
        if question.kind == kind.RANKING:
            places = [data.get(f"rank_{n}") or "" for n in range(len(question.options or []))]
            if not any(places):
                return Given()
            return Given(choices=[int(p) if p.isdigit() else 0 for p in places])
        return Given(
            postcode=data.get("postcode") or "", latitude=data.get("latitude"), longitude=data.get("longitude")
        )

    @classmethod
    def initial_for(cls, question: Question, answer: Answer | None) -> dict[str, Any]:
        """What the page shows for an answer already kept in the draft."""
        if answer is None:
            return {}
        kind = Question.Kind
        if question.kind == kind.SINGLE:
            return {"answer": str(answer.choices[0]) if answer.choices else ""}
        if question.kind == kind.MULTIPLE:
            return {"answer": [str(c) for c in answer.choices]}
        if question.kind == kind.SCALE:
            return {"answer": str(answer.scale or "")}
        if question.kind == kind.TEXT:
            return {"answer": answer.text}
        if question.kind == kind.RANKING:
            return {f"rank_{option}": str(place) for place, option in enumerate(answer.choices, start=1)}
        return {
            "latitude": f"{answer.lat:.6f}" if answer.lat is not None else "",
            "longitude": f"{answer.lon:.6f}" if answer.lon is not None else "",
        }

    def rank_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("rank_")]


class AboutYouForm(HoneypotMixin, forms.Form):
    postcode = text_field(
        "Your postcode (optional)",
        hint="So the council can see what people in each ward think. We keep only the ward, not your postcode.",
        width="10",
        max_length=100,
    )
    organisation = radio_field(
        "Are you responding on behalf of a group?",
        [],
        invalid="You can only respond on behalf of a group you are a member of.",
    )
    name = text_field("Your name (optional)", what="your name", max_length=200, width="20")
    email = text_field(
        "Your email address",
        hint="We email you a link to confirm your response, and a copy of your answers.",
        what="your email address",
        kind="email",
        max_length=254,
        width="20",
    )
    hear_back = forms.BooleanField(
        label="Tell me what was decided",
        required=False,
        help_text="We email you once the council has decided, with how the responses changed the decision.",
    )

    def __init__(self, *args: Any, signed_in: bool, groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        if groups:
            choices = [("", "No, just for myself")] + [(str(g.pk), f"Yes, for {g.name}") for g in groups]
            cast(forms.ChoiceField, self.fields["organisation"]).choices = choices
        else:
            del self.fields["organisation"]
        if signed_in:
            for name in ("name", "email", self.honeypot_field):
                del self.fields[name]
        else:
            self.fields["email"].validators.append(EmailValidator(message=EMAIL_FORMAT))
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_organisation(self) -> int | None:
        value = self.cleaned_data.get("organisation") or ""
        return int(value) if str(value).isdigit() else None

    def about(self) -> AboutYou:
        data = self.cleaned_data
        return AboutYou(
            postcode=data.get("postcode") or "",
            organisation_id=data.get("organisation"),
            name=data.get("name") or "",
            email=data.get("email") or "",
            hear_back=bool(data.get("hear_back")),
        )


class MonitoringForm(forms.Form):
    """Every ONS 2021 Census question, each optional with 'Prefer not to say'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in monitoring.QUESTIONS:
            field = radio_field(f"{question.text} (optional)", list(question.choices))
            field.help_text = question.hint
            self.fields[question.field] = field

    def answers(self) -> dict[str, str]:
        return {q.field: self.cleaned_data.get(q.field) or "" for q in monitoring.QUESTIONS}


class ResumeForm(HoneypotMixin, forms.Form):
    email = text_field(
        "Your email address",
        hint="We email you a link back to your answers.",
        what="your email address",
        kind="email",
        max_length=254,
        width="20",
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].validators.append(EmailValidator(message=EMAIL_FORMAT))
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].error_messages["required"] = "Enter your email address, so we can send you the link."


class FormatRequestForm(HoneypotMixin, forms.Form):
    need = radio_field(
        "What do you need?",
        AlternativeFormatRequest.Need.choices,
        invalid="Choose what you need.",
    )
    language = text_field("Which language? (if another language)", what="the language", max_length=100, width="20")
    name = text_field("Your name", what="your name", max_length=200, width="20")
    email = text_field(
        "Your email address (optional)", what="your email address", kind="email", max_length=254, width="20"
    )
    phone = text_field("Your phone number (optional)", what="your phone number", max_length=40, width="20")
    address = text_field("Your postal address (optional)", what="your postal address", max_length=500, rows=3)
    details = text_field(
        "Anything else we should know (optional)", what="what else we should know", max_length=2000, rows=4
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].validators.append(EmailValidator(message=EMAIL_FORMAT))
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    def asked(self) -> FormatRequest:
        data = self.cleaned_data
        return FormatRequest(**{name: data.get(name) or "" for name in FormatRequest.__dataclass_fields__})
