"""The workflow tables: every transition, from where, to where, and who may take it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory import workflows
from commonweal.directory.models import ChangeRequest, Claim, Report, Service
from commonweal.directory.workflows import CHANGE, CLAIM, LISTING, REPORT, WorkflowError, take
from tests.directory.factories import ServiceFactory

ROLES = ["resident", "owner", "other_group_member", "officer", "admin", "champion", "steward"]


@pytest.fixture
def person(
    make_user: Callable[..., User], group: Organisation, other_group: Organisation, mfa_exempt: None
) -> Callable[[str], User]:
    def get(role: str) -> User:
        if role == "owner":
            return make_user("group_member", organisation=group)
        if role == "other_group_member":
            return make_user("group_member", organisation=other_group)
        return make_user(role)

    return get


# (transition, from status, to status, roles that may take it). Sending a listing back for approval is the
# owner's step: an administrator who is not a member moderates instead (it republishes, or edits at once).
LISTING_CASES = [
    ("approve", ListingStatus.PENDING, ListingStatus.PUBLISHED, {"officer", "admin"}),
    ("reject", ListingStatus.PENDING, ListingStatus.REJECTED, {"officer", "admin"}),
    ("resubmit", ListingStatus.REJECTED, ListingStatus.PENDING, {"owner"}),
    ("withdraw", ListingStatus.PUBLISHED, ListingStatus.WITHDRAWN, {"owner", "officer", "admin"}),
    ("withdraw", ListingStatus.PENDING, ListingStatus.WITHDRAWN, {"owner", "officer", "admin"}),
    ("withdraw", ListingStatus.REJECTED, ListingStatus.WITHDRAWN, {"owner", "officer", "admin"}),
    ("restore", ListingStatus.WITHDRAWN, ListingStatus.PENDING, {"owner"}),
    ("republish", ListingStatus.WITHDRAWN, ListingStatus.PUBLISHED, {"officer", "admin"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, source, target, allowed", LISTING_CASES)
def test_listing_transitions_and_who_may_take_them(
    name: str, source: str, target: str, allowed: set[str], role: str, person: Callable[[str], User], group: Any
) -> None:
    service = ServiceFactory(organisation=group, listing_status=source)
    user = person(role)
    if role in allowed:
        take(LISTING, service, name, by=user, reason="A reason.")
        service.refresh_from_db()
        assert service.listing_status == target
    else:
        with pytest.raises(PermissionDenied):
            take(LISTING, service, name, by=user, reason="A reason.")
        service.refresh_from_db()
        assert service.listing_status == source


def test_a_listing_transition_from_the_wrong_status_is_refused(person: Callable[[str], User], group: Any) -> None:
    service = ServiceFactory(organisation=group, listing_status=ListingStatus.PUBLISHED)
    with pytest.raises(WorkflowError, match="This listing has already been approved."):
        take(LISTING, service, "approve", by=person("officer"))
    with pytest.raises(WorkflowError, match="is published, so it cannot be sent for approval again now"):
        take(LISTING, service, "resubmit", by=person("owner"))
    with pytest.raises(WorkflowError, match='"promote" is not a step in the listing workflow.'):
        take(LISTING, service, "promote", by=person("officer"))


def test_a_rejection_needs_a_reason(person: Callable[[str], User], group: Any) -> None:
    service = ServiceFactory(organisation=group, listing_status=ListingStatus.PENDING)
    with pytest.raises(WorkflowError) as raised:
        take(LISTING, service, "reject", by=person("officer"), reason="   ")
    assert raised.value.message_dict == {"reason": ["Say the reason, so the person who asked knows why."]}
    assert Service.objects.get(pk=service.pk).listing_status == ListingStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, target", [("approve", "approved"), ("reject", "rejected")])
def test_claim_and_change_decisions_are_for_officers_and_admins(
    name: str, target: str, role: str, person: Callable[[str], User], charity: Organisation, group: Any
) -> None:
    claimant = person("resident")
    claim = Claim.objects.create(organisation=charity, user=claimant, message="Mine")
    service = ServiceFactory(organisation=group)
    change = ChangeRequest.objects.create(target=service, proposed={"name": "New"}, previous={"name": service.name})
    user = person(role)
    for workflow, record in ((CLAIM, claim), (CHANGE, change)):
        if role in {"officer", "admin"}:
            take(workflow, record, name, by=user, reason="A reason.")
            record.refresh_from_db()
            assert (record.status, record.decided_by, record.reason) == (target, user, "A reason.")
            assert record.decided_at is not None
        else:
            with pytest.raises(PermissionDenied):
                take(workflow, record, name, by=user, reason="A reason.")
            record.refresh_from_db()
            assert record.status == "pending"


@pytest.mark.parametrize("role", ROLES)
def test_reports_are_resolved_by_officers_and_admins(role: str, person: Callable[[str], User], group: Any) -> None:
    report = Report.objects.create(target=group, reason=Report.Reason.CLOSED)
    user = person(role)
    if role in {"officer", "admin"}:
        take(REPORT, report, "resolve", by=user, reason="Checked: still open.")
        report.refresh_from_db()
        assert (report.status, report.resolved_by, report.resolution) == ("resolved", user, "Checked: still open.")
    else:
        with pytest.raises(PermissionDenied):
            take(REPORT, report, "resolve", by=user, reason="Checked")


def test_every_workflow_names_its_steps_once_per_status() -> None:
    for workflow in (CLAIM, CHANGE, LISTING, REPORT):
        seen: set[tuple[str, str, frozenset[str]]] = set()
        for transition in workflow.transitions:
            for source in transition.sources:
                key = (transition.name, source, transition.who)
                assert key not in seen
                seen.add(key)


def test_the_buttons_offered_match_the_table(person: Callable[[str], User], group: Any) -> None:
    service = ServiceFactory(organisation=group, listing_status=ListingStatus.WITHDRAWN)
    assert [t.name for t in LISTING.available(service.listing_status, person("owner"), service)] == ["restore"]
    assert [t.name for t in LISTING.available(service.listing_status, person("officer"), service)] == ["republish"]
    assert LISTING.available(service.listing_status, person("resident"), service) == []
    assert workflows.is_moderator(person("officer")) and not workflows.is_moderator(person("steward"))
