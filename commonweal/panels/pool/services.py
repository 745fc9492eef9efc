"""The pool's writes: a resident volunteers, officers import a list, and volunteers' details are erased when the
council's retention period ends."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commonweal.core.audit import acting, log_created
from commonweal.core.models import RetentionPeriod
from commonweal.core.notify import email_on_commit, site_url
from commonweal.home.services import months_before
from commonweal.places.categories import DISABILITIES, ETHNIC_GROUPS, ETHNICITIES, PREFER_NOT_TO_SAY, SEXES, TENURES
from commonweal.places.models import Postcode
from commonweal.places.services import PostcodeError, look_up_postcode, normalise_postcode

from ..errors import PanelError
from ..features import household_key
from ..models import MIN_AGE, SelectionMember, Volunteer

# What a volunteer agrees to: shown beside the consent box and kept with their record, word for word.
CONSENT_WORDING = (
    "I agree to {council} keeping my name, contact details, address and the answers above so that I can be "
    "chosen at random for the citizens' panel. My answers about age, sex, ethnic group, housing and disability "
    "are used only to make each panel match the borough. My details are erased {months} months after I "
    "volunteer, or sooner if I ask."
)
HOUSEHOLD_TAKEN = (
    "Someone at this address has already volunteered. The panel takes one person per household, so that no "
    "household has a greater say than another."
)
IMPORT_ERRORS_SHOWN = 100


# How long volunteers' details are kept when the council has not said (the privacy notice's default).
DEFAULT_RETENTION_MONTHS = 24


def retention_months() -> int:
    """The council's period for volunteers' details, set on the retention page with its other periods."""
    months = (
        RetentionPeriod.objects.filter(kind=RetentionPeriod.Kind.PANEL_VOLUNTEERS)
        .values_list("months", flat=True)
        .first()
    )
    return months if months is not None else DEFAULT_RETENTION_MONTHS


def consent_wording(council_name: str = "the council", months: int | None = None) -> str:
    """The words a volunteer agrees to, for the council's period (`months`, when the caller has read it already)."""
    return CONSENT_WORDING.format(council=council_name, months=retention_months() if months is None else months)


def _months_from(day: date, months: int) -> date:
    return months_before(datetime(day.year, day.month, day.day, tzinfo=UTC), -months).date()


def erase_after_for(day: date) -> date:
    """The day a volunteer's details are erased: the council's retention period after `day`."""
    return _months_from(day, retention_months())


def _year() -> int:
    return timezone.localdate().year


def _check_birth_year(birth_year: int | None) -> str:
    """Why a year of birth cannot be taken, or ''."""
    year = _year()
    if birth_year is None:
        return "Enter the year you were born, for example 1980."
    if birth_year > year - MIN_AGE:
        return f"You need to be {MIN_AGE} or over to join the citizens' panel."
    if birth_year < year - 120:
        return "Enter a real year of birth, for example 1980."
    return ""


# (field, what it is called, the answers allowed)
ANSWERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sex", "sex", (*SEXES, PREFER_NOT_TO_SAY)),
    ("ethnicity", "ethnic group", (*ETHNICITIES, *ETHNIC_GROUPS, PREFER_NOT_TO_SAY)),
    ("tenure", "housing tenure", (*TENURES, PREFER_NOT_TO_SAY)),
    ("disability", "disability", (*DISABILITIES, PREFER_NOT_TO_SAY)),
)


