"""Closing the loop's services: a draft kept as typed, publishing refused until the consultation has closed and
'we did' and its assessment are complete, and the decision emailed to each hear-back address once, ever."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commonweal.core.models import WorkflowEvent
from commonweal.engagement.closing import queries, services
from commonweal.engagement.closing.tasks import tell_respondents
from commonweal.engagement.errors import EngagementError
from commonweal.engagement.models import Consultation, DecisionNotice, Document, ImpactAssessment, Response
from tests.engagement import factories

from .helpers import closed, complete_impacts, officer_of, save_complete

pytestmark = pytest.mark.django_db

NEGATIVE = ImpactAssessment.Impact.NEGATIVE


def test_an_officer_cannot_publish_we_did_before_the_consultation_closes(make_user: Any) -> None:
    consultation = factories.consultation()  # open today
    officer = officer_of(make_user, consultation)
    with pytest.raises(EngagementError) as refused:
        services.publish_we_did(consultation=consultation, by=officer)
    assert "still open until" in refused.value.messages[0]
    with pytest.raises(EngagementError):
        save_complete(consultation, officer)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED
    assert consultation.decision == ""


def test_publishing_without_a_decision_says_what_is_missing(make_user: Any) -> None:
    consultation = closed()
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer, decision="", how_changed="  ")
    with pytest.raises(EngagementError) as refused:
        services.publish_we_did(consultation=consultation, by=officer)
    problems = refused.value.message_dict
    assert problems["decision"] == ["Say what was decided."]
    assert "how the responses changed" in problems["how_changed"][0]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED
    assert consultation.decided_at is None


def test_publishing_with_an_incomplete_closing_assessment_is_refused_row_by_row(make_user: Any) -> None:
    consultation = closed()
    officer = officer_of(make_user, consultation)
    impacts = complete_impacts(disability=(NEGATIVE, "Paths are uneven.", ""), race=("", "", ""))
    impacts.pop("sex")
    save_complete(consultation, officer, impacts=impacts)
    with pytest.raises(EngagementError) as refused:
        services.publish_we_did(consultation=consultation, by=officer)
    problems = refused.value.message_dict
    assert set(problems) == {"disability-mitigations", "race-impact", "sex-impact"}
    assert "negative impact on people by disability" in problems["disability-mitigations"][0]
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.PUBLISHED


def test_a_draft_keeps_what_was_typed_even_when_incomplete(make_user: Any) -> None:
    consultation = closed()
    officer = officer_of(make_user, consultation)
    services.save_we_did(
        consultation=consultation,
        by=officer,
        you_said=" People liked the trees. ",
        decision="",
        how_changed="",
        decision_paper_url="",
        impacts={"age": services.ImpactDraft(NEGATIVE, "Older people worry about crossing.", "")},
    )
    consultation.refresh_from_db()
    assert consultation.you_said == "People liked the trees."
    row = consultation.impacts.get(stage=ImpactAssessment.Stage.CLOSING, characteristic="age")
    assert (row.impact, row.evidence) == (NEGATIVE, "Older people worry about crossing.")
    # The launch assessment is left as it was published.
    assert consultation.impacts.get(stage=ImpactAssessment.Stage.LAUNCH, characteristic="age").impact == "neutral"


def test_publishing_decides_the_consultation_and_keeps_the_figures(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = closed()
    for _ in range(12):
        factories.response(consultation, answers={1: {"choices": [0]}})
    for _ in range(3):
        factories.response(consultation, answers={1: {"choices": [1]}})
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.publish_we_did(consultation=consultation, by=officer)
    decided.refresh_from_db()
    assert decided.status == Consultation.Status.DECIDED
    assert decided.decided_by == officer
    assert decided.decided_at is not None
    assert WorkflowEvent.objects.filter(object_id=decided.pk, transition="decide", by=officer).exists()
    assert decided.you_said_figures["responses"] == 15
    first = decided.you_said_figures["questions"][0]
    # 12 said yes, 3 no and none 'not sure'. The 3 is hidden; with 15 answers shown the 12 would give it away, so
    # it is hidden too (the analysis area's suppression, the same the results page applies); nobody is no one.
    assert first["rows"] == [
        {"label": "Yes", "count": None, "small": False},
        {"label": "No", "count": None, "small": True},
        {"label": "Not sure", "count": 0, "small": False},
    ]
    # Publishing twice says it is done, and changes nothing.
    with pytest.raises(EngagementError, match="already been published"):
        services.publish_we_did(consultation=decided, by=officer)


def test_an_officer_of_another_department_cannot_close_it(make_user: Any) -> None:
    consultation = closed()
    stranger = make_user("officer")
    with pytest.raises(PermissionDenied):
        save_complete(consultation, stranger)
    with pytest.raises(PermissionDenied):
        services.publish_we_did(consultation=consultation, by=stranger)


def test_a_steward_may_close_any_consultation(make_user: Any) -> None:
    consultation = closed()
    steward = make_user("steward")
    save_complete(consultation, steward)
    services.publish_we_did(consultation=consultation, by=steward)
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.DECIDED


def test_a_decision_paper_is_checked_and_kept_as_a_decision_document(make_user: Any) -> None:
    consultation = closed()
    officer = officer_of(make_user, consultation)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf")
    with pytest.raises(EngagementError) as refused:
        save_complete(consultation, officer, paper=fake)
    assert "decision_paper" in refused.value.message_dict
    assert not Document.objects.filter(consultation=consultation).exists()
    assert Consultation.objects.get(pk=consultation.pk).decision == ""  # nothing half-done
    real = SimpleUploadedFile("Cabinet report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n")
    save_complete(consultation, officer, paper=real)
    paper = Document.objects.get(consultation=consultation)
    assert (paper.kind, paper.title) == (Document.Kind.DECISION, "Cabinet report")


# --- telling people -----------------------------------------------------------------------------------------


def _hear_back(consultation: Consultation, make_user: Any) -> None:
    """Four responses asking to hear back (two from one address typed differently, one from a person with an
    account and no address on the response), one that did not ask, and a draft that asked."""
    factories.response(consultation, email="Ann@Example.org", hear_back=True)
    factories.response(consultation, email="ann@example.org ", hear_back=True)
    factories.response(consultation, user=make_user("resident", email="bea@example.org"), hear_back=True)
    factories.response(consultation, email="cal@example.org", hear_back=True)
    factories.response(consultation, email="dan@example.org", hear_back=False)
    Response.objects.create(consultation=consultation, email="eve@example.org", hear_back=True)


def test_everyone_who_asked_is_told_once_and_nobody_else(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = closed()
    _hear_back(consultation, make_user)
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.publish_we_did(consultation=consultation, by=officer)
    assert decided.hear_back_total == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bea@example.org", "cal@example.org"]
    message = mail.outbox[0]
    assert message.subject == "What we decided: Our plan for Mitcham high street"
    assert "Cabinet agreed the plan with a second crossing." in message.body
    assert f"/engagement/consultations/{consultation.slug}/we-did/" in message.body
    assert queries.told_count(decided) == 3


def test_a_retried_task_emails_nobody_twice(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    consultation = closed()
    _hear_back(consultation, make_user)
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_we_did(consultation=consultation, by=officer)
    mail.outbox.clear()
    # The worker runs it again (a retry): everyone has been told already.
    result = tell_respondents.enqueue(consultation.pk)
    assert result.return_value == 0
    assert mail.outbox == []
    # A late hear-back response (entered from paper) is told on the next run, and only they are.
    factories.response(consultation, email="fay@example.org", hear_back=True)
    assert services.tell_respondents(consultation_id=consultation.pk) == 1
    assert [m.to for m in mail.outbox] == [["fay@example.org"]]


def test_a_mail_server_failure_part_way_keeps_who_was_told(
    make_user: Any, settings: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = closed()
    for n in range(5):
        factories.response(consultation, email=f"person{n}@example.org", hear_back=True)
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_we_did(consultation=consultation, by=officer)
    mail.outbox.clear()
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send
    sent: list[str] = []

    def flaky(message: EmailMessage, fail_silently: bool = False) -> int:
        if message.to == ["person3@example.org"] and "person3@example.org" not in sent:
            sent.append("person3@example.org")
            raise ConnectionError("The mail server went away.")
        return real_send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(ConnectionError):
        services.tell_respondents(consultation_id=consultation.pk, batch=2)
    told_first = sorted(m.to[0] for m in mail.outbox)
    assert told_first == ["person0@example.org", "person1@example.org", "person2@example.org"]
    assert DecisionNotice.objects.filter(consultation=consultation).count() == 3
    # Tried again: only the two not yet told are emailed.
    mail.outbox.clear()
    assert services.tell_respondents(consultation_id=consultation.pk, batch=2) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["person3@example.org", "person4@example.org"]


def test_nothing_is_sent_for_a_consultation_not_decided(make_user: Any) -> None:
    consultation = closed()
    factories.response(consultation, email="ann@example.org", hear_back=True)
    mail.outbox.clear()
    assert services.tell_respondents(consultation_id=consultation.pk) == 0
    assert mail.outbox == []


# --- when 'we did' is due -----------------------------------------------------------------------------------


def test_we_did_is_due_the_councils_outcome_weeks_after_closing(make_user: Any) -> None:
    today = timezone.localdate()
    late = closed("A late one", slug="late", closes_on=today - timedelta(weeks=13))
    recent = closed("A recent one", slug="recent")
    open_now = factories.consultation("Still open", slug="still-open")
    rows = queries.awaiting_we_did()
    assert [(r.consultation.slug, r.overdue) for r in rows] == [("late", True), ("recent", False)]
    assert rows[1].due_on == recent.closes_on + timedelta(weeks=12)
    assert queries.overdue_count() == 1
    assert open_now.slug not in {r.consultation.slug for r in rows}
    assert late.slug in {r.consultation.slug for r in queries.awaiting_we_did(department_ids={late.department_id})}
    assert queries.awaiting_we_did(department_ids=set()) == []


def test_the_emails_wait_for_the_worker_and_it_sends_them(
    make_user: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """As `make demo` runs it: the database queue, and `commonweal db_worker` taking the job."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    consultation = closed()
    factories.response(consultation, email="ann@example.org", hear_back=True)
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_we_did(consultation=consultation, by=officer)
    assert mail.outbox == []  # the click does not wait for the emails
    job = DBTaskResult.objects.get(task_path=tell_respondents.module_path)
    assert job.args_kwargs["args"] == [consultation.pk]
    # The worker closes its connections between jobs; in a test that is the test's own connection (as in
    # tests/core/test_jobs.py), which PostgreSQL would then refuse to go on with.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("db_worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]


def test_the_figures_count_each_kind_of_question_as_people_answered_it() -> None:
    consultation = closed()
    for n in range(12):
        factories.response(
            consultation,
            answers={
                1: {"choices": [0]},
                2: {"choices": [0, 2] if n < 11 else [0, 0, "junk", 99]},  # a crafted answer counts once, once only
                3: {"scale": 5},
                5: {"choices": [1, 0, 2]},
            },
        )
    found = queries.figures(consultation)
    by_text = {q["text"]: q for q in found["questions"]}
    # 11 chose the library, so one did not: hidden, as a group of one would be (no one chose cafes or the market).
    assert [r["count"] for r in by_text["What would you use more?"]["rows"]] == [12, 0, None, 0]
    very_safe = by_text["How safe do you feel crossing?"]["rows"][-1]
    assert very_safe == {"label": "5 (Very safe)", "count": 12, "small": False}
    assert [r["count"] for r in by_text["Put these in order of importance"]["rows"]] == [0, 12, 0]
    assert "What else should we know?" not in by_text  # free text is summarised in words, never counted here
