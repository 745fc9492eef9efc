"""Funding: themed funds and their rounds, applications, assessment, awards, payments and monitoring,
external funding sources, suppliers' social-value pledges to community needs.

The lifecycle follows Hypha's shapes (Fund → Round → Application → Review → Determination → Grant →
payments and reports), written out as plain models with explicit workflows (see workflows.py).
Awarded grants are published in the 360Giving Data Standard (see giving360.py).
Money is held as Decimal pounds with two places; every amount is GBP.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Organisation
from commonweal.core.models import Step
from commonweal.core.money import pounds
from commonweal.core.status import tag_colours

MONEY = {"max_digits": 12, "decimal_places": 2}
THEMES = {"kind": "theme"}
OUTCOMES = {"kind": "outcome"}


def money(label: Any, **extra: Any) -> Any:
    return models.DecimalField(label, validators=[MinValueValidator(Decimal("0"))], **MONEY, **extra)  # type: ignore[arg-type]


# --- funds and rounds -------------------------------------------------------------------------------


class Fund(models.Model):
    """A council funding programme, such as Merton's Civic Pride Fund, structured around framework themes."""

    name = models.CharField(_("name"), max_length=140)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for lists."))
    description = models.TextField(_("about the fund"), max_length=10000, blank=True)
    themes = models.ManyToManyField(
        "framework.Element", blank=True, related_name="funds", limit_choices_to=THEMES, verbose_name=_("themes")
    )
    total_budget = money(_("total budget (£)"), default=Decimal("0"))
    starts_on = models.DateField(_("fund starts"), null=True, blank=True)
    ends_on = models.DateField(_("fund ends"), null=True, blank=True)
    # Organisation kinds that may apply; empty means every kind except council departments and businesses.
    eligible_kinds = models.JSONField(_("kinds of organisation that may apply"), default=list, blank=True)
    must_serve_area = models.BooleanField(
        _("applicants must work in the council's area"),
        default=True,
        help_text=_("Applicants confirm their work benefits people in the area."),
    )
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "name"]

    def __str__(self) -> str:
        return self.name


class ThemeBudget(models.Model):
    """How much of a fund is set aside for one framework theme."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="theme_budgets")
    theme = models.ForeignKey("framework.Element", on_delete=models.PROTECT, limit_choices_to=THEMES)
    amount = money(_("budget (£)"))

    class Meta:
        ordering = ["theme__position", "theme__name"]
        constraints = [models.UniqueConstraint(fields=["fund", "theme"], name="theme_budget_unique_per_fund")]

    def __str__(self) -> str:
        return f"{self.theme}: {pounds(self.amount)}"


class Pot(models.Model):
    """A band of grant within a fund, e.g. up to £2,500 for groups with a yearly income under £25,000."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="pots")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("who it is for"), max_length=2000, blank=True)
    min_amount = money(_("smallest grant (£)"), default=Decimal("0"))
    max_amount = money(_("largest grant (£)"))
    max_turnover = money(
        _("yearly income under (£)"), null=True, blank=True, help_text=_("Leave empty for no income limit.")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "max_amount"]

    def __str__(self) -> str:
        return self.name