@transaction.atomic
def volunteer(
    *,
    name: str,
    email: str,
    address_line: str,
    postcode: str,
    birth_year: int | None,
    sex: str,
    ethnicity: str,
    tenure: str,
    disability: str,
    consent: bool,
    consent_text: str,
    phone: str = "",
    user: Any = None,
) -> Volunteer:
    """A resident joins the pool: one person per household, in the council's area, 16 or over, with consent."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Enter your full name."
    if not email.strip():
        problems["email"] = "Enter your email address, so we can tell you if you are selected."
    if not address_line.strip():
        problems["address_line"] = "Enter the first line of your address."
    ward = None
    try:
        ward = look_up_postcode(postcode).ward
    except PostcodeError as error:
        problems["postcode"] = error.message
    if why := _check_birth_year(birth_year):
        problems["birth_year"] = why
    for name_of, what, allowed in ANSWERS:
        if {"sex": sex, "ethnicity": ethnicity, "tenure": tenure, "disability": disability}[name_of] not in allowed:
            problems[name_of] = f"Choose your {what}, or 'Prefer not to say'."
    if not consent:
        problems["consent"] = "Tick the box to agree to how we keep your details, or you cannot join the panel."
    household = household_key(address_line, normalise_postcode(postcode) or postcode)
    if "address_line" not in problems and "postcode" not in problems:
        if Volunteer.objects.filter(household=household).exists():
            problems["address_line"] = HOUSEHOLD_TAKEN
    if problems:
        raise PanelError(problems)
    assert ward is not None and birth_year is not None
    with acting(user):
        joined = Volunteer.objects.create(
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            address_line=address_line.strip(),
            postcode=normalise_postcode(postcode) or postcode.strip().upper(),
            household=household,
            ward=ward,
            birth_year=birth_year,
            sex=sex,
            ethnicity=ethnicity,
            tenure=tenure,
            disability=disability,
            consent_at=timezone.now(),
            consent_wording=consent_text,
            source=Volunteer.Source.SIGNED_UP,
            user=user if getattr(user, "is_authenticated", False) else None,
            erase_after=erase_after_for(timezone.localdate()),
        )
    email_on_commit(
        to=[joined.email],
        subject="You have joined the citizens' panel pool",
        template="panels/emails/joined.txt",
        context={
            "volunteer": joined,
            "status_url": site_url(reverse("panels:status_link", args=[joined.status_token])),
        },
    )
    return joined


# --- importing a pool ------------------------------------------------------------------------------------

# Column -> the names a council's spreadsheet may give it (lower case, spaces or underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "full_name"),
    "email": ("email", "email address", "email_address"),
    "phone": ("phone", "phone number", "telephone"),
    "address_line": ("address_line", "address", "address line 1", "address1", "address_line_1"),
    "postcode": ("postcode", "post code"),
    "birth_year": ("birth_year", "year of birth", "year_of_birth"),
    "age": ("age",),
    "sex": ("sex",),
    "ethnicity": ("ethnicity", "ethnic group", "ethnic_group"),
    "tenure": ("tenure", "housing tenure", "housing_tenure"),
    "disability": ("disability",),
}
REQUIRED = ("name", "email", "address_line", "postcode", "sex", "ethnicity", "tenure", "disability")


@dataclass
class ImportReport:
    added: int = 0
    errors: list[str] = field(default_factory=list)
    more_errors: int = 0

    def add(self, line: int, message: str) -> None:
        if len(self.errors) < IMPORT_ERRORS_SHOWN:
            self.errors.append(f"Line {line}: {message}")
        else:
            self.more_errors += 1

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PanelError(
            {"file": "The file is not a CSV file saved as UTF-8. Save it as 'CSV UTF-8' and try again."}
        ) from error


def _columns(header: list[str]) -> dict[str, int]:
    normal = [" ".join(cell.strip().lower().replace("_", " ").split()) for cell in header]
    found: dict[str, int] = {}
    for column, names in COLUMNS.items():
        for name in names:
            if name.replace("_", " ") in normal:
                found[column] = normal.index(name.replace("_", " "))
                break
    return found


def _answer(raw: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed answer `raw` is, whatever its case and spacing; None if none."""
    wanted = " ".join(raw.split()).casefold()
    return next((value for value in allowed if value.casefold() == wanted), None)


