"""Users, the organisations they belong to, and the roles they hold there."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from commonweal.core.status import tag_colours

from .roles import ROLES_HELD_PER_ORGANISATION, ROLES_NEEDING_TWO_FACTOR, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account: a resident, or someone acting for an organisation or the council."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Invented for the demonstration borough."))

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []  # the email is the username; nothing else is required

    objects = UserManager()  # type: ignore[assignment,misc]  # email-only manager in place of the username one

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """Every role this person holds anywhere; residents hold none."""
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.memberships.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @cached_property
    def needs_two_factor(self) -> bool:
        """Officers and above, and anyone who assesses funding applications (in a round's pool or assigned one)."""
        if self.roles & ROLES_NEEDING_TWO_FACTOR:
            return True
        if not self.pk or not self.is_active:
            return False
        # One query: the funding app's reverse relations, so accounts imports nothing from funding.
        return (
            type(self)
            .objects.filter(pk=self.pk)
            .filter(models.Q(assessing_rounds__isnull=False) | models.Q(assignments__isnull=False))
            .exists()
        )

    @cached_property
    def assesses(self) -> bool:
        """Has been given at least one funding application to assess (one query; funding's reverse relation)."""
        if not self.pk or not self.is_active:
            return False
        return type(self).objects.filter(pk=self.pk, assignments__isnull=False).exists()

    def organisation_ids_for(self, role: str) -> set[int]:
        return set(
            self.memberships.filter(role=role, organisation__isnull=False).values_list("organisation_id", flat=True)
        )


class ListingStatus(models.TextChoices):
    """Where a directory record stands in moderation: the public sees only published ones."""

    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


tag_colours(
    ListingStatus,
    {
        ListingStatus.PENDING: "yellow",
        ListingStatus.PUBLISHED: "green",
        ListingStatus.REJECTED: "red",
        ListingStatus.WITHDRAWN: "grey",
    },
)


class SizeBand(models.TextChoices):
    """NCVO's income bands for voluntary organisations."""

    MICRO = "micro", _("Micro: under £10,000 a year")
    SMALL = "small", _("Small: £10,000 to £100,000")
    MEDIUM = "medium", _("Medium: £100,000 to £1 million")
    LARGE = "large", _("Large: £1 million to £10 million")
    MAJOR = "major", _("Major: over £10 million")


# A directory record nobody has confirmed for this long is flagged as stale and its owners reminded.
STALE_AFTER = timedelta(days=365)


def is_stale(last_checked_at: Any) -> bool:
    """True when a record was never checked, or not within STALE_AFTER."""
    return last_checked_at is None or last_checked_at < timezone.now() - STALE_AFTER


class ListingQuerySet(models.QuerySet[Any]):
    """Reads shared by every moderated directory record (organisations here; services, assets in directory)."""

    def published(self) -> ListingQuerySet:
        return self.filter(listing_status=ListingStatus.PUBLISHED)

    def public(self) -> ListingQuerySet:
        """What the public may see: for an organisation, its published listing. Directory records narrow it
        (directory/models.py: a service must be running, and its organisation public too)."""
        return self.published()

    def stale(self) -> ListingQuerySet:
        cutoff = timezone.now() - STALE_AFTER
        return self.filter(models.Q(last_checked_at__isnull=True) | models.Q(last_checked_at__lt=cutoff))


class ModeratedListing(models.Model):
    """What every moderated directory record has, an organisation's listing too: a moderation state, where it
    came from and how fresh it is (directory/models.py's Listing adds the rest for services and places)."""

    listing_status = models.CharField(
        _("listing"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.PUBLISHED, db_index=True
    )
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    stale_reminded_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(_("where the record came from"), max_length=30, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_stale(self) -> bool:
        return is_stale(self.last_checked_at)

    @property
    def is_published(self) -> bool:
        return self.listing_status == ListingStatus.PUBLISHED


class Organisation(ModeratedListing):
    """Any body that acts on the platform: a council department, a CVS, a charity, an informal group."""

    class Kind(models.TextChoices):
        REGISTERED_CHARITY = "registered_charity", _("Registered charity")
        CIO = "cio", _("Charitable incorporated organisation (CIO)")
        CIC = "cic", _("Community interest company (CIC)")
        COMPANY = "company", _("Company")
        FAITH_GROUP = "faith_group", _("Faith group")
        INFORMAL_GROUP = "informal_group", _("Informal group")
        PUBLIC_BODY = "public_body", _("Public body")
        COUNCIL_DEPARTMENT = "council_department", _("Council department")
        BUSINESS = "business", _("Business")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind of organisation"), max_length=30, choices=Kind.choices)
    org_id = models.CharField(
        _("organisation identifier"),
        max_length=60,
        blank=True,
        help_text=_("An org-id such as GB-CHC-1234567 for a registered charity, if it has one."),
    )
    description = models.TextField(_("what the organisation does"), blank=True, max_length=2000)
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Invented for the demonstration borough."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # What the community directory shows (the directory app owns the workflows; the record lives here
    # because memberships, and so every role, hang off it).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text=_("The Open Referral id."))
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True, db_index=True)
    company_number = models.CharField(_("company number"), max_length=20, blank=True, db_index=True)
    size_band = models.CharField(_("size (yearly income)"), max_length=10, choices=SizeBand.choices, blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=10, blank=True, db_index=True, help_text=_("Where the organisation is based.")
    )
    wards_served = models.ManyToManyField("places.Ward", blank=True, related_name="organisations_serving")
    themes = models.ManyToManyField(
        "framework.Element", blank=True, related_name="organisations", limit_choices_to={"kind": "theme"}
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_id"], condition=~models.Q(org_id=""), name="organisation_org_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council_department(self) -> bool:
        return self.kind == self.Kind.COUNCIL_DEPARTMENT


class Membership(models.Model):
    """A role a person holds, for one organisation where the role is held per organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="membership_unique_role_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(organisation__isnull=True),
                name="membership_unique_role_without_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(ROLES_HELD_PER_ORGANISATION))
                | models.Q(organisation__isnull=False),
                name="membership_organisation_required_for_role",
            ),
        ]

    def __str__(self) -> str:
        where = f" of {self.organisation}" if self.organisation_id else ""
        return f"{self.get_role_display()}{where}"
