"""Reads for the accounts pages, shaped for each page."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import Membership, Organisation, User
from .roles import Role


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


def addresses_of_members(organisation: Organisation) -> list[str]:
    """Where to email the people who run an organisation's records: its active group members (a council
    department's own officers), one address each."""
    role = Role.OFFICER if organisation.is_council_department else Role.GROUP_MEMBER
    users = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(organisation=organisation, role=role).values("user_id"),
    ).order_by("email")
    return [user.email for user in users if user.email]


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


def audit_entries(
    *,
    record_type: str = "",
    record: str = "",
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[LogEntry]:
    """The audit log, newest first, filtered: by a type of record, a record (part of its name, or its number),
    a person (part of their name or email address) and the days from and up to (the council's days, both kept)."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if record_type:
        entries = entries.filter(content_type_id=record_type)
    if record:
        named = Q(object_repr__icontains=record)
        entries = entries.filter(named | Q(object_pk=record) if record.isdigit() else named)
    if actor:
        entries = entries.filter(
            Q(actor__email__icontains=actor) | Q(actor__full_name__icontains=actor) | Q(actor_email__icontains=actor)
        )
    if since is not None:
        entries = entries.filter(timestamp__gte=_start_of(since))
    if until is not None:
        entries = entries.filter(timestamp__lt=_start_of(until + datetime.timedelta(days=1)))
    return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- A person's own data (UK GDPR right of access) -----------------------------------------------

# Fields never put in a download, by model label: secrets that would let someone take over the account.
SECRET_FIELDS: dict[str, frozenset[str]] = {
    "accounts.User": frozenset({"password"}),
    "mfa.Authenticator": frozenset({"data"}),
}

# Other people's personal data on rows that name this person for another reason (an officer who decided a
# claim, resolved a report): model label -> (the field naming whose data it is, the fields left out of the
# download unless that field names this person).
OTHER_PEOPLES_FIELDS: dict[str, tuple[str, frozenset[str]]] = {
    "directory.Claim": ("user_id", frozenset({"message"})),
    "directory.Report": ("reported_by_id", frozenset({"reporter_email", "details"})),
}


def relations_to_user() -> list[tuple[type[Model], str]]:
    """Every (model, field name) holding a ForeignKey, OneToOne or ManyToMany to the user model, in every
    installed app, third-party ones too. A model added later is found here with no change."""
    user_model = get_user_model()
    found: list[tuple[type[Model], str]] = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                found.append((model, field.name))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1]))


def _row(obj: Model, user: User | None = None) -> dict[str, Any]:
    secret = SECRET_FIELDS.get(obj._meta.label, frozenset())
    owner, others = OTHER_PEOPLES_FIELDS.get(obj._meta.label, ("", frozenset()))
    if owner and user is not None and getattr(obj, owner) != user.pk:
        secret = secret | others
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in secret:
            continue
        value = field.value_from_object(obj)
        if hasattr(value, "name") and not isinstance(value, str):  # a file: its stored name
            value = value.name
        row[field.attname if field.is_relation else field.name] = value
    return row


def personal_data_of(user: User) -> dict[str, Any]:
    """Everything held about a person, as JSON-ready data: their account, and every row of every model that
    refers to them, under "app.Model.field", plus the audit log's entries about their account."""
    data: dict[str, Any] = {"account": _row(user), "records": {}}
    for model, name in relations_to_user():
        field = model._meta.get_field(name)
        manager = model._default_manager
        rows = [_row(obj, user) for obj in manager.filter(**{name: user}).order_by("pk")]
        if field.many_to_many:
            for row in rows:
                row[name] = [user.pk]  # this person's own link, not the other people's
        data["records"][f"{model._meta.label}.{name}"] = rows
    about = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)
    ).order_by("pk")
    data["records"]["auditlog.LogEntry.about_this_account"] = [_row(entry) for entry in about]
    return data