class EligibilityQuestion(models.Model):
    """A yes/no question of the eligibility checker, with the answer a group must give and why."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="eligibility_questions")
    question = models.CharField(_("question"), max_length=300)
    required_answer = models.BooleanField(_("answer needed to be eligible"), default=True)
    reason = models.CharField(
        _("what we tell a group that is not eligible"),
        max_length=500,
        help_text=_("A full sentence, e.g. 'The fund is only for work that benefits people in Merton.'"),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question


class Round(models.Model):
    """One call for applications to a fund, with its dates, prospectus, form and scoring methodology."""

    class Prospectus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN_FOR_COMMENT = "comment", _("Open for comment")
        PUBLISHED = "published", _("Published")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=140)
    slug = models.SlugField(max_length=80, unique=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes (the deadline)"))
    decisions_by = models.DateField(_("decisions expected by"), null=True, blank=True)
    prospectus_status = models.CharField(
        _("prospectus"), max_length=10, choices=Prospectus.choices, default=Prospectus.DRAFT
    )
    prospectus = models.TextField(_("prospectus"), max_length=30000, blank=True)
    methodology = models.TextField(
        _("how applications are scored"), max_length=10000, blank=True, help_text=_("Published with the prospectus.")
    )
    comments_close_at = models.DateTimeField(_("comments close"), null=True, blank=True)
    prospectus_published_at = models.DateTimeField(null=True, blank=True)
    one_per_organisation = models.BooleanField(_("one application per organisation"), default=True)
    assessors_per_application = models.PositiveSmallIntegerField(
        _("assessors per application"), default=2, validators=[MinValueValidator(1)]
    )
    score_max = models.PositiveSmallIntegerField(
        _("highest score for a criterion"), default=5, validators=[MinValueValidator(1)]
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assessing_rounds", verbose_name=_("assessors")
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "name"]

    def __str__(self) -> str:
        return f"{self.fund.name}: {self.name}"

    def is_open(self, at: object = None) -> bool:
        now = at or timezone.now()
        return self.prospectus_status == self.Prospectus.PUBLISHED and self.opens_at <= now < self.closes_at  # type: ignore[operator]

    def is_closed(self, at: object = None) -> bool:
        return (at or timezone.now()) >= self.closes_at  # type: ignore[operator]


class ProspectusComment(models.Model):
    """A group member's comment on a draft prospectus, kept with the officers' answer (co-design)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.round}"


