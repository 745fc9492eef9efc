"""The emails a group gets as its grant goes along: each names the reference, says what happened and what
happens next, and links to the page; a write that fails sends nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from commonweal.accounts.models import Organisation, User
from commonweal.funding.assess.services import record_decision
from commonweal.funding.awards.services import accept_grant, submit_report
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application
from tests.funding.awards.helpers import approved_application, offered_grant
from tests.funding.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(mailoutbox: list[Any], django_capture_on_commit_callbacks: Any) -> Any:
    """Run a write and give back the emails it sent once it committed."""

    def run(write: Callable[[], Any]) -> list[Any]:
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return mailoutbox[before:]

    return run


def in_assessment(group: Organisation, member: User) -> Application:
    return ApplicationFactory(
        organisation=group,
        created_by=member,
        status=Application.Status.IN_ASSESSMENT,
        amount_requested=Decimal("2000"),
        title="Lunch for sixty",
    )


def test_the_group_hears_its_application_is_funded_with_the_feedback_and_what_comes_next(
    group: Organisation, member: User, officer: User, sent: Any
) -> None:
    application = in_assessment(group, member)
    emails = sent(
        lambda: record_decision(
            application=application,
            outcome="approved",
            amount="1500",
            reasons="Strong need.",
            feedback="A clear plan; well done.",
            by=officer,
        )
    )
    assert [email.to for email in emails] == [["member@example.org"]]
    email = emails[0]
    assert email.subject == f"Your application is funded: {application.reference}"
    assert f"Reference: {application.reference}" in email.body
    assert "is funded: £1,500." in email.body
    assert "A clear plan; well done." in email.body
    assert "What happens next" in email.body and "grant offer" in email.body
    assert "Strong need." not in email.body  # the panel's own reasons stay with the council


def test_the_group_hears_its_application_is_not_funded(
    group: Organisation, member: User, officer: User, sent: Any
) -> None:
    application = in_assessment(group, member)
    emails = sent(
        lambda: record_decision(
            application=application, outcome="rejected", amount="", reasons="Too little.", feedback="", by=officer
        )
    )
    assert emails[0].subject == f"Your application is not funded: {application.reference}"
    assert "is not funded." in emails[0].body


def test_a_refused_decision_sends_nothing(group: Organisation, member: User, officer: User, sent: Any) -> None:
    application = in_assessment(group, member)

    def refused() -> None:
        with pytest.raises(FundingError):
            record_decision(application=application, outcome="approved", amount="", reasons="", feedback="", by=officer)

    assert sent(refused) == []


def test_the_group_hears_of_its_grant_offer_with_the_grants_reference(
    group: Organisation, member: User, officer: User, sent: Any
) -> None:
    application = approved_application(organisation=group, created_by=member, decided_by=officer)
    grants: list[Any] = []
    emails = sent(lambda: grants.append(offered_grant(application=application, by=officer)))
    grant = grants[0]
    assert [email.to for email in emails] == [["member@example.org"]]
    assert emails[0].subject == f"Your grant offer: {grant.reference}"
    assert "a grant of £2,000" in emails[0].body
    assert "accept or decline it online" in emails[0].body
    assert f"/funding/grants/{grant.reference}/" in emails[0].body


def test_the_group_hears_its_monitoring_report_is_received(
    group: Organisation, member: User, officer: User, sent: Any
) -> None:
    application = approved_application(organisation=group, created_by=member, decided_by=officer)
    grant = accept_grant(grant=offered_grant(application=application, by=officer), confirmed=True, by=member)
    report = grant.reports.order_by("due_on").first()
    emails = sent(
        lambda: submit_report(
            report=report,
            narrative="Forty lunches.",
            spent=Decimal("800"),
            results=[{"kind": "output", "description": "Lunches served", "quantity": Decimal("40"), "unit": "lunches"}],
            by=member,
        )
    )
    assert [email.to for email in emails] == [["member@example.org"]]
    assert emails[0].subject == f"Monitoring report received: {grant.reference}"
    assert '"Progress report"' in emails[0].body and "What happens next" in emails[0].body
