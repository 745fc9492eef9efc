"""Conflicts of interest: an assessor declares before seeing anything; a conflicted assessor never sees the
application again, whatever address they try, and it goes to someone else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.funding.assess.queries import CONFLICT_MESSAGE, assessor_refusal
from commonweal.funding.assess.services import assign_assessors
from commonweal.funding.models import Application, Assignment, Attachment, Question, Round

pytestmark = pytest.mark.django_db

SECRET = "Our secret budget line: £1,234 for the minibus"


@pytest.fixture
def application(scoring_round: Round, submit: Callable[..., Application]) -> Application:
    question = Question.objects.create(round=scoring_round, label="What will you do?")
    return submit(
        scoring_round,
        title="Lunch club for older neighbours",
        summary=SECRET,
        answers={str(question.pk): "We will cook together every Tuesday."},
    )


@pytest.fixture
def assigned(officer: User, scoring_round: Round, application: Application, assessors: list[User]) -> list[Assignment]:
    """The first two assessors of the pool have the application; the third is free to take it over."""
    scoring_round.assessors.remove(assessors[2])
    assign_assessors(round=scoring_round, by=officer)
    scoring_round.assessors.add(assessors[2])
    return list(Assignment.objects.filter(application=application).order_by("assessor__email"))


def test_the_declaration_shows_only_the_organisation_and_the_title(
    client: Client, assigned: list[Assignment], application: Application
) -> None:
    client.force_login(assigned[0].assessor)
    page = client.get(f"/funding/assess/{assigned[0].pk}/declare/").content.decode()
    assert application.organisation.name in page
    assert "Lunch club for older neighbours" in page
    assert SECRET not in page
    assert "every Tuesday" not in page


def test_an_assessor_who_has_not_declared_is_sent_to_declare_before_scoring(
    client: Client, assigned: list[Assignment]
) -> None:
    client.force_login(assigned[0].assessor)
    response = client.get(f"/funding/assess/{assigned[0].pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/funding/assess/{assigned[0].pk}/declare/"


def test_declaring_no_conflict_opens_the_application(client: Client, assigned: list[Assignment]) -> None:
    client.force_login(assigned[0].assessor)
    response = client.post(f"/funding/assess/{assigned[0].pk}/declare/", {"conflict": "no"}, follow=True)
    assert "Our secret budget line" in response.content.decode()
    assigned[0].refresh_from_db()
    assert assigned[0].status == Assignment.Status.CLEAR and assigned[0].declared_at is not None


def test_a_conflict_needs_saying_what_it_is(client: Client, assigned: list[Assignment]) -> None:
    client.force_login(assigned[0].assessor)
    response = client.post(f"/funding/assess/{assigned[0].pk}/declare/", {"conflict": "yes"})
    assert response.status_code == 200
    assert "Say what the conflict of interest is." in response.content.decode()
    assigned[0].refresh_from_db()
    assert assigned[0].status == Assignment.Status.AWAITING_DECLARATION


def test_assessor_with_a_conflict_cannot_open_the_application(
    client: Client, assigned: list[Assignment], assessors: list[User]
) -> None:
    conflicted = assigned[0]
    client.force_login(conflicted.assessor)
    response = client.post(
        f"/funding/assess/{conflicted.pk}/declare/",
        {"conflict": "yes", "conflict_reason": "I am a trustee of the group."},
        follow=True,
    )
    assert "given to another assessor" in response.content.decode()
    conflicted.refresh_from_db()
    assert conflicted.status == Assignment.Status.CONFLICTED
    assert conflicted.conflict_reason == "I am a trustee of the group."
    # Every way in answers 403 with the reason, and shows nothing of the application.
    for response in (
        client.get(f"/funding/assess/{conflicted.pk}/"),
        client.post(f"/funding/assess/{conflicted.pk}/", {"action": "submit", "score_1": "5"}),
        client.get(f"/funding/assess/{conflicted.pk}/declare/"),
        client.post(f"/funding/assess/{conflicted.pk}/declare/", {"conflict": "no"}),
    ):
        assert response.status_code == 403
        assert CONFLICT_MESSAGE in response.content.decode()
        assert SECRET not in response.content.decode()
    conflicted.refresh_from_db()
    assert conflicted.status == Assignment.Status.CONFLICTED
    assert not conflicted.scores.exists()


def test_a_conflicted_application_is_reassigned_to_the_least_loaded_eligible_assessor(
    client: Client, assigned: list[Assignment], assessors: list[User], application: Application
) -> None:
    client.force_login(assigned[0].assessor)
    client.post(f"/funding/assess/{assigned[0].pk}/declare/", {"conflict": "yes", "conflict_reason": "Related."})
    active = application.assignments.exclude(status=Assignment.Status.CONFLICTED)
    assert set(active.values_list("assessor", flat=True)) == {assigned[1].assessor_id, assessors[2].pk}


def test_with_no_one_left_the_application_is_flagged_for_officers(
    client: Client, officer: User, scoring_round: Round, assigned: list[Assignment], assessors: list[User]
) -> None:
    scoring_round.assessors.remove(assessors[2])
    client.force_login(assigned[0].assessor)
    response = client.post(
        f"/funding/assess/{assigned[0].pk}/declare/", {"conflict": "yes", "conflict_reason": "Related."}, follow=True
    )
    assert "officers will find it another" in response.content.decode()
    client.force_login(officer)
    page = client.get(f"/funding/manage/rounds/{scoring_round.slug}/moderation/?flagged=1").content.decode()
    assert "Needs an assessor" in page
    assert "Lunch club for older neighbours" in page


def test_running_assignment_again_never_gives_it_back_to_the_conflicted_assessor(
    client: Client, officer: User, scoring_round: Round, assigned: list[Assignment], assessors: list[User]
) -> None:
    scoring_round.assessors.remove(assessors[2])
    client.force_login(assigned[0].assessor)
    client.post(f"/funding/assess/{assigned[0].pk}/declare/", {"conflict": "yes", "conflict_reason": "Related."})
    scoring_round.assessors.add(assessors[2])
    assign_assessors(round=scoring_round, by=officer)
    assert Assignment.objects.filter(assessor=assigned[0].assessor).count() == 1


def test_someone_not_assigned_is_refused_whatever_they_try(
    client: Client, assigned: list[Assignment], make_user: Callable[..., User]
) -> None:
    client.force_login(make_user("officer"))
    for response in (
        client.get(f"/funding/assess/{assigned[0].pk}/"),
        client.post(f"/funding/assess/{assigned[0].pk}/", {"action": "submit"}),
        client.get(f"/funding/assess/{assigned[0].pk}/declare/"),
    ):
        assert response.status_code == 403
        assert "You are not an assessor of this application" in response.content.decode()
    assert client.get("/funding/assess/999999/").status_code == 404


def test_the_attachment_rule_refuses_a_conflicted_assessor(
    client: Client, assigned: list[Assignment], application: Application
) -> None:
    conflicted, clear = assigned
    Assignment.objects.filter(pk=conflicted.pk).update(status=Assignment.Status.CONFLICTED)
    Assignment.objects.filter(pk=clear.pk).update(status=Assignment.Status.CLEAR)
    assert assessor_refusal(conflicted.assessor, application) == CONFLICT_MESSAGE
    assert assessor_refusal(clear.assessor, application) is None
    question = Question.objects.filter(round=application.round).first()
    attachment = Attachment.objects.create(
        application=application,
        question=question,
        file=ContentFile(b"%PDF-1.4 budget", name="budget.pdf"),
        original_name="budget.pdf",
        content_type="application/pdf",
        size=15,
        uploaded_by=application.created_by,
    )
    url = reverse("funding:attachment", args=[application.uuid, attachment.pk])
    client.force_login(conflicted.assessor)
    response = client.get(url)
    assert response.status_code == 403
    assert "You declared a conflict of interest" in response.content.decode()
