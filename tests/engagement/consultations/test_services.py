"""Drafting, checking, publishing and withdrawing a consultation, as the services do it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commonweal.core.models import WorkflowEvent
from commonweal.engagement.consultations import services
from commonweal.engagement.consultations.services import Impact, QuestionText
from commonweal.engagement.errors import EngagementError, WorkflowError
from commonweal.engagement.models import Characteristic, Consultation, Document, Event, ImpactAssessment, Question
from tests.engagement import factories

from .helpers import pdf, ready_draft

pytestmark = pytest.mark.django_db
C = Consultation.Status
K = Question.Kind


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer", organisation=factories.department())


def messages_of(error: pytest.ExceptionInfo[EngagementError]) -> str:
    return " ".join(error.value.messages)


# --- starting and drafting -----------------------------------------------------------------------------------


def test_an_officer_starts_a_draft_for_their_department_with_an_address_made_from_its_title(officer: Any) -> None:
    first = services.start_consultation(
        by=officer,
        department=factories.department(),
        title="Library opening hours",
        summary="s",
        proposal="p",
        options_open="o",
    )
    second = services.start_consultation(
        by=officer,
        department=factories.department(),
        title="Library opening hours!",
        summary="s",
        proposal="p",
        options_open="o",
    )
    assert (first.slug, second.slug) == ("library-opening-hours", "library-opening-hours-2")
    assert first.status == C.DRAFT and first.created_by == officer


def test_an_officer_cannot_start_one_for_another_department(officer: Any) -> None:
    other = factories.department("Housing (test)")
    with pytest.raises(EngagementError) as refused:
        services.start_consultation(
            by=officer, department=other, title="t", summary="s", proposal="p", options_open="o"
        )
    assert refused.value.message_dict == {"department": ["Choose one of your own departments."]}


def test_a_resident_cannot_start_one(make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.start_consultation(
            by=make_user("resident"),
            department=factories.department(),
            title="t",
            summary="s",
            proposal="p",
            options_open="o",
        )


def test_missing_details_are_each_named_beside_their_field(officer: Any) -> None:
    with pytest.raises(EngagementError) as refused:
        services.start_consultation(
            by=officer, department=factories.department(), title=" ", summary="", proposal="", options_open=""
        )
    assert set(refused.value.message_dict) == {"title", "summary", "proposal", "options_open"}


def test_changing_a_field_the_check_reads_clears_a_completed_check(officer: Any) -> None:
    draft = ready_draft()
    assert draft.gunning_completed_at is not None
    services.change_details(
        consultation=draft,
        by=officer,
        title=draft.title,
        summary=draft.summary,
        proposal=draft.proposal,
        options_open=draft.options_open,
        background="Some history.",
    )
    draft.refresh_from_db()
    assert draft.gunning_completed_at is not None  # the background is not something the check reads
    services.change_details(
        consultation=draft,
        by=officer,
        title=draft.title,
        summary="A new summary.",
        proposal=draft.proposal,
        options_open=draft.options_open,
    )
    draft.refresh_from_db()
    assert draft.gunning_completed_at is None


def test_new_affected_wards_clear_the_check(officer: Any, merton: Any) -> None:
    draft = ready_draft()
    ward = merton.wards.order_by("name").first()
    services.change_affected(consultation=draft, by=officer, wards=[ward], groups=[], themes=[])
    draft.refresh_from_db()
    assert list(draft.wards.all()) == [ward] and draft.gunning_completed_at is None


def test_a_published_consultation_keeps_its_details(officer: Any) -> None:
    published = factories.consultation()
    with pytest.raises(EngagementError) as refused:
        services.change_dates(consultation=published, by=officer, opens_on=None, closes_on=None)
    assert "is published, so its dates can no longer be changed" in messages_of(refused)


def test_dates_in_the_wrong_order_are_refused(officer: Any) -> None:
    draft = ready_draft()
    today = timezone.localdate()
    with pytest.raises(EngagementError) as refused:
        services.change_dates(consultation=draft, by=officer, opens_on=today + timedelta(days=9), closes_on=today)
    assert "closes_on" in refused.value.message_dict


# --- the Gunning check and the equality impact assessment ------------------------------------------------------


def test_the_check_cannot_be_marked_complete_with_anything_required_missing(officer: Any) -> None:
    draft = ready_draft(decision_maker="", considered_by="")
    Consultation.objects.filter(pk=draft.pk).update(gunning_completed_at=None)
    with pytest.raises(EngagementError) as refused:
        services.complete_gunning_check(consultation=draft, by=officer)
    assert set(refused.value.message_dict) == {"decision_maker", "considered_by"}
    draft.refresh_from_db()
    assert draft.gunning_completed_at is None


def test_the_check_is_marked_complete_by_whom_when_nothing_is_missing(officer: Any) -> None:
    draft = ready_draft()
    Consultation.objects.filter(pk=draft.pk).update(gunning_completed_at=None)
    services.complete_gunning_check(consultation=draft, by=officer)
    draft.refresh_from_db()
    assert draft.gunning_completed_at is not None and draft.gunning_completed_by == officer


def _rows(**changes: Impact) -> dict[str, Impact]:
    rows = {value: Impact("neutral", "The borough profile.") for value in Characteristic.values}
    rows.update(changes)
    return rows


def test_a_negative_impact_needs_a_mitigation_and_nothing_is_saved_without_it(officer: Any) -> None:
    draft = ready_draft()
    draft.impacts.all().delete()
    with pytest.raises(EngagementError) as refused:
        services.assess_impacts(consultation=draft, by=officer, rows=_rows(disability=Impact("negative", "Kerbs.")))
    assert refused.value.message_dict == {
        "disability-mitigations": ["Say how the negative impact on disability will be reduced."]
    }
    assert not draft.impacts.exists()


def test_every_characteristic_needs_an_impact(officer: Any) -> None:
    draft = ready_draft()
    rows = _rows()
    del rows["race"]
    with pytest.raises(EngagementError) as refused:
        services.assess_impacts(consultation=draft, by=officer, rows=rows)
    assert refused.value.message_dict == {"race-impact": ["Choose the likely impact on race."]}


def test_an_assessment_saves_all_ten_rows_and_a_change_clears_the_check(officer: Any) -> None:
    draft = ready_draft()
    services.assess_impacts(
        consultation=draft,
        by=officer,
        rows=_rows(age=Impact("positive", "Seats.", "")),
    )
    launch = draft.impacts.filter(stage=ImpactAssessment.Stage.LAUNCH)
    assert launch.count() == 10 and launch.get(characteristic="age").impact == "positive"
    draft.refresh_from_db()
    assert draft.gunning_completed_at is None


# --- questions ---------------------------------------------------------------------------------------------------


def test_questions_are_added_at_the_end_and_moved_up_and_down(officer: Any) -> None:
    draft = ready_draft(questions=False)
    first = services.add_question(consultation=draft, by=officer, typed=QuestionText(K.TEXT, "Anything else?"))
    second = services.add_question(
        consultation=draft, by=officer, typed=QuestionText(K.SINGLE, "Do you agree?", options=("Yes", " No ", ""))
    )
    assert second.options == ["Yes", "No"]
    services.move_question(question=second, by=officer, up=True)
    assert list(draft.questions.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    services.move_question(question=second, by=officer, up=True)  # already first: stays
    assert list(draft.questions.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("typed", "field", "words"),
    [
        (QuestionText(K.RANKING, "Order these", options=("Only one",)), "options", "A ranking needs at least 2"),
        (QuestionText(K.SINGLE, "Pick", options=()), "options", "A choice question needs at least 2"),
        (QuestionText(K.MULTIPLE, "Pick", options=("A", "a")), "options", "Each option must be different"),
        (QuestionText(K.SINGLE, "Pick", options=tuple(str(n) for n in range(31))), "options", "at most 30"),
        (QuestionText(K.SCALE, "Rate", scale_points=12), "scale_points", "from 2 to 11"),
        (QuestionText(K.TEXT, "x" * 501), "text", "500 characters"),
        (QuestionText(K.TEXT, "  "), "text", "Enter the question"),
        (QuestionText("essay", "Write"), "kind", "Choose the kind"),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused(
    officer: Any, typed: QuestionText, field: str, words: str
) -> None:
    draft = ready_draft(questions=False)
    with pytest.raises(EngagementError) as refused:
        services.add_question(consultation=draft, by=officer, typed=typed)
    assert words in " ".join(refused.value.message_dict[field])
    assert not draft.questions.exists()


def test_questions_cannot_change_once_published(officer: Any) -> None:
    published = factories.consultation()
    question = published.questions.first()
    assert question is not None
    for attempt in (
        lambda: services.add_question(consultation=published, by=officer, typed=QuestionText(K.TEXT, "More?")),
        lambda: services.change_question(question=question, by=officer, typed=QuestionText(K.TEXT, "Changed?")),
        lambda: services.delete_question(question=question, by=officer),
        lambda: services.move_question(question=question, by=officer, up=False),
    ):
        with pytest.raises(EngagementError, match="its questions cannot be changed"):
            attempt()
    assert published.questions.count() == 6


# --- documents ---------------------------------------------------------------------------------------------------


def test_a_document_is_checked_for_what_it_really_is(officer: Any) -> None:
    draft = ready_draft()
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(EngagementError) as refused:
        services.add_document(consultation=draft, by=officer, kind="consultation", title="Plan", file=fake)
    assert "Its content does not match its name" in " ".join(refused.value.message_dict["file"])
    text = SimpleUploadedFile("notes.txt", "Plain notes – in UTF-8.".encode(), content_type="text/plain")
    made = services.add_document(consultation=draft, by=officer, kind="background", title="Notes", file=text)
    assert made.size == text.size
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    with pytest.raises(EngagementError, match="empty"):
        services.add_document(consultation=draft, by=officer, kind="background", title="Empty", file=empty)


def test_documents_may_be_added_once_published_but_not_deleted(officer: Any) -> None:
    published = factories.consultation()
    made = services.add_document(
        consultation=published, by=officer, kind="other_language", title="Polski", language="Polish", file=pdf()
    )
    with pytest.raises(EngagementError, match="its documents stay"):
        services.delete_document(document=made, by=officer)
    assert Document.objects.filter(pk=made.pk).exists()


# --- publishing and withdrawing ----------------------------------------------------------------------------------


def test_a_ready_draft_is_published_by_whom_and_when_once_its_warnings_are_read(officer: Any) -> None:
    draft = ready_draft()
    found = services.queries.findings(draft)
    assert found.complete
    if found.warnings:
        with pytest.raises(EngagementError) as refused:
            services.publish_consultation(consultation=draft, by=officer, warnings_read=False)
        assert refused.value.message_dict == {"warnings_read": ["Confirm you have read the warnings."]}
    services.publish_consultation(consultation=draft, by=officer, warnings_read=True)
    draft.refresh_from_db()
    assert draft.status == C.PUBLISHED and draft.published_by == officer and draft.published_at is not None
    assert WorkflowEvent.objects.filter(object_id=draft.pk, transition="publish").count() == 1


def test_an_affected_ward_without_an_event_is_a_warning_that_must_be_read(officer: Any, merton: Any) -> None:
    draft = ready_draft()
    ward = merton.wards.order_by("name").first()
    draft.wards.add(ward)
    with pytest.raises(EngagementError):
        services.publish_consultation(consultation=draft, by=officer, warnings_read=False)
    start = timezone.now() + timedelta(days=10)
    Event.objects.create(
        kind="drop_in",
        title="Drop in",
        description="d",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        ward=ward,
        consultation=draft,
        status=Event.Status.PUBLISHED,
    )
    assert not [w for w in services.queries.findings(draft).warnings if w.field == "wards"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"gunning_completed_at": None}, "Mark the Gunning check complete."),
        ({"decision_maker": ""}, "Enter who makes the decision"),
        ({"opens_on_days": -1}, "which has passed"),
        ({"closes_on_days": 5}, "the council's shortest is 2 weeks"),
        ({"closes_on_days": 30}, "say why a shorter period is proportionate"),
        ({"no_questions": True}, "Add at least one question."),
        ({"no_eqia": True}, "Complete the equality impact assessment"),
    ],
)
def test_publishing_is_refused_with_each_missing_thing(officer: Any, change: dict[str, Any], words: str) -> None:
    draft = ready_draft()
    today = timezone.localdate()
    updates: dict[str, Any] = {}
    if "opens_on_days" in change:
        updates["opens_on"] = today + timedelta(days=change["opens_on_days"])
    elif "closes_on_days" in change:
        updates["closes_on"] = draft.opens_on + timedelta(days=change["closes_on_days"])
    elif "no_questions" in change:
        draft.questions.all().delete()
    elif "no_eqia" in change:
        draft.impacts.filter(characteristic="race").delete()
    else:
        updates.update(change)
    Consultation.objects.filter(pk=draft.pk).update(**updates)
    with pytest.raises(EngagementError) as refused:
        services.publish_consultation(consultation=draft, by=officer, warnings_read=True)
    assert words in messages_of(refused)
    draft.refresh_from_db()
    assert draft.status == C.DRAFT and draft.published_at is None


def test_an_officer_of_another_department_cannot_publish(make_user: Any) -> None:
    draft = ready_draft()
    stranger = make_user("officer")
    with pytest.raises(PermissionDenied):
        services.publish_consultation(consultation=draft, by=stranger, warnings_read=True)
    draft.refresh_from_db()
    assert draft.status == C.DRAFT


def test_publishing_twice_says_it_has_already_been_published(officer: Any) -> None:
    published = factories.consultation()
    with pytest.raises(WorkflowError, match="already been published"):
        services.publish_consultation(consultation=published, by=officer, warnings_read=True)


def test_withdrawing_needs_a_reason_which_is_kept(officer: Any) -> None:
    published = factories.consultation()
    with pytest.raises(WorkflowError) as refused:
        services.withdraw_consultation(consultation=published, by=officer, reason="  ")
    assert "reason" in refused.value.message_dict
    services.withdraw_consultation(consultation=published, by=officer, reason="The funding was withdrawn.")
    published.refresh_from_db()
    assert published.status == C.WITHDRAWN and published.withdrawn_reason == "The funding was withdrawn."
    with pytest.raises(WorkflowError, match="already been withdrawn"):
        services.withdraw_consultation(consultation=published, by=officer, reason="Again.")


def test_a_document_added_or_deleted_while_a_draft_clears_the_check(officer: Any) -> None:
    draft = ready_draft()
    made = services.add_document(consultation=draft, by=officer, kind="background", title="Study", file=pdf())
    draft.refresh_from_db()
    assert draft.gunning_completed_at is None
    services.complete_gunning_check(consultation=draft, by=officer)
    services.delete_document(document=made, by=officer)
    draft.refresh_from_db()
    assert draft.gunning_completed_at is None and not Document.objects.filter(pk=made.pk).exists()
