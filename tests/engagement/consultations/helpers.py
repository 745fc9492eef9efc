"""Drafts as an officer leaves them, for the consultations area's tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commonweal.engagement.models import Consultation, Document
from tests.engagement import factories

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ready_draft(title: str = "Our plan for Mitcham high street", **fields: Any) -> Consultation:
    """A draft that may be published today: it opens in a week, its check complete, a consultation document and
    an easy read version uploaded (so the only warnings are about the calendar and events)."""
    today = timezone.localdate()
    opens_on = fields.pop("opens_on", today + timedelta(days=7))
    made = factories.consultation(title, status=Consultation.Status.DRAFT, opens_on=opens_on, **fields)
    for kind, name in ((Document.Kind.CONSULTATION, "The plan"), (Document.Kind.EASY_READ, "The plan: easy read")):
        upload = pdf()
        Document.objects.create(consultation=made, kind=kind, title=name, file=upload, size=upload.size)
    return made
