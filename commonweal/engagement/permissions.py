"""Who may do what in engagement: the one place views, services and queries ask.

- Residents and groups: anyone may read published consultations, respond while one is open, propose and vote
  in a participatory budget, and sign up to events. A group member may respond on behalf of their group.
- Officers run the consultations, budgets and events of their own department: draft, publish, analyse,
  export, close the loop. An officer of another department reads them as the public does.
- Stewards (and administrators) see and run everything: the stewardship group reviews all engagement.
- Ward councillors see the engagement in their wards (results included, with the same suppression) and are
  invited to its events; they change nothing the council runs.
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.roles import Role

from .models import Consultation, Event


def signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_officer(user: Any) -> bool:
    return signed_in(user) and user.has_role(Role.OFFICER)


def is_steward(user: Any) -> bool:
    return signed_in(user) and user.has_role(Role.STEWARD, Role.ADMIN)


def is_councillor(user: Any) -> bool:
    return signed_in(user) and user.has_role(Role.COUNCILLOR)


def department_ids(user: Any) -> set[int]:
    """The council departments this person is an officer of."""
    return user.organisation_ids_for(Role.OFFICER) if signed_in(user) else set()


def group_ids(user: Any) -> set[int]:
    """The groups this person may act for (respond on behalf of, propose for)."""
    return user.organisation_ids_for(Role.GROUP_MEMBER) if signed_in(user) else set()


def runs_engagement(user: Any) -> bool:
    """May start consultations, budgets and events at all: officers, stewards and administrators."""
    return is_officer(user) or is_steward(user)


def runs_consultation(user: Any, consultation: Consultation) -> bool:
    """May change, publish, analyse and close this consultation: its department's officers and the stewards."""
    return is_steward(user) or consultation.department_id in department_ids(user)


def councillor_ward_ids(user: Any) -> set[int]:
    """The wards a councillor represents (none for anyone else)."""
    if not is_councillor(user):
        return set()
    cached = getattr(user, "_councillor_ward_ids", None)
    if cached is None:
        cached = set(user.councillor.wards.values_list("pk", flat=True)) if hasattr(user, "councillor") else set()
        user._councillor_ward_ids = cached
    return cached


def is_ward_councillor_for(user: Any, consultation: Consultation) -> bool:
    """A councillor for one of the wards the consultation affects."""
    wards = councillor_ward_ids(user)
    return bool(wards) and consultation.wards.filter(pk__in=wards).exists()


def sees_results(user: Any, consultation: Consultation) -> bool:
    """May see the analysed results (never personal data): those who run it and its wards' councillors."""
    return runs_consultation(user, consultation) or is_ward_councillor_for(user, consultation)


def sees_personal_data(user: Any, consultation: Consultation) -> bool:
    """May export responses with names, email addresses and monitoring answers: the department's officers and
    the stewards, never a councillor."""
    return runs_consultation(user, consultation)


def runs_event(user: Any, event: Event) -> bool:
    """May change an event, see who signed up and publish its notes: its department's officers, its organiser
    and the stewards."""
    if is_steward(user):
        return True
    if event.department_id is not None and event.department_id in department_ids(user):
        return True
    return signed_in(user) and event.organised_by_id == user.pk and is_officer(user)