class Question(models.Model):
    """One question of a round's application form."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short", _("Short answer")
        LONG_TEXT = "long", _("Long answer")
        NUMBER = "number", _("Number")
        ATTACHMENT = "file", _("File upload")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.LONG_TEXT)
    required = models.BooleanField(_("an answer is needed"), default=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    # File uploads: the extensions allowed (checked against the file's real content) and the largest size.
    file_types = models.JSONField(_("file types allowed"), default=list, blank=True)
    max_file_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A scoring criterion with its weight: the round's published methodology."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=140)
    guidance = models.TextField(_("what assessors look for"), max_length=3000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1)], help_text=_("The weights of a round add up to 100.")
    )
    # What each score from 0 to the round's highest means for this criterion, one line per score from 0.
    descriptors = models.JSONField(_("what each score means"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def score_descriptors(self, score_max: int) -> list[str]:
        """What each score from 0 to score_max means: the criterion's own words if it has one for every score,
        otherwise the usual ones for a scale of 0 to 5, or none for another scale."""
        if len(self.descriptors) == score_max + 1:
            return [str(line) for line in self.descriptors]
        return list(DEFAULT_DESCRIPTORS) if score_max == len(DEFAULT_DESCRIPTORS) - 1 else []


# What 0 to 5 mean when a criterion does not say: offered when a criterion is added, and shown to assessors.
DEFAULT_DESCRIPTORS = (
    "No evidence: the application does not address this.",
    "Poor: very little evidence, with serious gaps or concerns.",
    "Weak: some evidence, but with significant gaps.",
    "Adequate: meets this with some gaps or minor concerns.",
    "Good: clear evidence that meets this well.",
    "Excellent: strong, specific evidence that fully meets this.",
)


# --- applications ---------------------------------------------------------------------------------


class Application(models.Model):
    """An organisation's application to a round; its status moves along workflows.APPLICATION."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        IN_ASSESSMENT = "assessment", _("Being assessed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not funded")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    pot = models.ForeignKey(Pot, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    title = models.CharField(_("project name"), max_length=140, blank=True)
    summary = models.TextField(_("summary of the project"), max_length=5000, blank=True)
    amount_requested = money(_("amount requested (£)"), null=True, blank=True)
    turnover = money(_("your organisation's yearly income (£)"), null=True, blank=True)
    themes = models.ManyToManyField(
        "framework.Element", blank=True, related_name="applications", limit_choices_to=THEMES
    )
    wards = models.ManyToManyField("places.Ward", blank=True, related_name="applications")
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    # Answers to the round's questions, by Question pk (as a string): {"12": "Our group ..."}.
    answers = models.JSONField(default=dict, blank=True)
    # The eligibility checker's answers when the application was started, by EligibilityQuestion pk.
    eligibility = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title or self.organisation.name}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploader's file name on disk: a random name, served only through a permission check.
    return f"funding/attachments/{instance.application.uuid}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file uploaded with an application, checked for its real type and its size."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(Step):
    """A step in an application's life, shown to the applicant as its status history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.transition}"


# --- assessment -----------------------------------------------------------------------------------


class Assignment(models.Model):
    """An assessor asked to score one application; they must declare any conflict of interest first."""

    class Status(models.TextChoices):
        AWAITING_DECLARATION = "declare", _("Conflict declaration needed")
        CLEAR = "clear", _("No conflict: to score")
        CONFLICTED = "conflicted", _("Conflict of interest declared")
        SCORED = "scored", _("Scored")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.AWAITING_DECLARATION)
    conflict_reason = models.TextField(_("the conflict"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    # An officer chose this assessor for the application, rather than the balanced automatic assignment.
    chosen_by_hand = models.BooleanField(_("chosen by an officer"), default=False)
    # Why an officer assigned it before the round closed; empty when it was assigned after.
    early_reason = models.TextField(_("why it was assigned before the round closed"), max_length=1000, blank=True)
    # While the assessment is submitted (SCORED): the sum over its scores of score × the criterion's weight, which
    # divided by the round's score_max is the assessor's weighted score (0 to 100). Null until then. Kept by
    # assess.totals.record_scored in the scoring transaction, so moderation never adds up scores again.
    weighted_total = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["application", "assessor"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="assignment_unique_assessor"),
        ]
        indexes = [models.Index(fields=["assessor", "status"])]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.application_id}"


class Score(models.Model):
    """One assessor's score for one criterion, with the comment the applicant's feedback draws on."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=3000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class ApplicationTally(models.Model):
    """One application's moderation figures from its submitted assessments, worked out again from its own few
    assessments whenever one of them is scored or changed (assess.totals.record_scored), so that the moderation
    page reads them rather than adding up every score in the round."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    scored = models.PositiveIntegerField(default=0)  # submitted assessments
    total = models.PositiveIntegerField(default=0)  # the sum of their weighted_total
    mean = models.FloatField(null=True)  # weighted scores (0 to 100), as moderation.figures_from_weighted gives them
    minimum = models.FloatField(null=True)
    maximum = models.FloatField(null=True)
    stdev = models.FloatField(null=True)
    outliers = models.JSONField(default=list)  # assessors far from the others' mean
    criteria_gaps = models.JSONField(default=list)  # criteria the assessors differ on by CRITERION_GAP or more

    def __str__(self) -> str:
        return f"{self.application_id}: {self.scored} scored"


class AssessorTally(models.Model):
    """One assessor's submitted assessments in a round, counted and added up as they are scored, for the
    moderation page's leanings (how harsh or kind each assessor is against everyone)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessor_tallies")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scored = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)  # the sum of their assignments' weighted_total

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "assessor"], name="assessor_tally_unique")]

    def __str__(self) -> str:
        return f"{self.assessor_id} in {self.round_id}: {self.scored} scored"


class Decision(models.Model):
    """The panel's decision on an application, with its reasons and the feedback sent to the applicant."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Fund")
        REJECTED = "rejected", _("Do not fund")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    amount = money(_("amount to award (£)"), null=True, blank=True)
    reasons = models.TextField(_("the panel's reasons"), max_length=5000)
    feedback = models.TextField(_("feedback to the applicant"), max_length=10000, blank=True)
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application_id}"


# --- awards, payments, monitoring -----------------------------------------------------------------


class Grant(models.Model):
    """An award: offered with conditions, accepted by the group, paid in tranches, monitored by reports."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    # The internal part of the 360Giving id: 360G-<council prefix>-<reference>.
    reference = models.CharField(_("grant reference"), max_length=60, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED, db_index=True)
    status_reason = models.TextField(_("why it was declined or withdrawn"), max_length=5000, blank=True)
    amount = money(_("amount awarded (£)"))
    award_date = models.DateField(_("award date"))
    conditions = models.TextField(_("conditions of the grant"), max_length=10000, blank=True)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    starts_on = models.DateField(_("planned start"), null=True, blank=True)
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-award_date", "reference"]

    def __str__(self) -> str:
        return self.reference


