"""The council's side of a blockage: taking its steps, each department's part, the champion and the departments
on the case, the learning shared when it closes, and the case study written from it.

Each service is one use case in one transaction, on the blockage's row locked against a double click. They raise
PermissionDenied (with the sentence the person is shown) when the person may not act, and SolutionsError (full
sentences, keyed by the field they are about) when what was asked cannot be done.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.queries import addresses_of_members
from commonweal.accounts.roles import Role
from commonweal.core import notify

from .. import emails
from ..errors import SolutionsError
from ..models import CLOSED_STATUSES, OPEN_STATUSES, Blockage, BlockageEvent, CaseStudy, Part
from ..permissions import department_ids, is_case_champion, is_champion, is_steward, signed_in
from ..steps import champion_for, finish_step, take_step
from ..workflows import BLOCKAGE, take

B = Blockage.Status
# Steps the case page does not offer as a plain form: confirming is the raiser's emailed link, joining needs
# the blockage it joins (the raising area joins them), and sharing the learning has its own page.
NOT_ON_THE_CASE_PAGE = frozenset({"confirm", "join", "share_learning"})
LONGEST_NOTE = 3000

NOT_THE_DEPARTMENT = "Only officers of this department can change its part."
NOT_CHAMPION_OR_STEWARD = "Only a champion or a steward can name the champion of a blockage."
NOT_THE_CASE_CHAMPION = "Only the blockage's champion or a steward can change the departments it goes to."
NOT_FOR_LEARNING = "Only the blockage's champion or a steward can share its learning or write its case study."


def _locked(blockage: Blockage) -> Blockage:
    return Blockage.objects.select_for_update().select_related("category").get(pk=blockage.pk)


def _event(blockage: Blockage, name: str, *, by: Any, note: str) -> None:
    """A change to the case that is not a step of the workflow (its champion, its departments), kept in its
    history so the raiser and the council see who changed what and when."""
    BlockageEvent.objects.create(
        blockage=blockage,
        transition=name,
        from_status=blockage.status,
        to_status=blockage.status,
        by=by if signed_in(by) else None,
        note=note,
    )


def take_case_step(*, blockage: Blockage, name: str, by: User, note: str = "", now: Any = None) -> Blockage:
    """Take the step `name` on a blockage from its case page; a resolution's or refusal's reasons are kept as
    what happened. Raises PermissionDenied or WorkflowError as steps.take_step does."""
    note = note.strip()
    if len(note) > LONGEST_NOTE:
        raise SolutionsError({"reason": f"Keep the note to {LONGEST_NOTE} characters or fewer."})
    if name in NOT_ON_THE_CASE_PAGE or not BLOCKAGE.named(name):
        raise SolutionsError(f'"{name}" is not a step you can take from the case page.')
    with transaction.atomic():
        moved = take_step(blockage=blockage, name=name, by=by, note=note, now=now)
        if name in BLOCKAGE.decisions:
            Blockage.objects.filter(pk=moved.pk).update(outcome=note)
            moved.outcome = note
    return moved


def update_part(*, part: Part, status: str, note: str, by: User) -> Part:
    """A department's officer says where its part stands and what it is doing; only its own department's."""
    if part.department_id not in department_ids(by):
        raise PermissionDenied(NOT_THE_DEPARTMENT)
    problems: dict[str, str] = {}
    if status not in Part.Status.values:
        problems["status"] = "Choose whether your department's part is to do, being done or done."
    note = note.strip()
    if len(note) > LONGEST_NOTE:
        problems["note"] = f"Keep what your department is doing to {LONGEST_NOTE} characters or fewer."
    if problems:
        raise SolutionsError(problems)
    with transaction.atomic():
        blockage = _locked(part.blockage)
        if blockage.status not in OPEN_STATUSES:
            raise SolutionsError(
                f"This blockage is {blockage.get_status_display().lower()}, so its departments' parts cannot change."
            )
        locked = Part.objects.select_for_update().get(pk=part.pk)
        locked.status = status
        locked.note = note
        locked.updated_by = by
        locked.save()
    return locked


def champions() -> Any:
    """Everyone who may be named a champion: active people holding the champion role."""
    return User.objects.filter(is_active=True, memberships__role=Role.CHAMPION).distinct().order_by("full_name", "pk")


def name_champion(*, blockage: Blockage, champion: User, by: User) -> Blockage:
    """A steward or a champion names (or changes) the champion of a blockage: someone holding the champion role."""
    if not (is_steward(by) or is_champion(by)):
        raise PermissionDenied(NOT_CHAMPION_OR_STEWARD)
    if not champions().filter(pk=champion.pk).exists():
        raise SolutionsError({"champion": "Choose someone who holds the champion role."})
    with transaction.atomic():
        locked = _locked(blockage)
        if locked.status in {B.UNCONFIRMED, B.JOINED}:
            raise SolutionsError(f"This blockage is {locked.get_status_display().lower()}, so it has no champion.")
        if locked.champion_id == champion.pk:
            raise SolutionsError({"champion": f"{champion.full_name or champion.email} is already its champion."})
        locked.champion = champion
        locked.save(update_fields=["champion", "updated_at"])
        _event(locked, "name_champion", by=by, note=f"{champion.full_name or champion.email} is now its champion.")
        if champion.email:
            notify.email_on_commit(
                to=[champion.email],
                subject=f"You are the champion of {locked.reference}",
                template="solutions/emails/routed.txt",
                context={"blockage": locked, "link": emails.case_link(locked)},
            )
    return locked


def _may_route(blockage: Blockage, by: User) -> None:
    if not (is_case_champion(by, blockage) or is_steward(by)):
        raise PermissionDenied(NOT_THE_CASE_CHAMPION)


def add_department(*, blockage: Blockage, department: Organisation, by: User) -> Part:
    """The champion sends an open blockage to one more department too: its part is made and its officers are
    told; a blockage that now crosses departments without a champion is given one."""
    _may_route(blockage, by)
    if department.kind != Organisation.Kind.COUNCIL_DEPARTMENT:
        raise SolutionsError({"department": "Choose a council department."})
    with transaction.atomic():
        locked = _locked(blockage)
        if locked.status not in OPEN_STATUSES:
            raise SolutionsError(
                f"This blockage is {locked.get_status_display().lower()}, so its departments cannot change."
            )
        if locked.parts.filter(department=department).exists():
            raise SolutionsError({"department": f"{department.name} is already working on this blockage."})
        part = Part.objects.create(blockage=locked, department=department, blockage_status=locked.status)
        if locked.parts.count() > 1 and locked.champion_id is None:
            locked.champion = champion_for(locked)
            locked.save(update_fields=["champion", "updated_at"])
        _event(locked, "add_department", by=by, note=f"Sent to {department.name} too.")
        notify.email_on_commit(
            to=addresses_of_members(department),
            subject=f"New blockage for your department: {locked.reference}",
            template="solutions/emails/routed.txt",
            context={"blockage": locked, "link": emails.case_link(locked)},
        )
    return part


def remove_department(*, blockage: Blockage, part: Part, by: User) -> None:
    """The champion takes a department off an open blockage; at least one department always remains."""
    _may_route(blockage, by)
    with transaction.atomic():
        locked = _locked(blockage)
        if locked.status not in OPEN_STATUSES:
            raise SolutionsError(
                f"This blockage is {locked.get_status_display().lower()}, so its departments cannot change."
            )
        parts = list(locked.parts.select_for_update().select_related("department"))
        leaving = next((p for p in parts if p.pk == part.pk), None)
        if leaving is None:
            raise SolutionsError("That department is not working on this blockage.")
        if len(parts) == 1:
            raise SolutionsError(
                f"{leaving.department.name} is the only department on this blockage: add another before you "
                "take it off."
            )
        leaving.delete()
        _event(locked, "remove_department", by=by, note=f"{leaving.department.name} no longer works on it.")


def share_learning(
    *, blockage: Blockage, change: str, change_detail: str, reflection: str, by: User, now: Any = None
) -> Blockage:
    """The champion (or a steward) closes a resolved or unresolvable blockage with what changed because of it
    and Sefton's reflection, 'what if it had been done differently'; both are needed."""
    problems: dict[str, str] = {}
    if change not in Blockage.Change.values:
        problems["change"] = "Choose what changed because of this blockage."
    change_detail, reflection = change_detail.strip(), reflection.strip()
    if not change_detail:
        problems["change_detail"] = "Say what changed, so others can learn from it."
    elif len(change_detail) > LONGEST_NOTE:
        problems["change_detail"] = f"Keep what changed to {LONGEST_NOTE} characters or fewer."
    if not reflection:
        problems["reflection"] = "Say what might have happened if it had been done differently."
    elif len(reflection) > LONGEST_NOTE:
        problems["reflection"] = f"Keep the reflection to {LONGEST_NOTE} characters or fewer."
    if problems:
        raise SolutionsError(problems)
    with transaction.atomic():
        locked = _locked(blockage)
        before = locked.status
        locked.change = change
        locked.change_detail = change_detail
        locked.reflection = reflection
        note = f"{Blockage.Change(change).label}: {change_detail}"
        transition = take(BLOCKAGE, locked, "share_learning", by=by, reason=note)
        finish_step(locked, transition, before, by=by, note=note, now=now)
    return locked


