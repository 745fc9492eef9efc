"""Forums and events' own tables: who signed up to an event, which councillors were invited to it, and why it
was cancelled. models.Event and models.Councillor are the app's shared ground (engagement/models.py)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.status import tag_colours

from .models import Event


class Signup(models.Model):
    """A place at an event, for someone signed in or not: their name, email and access needs (personal data,
    seen only by those who run the event). Cancelled by the person through the link emailed to them, whose
    secret is kept only as a hash."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_signups"
    )
    name = models.CharField(_("name"), max_length=200)
    # Kept lower case, so one address signs up once whatever its capitals.
    email = models.EmailField(_("email address"))
    access_needs = models.TextField(_("access needs"), max_length=2000, blank=True)
    cancel_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_signup_per_email_per_event",
            )
        ]
        indexes = [models.Index(fields=["event", "cancelled_at"], name="signup_places")]

    def __str__(self) -> str:
        return f"Sign-up to {self.event_id}"


class Invitation(models.Model):
    """A ward councillor invited to an event in their ward, by email, when it was published."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_invitations")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_invitation_per_councillor")]

    def __str__(self) -> str:
        return f"Invitation to {self.event_id}"


class Cancellation(models.Model):
    """Why an event was cancelled, by whom and when; `was_published` says whether the public had seen it (and so
    still finds its page, saying it is cancelled)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="cancellation")
    reason = models.TextField(_("why it is cancelled"), max_length=2000)
    was_published = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField()
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Cancellation of {self.event_id}"


tag_colours(Event.Status, {Event.Status.DRAFT: "grey", Event.Status.PUBLISHED: "green", Event.Status.CANCELLED: "red"})

# Who signed up holds personal data, and who was invited and why an event was cancelled are decisions: audited.
auditlog.register(Signup, exclude_fields=["cancel_token"])
auditlog.register(Invitation)
auditlog.register(Cancellation)
