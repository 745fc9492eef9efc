"""Raising a blockage: checked, stored and routed (or, for a resident without an account, held until they
confirm their email); confirming by the emailed link; joining one already open instead of raising another.

Every function here is one use case in one transaction: it raises SolutionsError (a message per field) on bad
input, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.core import notify
from commonweal.core.uploads import check_upload
from commonweal.directory.models import Asset
from commonweal.places.models import CouncilArea, Ward
from commonweal.places.services import PostcodeError, look_up_postcode, ward_for_point

from .. import steps
from ..errors import SolutionsError
from ..models import OPEN_STATUSES, Blockage, Category, Document, Supporter
from ..permissions import signed_in

# A resident's confirmation link works for this long; after that they raise it again.
LINK_DAYS = 7
FILE_TYPES = ["pdf", "jpg", "png", "docx", "odt"]
MAX_FILE_MB = 10
MAX_FILES = 3


@dataclass
class Answers:
    """What someone raising a blockage told us: the form's cleaned values (and the draft kept in the session)."""

    title: str = ""
    description: str = ""
    category_id: int | None = None
    ward_id: int | None = None
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    council_process: str = ""
    tried: str = ""
    would_help: str = ""
    show_raiser: bool = False
    asset_id: int | None = None
    organisation_id: int | None = None
    raiser_name: str = ""
    raiser_email: str = ""
    raiser_phone: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    ward: Ward | None
    latitude: float | None
    longitude: float | None


