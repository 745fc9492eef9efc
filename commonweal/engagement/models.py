"""Engagement: consultations that meet the Gunning principles and close the loop ('we asked, you said, we did'),
participatory budgets, and the calendar of forums and events with the ward councillors invited to them.

Citizen Space's shape (forthcoming, open, closed; 'we asked, you said, we did') plus what no anchor has: a
Gunning check that must be complete before a consultation opens, a community equality impact assessment
published with it and revisited at closing, and results that never show a group smaller than ten.

The areas (one package each) add their own tables in their own migrations: responding, analysis, budgets,
forums. What more than one of them needs is here.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Organisation
from commonweal.places.models import Locality, Ward

DEPARTMENTS = {"kind": Organisation.Kind.COUNCIL_DEPARTMENT}


class EngagementSettings(models.Model):
    """The council's own rules for consultations (one row): how long one runs unless a reason is recorded,
    the shortest it may ever run, and how soon after closing 'we did' is due."""

    default_weeks = models.PositiveSmallIntegerField(
        _("usual length of a consultation, in weeks"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("A shorter consultation needs a recorded reason."),
    )
    minimum_weeks = models.PositiveSmallIntegerField(
        _("shortest a consultation may ever run, in weeks"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    outcome_weeks = models.PositiveSmallIntegerField(
        _("weeks after closing by which 'we did' is published"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )

    class Meta:
        verbose_name = _("engagement settings")
        verbose_name_plural = _("engagement settings")

    def __str__(self) -> str:
        return str(_("Engagement settings"))

    @classmethod
    def current(cls) -> EngagementSettings:
        """The one row, made with the defaults the first time it is asked for."""
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class SchoolHoliday(models.Model):
    """A school holiday in the council's area: a consultation running over one is warned about (fewer parents
    and young people respond), so the council keeps its own term dates."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="holiday_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Councillor(models.Model):
    """An elected ward councillor (the `councillor` role): sees the engagement in their wards and is invited
    to the events held there."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="councillor")
    wards = models.ManyToManyField(Ward, related_name="councillors", verbose_name=_("wards they represent"))
    party = models.CharField(_("party"), max_length=100, blank=True)

    def __str__(self) -> str:
        return str(self.user)


class Consultation(models.Model):
    """A question the council puts to residents and groups before it decides: what is proposed, what is still
    open, who is affected, the questions, the dates, the Gunning check and the equality impact assessment.

    Its status is the workflow's (workflows.CONSULTATION); whether a published one is forthcoming, open or
    closed is read from its dates (`phase`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FORTHCOMING = "forthcoming", _("Forthcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary in plain English"), max_length=2000)
    proposal = models.TextField(_("what is proposed"), max_length=20000)
    options_open = models.TextField(
        _("what is still open"),
        max_length=10000,
        help_text=_("The options being considered and what can still change because of what people say."),
    )
    background = models.TextField(_("background"), max_length=20000, blank=True)
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        limit_choices_to=DEPARTMENTS,
        verbose_name=_("department running it"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_email = models.EmailField(_("email address for questions"), blank=True)
    # Who is affected.
    wards = models.ManyToManyField(Ward, blank=True, related_name="consultations", verbose_name=_("wards affected"))
    groups = models.ManyToManyField(
        Organisation, blank=True, related_name="consultations_affecting", verbose_name=_("groups affected")
    )
    affected_people = models.TextField(_("who else is affected"), max_length=2000, blank=True)
    # To Element, limited to themes (as funding's are): an M2M to the Theme proxy cannot build its related manager.
    themes = models.ManyToManyField(
        "framework.Element",
        blank=True,
        related_name="consultations",
        limit_choices_to={"kind": "theme"},
        verbose_name=_("themes"),
    )
    # Dates: opens at the start of opens_on, closes at the end of closes_on (the council's local time).
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    short_period_reason = models.TextField(_("why it runs for less than the usual length"), max_length=2000, blank=True)
    allows_many_responses = models.BooleanField(_("a person may respond more than once"), default=False)

    # The Gunning check (R v Brent LBC ex p Gunning, 1985): completed before the consultation may open, and
    # shown publicly with it.
    # (1) Formative stage: no decision has been made.
    decision_maker = models.CharField(_("who makes the decision"), max_length=200, blank=True)
    decision_due_on = models.DateField(_("when the decision is planned"), null=True, blank=True)
    formative_statement = models.TextField(
        _("why the proposal is still at a formative stage"), max_length=5000, blank=True
    )
    # (2) Sufficient reasons and information.
    information_statement = models.TextField(
        _("the reasons and information given, so people can respond intelligently"), max_length=5000, blank=True
    )
    # (3) Adequate time: the dates above, and short_period_reason.
    # (4) Conscientious consideration.
    consideration_plan = models.TextField(_("how the responses will be considered"), max_length=5000, blank=True)
    considered_by = models.CharField(_("who will consider them"), max_length=200, blank=True)
    gunning_completed_at = models.DateTimeField(null=True, blank=True)
    gunning_completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(_("why it was withdrawn"), max_length=2000, blank=True)

    # 'We asked, you said, we did': written when the decision is made.
    decision = models.TextField(_("what was decided"), max_length=10000, blank=True)
    how_changed = models.TextField(_("how the responses changed it"), max_length=10000, blank=True)
    decision_paper_url = models.URLField(_("link to the decision paper"), max_length=500, blank=True)
    # Closing the loop (closing/): what people said, in the officer's words, and the overall figures as they
    # stood when 'we did' was published (small groups already suppressed); how many asked to hear back.
    you_said = models.TextField(_("what people said"), max_length=10000, blank=True)
    you_said_figures = models.JSONField(default=dict, blank=True)
    hear_back_total = models.PositiveIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        indexes = [models.Index(fields=["status", "opens_on", "closes_on"], name="consultation_phase")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(opens_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def phase(self, today: date) -> str:
        """Where it stands for the public on `today` (the council's local date)."""
        if self.status != self.Status.PUBLISHED:
            return str(self.status)
        if self.opens_on is None or today < self.opens_on:
            return self.Phase.FORTHCOMING
        if self.closes_on is None or today <= self.closes_on:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    def is_open(self, today: date) -> bool:
        return self.phase(today) == self.Phase.OPEN


class Document(models.Model):
    """A document published with a consultation: the consultation document, its easy-read version, other
    languages and formats, background papers, and the decision paper."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation document")
        EASY_READ = "easy_read", _("Easy read version")
        OTHER_LANGUAGE = "other_language", _("In another language")
        OTHER_FORMAT = "other_format", _("In another format (large print, audio, BSL)")
        BACKGROUND = "background", _("Background paper")
        DECISION = "decision", _("Decision paper")
        RESPONSE_FORM = "response_form", _("Paper response form")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("what it is"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=50, blank=True, default="English")
    file = models.FileField(_("file"), upload_to="engagement/documents/%Y/%m/", max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a consultation. Choices are kept as a list of labels; an answer stores the positions of
    the labels chosen, so relabelling a typo never breaks the counts."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Choose one")
        MULTIPLE = "multiple", _("Choose any that apply")
        SCALE = "scale", _("A scale (for example 1 to 5)")
        TEXT = "text", _("Free text")
        RANKING = "ranking", _("Put options in order")
        PIN = "pin", _("A place on a map of the borough")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of question"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_points = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(2), MaxValueValidator(11)])
    scale_low = models.CharField(_("label for the lowest point"), max_length=60, blank=True)
    scale_high = models.CharField(_("label for the highest point"), max_length=60, blank=True)

    class Meta:
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.RANKING}


class Characteristic(models.TextChoices):
    """The nine protected characteristics of the Equality Act 2010, and socio-economic disadvantage (the
    Act's section 1 duty, which councils assess beside them)."""

    AGE = "age", _("Age")
    DISABILITY = "disability", _("Disability")
    GENDER_REASSIGNMENT = "gender_reassignment", _("Gender reassignment")
    MARRIAGE = "marriage", _("Marriage and civil partnership")
    PREGNANCY = "pregnancy", _("Pregnancy and maternity")
    RACE = "race", _("Race")
    RELIGION = "religion", _("Religion or belief")
    SEX = "sex", _("Sex")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")
    SOCIO_ECONOMIC = "socio_economic", _("Socio-economic disadvantage")


class ImpactAssessment(models.Model):
    """One row of a community equality impact assessment: for one characteristic, the likely impact, the
    evidence and the mitigations. Written before a consultation opens and revisited at closing with what the
    responses showed; both are published."""

    class Stage(models.TextChoices):
        LAUNCH = "launch", _("When it opened")
        CLOSING = "closing", _("After the responses")

    class Impact(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")
        UNKNOWN = "unknown", _("Not known yet")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="impacts")
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.LAUNCH)
    characteristic = models.CharField(_("characteristic"), max_length=20, choices=Characteristic.choices)
    impact = models.CharField(_("likely impact"), max_length=10, choices=Impact.choices)
    evidence = models.TextField(_("evidence"), max_length=5000, blank=True)
    mitigations = models.TextField(_("mitigations"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["consultation", "stage", "characteristic"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "stage", "characteristic"], name="one_impact_per_characteristic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_characteristic_display()}: {self.get_impact_display()}"


class Response(models.Model):
    """One person's (or one group's) response to a consultation. A draft until submitted; only submitted
    responses are counted. A person without an account keeps their draft by an emailed link."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")
        EMAIL = "email", _("Email or letter")
        EVENT = "event", _("At an event")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
        verbose_name=_("the group it is on behalf of"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    # A person without an account resumes their draft by an emailed link: only the hash of its secret is kept.
    resume_token = models.CharField(max_length=64, blank=True, db_index=True)
    resume_expires_at = models.DateTimeField(null=True, blank=True)
    hear_back = models.BooleanField(_("tell me what was decided"), default=False)
    ward = models.ForeignKey(
        Ward, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ward")
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["consultation", "-submitted_at"]
        indexes = [models.Index(fields=["consultation", "status", "ward"], name="response_results")]

    def __str__(self) -> str:
        return f"Response to {self.consultation_id}"


class Answer(models.Model):
    """One answer to one question. Which field holds it follows the question's kind: `choices` (positions of
    the options chosen, in order for a ranking), `scale`, `text`, or `lat`/`lon` for a pin."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=10000)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class Monitoring(models.Model):
    """The optional equality monitoring answers given with a response (ONS 2021 Census categories, see
    monitoring.py): special category data, kept apart from the response, shown only in groups of ten or more
    and exported only to those allowed."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="monitoring")
    age_band = models.CharField(max_length=20, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    gender_identity = models.CharField(max_length=20, blank=True)
    sexual_orientation = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=40, blank=True)
    ethnic_group = models.CharField(max_length=20, blank=True, db_index=True)
    religion = models.CharField(max_length=20, blank=True)
    disability = models.CharField(max_length=20, blank=True)
    carer = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"Monitoring for {self.response_id}"


class Event(models.Model):
    """A resident forum, focus group, 'Big Conversation' pitch event or consultation event, by ward and
    locality, with sign-up and accessible venue details; notes are published after it."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Resident forum")
        FOCUS_GROUP = "focus_group", _("Focus group")
        BIG_CONVERSATION = "big_conversation", _("Big Conversation pitch event")
        CONSULTATION = "consultation", _("Consultation event")
        DROP_IN = "drop_in", _("Drop-in session")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind of event"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is about"), max_length=5000)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("link to join online"), blank=True)
    accessibility = models.TextField(_("access at the venue"), max_length=2000, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    bsl = models.BooleanField(_("British Sign Language interpreter"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        limit_choices_to=DEPARTMENTS,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    notes = models.TextField(_("notes of the event"), max_length=20000, blank=True)
    notes_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


from .models_analysis import AnswerTag, AnswerTheme, CountedResponse, GroupSize, Tally  # noqa: E402, F401 - the analysis area's tables, registered with the app
from .models_budgets import Ballot, BallotChoice, BallotLink, Budget, Proposal  # noqa: E402,F401 - budgets area
from .models_closing import DecisionNotice  # noqa: E402, F401  (closing area: who was told)
from .models_forums import Cancellation, Invitation, Signup  # noqa: E402,F401 - forums' tables, registered with the app
from .models_responding import AlternativeFormatRequest, ResponseConfirmation  # noqa: E402, F401 - Django finds them here
from .models_surveys import Survey, SurveyQuestion, SurveyResponse, Wave, WaveInvitation  # noqa: E402, F401 - surveys area
