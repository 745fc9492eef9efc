"""Community asset transfer: one function per step a group, its champion, a support body or a signing department
takes. Each runs in a transaction on the locked transfer, raises SolutionsError (a full sentence) on bad input
and PermissionDenied when the person may not, and records the step in the transfer's timeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.core import workdays
from commonweal.core.uploads import check_upload
from commonweal.directory.models import Asset

from ..clock import nation, standards
from ..errors import SolutionsError
from ..models import AssetTransfer, Document, SignOff, Stage, TransferEvent
from ..permissions import department_ids, is_case_champion, is_steward, is_transfer_group, signed_in
from ..workflows import OPEN_TRANSFER, TRANSFER, take

T = AssetTransfer.Status
CLOSED = {T.TRANSFERRED, T.DECLINED, T.WITHDRAWN}
# The departments each sign-off goes to unless the champion picks others: the first whose name has one of these.
DEFAULT_DEPARTMENT_WORDS = {
    SignOff.Kind.ESTATES: ("Estates", "Property"),
    SignOff.Kind.LEGAL: ("Legal",),
    SignOff.Kind.FINANCE: ("Finance",),
}

# Files a group or a support body attaches: what we call them and the MIME type we serve them as.
DOCUMENT_TYPES = {
    "pdf": ("PDF", "application/pdf"),
    "docx": ("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "jpg": ("JPG image", "image/jpeg"),
    "png": ("PNG image", "image/png"),
}
MAX_DOCUMENT_MB = 20


def is_council_space(asset: Asset) -> bool:
    """A building or space the council holds: a directory space whose organisation is a council department."""
    return (
        asset.kind == Asset.Kind.SPACE
        and asset.organisation is not None
        and asset.organisation.kind == Organisation.Kind.COUNCIL_DEPARTMENT
    )


def least_busy_champion() -> User | None:
    """The champion with the fewest open asset transfers (the longest-serving first when they tie)."""
    open_transfers = (
        AssetTransfer.objects.filter(status__in=OPEN_TRANSFER, champion=OuterRef("pk"))
        .order_by()
        .values("champion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        User.objects.filter(is_active=True, memberships__role=Role.CHAMPION)
        .distinct()
        .annotate(open=Coalesce(Subquery(open_transfers), 0))
        .order_by("open", "pk")
        .first()
    )


def default_departments() -> dict[str, Organisation | None]:
    """The departments each sign-off goes to unless the champion picks others, found by their names."""
    departments = list(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("name", "pk"))
    return {
        kind: next((d for d in departments if any(word.lower() in d.name.lower() for word in words)), None)
        for kind, words in DEFAULT_DEPARTMENT_WORDS.items()
    }


@dataclass(frozen=True)
class Upload:
    """A file someone attached, with what they said it is."""

    file: Any
    title: str = ""


def check_document(upload: Any) -> tuple[str, str]:
    """Refuse an empty file, one over the limit, or one whose content is not an allowed type: core.uploads'
    one check, as funding's and raising's files get, its message put beside the file field. Returns the type's
    extension and MIME type."""
    try:
        checked = check_upload(
            upload, file_types=list(DOCUMENT_TYPES), max_file_mb=MAX_DOCUMENT_MB, error=SolutionsError
        )
    except SolutionsError as refused:
        raise SolutionsError({"file": refused.messages}) from None
    return checked.extension, checked.content_type


def _attach(transfer: AssetTransfer, uploads: Iterable[Upload], by: User) -> list[Document]:
    made = []
    for upload in uploads:
        _, content_type = check_document(upload.file)
        made.append(
            Document.objects.create(
                transfer=transfer,
                stage=transfer.status,
                title=upload.title.strip()[:150],
                file=upload.file,
                original_name=(getattr(upload.file, "name", "") or "document")[:255],
                content_type=content_type,
                size=upload.file.size,
                uploaded_by=by,
            )
        )
    return made


def _event(transfer: AssetTransfer, name: str, by: User, note: str = "", at: datetime | None = None) -> None:
    """A step in the timeline that does not change the stage (a sign-off given, a champion named)."""
    TransferEvent.objects.create(
        transfer=transfer,
        transition=name,
        from_status=transfer.status,
        to_status=transfer.status,
        by=by,
        note=note,
        at=at or timezone.now(),
    )


def _locked(transfer: AssetTransfer) -> AssetTransfer:
    return AssetTransfer.objects.select_for_update().get(pk=transfer.pk)


def _step(transfer: AssetTransfer, name: str, *, by: User, note: str = "", now: datetime | None = None) -> None:
    """Take a step of the TRANSFER table on the locked transfer, restarting the stage clock (and closing it at
    the end)."""
    before = transfer.status
    now = now or timezone.now()
    transfer.stage_started_at = now
    target = next((t.target for t in TRANSFER.transitions if t.name == name and before in t.sources), "")
    if target in CLOSED:
        transfer.closed_at = now
    take(TRANSFER, transfer, name, by=by, reason=note)


@transaction.atomic
def express_interest(
    *,
    asset: Asset,
    organisation: Organisation,
    by: User,
    proposed_use: str,
    community_benefit: str,
    uploads: Iterable[Upload] = (),
    now: datetime | None = None,
) -> AssetTransfer:
    """A group member says, for their group, that it would take on a council building or space; a champion is
    named (the one with the fewest open transfers) and the whole-case clock starts."""
    if not signed_in(by) or organisation.pk not in by.organisation_ids_for(Role.GROUP_MEMBER):
        raise PermissionDenied(f"Only members of {organisation.name} can express an interest for it.")
    errors: dict[str, str] = {}
    if not is_council_space(asset):
        errors["asset"] = "Choose a building or space the council holds: only those can be transferred."
    elif AssetTransfer.objects.filter(asset=asset, organisation=organisation, status__in=OPEN_TRANSFER).exists():
        errors["asset"] = (
            f"{organisation.name} has already expressed an interest in {asset.name}, and it is still open."
        )
    if not proposed_use.strip():
        errors["proposed_use"] = "Say what your group would use it for."
    if not community_benefit.strip():
        errors["community_benefit"] = "Say how the community would benefit."
    if errors:
        raise SolutionsError(errors)
    now = now or timezone.now()
    transfer = AssetTransfer.objects.create(
        asset=asset,
        organisation=organisation,
        proposed_use=proposed_use.strip(),
        community_benefit=community_benefit.strip(),
        champion=least_busy_champion(),
        started_at=now,
        stage_started_at=now,
        created_by=by,
    )
    TransferEvent.objects.create(
        transfer=transfer, transition="express_interest", from_status="", to_status=T.INTEREST, by=by, at=now
    )
    _attach(transfer, uploads, by)
    return transfer


@transaction.atomic
def name_champion(*, transfer: AssetTransfer, champion: User, by: User) -> AssetTransfer:
    """The stewards name (or change) the champion who owns a transfer."""
    if not is_steward(by):
        raise PermissionDenied("Only the stewards can name the champion of an asset transfer.")
    transfer = _locked(transfer)
    if transfer.status in CLOSED:
        raise SolutionsError({"champion": "This asset transfer is closed, so its champion cannot change."})
    if not champion.has_role(Role.CHAMPION):
        raise SolutionsError({"champion": "Choose someone who is a champion."})
    transfer.champion = champion
    transfer.save(update_fields=["champion", "updated_at"])
    _event(transfer, "name_champion", by, f"{champion.full_name or champion.email} is the champion.")
    return transfer


@transaction.atomic
def offer_support(*, transfer: AssetTransfer, support_body: Organisation, by: User, note: str = "") -> AssetTransfer:
    """The champion passes the group to a VCS support body, whose members can then see the case and attach to it."""
    transfer = _locked(transfer)
    if support_body.kind == Organisation.Kind.COUNCIL_DEPARTMENT or support_body.pk == transfer.organisation_id:
        raise SolutionsError({"support_body": "Choose a voluntary or community organisation other than the group."})
    transfer.support_body = support_body
    _step(transfer, "offer_support", by=by, note=note)
    return transfer


@transaction.atomic
def ask_for_business_case(*, transfer: AssetTransfer, by: User, note: str = "") -> AssetTransfer:
    """The champion asks the group for its business case."""
    transfer = _locked(transfer)
    _step(transfer, "ask_for_business_case", by=by, note=note)
    return transfer


@transaction.atomic
def add_documents(*, transfer: AssetTransfer, uploads: list[Upload], by: User) -> list[Document]:
    """The group, its support body or the council attaches files to an open transfer, at the stage it is at."""
    transfer = _locked(transfer)
    if not may_attach(by, transfer):
        raise PermissionDenied("Only the group, its support body, the champion and the stewards can attach files.")
    if transfer.status in CLOSED:
        raise SolutionsError({"file": "This asset transfer is closed, so nothing more can be attached."})
    if not uploads:
        raise SolutionsError({"file": "Choose a file to attach."})
    return _attach(transfer, uploads, by)


def may_attach(user: Any, transfer: AssetTransfer) -> bool:
    if not signed_in(user):
        return False
    support = transfer.support_body_id is not None and transfer.support_body_id in user.organisation_ids_for(
        Role.GROUP_MEMBER
    )
    return support or is_transfer_group(user, transfer) or is_case_champion(user, transfer) or is_steward(user)


def sign_off_due(requested: date) -> date:
    """A sign-off is due the council's SIGN_OFF standard in working days after the day it is asked for."""
    return workdays.add(requested, standards()[Stage.SIGN_OFF], nation())


