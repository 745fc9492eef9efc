"""Erasing a person from the panel (accounts.services.erase_person calls `erase`): their volunteer record, matched
by their account or any of their email addresses, goes; the selections they were in keep only numbers."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from commonweal.accounts.models import User

from .models import SelectionMember, Volunteer
from .pool.services import forget


def erase(user: User, emails: frozenset[str]) -> None:
    by_email = reduce(or_, (Q(email__iexact=email) for email in emails), Q(pk__in=[]))
    forget(Volunteer.objects.filter(Q(user=user) | by_email), because=SelectionMember.Erased.ASKED)
