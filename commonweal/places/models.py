"""The council's area, its wards, localities and small areas, and the postcodes in them."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.caching import awaiting_commit, now_and_at_commit
from commonweal.places.categories import CHARACTERISTICS

# The council is read by every page (its name heads each one) and changes once in a deployment's life, so it is
# kept in the shared cache and forgotten whenever it is saved or deleted.
CURRENT_COUNCIL_KEY = "places-current-council"


class CouncilArea(models.Model):
    """The one local authority this platform serves (ONS E06-E09 code)."""

    gss_code = models.CharField(_("ONS code"), max_length=9, unique=True)
    name = models.CharField(_("council name"), max_length=150)
    area_name = models.CharField(_("area name"), max_length=100, help_text=_("The place, e.g. Merton."))
    org_id = models.CharField(_("organisation identifier"), max_length=20, blank=True, help_text=_("GB-LAE-…"))

    class Meta:
        verbose_name = _("council area")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> CouncilArea | None:
        """The council this deployment serves; None until set-up has loaded one. Read from the shared cache,
        which holds it (or its absence, as an empty tuple) until a council is saved or deleted."""
        kept = cache.get(CURRENT_COUNCIL_KEY)
        if isinstance(kept, tuple):
            return kept[0] if kept else None
        council = cls.objects.order_by("pk").first()
        if not awaiting_commit(_forget_council):
            cache.set(CURRENT_COUNCIL_KEY, (council,) if council else (), None)
        return council

    @staticmethod
    def forget_current(**_: object) -> None:
        """Drop the kept council now and again when the change commits. Until then this connection reads its
        own uncommitted council without keeping it, so a change that is rolled back is never kept."""
        now_and_at_commit(_forget_council)


def _forget_council() -> None:
    cache.delete(CURRENT_COUNCIL_KEY)


class Ward(models.Model):
    council = models.ForeignKey(CouncilArea, on_delete=models.CASCADE, related_name="wards")
    code = models.CharField(_("ONS ward code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=100)
    boundary = models.JSONField(_("boundary (GeoJSON geometry, WGS84)"))
    # Bounding box: a cheap first test before point-in-polygon.
    min_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lat = models.FloatField()
    max_lon = models.FloatField()
    centroid_lat = models.FloatField()
    centroid_lon = models.FloatField()
    population = models.PositiveIntegerField(
        _("population"),
        default=0,
        help_text=_("Sum of the LSOAs whose population-weighted centre is inside."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    """A named group of wards: a town centre, a neighbourhood, a pilot area."""

    council = models.ForeignKey(CouncilArea, on_delete=models.CASCADE, related_name="localities")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    wards = models.ManyToManyField(Ward, related_name="localities")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("localities")

    def __str__(self) -> str:
        return self.name


class Lsoa(models.Model):
    """A lower layer super output area (2011 codes, as the Index of Multiple Deprivation 2019 uses)."""

    code = models.CharField(_("LSOA code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=100)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, related_name="lsoas")
    imd_rank = models.PositiveIntegerField(
        _("IMD 2019 rank"), null=True, help_text=_("1 is the most deprived in England.")
    )
    imd_decile = models.PositiveSmallIntegerField(
        _("IMD 2019 decile"), null=True, help_text=_("1 is the most deprived tenth.")
    )
    population = models.PositiveIntegerField(_("population (mid 2015)"), default=0)
    centroid_lat = models.FloatField()
    centroid_lon = models.FloatField()
    boundary = models.JSONField(_("boundary (GeoJSON geometry, WGS84)"), null=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("LSOA")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Postcode(models.Model):
    """A postcode and where it is, from an ONS Postcode Directory style file."""

    postcode = models.CharField(_("postcode"), max_length=8, unique=True, help_text=_("Upper case, one space."))
    latitude = models.FloatField()
    longitude = models.FloatField()
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="postcodes")
    lsoa_code = models.CharField(max_length=9, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Invented for the demonstration borough."))

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class ProfileCount(models.Model):
    """How many residents of a ward are in one category of one characteristic (a Census 2021 ward table's row).

    The borough's profile: the targets for citizens' panel quotas and for weighting survey responses.
    """

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="profile_counts")
    characteristic = models.CharField(_("characteristic"), max_length=20, choices=list(CHARACTERISTICS.items()))
    category = models.CharField(_("category"), max_length=120)
    count = models.PositiveIntegerField(_("residents"))
    invented = models.BooleanField(
        _("invented"), default=False, help_text=_("Generated for the demonstration borough, not a published figure.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["ward__name", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "characteristic", "category"], name="places_profilecount_one_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ward.name}: {self.category} ({self.get_characteristic_display()}) {self.count}"
