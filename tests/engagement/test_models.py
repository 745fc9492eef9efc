"""What every area relies on: a published consultation's phase follows its dates, and the workflow's steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from commonweal.engagement.models import Consultation
from commonweal.engagement.workflows import CONSULTATION, WorkflowError, take
from tests.engagement import factories

pytestmark = pytest.mark.django_db


def test_a_published_consultation_is_forthcoming_open_then_closed_by_its_dates() -> None:
    made = factories.consultation(opens_on=date(2027, 1, 4), closes_on=date(2027, 3, 29))
    assert made.phase(date(2027, 1, 3)) == "forthcoming"
    assert made.phase(date(2027, 1, 4)) == "open"
    assert made.phase(date(2027, 3, 29)) == "open"  # open all of its last day
    assert made.phase(date(2027, 3, 30)) == "closed"


def test_a_draft_is_never_open_whatever_its_dates() -> None:
    made = factories.consultation(status=Consultation.Status.DRAFT)
    assert made.phase(made.opens_on + timedelta(days=1)) == "draft"


def test_only_the_running_department_or_a_steward_may_publish(make_user) -> None:
    made = factories.consultation(status=Consultation.Status.DRAFT)
    other_officer = make_user("officer")
    with pytest.raises(PermissionDenied):
        take(CONSULTATION, made, "publish", by=other_officer)
    own_officer = make_user("officer", organisation=made.department)
    take(CONSULTATION, made, "publish", by=own_officer)
    assert made.status == Consultation.Status.PUBLISHED
    with pytest.raises(WorkflowError, match="already been published"):
        take(CONSULTATION, made, "publish", by=own_officer)


def test_withdrawing_needs_a_reason(make_user) -> None:
    made = factories.consultation()
    steward = make_user("steward")
    with pytest.raises(WorkflowError):
        take(CONSULTATION, made, "withdraw", by=steward)
    take(CONSULTATION, made, "withdraw", by=steward, reason="The funding was withdrawn by government.")
    made.refresh_from_db()
    assert made.status == "withdrawn" and made.withdrawn_reason.startswith("The funding")


def test_a_response_made_by_the_factory_is_submitted_and_answers_the_first_question() -> None:
    made = factories.consultation()
    response = factories.response(made)
    assert response.status == "submitted"
    assert response.answers.get().question.position == 1
