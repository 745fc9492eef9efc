"""Responding's own tables: the emailed link that confirms a response from someone without an account, and a
request for a consultation in another format (or to respond another way)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Consultation, Response


class ResponseConfirmation(models.Model):
    """A response from someone without an account waits for its emailed link to be followed: only then is it
    submitted and counted. Only the hash of the link's secret is kept."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="confirmation")
    token = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Confirmation for {self.response_id}"


class AlternativeFormatRequest(models.Model):
    """Someone asks for a consultation in another format, or to respond another way; the department is emailed."""

    class Need(models.TextChoices):
        LARGE_PRINT = "large_print", _("Large print")
        EASY_READ = "easy_read", _("Easy read")
        BRAILLE = "braille", _("Braille")
        AUDIO = "audio", _("Audio")
        BSL = "bsl", _("British Sign Language")
        LANGUAGE = "language", _("Another language")
        BY_POST = "by_post", _("Respond by post (we send you a paper form)")
        BY_PHONE = "by_phone", _("Respond by phone")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="format_requests")
    need = models.CharField(_("what you need"), max_length=20, choices=Need.choices)
    language = models.CharField(_("which language"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), max_length=500, blank=True)
    details = models.TextField(_("anything else we should know"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_need_display()} for {self.consultation_id}"
