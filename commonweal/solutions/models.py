"""The Solutions Framework: blockages that community action runs into, routed to the council departments that own
the rule or process in the way, named to a champion when more than one department is involved, timed against
the council's service standards in working days, escalated when late, and closed with the learning shared.
Community asset transfers are a case type of their own, with sign-offs by departments on the same clock.

FixMyStreet's shape (a category routed to contacts, a state) plus what it lacks: a clock per stage, a named
owner across departments, escalation and learning (see workflows.py for the transitions and who takes them).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Organisation
from commonweal.core.models import Step
from commonweal.core.status import tag_colours

DEPARTMENTS = {"kind": Organisation.Kind.COUNCIL_DEPARTMENT}


class Category(models.Model):
    """What kind of blockage it is ('Trees and planting', 'Use of parks'), and the routing rule: the departments
    a blockage of this kind goes to, and the champion named when it needs more than one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        _("what it covers"), max_length=300, blank=True, help_text=_("Shown to people choosing a category.")
    )
    departments = models.ManyToManyField(
        Organisation,
        related_name="solution_categories",
        limit_choices_to=DEPARTMENTS,
        verbose_name=_("departments it goes to"),
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("champion named when more than one department is involved"),
    )
    is_active = models.BooleanField(_("offered to people raising a blockage"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """The stages a service standard times: each starts when the step before it is taken."""

    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    AGREE_STEPS = "agree_steps", _("Agree the steps")
    RESOLVE = "resolve", _("Resolve")
    SHARE_LEARNING = "share_learning", _("Share the learning")
    SIGN_OFF = "sign_off", _("Sign off an asset transfer")


# What a council starts with, in working days (it changes them on the service standards page).
DEFAULT_STANDARDS = {
    Stage.ACKNOWLEDGE: 5,
    Stage.AGREE_STEPS: 20,
    Stage.RESOLVE: 60,
    Stage.SHARE_LEARNING: 20,
    Stage.SIGN_OFF: 20,
}


class ServiceStandard(models.Model):
    """How many working days the council gives itself for a stage: 'acknowledge within 5 working days'."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.working_days} working days"


class SolutionsSettings(models.Model):
    """The council's own settings for the app (one row): the whole-case target for asset transfers, and how long
    a breach waits at the champion before it goes to the stewards."""

    transfer_target_months = models.PositiveSmallIntegerField(
        _("target for a whole asset transfer, in months"),
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    escalate_to_stewards_after = models.PositiveSmallIntegerField(
        _("working days a breach waits at the champion before it goes to the stewards"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name_plural = _("solutions settings")

    def __str__(self) -> str:
        return "Solutions Framework settings"

    @classmethod
    def current(cls) -> SolutionsSettings:
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class BlockageQuerySet(models.QuerySet["Blockage"]):
    def open(self) -> BlockageQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def public(self) -> BlockageQuerySet:
        """What the public log shows: every confirmed blockage (a resident's unconfirmed one is not there yet)."""
        return self.exclude(status=Blockage.Status.UNCONFIRMED)


class Blockage(models.Model):
    """Something a rule, process or habit of the council is blocking: what, where, what was tried, what would
    help. Raised by a group member, an officer or a resident (who confirms their email first)."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the email to be confirmed")
        RAISED = "raised", _("Raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        STEPS_AGREED = "steps_agreed", _("Steps agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for the person who raised it")
        RESOLVED = "resolved", _("Resolved")
        NOT_RESOLVABLE = "not_resolvable", _("Could not be resolved")
        LEARNING_SHARED = "learning_shared", _("Learning shared")
        JOINED = "joined", _("Joined to another blockage")

    class Change(models.TextChoices):
        """What changed because of it, when it closed."""

        RULE = "rule", _("A rule or policy")
        PROCESS = "process", _("A process")
        GUIDANCE = "guidance", _("Guidance")
        CONTACT = "contact", _("A contact or who to ask")
        NOTHING = "nothing", _("Nothing changed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("what is blocked, in a few words"), max_length=150)
    description = models.TextField(_("what is blocked"), max_length=5000)
    council_process = models.TextField(
        _("which council process or rule seems to be in the way"), max_length=2000, blank=True
    )
    tried = models.TextField(_("what you have tried"), max_length=2000, blank=True)
    would_help = models.TextField(_("what would help"), max_length=2000, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="blockages")
    ward = models.ForeignKey("places.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="blockages")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The asset it is about, where there is one in the directory (a park, a hall).
    asset = models.ForeignKey(
        "directory.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="blockages"
    )

    # Who raised it: a person signed in (perhaps for their group), or a resident by their email alone.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="blockages_raised"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockages_raised",
        verbose_name=_("raised for this group"),
    )
    raiser_name = models.CharField(_("your name"), max_length=150, blank=True)
    raiser_email = models.EmailField(_("your email address"), blank=True)
    raiser_phone = models.CharField(_("your phone number"), max_length=40, blank=True)
    # A resident without an account confirms their address by following a link: this is the link's secret.
    confirm_token = models.CharField(max_length=64, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    show_raiser = models.BooleanField(
        _("show who raised it on the public log"),
        default=False,
        help_text=_("Otherwise the public log shows only that a resident or a group raised it."),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RAISED, db_index=True)
    # Where it was before its last step: 'waiting for the raiser' goes back there (core.workflow.BACK).
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    # A blockage the raiser joined to one already open: it follows that one, and nothing it said is lost.
    joined_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="joined")
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockages_championed",
    )
    departments: models.ManyToManyField[Organisation, Part] = models.ManyToManyField(
        Organisation, through="Part", related_name="blockages"
    )

    # The clock: the stage being timed, when it started, when it is due (a working day), and how far it has been
    # escalated (0 none, 1 champion, 2 stewards). Waiting for the raiser stops it: `paused_at` holds since when;
    # on resuming, the due date moves on by the working days spent waiting, added up in `paused_days`.
    stage = models.CharField(_("stage being timed"), max_length=20, choices=Stage.choices, blank=True)
    stage_started_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    breached_on = models.DateField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    # Closing: why it could not be resolved, what changed, and Sefton's reflection.
    outcome = models.TextField(_("what happened"), max_length=5000, blank=True)
    change = models.CharField(_("what changed"), max_length=12, choices=Change.choices, blank=True)
    change_detail = models.TextField(_("what changed, in detail"), max_length=3000, blank=True)
    reflection = models.TextField(_("what if it had been done differently"), max_length=3000, blank=True)

    raised_at = models.DateTimeField(_("raised"), db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = BlockageQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["category", "status"]),
            models.Index(fields=["ward", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"B{self.pk:05d}" if self.pk else "B-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {
        Blockage.Status.RAISED,
        Blockage.Status.ACKNOWLEDGED,
        Blockage.Status.STEPS_AGREED,
        Blockage.Status.IN_PROGRESS,
        Blockage.Status.WAITING,
    }
)
CLOSED_STATUSES = frozenset({Blockage.Status.RESOLVED, Blockage.Status.NOT_RESOLVABLE, Blockage.Status.LEARNING_SHARED})

tag_colours(
    Blockage.Status,
    {
        Blockage.Status.UNCONFIRMED: "grey",
        Blockage.Status.RAISED: "blue",
        Blockage.Status.ACKNOWLEDGED: "light-blue",
        Blockage.Status.STEPS_AGREED: "turquoise",
        Blockage.Status.IN_PROGRESS: "purple",
        Blockage.Status.WAITING: "yellow",
        Blockage.Status.RESOLVED: "green",
        Blockage.Status.NOT_RESOLVABLE: "red",
        Blockage.Status.LEARNING_SHARED: "green",
        Blockage.Status.JOINED: "grey",
    },
)


class Part(models.Model):
    """One department's part in a blockage: its queue entry, what it is doing and whether it is done."""

    class Status(models.TextChoices):
        TO_DO = "to_do", _("To do")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")

    blockage = models.ForeignKey(Blockage, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="solution_parts", limit_choices_to=DEPARTMENTS
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.TO_DO)
    note = models.TextField(_("what the department is doing"), max_length=3000, blank=True)
    # Denormalised from the blockage so a department's queue is one indexed read (kept by services).
    blockage_status = models.CharField(max_length=20, db_index=True)
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["department__name"]
        constraints = [
            models.UniqueConstraint(fields=["blockage", "department"], name="solutions_part_once_per_department")
        ]
        indexes = [models.Index(fields=["department", "blockage_status"])]

    def __str__(self) -> str:
        return f"{self.department} on {self.blockage.reference}"


tag_colours(Part.Status, {Part.Status.TO_DO: "grey", Part.Status.DOING: "blue", Part.Status.DONE: "green"})


class BlockageEvent(Step):
    """A step in a blockage's life, shown to the raiser on their own page and to the public (without the
    person who took it, where `is_public`)."""

    blockage = models.ForeignKey(Blockage, on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The working days the stage that this step ended took, and whether it was late (for the dashboard).
    stage = models.CharField(max_length=20, blank=True)
    stage_working_days = models.PositiveIntegerField(null=True, blank=True)
    stage_late = models.BooleanField(default=False)

    class Meta(Step.Meta):
        indexes = [models.Index(fields=["blockage", "at"])]


class Escalation(models.Model):
    """A late stage sent up: to the champion (level 1), then to the stewards (level 2). One per stage and level,
    so the daily task never escalates the same lateness twice."""

    class Level(models.IntegerChoices):
        CHAMPION = 1, _("To the champion")
        STEWARDS = 2, _("To the stewards")

    blockage = models.ForeignKey(Blockage, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    stage_started_at = models.DateTimeField()
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    due_on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    sent_to = models.TextField(blank=True, help_text=_("Who was told, by name."))

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["blockage", "stage", "stage_started_at", "level"], name="solutions_escalate_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.blockage_id} at {self.stage}"


class Supporter(models.Model):
    """Someone else blocked by the same thing, who added their voice to a blockage rather than raise another."""

    blockage = models.ForeignKey(Blockage, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blockage", "user"], name="solutions_support_once")]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.blockage_id}"


class CaseStudy(models.Model):
    """A closed case written up in Sefton's structure, kept here until the learning app takes it over."""

    blockage = models.OneToOneField(
        Blockage, on_delete=models.CASCADE, null=True, blank=True, related_name="case_study"
    )
    transfer = models.OneToOneField(
        "AssetTransfer", on_delete=models.CASCADE, null=True, blank=True, related_name="case_study"
    )
    title = models.CharField(_("title"), max_length=150)
    opportunity = models.TextField(_("the opportunity"), max_length=3000)
    challenge = models.TextField(_("the challenge"), max_length=3000)
    outcome = models.TextField(_("the outcome"), max_length=3000)
    learning_for = models.TextField(_("learning: what worked"), max_length=3000)
    learning_against = models.TextField(_("learning: what did not"), max_length=3000)
    is_published = models.BooleanField(_("published"), default=False)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("case studies")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


# --- community asset transfer ---------------------------------------------------------------------


class AssetTransfer(models.Model):
    """A group's expression of interest in a council building or space, taken through to a decision and a
    lease, with sign-offs by estates, legal and finance on the working-day clock."""

    class Status(models.TextChoices):
        INTEREST = "interest", _("Expression of interest")
        SUPPORT = "support", _("Support from a VCS support body")
        BUSINESS_CASE = "business_case", _("Business case")
        SIGN_OFFS = "sign_offs", _("Sign-offs")
        DECISION = "decision", _("Decision")
        LEASE = "lease", _("Lease")
        TRANSFERRED = "transferred", _("Transferred")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey("directory.Asset", on_delete=models.PROTECT, related_name="transfers")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="asset_transfers", verbose_name=_("group")
    )
    support_body = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers_supported",
        verbose_name=_("VCS support body"),
    )
    proposed_use = models.TextField(_("what the group would use it for"), max_length=5000)
    community_benefit = models.TextField(_("how the community would benefit"), max_length=5000)
    status = models.CharField(_("stage"), max_length=20, choices=Status.choices, default=Status.INTEREST)
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("the decision and its reasons"), max_length=5000, blank=True)
    lease_years = models.PositiveSmallIntegerField(_("length of the lease in years"), null=True, blank=True)
    lease_starts_on = models.DateField(_("lease starts"), null=True, blank=True)
    started_at = models.DateTimeField(db_index=True)
    stage_started_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.asset} for {self.organisation}"

    @property
    def reference(self) -> str:
        return f"T{self.pk:04d}" if self.pk else "T-new"


tag_colours(
    AssetTransfer.Status,
    {
        AssetTransfer.Status.INTEREST: "blue",
        AssetTransfer.Status.SUPPORT: "light-blue",
        AssetTransfer.Status.BUSINESS_CASE: "turquoise",
        AssetTransfer.Status.SIGN_OFFS: "purple",
        AssetTransfer.Status.DECISION: "pink",
        AssetTransfer.Status.LEASE: "orange",
        AssetTransfer.Status.TRANSFERRED: "green",
        AssetTransfer.Status.DECLINED: "red",
        AssetTransfer.Status.WITHDRAWN: "grey",
    },
)


class SignOff(models.Model):
    """Estates', legal's or finance's sign-off of a transfer's business case, owned by a department, due on
    the working-day clock."""

    class Kind(models.TextChoices):
        ESTATES = "estates", _("Estates")
        LEGAL = "legal", _("Legal")
        FINANCE = "finance", _("Finance")

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SIGNED = "signed", _("Signed off")
        REFUSED = "refused", _("Refused")

    transfer = models.ForeignKey(AssetTransfer, on_delete=models.CASCADE, related_name="sign_offs")
    kind = models.CharField(_("sign-off"), max_length=10, choices=Kind.choices)
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="transfer_sign_offs", limit_choices_to=DEPARTMENTS
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.WAITING)
    note = models.TextField(_("note"), max_length=3000, blank=True)
    requested_at = models.DateTimeField()
    due_on = models.DateField(_("due"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["transfer", "kind"]
        constraints = [models.UniqueConstraint(fields=["transfer", "kind"], name="solutions_sign_off_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sign-off"


tag_colours(
    SignOff.Outcome,
    {SignOff.Outcome.WAITING: "yellow", SignOff.Outcome.SIGNED: "green", SignOff.Outcome.REFUSED: "red"},
)


class TransferEvent(Step):
    """A step in an asset transfer's life: the timeline the group, the champion and the public log read."""

    transfer = models.ForeignKey(AssetTransfer, on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")


def document_path(instance: Document, filename: str) -> str:
    # Never the uploader's file name on disk: a random name, served only through a permission check.
    owner = instance.blockage.uuid if instance.blockage_id else instance.transfer.uuid  # type: ignore[union-attr]
    return f"solutions/documents/{owner}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file attached to a blockage (a photo, a letter) or to an asset transfer at one of its stages (a
    business case, a valuation, a lease), checked for its real type and size as funding's are."""

    blockage = models.ForeignKey(Blockage, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    transfer = models.ForeignKey(
        AssetTransfer, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    title = models.CharField(_("what the document is"), max_length=150, blank=True)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(blockage__isnull=False) ^ models.Q(transfer__isnull=False),
                name="solutions_document_belongs_to_one_case",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


def public_name(blockage: Blockage) -> str:
    """Who raised it, as the public log shows it: their name or group only when they agreed."""
    if blockage.show_raiser:
        if blockage.organisation_id:
            return blockage.organisation.name  # type: ignore[union-attr]
        return blockage.raiser_name or "A resident"
    return "A community group" if blockage.organisation_id else "A resident"