@transaction.atomic
def import_pool(*, data: bytes | str, by: Any) -> ImportReport:
    """Add a council's list of volunteers from a CSV file, all or nothing: every row is checked first and a
    report names each line's problem (missing features, unknown categories, two people at one address)."""
    text = _decode(data)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise PanelError({"file": "The file is empty. Choose a CSV file with a header row and one row per volunteer."})
    columns = _columns(rows[0])
    missing = [c for c in REQUIRED if c not in columns]
    if "birth_year" not in columns and "age" not in columns:
        missing.append("birth_year")
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise PanelError(
            {
                "file": f"The file has no column for {names}. The selection needs every feature for every volunteer: "
                f"add the column{'s' if len(missing) > 1 else ''} and try again."
            }
        )
    report = ImportReport()
    postcodes = {normalise_postcode(row[columns["postcode"]]) for row in rows[1:] if len(row) > columns["postcode"]}
    wards = dict(Postcode.objects.filter(postcode__in=[p for p in postcodes if p]).values_list("postcode", "ward_id"))
    taken = set(Volunteer.objects.values_list("household", flat=True))
    seen: dict[str, int] = {}
    made: list[Volunteer] = []
    now = timezone.now()
    erase_after = erase_after_for(timezone.localdate())
    wording = f"Imported from the council's own list by {getattr(by, 'email', 'an officer')} on {now:%d %B %Y}."
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        problems: list[str] = []
        for column in ("name", "email", "address_line"):
            if not cell(column):
                problems.append(f"the {column.replace('_', ' ')} is empty")
        postcode = normalise_postcode(cell("postcode"))
        if postcode is None:
            problems.append(f"'{cell('postcode')}' is not a postcode" if cell("postcode") else "the postcode is empty")
        elif postcode not in wards:
            problems.append(f"{postcode} is not a postcode in the council's area")
        birth_year: int | None = None
        if cell("birth_year"):
            birth_year = int(cell("birth_year")) if cell("birth_year").isdigit() else None
        elif cell("age").isdigit():
            birth_year = _year() - int(cell("age"))
        if birth_year is None:
            problems.append("give the year of birth (or age) as a number")
        elif birth_year > _year() - MIN_AGE:
            problems.append(f"the volunteer is under {MIN_AGE}")
        answers: dict[str, str] = {}
        for name_of, what, allowed in ANSWERS:
            raw = cell(name_of)
            value = _answer(raw, allowed)
            if not raw:
                problems.append(f"the {what} is missing (write 'Prefer not to say' if they did not say)")
            elif value is None:
                shown = ", ".join(allowed) if len(allowed) <= 6 else "one of the Census 2021 categories"
                problems.append(f"'{raw}' is not a {what} we know: use {shown}")
            else:
                answers[name_of] = value
        household = household_key(cell("address_line"), postcode or cell("postcode"))
        if cell("address_line") and household in seen:
            problems.append(
                f"{cell('address_line')}, {postcode} is the same household as line {seen[household]}: "
                "the panel takes one person per household"
            )
        elif cell("address_line") and household in taken:
            problems.append(f"someone at {cell('address_line')}, {postcode} is already in the pool")
        seen.setdefault(household, line)
        if problems:
            report.add(line, "; ".join(problems) + ".")
            continue
        assert postcode is not None and birth_year is not None
        made.append(
            Volunteer(
                name=cell("name"),
                email=cell("email"),
                phone=cell("phone"),
                address_line=cell("address_line"),
                postcode=postcode,
                household=household,
                ward_id=wards[postcode],
                birth_year=birth_year,
                consent_at=now,
                consent_wording=wording,
                source=Volunteer.Source.IMPORTED,
                erase_after=erase_after,
                **answers,
            )
        )
    if report.errors:
        report.added = 0
        return report
    if not made:
        raise PanelError({"file": "The file has a header row but no volunteers in it."})
    created = Volunteer.objects.bulk_create(made, batch_size=1000)
    log_created(created, by)
    report.added = len(created)
    return report


# --- erasing -------------------------------------------------------------------------------------------


def forget(volunteers: Any, *, because: str) -> int:
    """Delete volunteers and the audit log's copies of their details; their selections keep only numbers, and
    why (`because`: a SelectionMember.Erased value)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    ids = [str(pk) for pk in volunteers.values_list("pk", flat=True)]
    if not ids:
        return 0
    SelectionMember.objects.filter(volunteer_id__in=ids).update(erased=because)
    kind = ContentType.objects.get_for_model(Volunteer)
    LogEntry.objects.filter(content_type=kind, object_pk__in=ids).delete()
    with disable_auditlog():
        Volunteer.objects.filter(pk__in=ids).delete()
    return len(ids)


@transaction.atomic
def erase_expired_volunteers(*, today: date | None = None) -> int:
    """Erase every volunteer whose retention period is over: their row and its audit entries go; the selections
    they were in keep their anonymous number, chance and outcome (what a published draw needs)."""
    today = today or timezone.localdate()
    # Each volunteer keeps the period they agreed to (a longer one set later is for new volunteers only); a
    # shorter one set later applies to everyone: erased once it has run from the day they agreed.
    agreed_before = datetime.combine(_months_from(today, -retention_months()), datetime.min.time(), tzinfo=UTC)
    expired = Volunteer.objects.filter(Q(erase_after__lt=today) | Q(consent_at__lt=agreed_before))
    return forget(expired, because=SelectionMember.Erased.RETENTION)


@transaction.atomic
def withdraw(*, volunteer: Volunteer) -> int:
    """A volunteer leaves the pool and has their details erased now; they are told so by email (the address is
    used once, for that, as the row goes). Selections they were drawn for keep their anonymous number, and the
    officers replace them as for anyone who drops out."""
    email_on_commit(
        to=[volunteer.email],
        subject="You have left the citizens' panel",
        template="panels/emails/left.txt",
        context={"name": volunteer.name, "join_url": site_url(reverse("panels:join"))},
    )
    return forget(Volunteer.objects.filter(pk=volunteer.pk), because=SelectionMember.Erased.LEFT)
