"""Writes to accounts and organisations: one function per use case, each in a transaction."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
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
