"""Who may do what in funding: the one place views, services and queries ask.

Who acts for an organisation is accounts.permissions.can_manage_organisation: its own members, never an
administrator as such (an administrator runs the platform; it does not apply, accept a grant or answer a
pledge for a group it is not a member of). Council officers run the funds.
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import Organisation
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.roles import Role

from .models import Application, Grant, MonitoringReport, Pledge


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


def may_record_match_funding(user: Any, application: Application) -> bool:
    """The application's own group and council officers keep its record of money beyond the council."""
    return is_officer(user) or is_applicant(user, application)


def may_act_on_pledge(user: Any, pledge: Pledge) -> bool:
    """The need's group, the supplier and officers act on a pledge; everyone else only reads it."""
    return is_officer(user) or is_supplier(user, pledge) or is_applicant(user, pledge)