@transaction.atomic
def request_sign_offs(
    *, transfer: AssetTransfer, departments: dict[str, Organisation], by: User, now: datetime | None = None
) -> AssetTransfer:
    """The champion sends the group's business case to estates, legal and finance, each owned by the department
    chosen, each due on the working-day clock from today."""
    transfer = _locked(transfer)
    errors = {
        kind: f"Choose the council department that gives the {label.lower()} sign-off."
        for kind, label in SignOff.Kind.choices
        if departments.get(kind) is None or departments[kind].kind != Organisation.Kind.COUNCIL_DEPARTMENT
    }
    if errors:
        raise SolutionsError(errors)
    if transfer.status == T.BUSINESS_CASE and not transfer.documents.filter(stage=T.BUSINESS_CASE).exists():
        raise SolutionsError("The group has not attached its business case yet. Ask it to attach one first.")
    now = now or timezone.now()
    _step(transfer, "request_sign_offs", by=by, now=now)
    due = sign_off_due(timezone.localdate(now))
    for kind in SignOff.Kind.values:
        SignOff.objects.update_or_create(
            transfer=transfer,
            kind=kind,
            defaults={
                "department": departments[kind],
                "outcome": SignOff.Outcome.WAITING,
                "note": "",
                "requested_at": now,
                "due_on": due,
                "decided_at": None,
                "decided_by": None,
            },
        )
    return transfer


