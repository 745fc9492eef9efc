"""The citizens' panel: a pool of volunteers, selections with quotas, and their published draws.

A volunteer's personal data (name, contact details, address, the features asked) is kept until `erase_after`
(the council's retention period, core.RetentionPeriod "panel_volunteers", from when they agreed) and then erased by
a background task; a period the council shortens later applies to everyone already in the pool. A selection
keeps its own anonymous copy of the pool it was run on (SelectionMember rows and the `pool` snapshot), so a
published draw can still be checked by anyone after the volunteers behind it have been erased.

A selection moves along workflows.SELECTION: draft, quotas set, running (a background job), distribution
ready, lottery published (the m panels and their SHA-256 digest fixed before the draw), drawn (the public
random number picks one panel). Replacements for people who drop out are a selection of their own, with its
own quotas, lottery and draw, made from the drawn one (`replaces`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.status import tag_colours
from commonweal.places.categories import DISABILITIES, ETHNICITIES, PREFER_NOT_TO_SAY, SEXES, TENURES
from commonweal.places.models import Ward


def _choices(values: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values] + [(PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY)]


SEX_CHOICES = _choices(SEXES)
ETHNICITY_CHOICES = _choices(list(ETHNICITIES))
TENURE_CHOICES = _choices(TENURES)
DISABILITY_CHOICES = _choices(DISABILITIES)

# The youngest a volunteer may be: the Sortition Foundation's and most UK councils' panels take 16 and over.
MIN_AGE = 16


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Volunteer(models.Model):
    """A resident who has volunteered for the citizens' panel (or was imported from a council's list)."""

    class Source(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        IMPORTED = "imported", _("Imported")

    class Status(models.TextChoices):
        IN_POOL = "in_pool", _("In the pool")
        SELECTED = "selected", _("Selected for a panel")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), max_length=254)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    address_line = models.CharField(_("first line of address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=8)
    # One volunteer per household: the address's first line and postcode, lower case, without punctuation.
    household = models.CharField(max_length=220, unique=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="panel_volunteers")
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    sex = models.CharField(_("sex"), max_length=20, choices=SEX_CHOICES)
    ethnicity = models.CharField(_("ethnic group"), max_length=80, choices=ETHNICITY_CHOICES)
    tenure = models.CharField(_("housing tenure"), max_length=80, choices=TENURE_CHOICES)
    disability = models.CharField(_("disability"), max_length=80, choices=DISABILITY_CHOICES)
    consent_at = models.DateTimeField(_("consent given"))
    consent_wording = models.TextField(_("the privacy wording they agreed to"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SIGNED_UP)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="panel_volunteers"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_POOL, db_index=True)
    # The secret in the link emailed to them, to see their panel status without an account.
    status_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    erase_after = models.DateField(_("erase after"), db_index=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Volunteer {self.pk}"


tag_colours(
    Volunteer.Status, {Volunteer.Status.IN_POOL: "blue", Volunteer.Status.SELECTED: "green", "withdrawn": "grey"}
)


class Selection(models.Model):
    """One selection of k people from the pool, with its quotas, its fair distribution, lottery and draw."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUOTAS_SET = "quotas_set", _("Quotas set")
        RUNNING = "running", _("Running")
        READY = "ready", _("Distribution ready")
        PUBLISHED = "published", _("Lottery published")
        DRAWN = "drawn", _("Drawn")

    class Method(models.TextChoices):
        LEXIMIN = "leximin", _("Leximin (fairest: raises the lowest chances first)")
        MAXIMIN = "maximin", _("Maximin (raises only the lowest chance)")
        LEGACY = "legacy", _("Legacy (the older greedy method, for comparison)")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("name"), max_length=140)
    k = models.PositiveSmallIntegerField(_("panel size"), validators=[MinValueValidator(1)])
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.LEXIMIN)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # A selection of replacements for people who dropped out of this one's drawn panel.
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replacements")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)
    # The anonymous inputs the run used: {"features": [...], "people": [[number, household, value, ...], ...]},
    # frozen when the run starts, so the published inputs are exactly what was run.
    pool = models.JSONField(default=dict, blank=True)
    # The background run: its job, how far it has got, and why it failed (blank if it did not).
    job_id = models.CharField(max_length=64, blank=True)
    progress = models.CharField(max_length=300, blank=True)
    run_error = models.TextField(blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    # The distribution (selection/services.py's compact(): over groups of interchangeable volunteers, each panel
    # with its weight), how many panels of people it stands for, and its certificate.
    panels = models.JSONField(default=dict, blank=True)
    panel_count = models.PositiveIntegerField(default=0)
    min_probability = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    excluded = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # False when the run stopped at its time limit before every level of the leximin was fixed: the lowest
    # chance and its certificate stand; higher chances are less evened out than they could be.
    complete = models.BooleanField(default=True)
    # The lottery: m panels, fixed and published (with their digest) before the draw.
    lottery = models.JSONField(default=list, blank=True)
    lottery_size = models.PositiveIntegerField(default=0)
    lottery_seed = models.PositiveIntegerField(default=0)
    lottery_digest = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The draw: the published random number, the panel it picks (index = number mod m), and when.
    random_number = models.CharField(max_length=200, blank=True)
    drawn_index = models.PositiveIntegerField(null=True, blank=True)
    drawn_panel = models.JSONField(default=list, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    # The big JSON fields (the frozen pool, tens of thousands of panels, the lottery): pages that do not need
    # them leave them unread (Selection.objects.light()).
    BIG = ("pool", "panels", "lottery")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def m(self) -> int:
        return self.lottery_size

    @property
    def is_public(self) -> bool:
        return self.status in {self.Status.PUBLISHED, self.Status.DRAWN}


tag_colours(
    Selection.Status,
    {
        "draft": "grey",
        "quotas_set": "light-blue",
        "running": "yellow",
        "ready": "blue",
        "published": "purple",
        "drawn": "green",
    },
)


class SelectionQuota(models.Model):
    """The fewest and most people with one value of one feature a selection's panel may hold."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="quotas")
    feature = models.CharField(max_length=20)
    value = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    min = models.PositiveSmallIntegerField(_("fewest"))
    max = models.PositiveSmallIntegerField(_("most"))
    # What the borough's profile suggested, shown beside the officer's figures.
    proposed_min = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_max = models.PositiveSmallIntegerField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["selection", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "feature", "value"], name="panels_one_quota_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.feature}: {self.value} {self.min} to {self.max}"


class SelectionMember(models.Model):
    """A volunteer as one selection knows them: an anonymous number, their chance, and whether they were drawn.

    The link to the volunteer is cut when their details are erased; the number, chance and outcome stay, so the
    published draw can still be checked."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="members")
    number = models.PositiveIntegerField()
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    probability = models.FloatField(null=True, blank=True)
    selected = models.BooleanField(default=False)
    dropped_out = models.BooleanField(default=False)

    class Erased(models.TextChoices):
        LEFT = "left", "left the panel"
        ASKED = "asked", "asked for their details to be erased"
        RETENTION = "retention", "the council's retention period for volunteers' details ended"

    # Why the link to the volunteer was cut: what the replacements page tells the officer.
    erased = models.CharField(max_length=10, choices=Erased.choices, blank=True)

    class Meta:
        ordering = ["selection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "number"], name="panels_one_member_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.selection}: volunteer number {self.number}"

    @property
    def erased_note(self) -> str:
        """How the panel's tables name a member whose details are gone: with why, where that was kept."""
        if self.erased:
            return str(_("(details erased: %(why)s)") % {"why": self.get_erased_display()})
        return str(_("(details erased)"))
