"""Who may do what in funding: the one place views, services and queries ask.

Who acts for an organisation is accounts.permissions.can_manage_organisation: its own members, never an
administrator as such (an administrator runs the platform; it does not apply, accept a grant or answer a
pledge for a group it is not a member of). Council officers run the funds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commonweal.accounts.models import Organisation
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.roles import Role

from .models import Application, Assignment, Grant, MonitoringReport, Pledge

CONFLICT_DECLARED = (
    "You declared a conflict of interest in this application, so you cannot see its scores, decide it, "
    "or act on its grant or match funding."
)
MEMBER_OF_APPLICANT = (
    "You are a member of {organisation}, the group that made this application, so you cannot see its scores, "
    "decide it, or act on its grant as an officer."
)


def is_officer(user: Any) -> bool:
    """Council officers run funds: set them up, assess, decide, offer, pay and review reports."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.OFFICER))


def manages(user: Any, organisation: Organisation | None) -> bool:
    """This person acts for the organisation in funding: applies, answers an offer, reports, pledges.

    Council departments run the funds rather than apply to them, so in funding nobody acts for one.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and organisation is not None
        and not organisation.is_council_department
        and can_manage_organisation(user, organisation)
    )


def applicant_of(record: Any) -> Organisation | None:
    """The group on the receiving side of a funding record: the applicant, or the group that posted a need."""
    if isinstance(record, Application):
        return record.organisation
    if isinstance(record, Grant):
        return record.application.organisation
    if isinstance(record, MonitoringReport):
        return record.grant.application.organisation
    if isinstance(record, Pledge):
        return record.need.organisation
    return None


def is_applicant(user: Any, record: Any) -> bool:
    return manages(user, applicant_of(record))


def is_supplier(user: Any, record: Any) -> bool:
    """Someone who acts for the supplier that made a pledge."""
    return isinstance(record, Pledge) and manages(user, record.supplier)


def may_see_grant(user: Any, grant: Grant) -> bool:
    """The group's own members and council officers see a grant; nobody else does."""
    return is_officer(user) or is_applicant(user, grant)


def conflict_with(user: Any, application: Application) -> str | None:
    """Why this person may not judge the application as an officer (see its scores, decide it, offer it a grant,
    keep its match funding), or None when nothing stands in the way.

    Two things do: a conflict of interest they declared as its assessor, and being a member (any role) of the
    group that applied. The one check the decide, decision, offer, grant (payments, withdrawal, completion,
    report review) and match-funding views and services ask.
    """
    if user is None or not user.is_authenticated:
        return None
    if Assignment.objects.filter(application=application, assessor=user, status=Assignment.Status.CONFLICTED).exists():
        return CONFLICT_DECLARED
    organisation = application.organisation
    if organisation is not None and user.memberships.filter(organisation=organisation).exists():
        return MEMBER_OF_APPLICANT.format(organisation=organisation.name)
    return None


def conflicted_applications(user: Any, applications: Iterable[Application | int]) -> set[int]:
    """Of these applications (records or ids), the ids of those conflict_with refuses this person: the same two
    reasons, asked of a page of applications at once (the moderation page) in two queries."""
    ids = {a if isinstance(a, int) else a.pk for a in applications}
    if not ids or user is None or not user.is_authenticated:
        return set()
    declared = Assignment.objects.filter(
        application_id__in=ids, assessor=user, status=Assignment.Status.CONFLICTED
    ).values_list("application_id", flat=True)
    own_group = Application.objects.filter(pk__in=ids, organisation__memberships__user=user).values_list(
        "pk", flat=True
    )
    return set(declared) | set(own_group)


def match_funding_refusal(user: Any, application: Application) -> str | None:
    """Why this person may not see or keep the application's match funding, or None if they may.

    The group that applied keeps its own; an officer does unless they have a conflict with it.
    """
    if is_applicant(user, application):
        return None
    if is_officer(user):
        return conflict_with(user, application)
    return "Only the group that applied and council officers can see and record match funding for this application."


def may_record_match_funding(user: Any, application: Application) -> bool:
    """The application's own group and council officers without a conflict keep its record of money beyond the
    council."""
    return match_funding_refusal(user, application) is None


def may_act_on_pledge(user: Any, pledge: Pledge) -> bool:
    """The need's group, the supplier and officers act on a pledge; everyone else only reads it."""
    return is_officer(user) or is_supplier(user, pledge) or is_applicant(user, pledge)
