"""The resident perception survey's tables (the surveys area): a survey with its questions, asked in waves; who
was invited to a wave (a one-time link each, kept as a hash) and the responses.

A response holds no name or address: its answers, and the profile questions (ward, age, sex, ethnicity,
tenure, disability) in the borough profile's categories (places.categories), which weight it to the borough.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Organisation
from commonweal.core.status import tag_colours
from commonweal.places.models import Ward

from .models import DEPARTMENTS


class Survey(models.Model):
    """A perception survey (the standard question set and the outcomes chosen), asked in waves so that the
    answers can be followed over time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is for, in plain English"), max_length=2000)
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="surveys",
        limit_choices_to=DEPARTMENTS,
        verbose_name=_("department running it"),
    )
    question_set = models.CharField(_("question set version"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """One question of a survey: its answers are kept as positions in `options`; `positive` are the positions
    counted in the headline per cent, `excluded` those kept out of its base ('Don't know')."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=40)
    text = models.CharField(_("question"), max_length=500)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    headline = models.CharField(_("what the headline per cent is of"), max_length=200)
    options = models.JSONField(default=list)
    positive = models.JSONField(default=list)
    excluded = models.JSONField(default=list)
    source = models.CharField(max_length=200, blank=True)
    outcome = models.ForeignKey(
        "framework.Element", on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_questions"
    )

    class Meta:
        ordering = ["survey", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_unique")]

    def __str__(self) -> str:
        return self.text


class Wave(models.Model):
    """One round of a survey (e.g. 'Spring 2026'): drafted, open for answers, closed, and its results published
    for everyone. Its sample is anyone who lives in the borough, or only the people invited (a link each)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Results published")

    class Sample(models.TextChoices):
        OPEN = "open", _("Open to any resident")
        INVITED = "invited", _("Only the people invited (a link each)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(max_length=120)
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    sample = models.CharField(_("who may answer"), max_length=10, choices=Sample.choices, default=Sample.OPEN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "slug"], name="wave_slug_unique_per_survey"),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(opens_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="wave_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey.title}: {self.name}"


tag_colours(
    Wave.Status,
    {Wave.Status.DRAFT: "grey", Wave.Status.OPEN: "green", Wave.Status.CLOSED: "yellow", Wave.Status.PUBLISHED: "blue"},
)


class WaveInvitation(models.Model):
    """A one-time link to answer a wave, sent to one person: only the hash of its secret is kept, and a keyed
    hash of the address it went to (so nobody is invited twice), never the address."""

    class Source(models.TextChoices):
        EMAIL = "email", _("Email address given by an officer")
        PANEL = "panel", _("The citizens' panel")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    email_hash = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.EMAIL)
    sent_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "email_hash"], condition=~models.Q(email_hash=""), name="wave_invited_once"
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.wave_id}"


class SurveyResponse(models.Model):
    """One resident's answers to a wave: `answers` maps a question's key to the position of the answer chosen
    (a question left out was not answered). The profile answers are in the borough profile's categories;
    '' is not answered and places.categories.PREFER_NOT_TO_SAY a refusal. No name or address is kept."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        WaveInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    # A keyed hash of a signed-in person's account, so they answer an open wave once.
    person_hash = models.CharField(max_length=64, blank=True)
    answers = models.JSONField(default=dict)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_refused = models.BooleanField(default=False)
    sex = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    tenure = models.CharField(max_length=80, blank=True)
    disability = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["wave", "submitted_at"]
        indexes = [models.Index(fields=["wave", "submitted_at"], name="survey_response_wave")]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "person_hash"], condition=~models.Q(person_hash=""), name="survey_response_once"
            )
        ]

    def __str__(self) -> str:
        return f"Response to {self.wave_id}"
