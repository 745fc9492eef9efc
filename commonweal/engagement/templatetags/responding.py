"""`{% load responding %}{% respond_box consultation %}`: the Respond button (while the consultation is open) and
the link to other formats, for the consultation's public page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from commonweal.engagement.models import Consultation

register = template.Library()


@register.inclusion_tag("engagement/responding/_respond_box.html")
def respond_box(consultation: Consultation) -> dict[str, Any]:
    return {"consultation": consultation, "is_open": consultation.is_open(timezone.localdate())}