class Tranche(models.Model):
    """One scheduled payment of a grant (360Giving: a disbursementTransaction once paid)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    due_on = models.DateField(_("due"))
    amount = money(_("amount (£)"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{pounds(self.amount)} due {self.due_on}"


class MonitoringReport(models.Model):
    """A monitoring report due from the group by a date; late or missing reports are flagged."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        CHANGES_REQUESTED = "changes", _("Changes asked for")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("report"), max_length=140)
    due_on = models.DateField(_("due"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE, db_index=True)
    narrative = models.TextField(_("what happened"), max_length=10000, blank=True)
    spent = money(_("money spent so far (£)"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("officer's note"), max_length=5000, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return self.status in {self.Status.DUE, self.Status.CHANGES_REQUESTED} and self.due_on < timezone.localdate()


class ReportResult(models.Model):
    """An output or outcome a monitoring report gives, against one of the framework's outcomes."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output (what you did)")
        OUTCOME = "outcome", _("Outcome (what changed)")

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    outcome = models.ForeignKey(
        "framework.Element", on_delete=models.PROTECT, null=True, blank=True, limit_choices_to=OUTCOMES
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("how many"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("e.g. people, sessions, hours"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


# --- money beyond the council ---------------------------------------------------------------------


class FundingSource(models.Model):
    """An external funder's programme that groups can apply to (the register of funding sources)."""

    funder = models.CharField(_("funder"), max_length=200)
    funder_org_id = models.CharField(_("funder's organisation identifier"), max_length=60, blank=True)
    name = models.CharField(_("programme"), max_length=200)
    what_they_fund = models.TextField(_("what they fund"), max_length=5000)
    eligibility = models.TextField(_("who can apply"), max_length=5000, blank=True)
    themes = models.ManyToManyField("framework.Element", blank=True, related_name="+", limit_choices_to=THEMES)
    min_amount = money(_("smallest grant (£)"), null=True, blank=True)
    max_amount = money(_("largest grant (£)"), null=True, blank=True)
    deadline = models.DateField(_("next deadline"), null=True, blank=True, help_text=_("Empty for rolling."))
    url = models.URLField(_("web page"), blank=True)
    is_active = models.BooleanField(_("still open to applications"), default=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["funder", "name"]

    def __str__(self) -> str:
        return f"{self.funder}: {self.name}"


class MatchFunding(models.Model):
    """Money or in-kind support a grant attracted from beyond the council: the basis of leverage figures."""

    class Kind(models.TextChoices):
        MATCH = "match", _("Match funding")
        EXTERNAL = "external", _("Other external funding")
        IN_KIND = "in_kind", _("In kind (valued)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Applied for")
        SECURED = "secured", _("Secured")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="match_funding")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MATCH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SECURED)
    funder = models.CharField(_("from whom"), max_length=200)
    funder_org_id = models.CharField(_("their organisation identifier"), max_length=60, blank=True)
    source = models.ForeignKey(FundingSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    amount = money(_("amount (£)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{pounds(self.amount)} from {self.funder}"


class HelpKind(models.TextChoices):
    MONEY = "money", _("Money")
    HOURS = "hours", _("Volunteer hours")
    GOODS = "goods", _("Goods or services")


class CommunityNeed(models.Model):
    """A cause or need a group posts for suppliers' social-value pledges: money, hours or goods."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for pledges")
        MET = "met", _("Met")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="community_needs")
    title = models.CharField(_("what you need"), max_length=140)
    description = models.TextField(_("more about it"), max_length=5000)
    kind = models.CharField(_("kind of help"), max_length=10, choices=HelpKind.choices)
    quantity = models.DecimalField(_("how much"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("£, hours, laptops…"))
    theme = models.ForeignKey(
        "framework.Element", on_delete=models.PROTECT, null=True, blank=True, limit_choices_to=THEMES, related_name="+"
    )
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


# The words a giver agrees to when they let us name them in public, stored with each consent as shown.
PLEDGE_CONSENT_WORDING = (
    "Name my business as the giver of this pledge on the public pages of the need and the pledge. I can withdraw "
    "this at any time; the pledge will then be shown without my business's name."
)


class Pledge(models.Model):
    """A supplier's social-value commitment to a community need, under a named framework and measure."""

    class Framework(models.TextChoices):
        TOMS = "toms", _("National TOMs")
        PPN002 = "ppn002", _("PPN 002 Social Value Model")
        LOCAL = "local", _("The council's own measures")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        ACCEPTED = "accepted", _("Accepted by the group")
        DELIVERED = "delivered", _("Delivered")
        VERIFIED = "verified", _("Verified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    need = models.ForeignKey(CommunityNeed, on_delete=models.PROTECT, related_name="pledges")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pledges")
    contract_reference = models.CharField(_("contract reference"), max_length=100, blank=True)
    framework = models.CharField(max_length=10, choices=Framework.choices, default=Framework.TOMS)
    framework_version = models.CharField(_("framework version"), max_length=20, blank=True)
    measure_code = models.CharField(_("measure code"), max_length=30, blank=True, help_text=_("e.g. NT29"))
    kind = models.CharField(_("kind of help"), max_length=10, choices=HelpKind.choices)
    quantity = models.DecimalField(
        _("how much"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    value = money(_("value (£)"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLEDGED, db_index=True)
    pledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pledged_at = models.DateTimeField(default=timezone.now)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), max_length=2000, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    # Consent to name the giver in public (UK GDPR): who gave it, when, and the exact words they agreed to. Without
    # it, or once withdrawn, the public pages show the pledge without the giver's name.
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_wording = models.TextField(blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pledged_at"]

    def __str__(self) -> str:
        return f"{self.supplier} to {self.need}"

    @property
    def named_publicly(self) -> bool:
        return self.consent_at is not None and self.consent_withdrawn_at is None


class Fulfilment(models.Model):
    """Part of a pledge delivered: what, when, and who confirmed it."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="fulfilments")
    delivered_on = models.DateField(_("delivered on"))
    quantity = models.DecimalField(
        _("how much"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delivered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} on {self.delivered_on}"


# The colour of each status's tag on the pages (the label is the choice's own).
A = Application.Status
tag_colours(
    A,
    {
        A.DRAFT: "grey",
        A.SUBMITTED: "blue",
        A.WITHDRAWN: "orange",
        A.IN_ASSESSMENT: "purple",
        A.APPROVED: "green",
        A.REJECTED: "red",
    },
)
tag_colours(
    Assignment.Status,
    {
        Assignment.Status.AWAITING_DECLARATION: "yellow",
        Assignment.Status.CLEAR: "blue",
        Assignment.Status.CONFLICTED: "grey",
        Assignment.Status.SCORED: "green",
    },
)
tag_colours(
    Round.Prospectus,
    {Round.Prospectus.DRAFT: "grey", Round.Prospectus.OPEN_FOR_COMMENT: "yellow", Round.Prospectus.PUBLISHED: "green"},
)
G = Grant.Status
tag_colours(G, {G.OFFERED: "blue", G.ACCEPTED: "green", G.DECLINED: "red", G.COMPLETED: "grey", G.WITHDRAWN: "red"})
R = MonitoringReport.Status
tag_colours(R, {R.DUE: "blue", R.SUBMITTED: "yellow", R.ACCEPTED: "green", R.CHANGES_REQUESTED: "orange"})
tag_colours(MatchFunding.Status, {MatchFunding.Status.PENDING: "yellow", MatchFunding.Status.SECURED: "green"})
N = CommunityNeed.Status
tag_colours(N, {N.OPEN: "blue", N.MET: "green", N.CLOSED: "grey"})
P = Pledge.Status
tag_colours(P, {P.PLEDGED: "blue", P.ACCEPTED: "blue", P.DELIVERED: "blue", P.VERIFIED: "green", P.WITHDRAWN: "grey"})
del A, G, R, N, P