def may_write_case_study(user: Any, blockage: Blockage) -> bool:
    return is_case_champion(user, blockage) or is_steward(user)


def case_study_draft(blockage: Blockage) -> dict[str, str]:
    """What a new case study starts from: the case's own words in Sefton's structure."""
    challenge = "\n\n".join(part for part in [blockage.council_process, blockage.tried] if part)
    opportunity = "\n\n".join(part for part in [blockage.description, blockage.would_help] if part)
    return {
        "title": blockage.title,
        "opportunity": opportunity[:3000],
        "challenge": challenge[:3000],
        "outcome": blockage.outcome[:3000],
        "learning_for": blockage.change_detail[:3000],
        "learning_against": blockage.reflection[:3000],
    }


CASE_STUDY_FIELDS = {
    "title": ("Give the case study a title.", 150),
    "opportunity": ("Say what the opportunity was.", 3000),
    "challenge": ("Say what the challenge was.", 3000),
    "outcome": ("Say what the outcome was.", 3000),
    "learning_for": ("Say what worked.", 3000),
    "learning_against": ("Say what did not work.", 3000),
}


def save_case_study(*, blockage: Blockage, values: dict[str, Any], is_published: bool, by: User) -> CaseStudy:
    """Write (or rewrite) the case study of a closed blockage in Sefton's structure, as a draft or published."""
    if not may_write_case_study(by, blockage):
        raise PermissionDenied(NOT_FOR_LEARNING)
    cleaned: dict[str, str] = {}
    problems: dict[str, str] = {}
    for name, (missing, longest) in CASE_STUDY_FIELDS.items():
        text = str(values.get(name) or "").strip()
        if not text:
            problems[name] = missing
        elif len(text) > longest:
            problems[name] = f"Keep this to {longest} characters or fewer."
        cleaned[name] = text
    if problems:
        raise SolutionsError(problems)
    with transaction.atomic():
        locked = _locked(blockage)
        if locked.status not in CLOSED_STATUSES:
            raise SolutionsError(
                f"This blockage is {locked.get_status_display().lower()}: a case study is written once it is closed."
            )
        study, _ = CaseStudy.objects.select_for_update().get_or_create(
            blockage=locked, defaults={**cleaned, "written_by": by}
        )
        for name, text in cleaned.items():
            setattr(study, name, text)
        study.is_published = is_published
        study.save()
    return study
