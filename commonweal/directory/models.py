"""The community directory: services, locations, community assets, their vocabulary, and the
records that keep them true (claims, changes waiting for approval, reports from the public, imports).

Organisations live in `accounts` (memberships hang off them) and carry their directory fields there.
Objects follow Open Referral UK (HSDS 3.0): every record has a UUID that the ORUK API publishes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import (
    STALE_AFTER,
    ListingQuerySet,
    ListingStatus,
    ModeratedListing,
    Organisation,
    is_stale,
)
from commonweal.core.status import tag_colours

__all__ = ["STALE_AFTER", "ListingQuerySet", "ListingStatus", "Organisation", "is_stale"]


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


# --- What the public sees of the directory: the one definition ------------------------------------
# Pages, search, map data, the ORUK API and the exports all read these. An officer, an administrator and the
# people who manage an organisation see more, and the pages that show them more say why (queries.hidden_reason).


def is_public_service(listing_status: str, status: str, organisation_listing_status: str) -> bool:
    """A service the public may see: published, running, and its organisation published."""
    return (
        listing_status == ListingStatus.PUBLISHED
        and status == Service.Status.ACTIVE
        and organisation_listing_status == ListingStatus.PUBLISHED
    )


def is_public_place(listing_status: str, organisation_listing_status: str | None) -> bool:
    """A location or community asset the public may see: published, and its organisation (if any) published."""
    return listing_status == ListingStatus.PUBLISHED and organisation_listing_status in (None, ListingStatus.PUBLISHED)


def _is_public_place(record: Location | Asset) -> bool:
    organisation = record.organisation if record.organisation_id else None
    return is_public_place(record.listing_status, organisation.listing_status if organisation else None)


class ServiceQuerySet(ListingQuerySet):
    def public(self) -> ServiceQuerySet:
        """The services is_public_service() admits."""
        return self.filter(
            listing_status=ListingStatus.PUBLISHED,
            status=Service.Status.ACTIVE,
            organisation__listing_status=ListingStatus.PUBLISHED,
        )


class PlaceQuerySet(ListingQuerySet):
    def public(self) -> PlaceQuerySet:
        """The locations or community assets is_public_place() admits."""
        return self.filter(listing_status=ListingStatus.PUBLISHED).filter(
            models.Q(organisation__isnull=True) | models.Q(organisation__listing_status=ListingStatus.PUBLISHED)
        )


class Listing(ModeratedListing):
    """What every moderated directory record has: an ORUK id, a moderation state and freshness."""

    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    is_demo = models.BooleanField(default=False, help_text=_("Invented for the demonstration borough."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


# --- Vocabulary (ORUK taxonomy and taxonomy_term) ---------------------------------------------


class Taxonomy(models.Model):
    """A vocabulary of terms for services: our starter one, or one imported from elsewhere."""

    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=2000)
    uri = models.URLField(_("web address"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """One category in a vocabulary; terms nest (a parent and its children)."""

    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    term_uri = models.URLField(_("web address"), blank=True)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["taxonomy", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique")]

    def __str__(self) -> str:
        return self.name


# --- Locations and services (ORUK location, service, service_at_location, schedule, contact, cost) ---


# Where a location is: its address and its point on the map, as the index, the forms and the imports read them.
ADDRESS_FIELDS = ("address_1", "address_2", "city", "postcode", "latitude", "longitude")


class Location(Listing):
    """A place where services are delivered or an asset is: an address with a point on the map."""

    class Type(models.TextChoices):
        PHYSICAL = "physical", _("A place people visit")
        POSTAL = "postal", _("A postal address")
        VIRTUAL = "virtual", _("Online")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="locations"
    )
    location_type = models.CharField(_("kind of location"), max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    address_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ward = models.ForeignKey(
        "places.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="directory_locations"
    )
    accessibility = models.TextField(
        _("accessibility"), max_length=2000, blank=True, help_text=_("Step-free access, hearing loop, toilets.")
    )
    transportation = models.TextField(_("getting there"), max_length=1000, blank=True)
    uprn = models.CharField(_("UPRN"), max_length=12, blank=True, help_text=_("Unique Property Reference Number."))

    objects = PlaceQuerySet.as_manager()  # type: ignore[misc]  # narrows Listing's manager with public()

    class Meta:
        ordering = ["name", "address_1"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_point")]

    def __str__(self) -> str:
        return self.name or self.address_1 or self.postcode or str(self.uuid)

    @property
    def is_public(self) -> bool:
        return _is_public_place(self)

    @property
    def one_line_address(self) -> str:
        return ", ".join(part for part in (self.address_1, self.address_2, self.city, self.postcode) if part)


class Service(Listing):
    """Help that an organisation offers: what, for whom, when, where, how to get it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Running")
        INACTIVE = "inactive", _("Not running at the moment")
        DEFUNCT = "defunct", _("Closed for good")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what the service does"), max_length=5000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    eligibility_description = models.TextField(_("who it is for"), max_length=2000, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    application_process = models.TextField(_("how to get help"), max_length=2000, blank=True)
    fees_description = models.TextField(_("cost"), max_length=1000, blank=True)
    is_free = models.BooleanField(_("free"), default=True)
    in_person = models.BooleanField(_("in person"), default=True)
    by_phone = models.BooleanField(_("by phone"), default=False)
    online = models.BooleanField(_("online"), default=False)
    languages = models.CharField(_("languages other than English"), max_length=200, blank=True)
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    themes = models.ManyToManyField(
        "framework.Element", blank=True, related_name="services", limit_choices_to={"kind": "theme"}
    )
    wards_served = models.ManyToManyField("places.Ward", blank=True, related_name="services_serving")
    locations: models.ManyToManyField[Location, ServiceAtLocation] = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True
    )

    objects = ServiceQuerySet.as_manager()  # type: ignore[misc]  # narrows Listing's manager with public()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_ages_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        """is_public_service() for a service loaded with its organisation."""
        return is_public_service(self.listing_status, self.status, self.organisation.listing_status)


