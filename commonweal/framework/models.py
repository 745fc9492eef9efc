"""The council's own framework: its vision, principles, themes, outcomes and equality objectives."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """A council has one framework; every other capability is tagged with its elements."""

    name = models.CharField(_("name"), max_length=200)
    vision = models.TextField(_("vision"), max_length=3000)
    preset = models.CharField(_("preset it started from"), max_length=40, blank=True)
    source = models.CharField(_("source paper"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Framework | None:
        return cls.objects.order_by("pk").first()


class Element(models.Model):
    class Kind(models.TextChoices):
        PRINCIPLE = "principle", _("Principle")
        THEME = "theme", _("Theme")
        OUTCOME = "outcome", _("Outcome")
        EQUALITY_OBJECTIVE = "equality_objective", _("Equality objective")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000)
    position = models.PositiveIntegerField(default=0)
    to_confirm = models.BooleanField(
        _("to be confirmed by the council"),
        default=False,
        help_text=_("A placeholder shipped with the preset that the council has not yet confirmed."),
    )
    source = models.CharField(_("where it comes from"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind", "name"], name="element_name_unique_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        """The kind in lower case, as it reads inside a sentence: 'equality objective'."""
        return kind_label(self.kind)


# Headings and sentences need the plural and the lower-case form of each kind.
KIND_PLURALS: dict[str, Any] = {
    Element.Kind.PRINCIPLE: _("Principles"),
    Element.Kind.THEME: _("Themes"),
    Element.Kind.OUTCOME: _("Outcomes"),
    Element.Kind.EQUALITY_OBJECTIVE: _("Equality objectives"),
}


def kind_label(kind: str) -> str:
    return str(Element.Kind(kind).label).lower()


def with_article(label: str) -> str:
    """'a theme', 'an outcome': each kind's name starts with a vowel sound just when it starts with one."""
    return f"{'an' if label[:1] in 'aeiou' else 'a'} {label}"


def kind_slug(kind: str) -> str:
    """The kind as it appears in a URL: 'equality-objective'."""
    return kind.replace("_", "-")


def kind_from_slug(slug: str) -> str | None:
    kind = slug.replace("-", "_")
    return kind if kind in Element.Kind.values else None


class _KindManager(models.Manager[Element]):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def get_queryset(self) -> models.QuerySet[Element]:
        return super().get_queryset().filter(kind=self.kind)


class Theme(Element):
    """A framework theme; later apps tag their records with these (ManyToManyField('framework.Theme'))."""

    objects = _KindManager(Element.Kind.THEME)  # type: ignore[misc,assignment]

    class Meta:
        proxy = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = Element.Kind.THEME
        super().save(*args, **kwargs)


class Outcome(Element):
    """A framework outcome; later apps measure against these."""

    objects = _KindManager(Element.Kind.OUTCOME)  # type: ignore[misc,assignment]

    class Meta:
        proxy = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = Element.Kind.OUTCOME
        super().save(*args, **kwargs)
