"""Erasing a person from engagement (accounts.services.erase_person calls `erase`): what they left outside their
account, matched by the account or by any of their email addresses.

Their responses stay counted, without their name or address; their requests for other formats and their places
at events keep only that they were made. Ballots hold only keyed hashes and need nothing.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from commonweal.accounts.models import User
from commonweal.accounts.services import erased_email

from .models import AlternativeFormatRequest, Response, ResponseConfirmation, Signup


def _by_email(field: str, emails: frozenset[str]) -> Q:
    """Any of the addresses, whatever their case (people type them as they like)."""
    return reduce(or_, (Q(**{f"{field}__iexact": email}) for email in emails), Q(pk__in=[]))


def erase(user: User, emails: frozenset[str]) -> None:
    """Take the person's name, addresses and what they wrote about themselves out of engagement's records."""
    gone = erased_email(user)
    Response.objects.filter(Q(user=user) | _by_email("email", emails)).update(
        name="", email="", resume_token="", resume_expires_at=None
    )
    ResponseConfirmation.objects.filter(Q(response__user=user) | _by_email("sent_to", emails)).update(sent_to=gone)
    AlternativeFormatRequest.objects.filter(Q(requested_by=user) | _by_email("email", emails)).update(
        name="", email="", phone="", address="", details=""
    )
    # A place keeps its row (the event's numbers stay true); its address becomes one per place, since a live
    # place's address is unique for its event.
    for signup in Signup.objects.filter(Q(user=user) | _by_email("email", emails)):
        Signup.objects.filter(pk=signup.pk).update(name="", email=gone.replace("@", f"+{signup.pk}@"), access_needs="")
