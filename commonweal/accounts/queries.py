"""Reads for the accounts pages, shaped for each page."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import Membership, Organisation, User


def email_verified(user: User) -> bool:
    """Whether the person has confirmed their account's (primary) email address by following the link we sent.

    Nobody is given a power (a role, a claim to a listing, a place in an assessor pool) before they have:
    otherwise anyone could sign up with someone else's address and be granted what was meant for them.
    """
    return bool(
        user is not None
        and user.pk is not None
        and EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()
    )


def verified_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Of these people, those who have confirmed their primary email address (email_verified, in one query)."""
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        EmailAddress.objects.filter(user_id__in=ids, primary=True, verified=True).values_list("user_id", flat=True)
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("organisation").order_by("role", "organisation__name")


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__email")


def members_with_email_state(organisation: Organisation) -> list[Membership]:
    """members_of, each with `email_verified` set: whether that member has confirmed their email address."""
    members = list(members_of(organisation))
    confirmed = verified_user_ids(m.user_id for m in members)
    for member in members:
        member.email_verified = member.user_id in confirmed  # type: ignore[attr-defined]
    return members


def audit_record_types() -> list[tuple[str, str]]:
    ids = LogEntry.objects.values_list("content_type", flat=True).distinct()
    types = ContentType.objects.filter(pk__in=ids)
    named = [(str(ct.pk), model) for ct in types if (model := ct.model_class()) is not None]
    return sorted(((pk, str(model._meta.verbose_name).capitalize()) for pk, model in named), key=lambda t: t[1])


def audit_entries(*, record_type: str = "", actor: str = "") -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if record_type:
        entries = entries.filter(content_type_id=record_type)
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    return entries