@transaction.atomic
def decide_sign_off(*, sign_off: SignOff, signed: bool, note: str, by: User, now: datetime | None = None) -> SignOff:
    """An officer of the department that owns a sign-off signs it or refuses it with a reason. The last of the
    three signed moves the transfer to its decision; a refusal sends it back to the business case."""
    transfer = _locked(sign_off.transfer)
    sign_off = SignOff.objects.select_for_update().select_related("department").get(pk=sign_off.pk)
    if sign_off.department_id not in department_ids(by):
        raise PermissionDenied(f"Only an officer of {sign_off.department.name} can give the {str(sign_off).lower()}.")
    if transfer.status != T.SIGN_OFFS:
        raise SolutionsError("This asset transfer is not waiting for sign-offs now.")
    if sign_off.outcome != SignOff.Outcome.WAITING:
        raise SolutionsError(f"The {str(sign_off).lower()} has already been {sign_off.get_outcome_display().lower()}.")
    note = note.strip()
    if not signed and not note:
        raise SolutionsError({"reason": "Say why you are refusing it, so the group knows what to change."})
    now = now or timezone.now()
    sign_off.outcome = SignOff.Outcome.SIGNED if signed else SignOff.Outcome.REFUSED
    sign_off.note = note
    sign_off.decided_at = now
    sign_off.decided_by = by
    sign_off.save()
    name = f"{'sign' if signed else 'refuse'}_{sign_off.kind}"
    _event(transfer, name, by, note, at=now)
    if not signed:
        reason = f"{sign_off.department.name} refused the {str(sign_off).lower()}: {note}"
        _step(transfer, "revise_business_case", by=by, note=reason, now=now)
    elif not transfer.sign_offs.exclude(outcome=SignOff.Outcome.SIGNED).exists():
        _step(transfer, "signed_off", by=by, note="Estates, legal and finance have all signed it off.", now=now)
    return sign_off


@transaction.atomic
def decide(*, transfer: AssetTransfer, approve: bool, reasons: str, by: User) -> AssetTransfer:
    """The champion records the council's decision, with its reasons: approved (on to the lease) or declined."""
    transfer = _locked(transfer)
    if not reasons.strip():
        raise SolutionsError({"reason": "Give the reasons for the decision, so the group knows them."})
    transfer.decision_note = reasons.strip()
    _step(transfer, "approve" if approve else "decline", by=by, note=reasons)
    return transfer


@transaction.atomic
def record_lease(*, transfer: AssetTransfer, years: int, starts_on: date, by: User) -> AssetTransfer:
    """The lease is signed: how long and from when. The asset is transferred and the case closes."""
    transfer = _locked(transfer)
    if not 1 <= years <= 999:
        raise SolutionsError({"years": "The lease must be between 1 and 999 years."})
    transfer.lease_years = years
    transfer.lease_starts_on = starts_on
    plural = "s" if years != 1 else ""
    _step(
        transfer, "sign_lease", by=by, note=f"A lease of {years} year{plural} from {starts_on.day} {starts_on:%B %Y}."
    )
    return transfer


@transaction.atomic
def withdraw(*, transfer: AssetTransfer, reason: str, by: User) -> AssetTransfer:
    """The group (or the council) withdraws an open transfer, saying why."""
    transfer = _locked(transfer)
    _step(transfer, "withdraw", by=by, note=reason)
    return transfer