def _limit(problems: dict[str, str], name: str, value: str, what: str) -> None:
    limit = getattr(Blockage._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        problems[name] = f"{what} must be {limit:,} characters or fewer. You have {len(value):,}."


def outside_message() -> str:
    council = CouncilArea.current()
    where = council.area_name if council else "the council's area"
    return f"That point is outside {where}. Choose a place inside the borough."


def find_place(answers: Answers) -> Place:
    """Where the blockage is: a point (typed, or clicked on the map) must be inside one of the council's wards;
    a postcode gives its point; otherwise the ward chosen. Raises SolutionsError beside the right field."""
    if answers.latitude is not None or answers.longitude is not None:
        if answers.latitude is None or answers.longitude is None:
            missing = "latitude" if answers.latitude is None else "longitude"
            raise SolutionsError({missing: f"Enter the {missing} as well, or leave both empty."})
        if not (-90 <= answers.latitude <= 90 and -180 <= answers.longitude <= 180):
            raise SolutionsError({"latitude": "Enter a latitude from -90 to 90 and a longitude from -180 to 180."})
        ward = ward_for_point(answers.latitude, answers.longitude)
        if ward is None:
            raise SolutionsError({"latitude": outside_message()})
        return Place(ward, answers.latitude, answers.longitude)
    if answers.postcode.strip():
        try:
            found = look_up_postcode(answers.postcode)
        except PostcodeError as error:
            raise SolutionsError({"postcode": str(error)}) from error
        return Place(found.ward, found.latitude, found.longitude)
    if answers.ward_id is not None:
        ward = Ward.objects.filter(pk=answers.ward_id).first()
        if ward is None:
            raise SolutionsError({"ward": "Choose a ward from the list."})
        return Place(ward, None, None)
    raise SolutionsError({"ward": "Choose the ward it is in, or give a postcode or a point on the map."})


def check_answers(answers: Answers, *, by: Any) -> tuple[Category, Place, Organisation | None, Asset | None]:
    """Every rule a blockage's answers must meet, each problem beside its field; the things they name, found."""
    problems: dict[str, str] = {}
    answers.title = answers.title.strip()
    answers.description = answers.description.strip()
    if not answers.title:
        problems["title"] = "Enter what is blocked, in a few words."
    if not answers.description:
        problems["description"] = "Describe what is blocked."
    _limit(problems, "title", answers.title, "What is blocked, in a few words,")
    _limit(problems, "description", answers.description, "The description")
    _limit(problems, "council_process", answers.council_process, "The council process or rule")
    _limit(problems, "tried", answers.tried, "What you have tried")
    _limit(problems, "would_help", answers.would_help, "What would help")
    category = Category.objects.filter(pk=answers.category_id, is_active=True).first() if answers.category_id else None
    if category is None:
        problems["category"] = "Choose the kind of blockage it is."
    organisation = None
    if answers.organisation_id is not None:
        if not signed_in(by) or answers.organisation_id not in by.organisation_ids_for(Role.GROUP_MEMBER):
            problems["organisation"] = "You can only raise a blockage for a group you are a member of."
        else:
            organisation = Organisation.objects.get(pk=answers.organisation_id)
    asset = None
    if answers.asset_id is not None:
        asset = Asset.objects.published().filter(pk=answers.asset_id).first()
        if asset is None:
            problems["asset"] = "Choose a place or building from the list, or leave it empty."
    if not signed_in(by):
        if not answers.raiser_name.strip():
            problems["raiser_name"] = "Enter your name."
        if not answers.raiser_email.strip():
            problems["raiser_email"] = "Enter your email address, so we can tell you what happens."
    place: Place | None = None
    try:
        place = find_place(answers)
    except SolutionsError as error:
        problems.update({name: messages[0] for name, messages in error.message_dict.items()})
    if problems:
        raise SolutionsError(problems)
    assert category is not None and place is not None
    return category, place, organisation, asset


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _store_files(blockage: Blockage, files: list[Any], by: Any) -> None:
    if len(files) > MAX_FILES:
        raise SolutionsError({"attachments": f"Attach {MAX_FILES} files at most."})
    for upload in files:
        try:
            checked = check_upload(upload, file_types=FILE_TYPES, max_file_mb=MAX_FILE_MB, error=SolutionsError)
        except SolutionsError as refused:
            raise SolutionsError({"attachments": refused.messages[0]}) from refused
        original = (getattr(upload, "name", "") or f"file.{checked.extension}")[-255:]
        document = Document(
            blockage=blockage,
            original_name=original,
            content_type=checked.content_type,
            size=upload.size,
            uploaded_by=by if signed_in(by) else None,
        )
        document.file.save(original, upload, save=False)
        document.save()


def _new_blockage(answers: Answers, *, by: Any, now: datetime.datetime, status: str) -> Blockage:
    category, place, organisation, asset = check_answers(answers, by=by)
    return Blockage.objects.create(
        title=answers.title,
        description=answers.description,
        council_process=answers.council_process.strip(),
        tried=answers.tried.strip(),
        would_help=answers.would_help.strip(),
        category=category,
        ward=place.ward,
        latitude=place.latitude,
        longitude=place.longitude,
        asset=asset,
        raised_by=by if signed_in(by) else None,
        organisation=organisation,
        raiser_name=answers.raiser_name.strip() if not signed_in(by) else (by.full_name or ""),
        raiser_email=answers.raiser_email.strip() if not signed_in(by) else "",
        raiser_phone=answers.raiser_phone.strip(),
        show_raiser=answers.show_raiser,
        status=status,
        raised_at=now,
    )


@dataclass(frozen=True)
class Raised:
    blockage: Blockage
    # True when a resident without an account must confirm their email before the council sees it.
    needs_confirming: bool


def raise_blockage(*, answers: Answers, by: Any, files: list[Any] | None = None, now: Any = None) -> Raised:
    """Raise a blockage: someone signed in has it routed to its departments at once; a resident without an
    account is sent a link to confirm their email, and it waits, unseen, until they follow it."""
    now = now or timezone.now()
    with transaction.atomic():
        if signed_in(by):
            blockage = _new_blockage(answers, by=by, now=now, status=Blockage.Status.RAISED)
            _store_files(blockage, files or [], by)
            steps.route(blockage, now=now)
            return Raised(blockage, needs_confirming=False)
        blockage = _new_blockage(answers, by=by, now=now, status=Blockage.Status.UNCONFIRMED)
        _store_files(blockage, files or [], by)
        token = secrets.token_urlsafe(32)
        blockage.confirm_token = hash_token(token)
        blockage.save(update_fields=["confirm_token"])
        notify.email_on_commit(
            to=[blockage.raiser_email],
            subject=f"Confirm your email to send your blockage: {blockage.title}",
            template="solutions/raising/emails/confirm.txt",
            context={
                "blockage": blockage,
                "link": notify.site_url(reverse("solutions:confirm", args=[token])),
                "days": LINK_DAYS,
            },
        )
        return Raised(blockage, needs_confirming=True)


class LinkExpired(SolutionsError):
    """The confirmation link is older than LINK_DAYS: the resident raises it again."""


class LinkUnknown(SolutionsError):
    """No blockage holds this link: mistyped, cut short in the email, or never sent."""


def blockage_for_token(token: str) -> Blockage:
    """The blockage an emailed link is for, compared by its hash (in constant time); refused if unknown."""
    if not token or len(token) > 100:
        raise LinkUnknown("This link is not right. Check you copied the whole link from the email.")
    digest = hash_token(token)
    found = Blockage.objects.filter(confirm_token=digest).first()
    if found is None or not hmac.compare_digest(found.confirm_token, digest):
        raise LinkUnknown("This link is not right. Check you copied the whole link from the email.")
    return found


def link_expired(blockage: Blockage, now: datetime.datetime) -> bool:
    return blockage.confirmed_at is None and now > blockage.raised_at + datetime.timedelta(days=LINK_DAYS)


def confirm_blockage(*, token: str, now: Any = None) -> Blockage:
    """Confirm a resident's email by the link we sent: the blockage is raised and routed to its departments.
    Following the link again changes nothing; a link older than LINK_DAYS days is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        found = blockage_for_token(token)
        locked = Blockage.objects.select_for_update().get(pk=found.pk)
        if locked.confirmed_at is not None:
            return locked
        if link_expired(locked, now):
            raise LinkExpired(f"This link has expired. Links work for {LINK_DAYS} days after the blockage is raised.")
        Blockage.objects.filter(pk=locked.pk).update(confirmed_at=now)
        confirmed = steps.take_step(blockage=locked, name="confirm", by=None, now=now)
        steps.route(confirmed, now=now)
        return confirmed


JOINABLE = OPEN_STATUSES


def join_blockage(
    *, answers: Answers, target_uuid: Any, by: Any, files: list[Any] | None = None, now: Any = None
) -> Blockage:
    """Join a blockage already open instead of raising another: what the raiser wrote is kept as their own
    blockage, joined to that one, and they are told about every step it takes from then on."""
    if not signed_in(by):
        raise PermissionDenied("Sign in to join a blockage someone else has raised.")
    now = now or timezone.now()
    with transaction.atomic():
        target = Blockage.objects.select_for_update().filter(uuid=target_uuid).first() if target_uuid else None
        if target is None:
            raise SolutionsError("There is no blockage to join here. Choose one from the list, or send your own.")
        if target.status not in JOINABLE:
            raise SolutionsError(
                f"{target.reference} is {target.get_status_display().lower()}, so it can no longer be joined. "
                "Send your own blockage instead."
            )
        blockage = _new_blockage(answers, by=by, now=now, status=Blockage.Status.JOINED)
        blockage.joined_to = target
        blockage.closed_at = now
        blockage.save(update_fields=["joined_to", "closed_at"])
        _store_files(blockage, files or [], by)
        Supporter.objects.get_or_create(blockage=target, user=by)
        return blockage
