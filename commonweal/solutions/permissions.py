"""Who may do what in the Solutions Framework: the one place views, services and queries ask.

- The raiser: the person who raised a blockage, or any member of the group they raised it for. They see their
  own case in full (a private case is theirs and the council's, not another resident's).
- A department: an officer of a council department the blockage is routed to acts on its part and its steps.
  An officer of another department may read the public log like anyone, but not act.
- The champion named on a case acts on all of it, across departments; anyone holding the champion role sees
  every case, as stewards do, because escalations come to them.
- Stewards see everything and change the routing rules and service standards (with administrators).
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.roles import Role

from .models import AssetTransfer, Blockage


def signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_officer(user: Any) -> bool:
    return signed_in(user) and user.has_role(Role.OFFICER)


def is_champion(user: Any) -> bool:
    return signed_in(user) and user.has_role(Role.CHAMPION)


def is_steward(user: Any) -> bool:
    return signed_in(user) and user.has_role(Role.STEWARD)


def sees_every_case(user: Any) -> bool:
    """Champions and stewards see every case: escalations come to them."""
    return signed_in(user) and user.has_role(Role.CHAMPION, Role.STEWARD)


def sets_the_rules(user: Any) -> bool:
    """Routing rules, categories and service standards: stewards and administrators."""
    return signed_in(user) and user.has_role(Role.STEWARD, Role.ADMIN)


def department_ids(user: Any) -> set[int]:
    """The council departments this person is an officer of."""
    return user.organisation_ids_for(Role.OFFICER) if signed_in(user) else set()


def is_raiser(user: Any, blockage: Blockage) -> bool:
    """The person who raised it, or a member of the group it was raised for."""
    if not signed_in(user):
        return False
    if blockage.raised_by_id is not None and blockage.raised_by_id == user.pk:
        return True
    return blockage.organisation_id is not None and blockage.organisation_id in user.organisation_ids_for(
        Role.GROUP_MEMBER
    )


def is_case_department(user: Any, blockage: Blockage) -> bool:
    """An officer of one of the departments this blockage is routed to."""
    ids = department_ids(user)
    return bool(ids) and blockage.parts.filter(department_id__in=ids).exists()


def is_case_champion(user: Any, record: Blockage | AssetTransfer) -> bool:
    return signed_in(user) and record.champion_id is not None and record.champion_id == user.pk


def may_see_case(user: Any, blockage: Blockage) -> bool:
    """The whole case, private parts included (contact details, notes, every department's part)."""
    return (
        sees_every_case(user)
        or is_case_champion(user, blockage)
        or is_raiser(user, blockage)
        or is_case_department(user, blockage)
    )


def is_transfer_group(user: Any, transfer: AssetTransfer) -> bool:
    """A member of the group that expressed the interest."""
    return signed_in(user) and transfer.organisation_id in user.organisation_ids_for(Role.GROUP_MEMBER)


def is_transfer_department(user: Any, transfer: AssetTransfer) -> bool:
    """An officer of a department that owns one of the transfer's sign-offs."""
    ids = department_ids(user)
    return bool(ids) and transfer.sign_offs.filter(department_id__in=ids).exists()


def may_see_transfer(user: Any, transfer: AssetTransfer) -> bool:
    return (
        sees_every_case(user)
        or is_transfer_group(user, transfer)
        or is_transfer_department(user, transfer)
        or (is_officer(user) and transfer.champion_id == user.pk)
        or (
            transfer.support_body_id is not None
            and transfer.support_body_id in user.organisation_ids_for(Role.GROUP_MEMBER)
            if signed_in(user)
            else False
        )
    )
