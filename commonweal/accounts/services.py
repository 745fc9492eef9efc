"""Writes to accounts and organisations: one function per use case, each in a transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.text import slugify

from .errors import AccountsError
from .models import Membership, Organisation, User
from .queries import email_verified
from .roles import ROLES_HELD_PER_ORGANISATION, Role


def unique_organisation_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(
    *, name: str, kind: str, org_id: str = "", description: str = "", is_demo: bool = False
) -> Organisation:
    """Create an organisation with a unique slug; an org-id may belong to one organisation only."""
    organisation = Organisation(
        name=name.strip(),
        slug=unique_organisation_slug(name),
        kind=kind,
        org_id=org_id.strip().upper(),
        description=description,
        is_demo=is_demo,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


UNVERIFIED_FOR_ROLE = (
    "{person} has not confirmed their email address ({email}) yet, so they cannot be given a role. "
    "Ask them to follow the link in the email we sent them, or to send it again from their account's email page."
)


@transaction.atomic
def confirm_emails(users: Iterable[User]) -> None:
    """Record each person's account email as their confirmed primary address, as following the emailed link
    would. For people the platform sets up itself (the demo boroughs, generated data, tests), never signed up."""
    users = [user for user in users if user.email]
    if not users:
        return
    have = set(
        EmailAddress.objects.filter(user__in=users, primary=True, verified=True).values_list("user_id", flat=True)
    )
    todo = [user for user in users if user.pk not in have]
    EmailAddress.objects.filter(user__in=todo).update(primary=False)
    EmailAddress.objects.filter(user__in=todo, email__in=[u.email for u in todo]).delete()
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in todo], batch_size=1000
    )


def confirm_email(user: User) -> User:
    """confirm_emails for one person; returns them, so a loader can write `confirm_email(create_user(...))`."""
    confirm_emails([user])
    return user


@transaction.atomic
def address_to_confirm(user: User) -> EmailAddress:
    """The allauth record of the person's account email, made if it is missing (people an administrator or
    `createsuperuser` set up never signed up, so have none), for a confirmation link to be sent to."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(user=user, email=user.email, primary=not has_primary, verified=False)
    return address


@transaction.atomic
def grant_membership(*, user: User, role: str, organisation: Organisation | None = None) -> Membership:
    """Give a person a role; group members and officers must name their organisation, and nobody is given a
    role before they have confirmed their email address."""
    if role in ROLES_HELD_PER_ORGANISATION and organisation is None:
        raise ValidationError(f"A {Role(role).label.lower()} must belong to an organisation.")
    if role == Role.OFFICER and organisation is not None and not organisation.is_council_department:
        raise ValidationError(f"An officer acts for a council department, and {organisation.name} is not one.")
    if role not in ROLES_HELD_PER_ORGANISATION:
        organisation = None
    if not email_verified(user):
        raise AccountsError(UNVERIFIED_FOR_ROLE.format(person=user, email=user.email))
    membership, _ = Membership.objects.get_or_create(user=user, role=role, organisation=organisation)
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        # Administrators manage users and roles through the Django admin as well.
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_roles(user)
    return membership


def forget_roles(user: User) -> None:
    """Drop the roles cached on this user object, so the next check reads them afresh."""
    user.__dict__.pop("roles", None)
    user.__dict__.pop("needs_two_factor", None)


@transaction.atomic
def revoke_membership(*, membership: Membership) -> None:
    """Take a role away; the last administrator role going takes the Django admin flags with it."""
    user = membership.user
    membership.delete()
    sync_admin_flags(user=user)


def sync_admin_flags(*, user: User) -> None:
    """is_staff and is_superuser follow the admin role: nobody keeps them once they hold it no longer."""
    is_admin = Membership.objects.filter(user=user, role=Role.ADMIN).exists()
    if not is_admin and (user.is_staff or user.is_superuser):
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_roles(user)


# --- Erasure (UK GDPR right to erasure) ----------------------------------------------------------

ERASED = "[erased]"