class ServiceAtLocation(models.Model):
    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(_("description"), max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique")]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"

    @property
    def is_public(self) -> bool:
        return self.service.is_public and self.location.is_public


class Schedule(models.Model):
    """When a service is open, in iCalendar terms as ORUK has it (weekly on given days, opens and closes)."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("Every week")
        MONTHLY = "MONTHLY", _("Every month")

    DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    freq = models.CharField(_("how often"), max_length=10, choices=Freq.choices, default=Freq.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(_("days"), max_length=30, blank=True, help_text=_("Comma-separated: MO,TU,WE."))
    bymonthday = models.CharField(_("days of the month"), max_length=30, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["service", "opens_at"]

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d]


class Contact(models.Model):
    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    name = models.CharField(_("name"), max_length=150, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name or self.email or self.phone


class CostOption(models.Model):
    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(_("what it is for"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (£)"), max_digits=9, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    amount_description = models.CharField(_("about the amount"), max_length=500, blank=True)

    def __str__(self) -> str:
        return self.option or str(self.amount)


# --- Community assets (asset based community development) --------------------------------------


class Asset(Listing):
    """Something a community has to build on: a person's gift, an association, an institution,
    a space, an economic or a cultural asset."""

    class Kind(models.TextChoices):
        GIFT = "gift", _("A person's skill or gift")
        ASSOCIATION = "association", _("Association")
        INSTITUTION = "institution", _("Institution")
        SPACE = "space", _("Physical space")
        ECONOMIC = "economic", _("Economic asset")
        CULTURAL = "cultural", _("Cultural asset")

    class SpaceKind(models.TextChoices):
        HALL = "hall", _("Hall")
        ROOM = "room", _("Room")
        GREEN_SPACE = "green_space", _("Green space")
        SPORTS = "sports", _("Sports facility")
        KITCHEN = "kitchen", _("Kitchen")
        OTHER = "other", _("Other space")

    kind = models.CharField(_("kind of asset"), max_length=12, choices=Kind.choices, db_index=True)
    space_kind = models.CharField(_("kind of space"), max_length=12, choices=SpaceKind.choices, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets"
    )
    # A gift is offered by a person, who consents to it being listed; the public sees only the display name.
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="assets_offered"
    )
    display_name = models.CharField(_("name to show"), max_length=100, blank=True)
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets")
    ward = models.ForeignKey("places.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="assets")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    capacity = models.PositiveIntegerField(_("how many people it holds"), null=True, blank=True)
    how_to_book = models.TextField(_("how to book or use it"), max_length=1000, blank=True)
    who_can_use = models.TextField(_("who can use it"), max_length=1000, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    themes = models.ManyToManyField(
        "framework.Element", blank=True, related_name="assets", limit_choices_to={"kind": "theme"}
    )

    objects = PlaceQuerySet.as_manager()  # type: ignore[misc]  # narrows Listing's manager with public()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return _is_public_place(self)


# --- Keeping it true: claims, changes for approval, reports ------------------------------------


class Claim(models.Model):
    """A group member asks to manage an existing organisation's listing; an officer decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    message = models.TextField(_("how you are connected to the organisation"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="claim_one_pending_per_user_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.organisation}"


class ChangeRequest(models.Model):
    """A change to a published record made by a group member, held until an officer approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # Field name -> new value, as the form cleaned it (JSON-safe: ids for relations, ISO strings for times).
    proposed = models.JSONField(default=dict)
    # Field name -> value when the change was proposed, so the officer sees before and after.
    previous = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="changes_submitted"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="change_request_target")]

    def __str__(self) -> str:
        return f"Change to {self.content_type.model} {self.object_id}"


class Report(models.Model):
    """Someone tells us a listing is wrong."""

    class Reason(models.TextChoices):
        OUT_OF_DATE = "out_of_date", _("Something is out of date")
        CONTACT_WRONG = "contact_wrong", _("The contact details are wrong")
        CLOSED = "closed", _("It has closed")
        NOT_IN_AREA = "not_in_area", _("It is not in this area")
        HARMFUL = "harmful", _("It is offensive or harmful")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("what is wrong"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    reporter_email = models.EmailField(_("your email (optional)"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports_made"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports_resolved"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("what was done"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="report_target")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.content_type.model} {self.object_id}"

    @property
    def reference(self) -> str:
        """What the person who reported it and an officer can both quote: 'REP-000042'."""
        return f"REP-{self.pk:06d}"


# --- Imports -------------------------------------------------------------------------------------


class ImportRun(models.Model):
    """One upload of a file into the directory, run as a background task, with its report."""

    class Kind(models.TextChoices):
        CHARITY_COMMISSION = "charity_commission", _("Charity Commission register extract (JSON or CSV)")
        ORUK_FEED = "oruk_feed", _("Another directory's Open Referral UK feed (JSON)")
        GROUPS_CSV = "groups_csv", _("Community groups (our CSV template)")
        TAXONOMY_CSV = "taxonomy_csv", _("Vocabulary of service categories (CSV)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed: nothing was changed")

    kind = models.CharField(_("kind of file"), max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, help_text=_("Where the upload is kept until the run ends."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    # [{"line": 12, "reason": "..."}], every rejected row, in file order.
    rejections = models.JSONField(default=list)
    error = models.TextField(blank=True, help_text=_("Why the whole file was refused, if it was."))
    task_id = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


# --- The search index (kept in step by commonweal.directory.search.reindex_services) --------------


class SearchEntry(models.Model):
    """One published, active service of a published organisation at one of its published locations
    (or once, with no location, if it has none), copied flat so that search filters one narrow table.

    Only `reindex_services` writes these rows; their words are in SearchText, one row per service, and on
    PostgreSQL in each entry too, with the full-text index (columns Django does not know of: migration 0004).
    The search tables are derived data: their links carry no database constraint (Django still deletes
    them with what they point to), so writing 100,000 rows checks nothing twice.
    """

    # Indexed with the point below: a search that found services by their words reads where they are
    # from the index alone.
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="search_entries", db_index=False, db_constraint=False
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, related_name="+", db_index=False, db_constraint=False
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, related_name="+", db_index=False, db_constraint=False
    )
    ward = models.ForeignKey("places.Ward", on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    is_free = models.BooleanField()
    in_person = models.BooleanField()
    by_phone = models.BooleanField()
    online = models.BooleanField()
    minimum_age = models.PositiveSmallIntegerField(null=True)
    maximum_age = models.PositiveSmallIntegerField(null=True)
    updated_at = models.DateTimeField()
    # The service's first entry: a search for whole services reads only these unless it needs a place.
    is_first = models.BooleanField()
    name = models.CharField(max_length=200)
    sort_name = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["is_first", "sort_name", "service"], name="search_entry_by_name"),
            models.Index(fields=["latitude", "longitude"], name="search_entry_point"),
            models.Index(fields=["service", "latitude", "longitude"], name="search_entry_service_point"),
        ]

    def __str__(self) -> str:
        return self.name


class SearchText(models.Model):
    """The words of one searchable service: the ones that weigh most (its name and its own categories'), the
    rest (its organisation's name, broader categories, descriptions, places, wards) and its tags. The
    full-text index is not a Django field: on SQLite an FTS5 table `directory_search_fts` on these rows
    (porter stemming, rowid = service id) kept in step by triggers; on PostgreSQL, on SearchEntry's copy of
    these words, a generated `search_vector` tsvector of the words and the tags ('#free'), unweighted, and
    `keywords_vector` of the keywords alone for ranking, each with a GIN index (migrations 0003, 0004).
    A later migration that rebuilds this table on SQLite must create the triggers again
    (search.SQLITE_TRIGGERS).
    """

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="search_text", db_constraint=False
    )
    keywords = models.TextField()
    document = models.TextField()
    # What the service is, as tokens the filters look for: t<term> (and each term above it), x<vocabulary>,
    # o<organisation>, w<ward> (places and wards served), free or paid, inperson, byphone, online.
    tags = models.TextField(default="")

    def __str__(self) -> str:
        return self.keywords[:80]


class SearchHours(models.Model):
    """A weekly opening of a searchable service (or of it at one place), one row per day, in minutes
    from midnight, so that 'open now' and ORUK's day and times are answered from an index."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, related_name="+", db_index=False, db_constraint=False
    )
    day = models.PositiveSmallIntegerField()  # 0 Monday .. 6 Sunday
    # Minutes from midnight; none when the schedule names the day but not the times.
    opens = models.PositiveSmallIntegerField(null=True)
    closes = models.PositiveSmallIntegerField(null=True)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["day", "opens", "closes"], name="search_hours_by_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.opens}-{self.closes}"


class SearchWord(models.Model):
    """A word that occurs in the search index, with how many services use it: the vocabulary that
    spelling correction chooses from."""

    word = models.CharField(max_length=60, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word


# The colour of each status's tag on the pages (the label is the choice's own).
tag_colours(
    Claim.Status, {Claim.Status.PENDING: "yellow", Claim.Status.APPROVED: "green", Claim.Status.REJECTED: "red"}
)
tag_colours(
    ChangeRequest.Status,
    {
        ChangeRequest.Status.PENDING: "yellow",
        ChangeRequest.Status.APPROVED: "green",
        ChangeRequest.Status.REJECTED: "red",
    },
)
tag_colours(Report.Status, {Report.Status.OPEN: "orange", Report.Status.RESOLVED: "grey"})
tag_colours(
    ImportRun.Status,
    {
        ImportRun.Status.QUEUED: "grey",
        ImportRun.Status.RUNNING: "blue",
        ImportRun.Status.SUCCEEDED: "green",
        ImportRun.Status.FAILED: "red",
    },
)
