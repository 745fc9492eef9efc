"""Emails about blockages: to the person who raised it at every step, to departments when one is routed to them,
to the champion and the stewards when a stage is late. Each is sent once the write that caused it commits
(core.notify.email_on_commit), so a write that fails sends nothing. The words are in
templates/solutions/emails/.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from commonweal.accounts.queries import addresses_of_members
from commonweal.core import notify

from .models import Blockage


def case_link(blockage: Blockage) -> str:
    try:
        return notify.site_url(reverse("solutions:case", args=[blockage.uuid]))
    except NoReverseMatch:  # the case pages are not wired up (a partial install in a test of the clock alone)
        return notify.site_url("/solutions/")


def raiser_addresses(blockage: Blockage) -> list[str]:
    """The raiser, their group's members, and the raisers of every blockage joined to this one."""
    found: list[str] = []
    for case in [blockage, *blockage.joined.all()]:
        if case.raised_by_id is not None and case.raised_by.email:
            found.append(case.raised_by.email)
        elif case.raiser_email and case.confirmed_at is not None:
            found.append(case.raiser_email)
        if case.organisation_id is not None:
            found.extend(addresses_of_members(case.organisation))
    return found


def step_taken(blockage: Blockage, *, transition: Any, note: str) -> None:
    notify.email_on_commit(
        to=raiser_addresses(blockage),
        subject=f"{blockage.reference}: {blockage.get_status_display()}",
        template="solutions/emails/step_taken.txt",
        context={"blockage": blockage, "transition": transition, "note": note, "link": case_link(blockage)},
    )


def routed(blockage: Blockage) -> None:
    addresses: list[str] = []
    for part in blockage.parts.select_related("department"):
        addresses.extend(addresses_of_members(part.department))
    if blockage.champion is not None and blockage.champion.email:
        addresses.append(blockage.champion.email)
    notify.email_on_commit(
        to=addresses,
        subject=f"New blockage for your department: {blockage.reference}",
        template="solutions/emails/routed.txt",
        context={"blockage": blockage, "link": case_link(blockage)},
    )
