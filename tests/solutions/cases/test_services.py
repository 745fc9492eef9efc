"""The council's side of a blockage, through its services: each step, who may take it, out of order and twice;
each department's own part; the champion and the departments on the case; the learning and the case study."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commonweal.solutions.cases import services
from commonweal.solutions.errors import SolutionsError, WorkflowError
from commonweal.solutions.models import Blockage, BlockageEvent, CaseStudy, Part

pytestmark = pytest.mark.django_db
B = Blockage.Status


def walk(blockage: Blockage, by: Any, *names: str) -> Blockage:
    notes = {"agree_steps": "Plant three conifers in March.", "wait": "Which species?", "resolve": "Planted."}
    for name in names:
        blockage = services.take_case_step(blockage=blockage, name=name, by=by, note=notes.get(name, ""))
    return blockage


def test_a_department_officer_takes_every_step_to_resolved(people: dict[str, Any], blockage: Blockage) -> None:
    officer = people["parks_officer"]
    done = walk(blockage, officer, "acknowledge", "agree_steps", "start", "resolve")
    done.refresh_from_db()
    assert done.status == B.RESOLVED
    assert done.outcome == "Planted."
    assert done.closed_at is not None
    steps = list(BlockageEvent.objects.filter(blockage=done).values_list("transition", "by"))
    assert steps == [
        ("acknowledge", officer.pk),
        ("agree_steps", officer.pk),
        ("start", officer.pk),
        ("resolve", officer.pk),
    ]
    # The queues follow: every department's part carries the blockage's status.
    assert set(Part.objects.filter(blockage=done).values_list("blockage_status", flat=True)) == {B.RESOLVED}


def test_agreeing_the_steps_needs_the_steps_agreed(people: dict[str, Any], blockage: Blockage) -> None:
    walk(blockage, people["parks_officer"], "acknowledge")
    with pytest.raises(WorkflowError) as caught:
        services.take_case_step(blockage=blockage, name="agree_steps", by=people["parks_officer"], note="  ")
    assert caught.value.message_dict == {"reason": ["Say what happens next, so the person who raised it knows."]}
    blockage.refresh_from_db()
    assert blockage.status == B.ACKNOWLEDGED


@pytest.mark.parametrize("name", ["resolve", "not_resolvable"])
def test_closing_needs_reasons(people: dict[str, Any], blockage: Blockage, name: str) -> None:
    walk(blockage, people["parks_officer"], "acknowledge")
    with pytest.raises(WorkflowError):
        services.take_case_step(blockage=blockage, name=name, by=people["parks_officer"])
    blockage.refresh_from_db()
    assert blockage.status == B.ACKNOWLEDGED and blockage.outcome == ""


def test_an_officer_of_another_department_is_refused_and_nothing_changes(
    people: dict[str, Any], blockage: Blockage
) -> None:
    with pytest.raises(PermissionDenied):
        services.take_case_step(blockage=blockage, name="acknowledge", by=people["other_officer"])
    blockage.refresh_from_db()
    assert blockage.status == B.RAISED
    assert not BlockageEvent.objects.filter(blockage=blockage).exists()


def test_the_raiser_cannot_take_the_councils_steps(people: dict[str, Any], blockage: Blockage) -> None:
    with pytest.raises(PermissionDenied):
        services.take_case_step(blockage=blockage, name="acknowledge", by=people["raiser"])


def test_a_step_out_of_order_says_why(people: dict[str, Any], blockage: Blockage) -> None:
    with pytest.raises(WorkflowError) as caught:
        services.take_case_step(blockage=blockage, name="start", by=people["parks_officer"])
    assert caught.value.messages == ["This blockage is raised, so it cannot be started now."]


def test_a_double_submit_acknowledges_once(people: dict[str, Any], blockage: Blockage) -> None:
    services.take_case_step(blockage=blockage, name="acknowledge", by=people["parks_officer"])
    # The second click arrives with the page's stale copy of the blockage.
    with pytest.raises(WorkflowError) as caught:
        services.take_case_step(blockage=blockage, name="acknowledge", by=people["highways_officer"])
    assert caught.value.messages == ["This blockage has already been acknowledged."]
    assert BlockageEvent.objects.filter(blockage=blockage, transition="acknowledge").count() == 1


def test_steps_that_are_not_the_case_pages_are_refused(people: dict[str, Any], blockage: Blockage) -> None:
    for name in ["join", "confirm", "share_learning", "explode"]:
        with pytest.raises(SolutionsError):
            services.take_case_step(blockage=blockage, name=name, by=people["steward"])


def test_a_huge_note_is_refused_beside_the_field(people: dict[str, Any], blockage: Blockage) -> None:
    with pytest.raises(SolutionsError) as caught:
        services.take_case_step(blockage=blockage, name="acknowledge", by=people["steward"], note="x" * 3001)
    assert "reason" in caught.value.message_dict


def test_on_hold_the_raiser_replies_and_it_goes_back(
    people: dict[str, Any], blockage: Blockage, django_capture_on_commit_callbacks: Any
) -> None:
    walk(blockage, people["parks_officer"], "acknowledge", "agree_steps", "start")
    with django_capture_on_commit_callbacks(execute=True):
        walk(blockage, people["parks_officer"], "wait")
    assert "Which species?" in mail.outbox[-1].body
    services.take_case_step(blockage=blockage, name="reply", by=people["raiser"], note="Scots pine")
    blockage.refresh_from_db()
    assert blockage.status == B.IN_PROGRESS


def test_an_officer_edits_only_their_own_departments_part(people: dict[str, Any], blockage: Blockage) -> None:
    parks = blockage.parts.get(department=people["parks"])
    highways = blockage.parts.get(department=people["highways"])
    services.update_part(part=parks, status="doing", note="Choosing the site.", by=people["parks_officer"])
    parks.refresh_from_db()
    assert (parks.status, parks.note, parks.updated_by) == ("doing", "Choosing the site.", people["parks_officer"])
    for outsider in [people["parks_officer"], people["champion"], people["steward"]]:
        with pytest.raises(PermissionDenied):
            services.update_part(part=highways, status="done", note="", by=outsider)
    highways.refresh_from_db()
    assert highways.status == "to_do"


def test_a_part_cannot_change_once_the_blockage_is_closed(people: dict[str, Any], blockage: Blockage) -> None:
    walk(blockage, people["parks_officer"], "acknowledge", "agree_steps", "resolve")
    parks = blockage.parts.get(department=people["parks"])
    with pytest.raises(SolutionsError) as caught:
        services.update_part(part=parks, status="done", note="", by=people["parks_officer"])
    assert caught.value.messages == ["This blockage is resolved, so its departments' parts cannot change."]


def test_a_steward_or_a_champion_names_the_champion(
    people: dict[str, Any], blockage: Blockage, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.name_champion(blockage=blockage, champion=people["second_champion"], by=people["steward"])
    blockage.refresh_from_db()
    assert blockage.champion == people["second_champion"]
    assert mail.outbox[-1].to == [people["second_champion"].email]
    services.name_champion(blockage=blockage, champion=people["champion"], by=people["second_champion"])
    blockage.refresh_from_db()
    assert blockage.champion == people["champion"]
    assert BlockageEvent.objects.filter(blockage=blockage, transition="name_champion").count() == 2


def test_only_a_champion_holder_can_be_named_and_only_by_a_steward_or_champion(
    people: dict[str, Any], blockage: Blockage
) -> None:
    with pytest.raises(PermissionDenied):
        services.name_champion(blockage=blockage, champion=people["second_champion"], by=people["parks_officer"])
    with pytest.raises(SolutionsError) as caught:
        services.name_champion(blockage=blockage, champion=people["parks_officer"], by=people["steward"])
    assert caught.value.message_dict == {"champion": ["Choose someone who holds the champion role."]}


def test_the_champion_adds_a_department_which_is_told(
    people: dict[str, Any], blockage: Blockage, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.add_department(blockage=blockage, department=people["libraries"], by=people["champion"])
    assert blockage.parts.filter(department=people["libraries"], blockage_status=B.RAISED).exists()
    assert mail.outbox[-1].to == [people["other_officer"].email]
    with pytest.raises(SolutionsError):
        services.add_department(blockage=blockage, department=people["libraries"], by=people["champion"])
    with pytest.raises(PermissionDenied):
        services.add_department(blockage=blockage, department=people["libraries"], by=people["second_champion"])


def test_a_second_department_brings_a_champion(people: dict[str, Any], make_user: Any) -> None:
    from tests.solutions import factories

    one = factories.category("Use of parks", people["parks"])
    blockage = factories.blockage(category=one, raised_by=people["raiser"])
    assert blockage.champion is None
    services.add_department(blockage=blockage, department=people["highways"], by=people["steward"])
    blockage.refresh_from_db()
    assert blockage.champion is not None


def test_one_department_always_remains(people: dict[str, Any], blockage: Blockage) -> None:
    parks = blockage.parts.get(department=people["parks"])
    highways = blockage.parts.get(department=people["highways"])
    services.remove_department(blockage=blockage, part=parks, by=people["champion"])
    with pytest.raises(SolutionsError) as caught:
        services.remove_department(blockage=blockage, part=highways, by=people["champion"])
    assert "the only department" in caught.value.messages[0]
    assert list(blockage.parts.values_list("department__name", flat=True)) == ["Highways"]
    with pytest.raises(PermissionDenied):
        services.remove_department(blockage=blockage, part=highways, by=people["highways_officer"])


def test_sharing_the_learning_needs_what_changed_and_the_reflection(people: dict[str, Any], blockage: Blockage) -> None:
    walk(blockage, people["parks_officer"], "acknowledge", "agree_steps", "resolve")
    with pytest.raises(SolutionsError) as caught:
        services.share_learning(blockage=blockage, change="", change_detail=" ", reflection="", by=people["champion"])
    assert set(caught.value.message_dict) == {"change", "change_detail", "reflection"}
    with pytest.raises(PermissionDenied):
        services.share_learning(
            blockage=blockage, change="process", change_detail="a", reflection="b", by=people["parks_officer"]
        )
    services.share_learning(
        blockage=blockage,
        change="process",
        change_detail="Tree requests now go to one named officer.",
        reflection="Had one person owned it from the start, the trees would be in the ground by now.",
        by=people["champion"],
    )
    blockage.refresh_from_db()
    assert blockage.status == B.LEARNING_SHARED
    assert blockage.change == "process"
    assert blockage.reflection.startswith("Had one person")


def test_learning_cannot_be_shared_before_the_blockage_is_closed(people: dict[str, Any], blockage: Blockage) -> None:
    with pytest.raises(WorkflowError):
        services.share_learning(
            blockage=blockage, change="process", change_detail="a", reflection="b", by=people["champion"]
        )
    blockage.refresh_from_db()
    assert blockage.change == ""


def test_a_case_study_is_written_from_a_closed_case_as_a_draft_then_published(
    people: dict[str, Any], blockage: Blockage
) -> None:
    walk(blockage, people["parks_officer"], "acknowledge", "agree_steps", "resolve")
    blockage.refresh_from_db()
    draft = services.case_study_draft(blockage)
    assert draft["challenge"].startswith("The tree planting policy.")
    assert draft["outcome"] == "Planted."
    # Before the learning is shared there is none to start from: the writer adds it.
    assert draft["learning_for"] == ""
    draft.update(learning_for="One named officer.", learning_against="Six months of emails.")
    study = services.save_case_study(blockage=blockage, values=draft, is_published=False, by=people["champion"])
    assert not study.is_published
    services.save_case_study(blockage=blockage, values=draft, is_published=True, by=people["steward"])
    assert CaseStudy.objects.get(blockage=blockage).is_published
    assert CaseStudy.objects.count() == 1


def test_a_case_study_needs_every_part_and_a_closed_case(people: dict[str, Any], blockage: Blockage) -> None:
    with pytest.raises(SolutionsError) as caught:
        services.save_case_study(blockage=blockage, values={}, is_published=False, by=people["champion"])
    assert set(caught.value.message_dict) == set(services.CASE_STUDY_FIELDS)
    values = dict.fromkeys(services.CASE_STUDY_FIELDS, "Something")
    with pytest.raises(SolutionsError) as caught:
        services.save_case_study(blockage=blockage, values=values, is_published=False, by=people["champion"])
    assert "once it is closed" in caught.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.save_case_study(blockage=blockage, values=values, is_published=False, by=people["parks_officer"])
    assert not CaseStudy.objects.exists()