# Apps above accounts that keep a person's details outside the account (a consultation response's name and email
# address, a place at an event) say how to erase them: `eraser(user, their email addresses)`, registered from the
# app's ready() and called inside erase_person's transaction, so the erasure stays all or nothing.
Eraser = Callable[[User, frozenset[str]], None]
_erasers: list[Eraser] = []


def register_eraser(eraser: Eraser) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


def erased_email(user: User) -> str:
    """The placeholder that stands in for an erased person's email: unique, and never deliverable."""
    return f"erased-{user.pk}@erased.invalid"


def _scrub(value: Any, needles: list[str]) -> Any:
    """`value` (a string, or JSON made of lists, dicts and strings) with every needle replaced, any case."""
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_scrub(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, needles) for key, item in value.items()}
    return value


def _mentioning(model: type[Model], fields: list[str], needles: list[str]) -> QuerySet[Any]:
    query = Q()
    for field in fields:
        for needle in needles:
            query |= Q(**{f"{field}__icontains": needle})
    return model._default_manager.filter(query)


LAST_ADMIN = (
    "{person} is the platform's only administrator. Give another person the administrator role before erasing"
    " this account, so that someone can still run the platform."
)


@transaction.atomic
def erase_person(user: User, by: User | None) -> User:
    """Erase a person without breaking what refers to them: the account row stays (grants, decisions and the
    audit log keep pointing at it) but nothing in it, or written by them about themselves, identifies them.

    All or nothing. The audit log keeps that the account was erased, and by whom, but not the old values.
    """
    from allauth.mfa.models import Authenticator
    from auditlog.models import LogEntry as AuditEntry
    from django.contrib.admin.models import LogEntry as AdminEntry
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.models import Session

    from commonweal.core.audit import acting
    from commonweal.directory.models import Claim, Report

    user = User.objects.select_for_update().get(pk=user.pk)
    admins = Membership.objects.filter(role=Role.ADMIN, user__is_active=True)
    if admins.filter(user=user).exists() and not admins.exclude(user=user).exists():
        raise AccountsError(LAST_ADMIN.format(person=user))
    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    needles = sorted({value for value in (*emails, user.full_name.strip()) if value}, key=len, reverse=True)

    with acting(by):
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        for membership in user.memberships.all():
            membership.delete()  # one by one, so the audit log records each role taken away
        user.email = erased_email(user)
        user.full_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.last_login = None
        user.save()
        user.user_permissions.clear()
        user.groups.clear()
        user.__dict__.pop("roles", None)

    # What they wrote about themselves: why they claimed a group, and contact details left on reports.
    Claim.objects.filter(user=user).update(message="")
    Report.objects.filter(Q(reported_by=user) | Q(reporter_email__in=emails)).update(reporter_email="")
    for eraser in _erasers:
        eraser(user, frozenset(email.lower() for email in emails if email))

    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()

    # The audit trail stays, but without the personal values: entries about the account, entries they made
    # (the address they made them from), and any entry whose text names them.
    user_type = ContentType.objects.get_for_model(User)
    AuditEntry.objects.filter(actor=user).update(remote_addr=None, actor_email=erased_email(user))
    about = AuditEntry.objects.filter(content_type=user_type, object_pk=str(user.pk))
    named = _mentioning(AuditEntry, ["object_repr", "changes_text", "changes", "actor_email"], needles)
    for entry in (about | named).distinct():
        entry.object_repr = _scrub(entry.object_repr, needles)
        entry.changes_text = _scrub(entry.changes_text, needles)
        entry.changes = _scrub(entry.changes, needles)
        entry.actor_email = _scrub(entry.actor_email, needles)
        if entry.object_pk == str(user.pk) and entry.content_type_id == user_type.pk:
            entry.object_repr = erased_email(user)
        entry.save(update_fields=["object_repr", "changes_text", "changes", "actor_email"])
    for admin_entry in _mentioning(AdminEntry, ["object_repr", "change_message"], needles):
        admin_entry.object_repr = _scrub(admin_entry.object_repr, needles)
        admin_entry.change_message = _scrub(admin_entry.change_message, needles)
        admin_entry.save(update_fields=["object_repr", "change_message"])
    return user
