"""Closing the loop's own table: who has been told of a consultation's decision.

Everyone who responded and asked to hear back is emailed once the 'we did' page is published (closing/tasks.py).
A retried or repeated run must never email anyone twice, so each address told is recorded, as a hash: the
address itself stays only on the response, where erasing a person erases it.
"""

from __future__ import annotations

import hashlib

from django.db import models

from .models import Consultation


def address_hash(address: str) -> str:
    """The same hash for the same address however it was typed (case and spaces at the ends)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


class DecisionNotice(models.Model):
    """One address emailed the decision of one consultation ('we did')."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="decision_notices")
    address_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "address_hash"], name="one_decision_notice_per_address")
        ]

    def __str__(self) -> str:
        return f"Decision of {self.consultation_id} sent"
