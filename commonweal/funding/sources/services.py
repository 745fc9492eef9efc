"""Writes for money beyond the council: the register of external funding sources, match funding and
in-kind support recorded against applications, community needs and suppliers' social-value pledges.

One function per use case, keyword-only arguments, each in a transaction. Bad input raises FundingError
with full sentences keyed by the field they are about; a person who may not do something gets
PermissionDenied. Pledge status changes go through workflows.take() on a locked row.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.core.audit import acting
from commonweal.core.money import pounds
from commonweal.framework.models import Element
from commonweal.places.models import Ward

from ..errors import FundingError, WorkflowError
from ..models import (
    PLEDGE_CONSENT_WORDING,
    Application,
    CommunityNeed,
    Fulfilment,
    FundingSource,
    HelpKind,
    MatchFunding,
    Pledge,
)
from ..permissions import is_officer, is_supplier, match_funding_refusal
from ..workflows import PLEDGE, take

ZERO = Decimal("0")
SUPPLIER_KINDS = frozenset({Organisation.Kind.COMPANY, Organisation.Kind.BUSINESS})

# --- organisation identifiers (org-id.guide) ----------------------------------------------------------

# The UK lists 360Giving publishers use most, with what their identifiers look like.
GB_LISTS: dict[str, tuple[str, str]] = {
    "CHC": (r"\d{6,8}", "A charity number in England and Wales is 6 to 8 digits, e.g. GB-CHC-1234567."),
    "SC": (r"SC\d{6}", "A Scottish charity number is SC and 6 digits, e.g. GB-SC-SC012345."),
    "NIC": (r"\d{5,6}", "A Northern Ireland charity number is 5 or 6 digits, e.g. GB-NIC-101234."),
    "COH": (
        r"[A-Z0-9]{2}\d{6}",
        "A company number is 8 characters with its leading zeros kept, e.g. GB-COH-01234567 or GB-COH-SC123456.",
    ),
    "LAE": (r"[A-Z]{3,4}", "A local authority code in England is 3 or 4 capital letters, e.g. GB-LAE-MRT."),
    "LAS": (r"[A-Z]{3,4}", "A local authority code in Scotland is 3 or 4 capital letters, e.g. GB-LAS-EDH."),
    "PLA": (r"[A-Z]{3,4}", "A local authority code in Wales is 3 or 4 capital letters, e.g. GB-PLA-CRF."),
    "LANI": (r"[A-Z]{3,4}", "A council code in Northern Ireland is 3 or 4 capital letters, e.g. GB-LANI-BFS."),
    "EDU": (r"\d{6}", "A school's number (URN) is 6 digits, e.g. GB-EDU-123456."),
    "UKPRN": (r"\d{8}", "A UK provider reference number is 8 digits, e.g. GB-UKPRN-10001234."),
    "MPR": (r"[A-Z0-9]{1,10}", "A mutuals register number is letters and digits, e.g. GB-MPR-12345R."),
    "REV": (r"[A-Z0-9]{2,10}", "An HMRC charity reference is letters and digits, e.g. GB-REV-AB12345."),
    "GOR": (r"[A-Z0-9]{2,10}", "A government organisation code is letters and digits, e.g. GB-GOR-D12."),
    "NHS": (r"[A-Z0-9]{3,6}", "An NHS organisation code is 3 to 6 letters and digits, e.g. GB-NHS-RJ7."),
    "SHPE": (r"[A-Z0-9]{2,10}", "A social housing provider number is letters and digits, e.g. GB-SHPE-L1234."),
}
ORG_ID_EXAMPLE = "e.g. GB-CHC-1234567, GB-COH-01234567, GB-LAE-MRT or 360G-yourfunder-ABC"
_SCHEME = re.compile(r"([A-Z]{2})-([A-Z0-9]+)-(.+)")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*")


def org_id_problem(value: str) -> str | None:
    """What is wrong with an organisation identifier's shape, in a sentence; None when it looks right.

    An org-id is a list code from org-id.guide (GB-CHC-, GB-COH-, GB-LAE-, XI-…) and the identifier in that
    list; an unregistered group has a 360Giving publisher's prefix (360G-…) and a reference.
    """
    text = value.strip()
    if not text:
        return None
    if any(c.isspace() for c in text):
        return f"An organisation identifier has no spaces, {ORG_ID_EXAMPLE}."
    upper = text.upper()
    if upper.startswith("360G-"):
        rest = text[5:]
        if not text.startswith("360G-"):
            return "Write the prefix 360G- in capital letters, e.g. 360G-yourfunder-ABC."
        if not rest or not _IDENTIFIER.fullmatch(rest):
            return (
                "After 360G- give the publisher’s prefix and a reference in letters, digits, - or _, "
                "e.g. 360G-yourfunder-ABC."
            )
        return None
    match = _SCHEME.fullmatch(upper)
    if match is None:
        if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]+-?", text):
            return f"Add the organisation’s number after {text.rstrip('-').upper()}-, {ORG_ID_EXAMPLE}."
        if re.fullmatch(r"\d+", text):
            return (
                f"Start with the list the number comes from, e.g. GB-CHC-{text} for a charity "
                f"or GB-COH-{text} for a company."
            )
        return f"Start with a prefix from org-id.guide and then the number, {ORG_ID_EXAMPLE}."
    country, scheme, identifier = match.groups()
    prefix = f"{country}-{scheme}-"
    if not text.startswith(prefix):
        return f"Write the prefix in capital letters: {prefix}{identifier}."
    if not _IDENTIFIER.fullmatch(identifier):
        return f"After {prefix} use only letters, digits, - or _ for the identifier."
    if country == "GB":
        rule = GB_LISTS.get(scheme)
        if rule is None:
            known = ", ".join(f"GB-{code}-" for code in ("CHC", "SC", "NIC", "COH", "LAE", "LAS", "PLA", "EDU"))
            return f"{prefix} is not a UK list we know. Use one of {known} or another list from org-id.guide."
        pattern, message = rule
        if not re.fullmatch(pattern, identifier):
            return message
    return None


def _org_id(value: str, field: str, errors: dict[str, str]) -> str:
    text = (value or "").strip()
    problem = org_id_problem(text)
    if problem:
        errors[field] = problem
    return text


def _text(values: dict[str, Any], field: str, errors: dict[str, str], *, limit: int, required: str = "") -> str:
    text = str(values.get(field) or "").strip()
    if required and not text:
        errors[field] = required
    elif len(text) > limit:
        errors[field] = f"Use {limit:,} characters or fewer (you used {len(text):,})."
    return text


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise FundingError(errors)


# --- the register of external funding sources -----------------------------------------------------


def _require_officer(by: User, message: str) -> None:
    if not is_officer(by):
        raise PermissionDenied(message)


def _source_values(values: dict[str, Any]) -> tuple[dict[str, Any], list[Element]]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "funder": _text(values, "funder", errors, limit=200, required="Enter the funder’s name."),
        "name": _text(values, "name", errors, limit=200, required="Enter the name of the programme."),
        "what_they_fund": _text(values, "what_they_fund", errors, limit=5000, required="Say what the programme funds."),
        "eligibility": _text(values, "eligibility", errors, limit=5000),
        "url": _text(values, "url", errors, limit=200),
    }
    clean["funder_org_id"] = _org_id(values.get("funder_org_id") or "", "funder_org_id", errors)
    low, high = values.get("min_amount"), values.get("max_amount")
    for field, amount in (("min_amount", low), ("max_amount", high)):
        if amount is not None and amount < 0:
            errors[field] = "Enter an amount of £0 or more."
    if low is not None and high is not None and low > high and "min_amount" not in errors:
        errors["min_amount"] = f"The smallest grant ({pounds(low)}) must not be more than the largest ({pounds(high)})."
    clean.update(min_amount=low, max_amount=high, deadline=values.get("deadline"))
    clean["is_active"] = bool(values.get("is_active"))
    themes = list(values.get("themes") or [])
    if any(theme.kind != Element.Kind.THEME for theme in themes):
        errors["themes"] = "Choose themes from the council’s framework."
    _raise(errors)
    return clean, themes


@transaction.atomic
def create_source(*, values: dict[str, Any], by: User) -> FundingSource:
    """An officer adds an external funder's programme to the register; min must not exceed max."""
    _require_officer(by, "Only council officers can add to the register of funding sources.")
    clean, themes = _source_values(values)
    with acting(by):
        source = FundingSource.objects.create(**clean, created_by=by)
        source.themes.set(themes)
    return source


@transaction.atomic
def update_source(*, source: FundingSource, values: dict[str, Any], by: User) -> FundingSource:
    """An officer corrects an entry in the register, under the same rules as adding one."""
    _require_officer(by, "Only council officers can change the register of funding sources.")
    clean, themes = _source_values(values)
    source = FundingSource.objects.select_for_update().get(pk=source.pk)
    for field, value in clean.items():
        setattr(source, field, value)
    with acting(by):
        source.save()
        source.themes.set(themes)
    return source


# --- match funding and in-kind support ------------------------------------------------------------


@transaction.atomic
def record_match_funding(
    *,
    application: Application,
    kind: str,
    status: str,
    funder: str,
    funder_org_id: str,
    source: FundingSource | None,
    amount: Decimal | None,
    by: User,
) -> MatchFunding:
    """Record money or in-kind support a project attracted beyond the council: a positive amount from a named funder."""
    refused = match_funding_refusal(by, application)
    if refused is not None:
        raise PermissionDenied(refused)
    errors: dict[str, str] = {}
    if kind not in MatchFunding.Kind.values:
        errors["kind"] = "Choose match funding, other external funding or in kind."
    if status not in MatchFunding.Status.values:
        errors["status"] = "Choose whether it is applied for or secured."
    funder = (funder or "").strip() or (source.funder if source else "")
    if not funder:
        errors["funder"] = "Enter who the money or support comes from."
    elif len(funder) > 200:
        errors["funder"] = f"Use 200 characters or fewer (you used {len(funder):,})."
    org_id = _org_id(funder_org_id or (source.funder_org_id if source else ""), "funder_org_id", errors)
    if amount is None:
        errors["amount"] = "Enter the amount in pounds, e.g. 1500."
    elif amount <= 0:
        errors["amount"] = "Enter an amount more than £0."
    _raise(errors)
    amount = cast(Decimal, amount)
    # A double click, or the same row typed twice, must not count the same money twice.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    same = MatchFunding.objects.filter(
        application=application, kind=kind, status=status, funder=funder, amount=amount
    ).exists()
    if same:
        raise FundingError(
            f"You have already recorded {_amount(amount, '£')} from {funder} like this. "
            "Remove that row first if this is a correction."
        )
    with acting(by):
        return MatchFunding.objects.create(
            application=application,
            kind=kind,
            status=status,
            funder=funder,
            funder_org_id=org_id,
            source=source,
            amount=amount,
            recorded_by=by,
        )


@transaction.atomic
def remove_match_funding(*, row: MatchFunding, by: User) -> None:
    """Remove a row recorded in error; only the application's managers and officers may."""
    refused = match_funding_refusal(by, row.application)
    if refused is not None:
        raise PermissionDenied(refused)
    with acting(by):
        MatchFunding.objects.filter(pk=row.pk).delete()


# --- community needs ------------------------------------------------------------------------------


def organisations_posting_needs(user: Any) -> list[Organisation]:
    """The organisations this person may post needs for: the groups they are a member of (not council departments)."""
    if user is None or not user.is_authenticated:
        return []
    ids = user.organisation_ids_for(Role.GROUP_MEMBER)
    return list(Organisation.objects.filter(pk__in=ids).exclude(kind=Organisation.Kind.COUNCIL_DEPARTMENT))


def supplier_organisations(user: Any) -> list[Organisation]:
    """The businesses and companies this person is a member of, for which they may pledge as a supplier."""
    if user is None or not user.is_authenticated:
        return []
    ids = user.organisation_ids_for(Role.GROUP_MEMBER)
    return list(Organisation.objects.filter(pk__in=ids, kind__in=SUPPLIER_KINDS))


def _quantity(value: Any, field: str, errors: dict[str, str], *, required: bool, what: str) -> Decimal | None:
    if value is None:
        if required:
            errors[field] = f"Enter {what}, e.g. 10."
        return None
    if value <= 0:
        errors[field] = f"Enter {what} more than 0."
    return Decimal(value)


@transaction.atomic
def post_need(
    *,
    organisation: Organisation,
    title: str,
    description: str,
    kind: str,
    quantity: Decimal | None,
    unit: str,
    theme: Element | None,
    ward: Ward | None,
    by: User,
) -> CommunityNeed:
    """A group member posts a need for their own group, for suppliers to pledge money, hours or goods to."""
    if organisation not in organisations_posting_needs(by):
        raise PermissionDenied(
            f"You can only post needs for groups you are a member of. You are not a member of {organisation.name}."
        )
    errors: dict[str, str] = {}
    values = {"title": title, "description": description, "unit": unit}
    title = _text(values, "title", errors, limit=140, required="Say what your group needs.")
    description = _text(values, "description", errors, limit=5000, required="Say more about the need and who it helps.")
    unit = _text(values, "unit", errors, limit=60)
    if kind not in HelpKind.values:
        errors["kind"] = "Choose money, volunteer hours or goods or services."
    quantity = _quantity(quantity, "quantity", errors, required=True, what="how much you need")
    if theme is not None and theme.kind != Element.Kind.THEME:
        errors["theme"] = "Choose a theme from the council’s framework."
    _raise(errors)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if CommunityNeed.objects.filter(organisation=organisation, title=title, status=CommunityNeed.Status.OPEN).exists():
        raise FundingError({"title": f"{organisation.name} already has an open need called “{title}”."})
    if not unit:
        unit = {"money": "£", "hours": "hours"}.get(kind, "")
    with acting(by):
        return CommunityNeed.objects.create(
            organisation=organisation,
            title=title,
            description=description,
            kind=kind,
            quantity=quantity,
            unit=unit,
            theme=theme,
            ward=ward,
            created_by=by,
        )


# --- pledges --------------------------------------------------------------------------------------

# Loose: TOMs codes such as NT29 or NT1c, PPN 002 codes such as 1a or SRM-3.2, or a council's own.
MEASURE_CODE = re.compile(r"(?=.*\d)[A-Z0-9][A-Z0-9.\-]{0,29}")


def supplier_refusal(user: Any) -> str:
    """Why this person cannot pledge, or '' when they can."""
    if supplier_organisations(user):
        return ""
    return (
        "Only members of a supplier (a business or company) can pledge social value. To get set up, find your "
        "business in the directory and ask to manage its listing, or ask the council to add it and make you a "
        "member."
    )


@transaction.atomic
def make_pledge(
    *,
    need: CommunityNeed,
    supplier: Organisation,
    contract_reference: str,
    framework: str,
    framework_version: str,
    measure_code: str,
    kind: str,
    quantity: Decimal | None,
    unit: str,
    value: Decimal | None,
    by: User,
    consent_to_name: bool = False,
) -> Pledge:
    """A supplier's member pledges social value to an open need, under a named framework and measure. With their
    consent (PLEDGE_CONSENT_WORDING, stored as shown, with who and when) the public pages name the supplier."""
    if supplier not in supplier_organisations(by):
        raise PermissionDenied(supplier_refusal(by) or "You can only pledge for a supplier you are a member of.")
    need = CommunityNeed.objects.select_for_update().get(pk=need.pk)
    if need.status != CommunityNeed.Status.OPEN:
        raise FundingError(f"This need is {need.get_status_display().lower()}, so it is not taking pledges.")
    if supplier.pk == need.organisation_id:
        raise FundingError("A supplier cannot pledge to its own need.")
    if Pledge.objects.filter(need=need, supplier=supplier, status=Pledge.Status.PLEDGED).exists():
        raise FundingError(
            f"{supplier.name} has already pledged to this need and is waiting for the group to accept. "
            "Withdraw that pledge first if you want to change it."
        )
    errors: dict[str, str] = {}
    values = {
        "contract_reference": contract_reference,
        "framework_version": framework_version,
        "measure_code": measure_code,
        "unit": unit,
    }
    contract_reference = _text(values, "contract_reference", errors, limit=100)
    framework_version = _text(values, "framework_version", errors, limit=20)
    measure_code = _text(values, "measure_code", errors, limit=30).upper()
    unit = _text(values, "unit", errors, limit=60)
    if framework not in Pledge.Framework.values:
        errors["framework"] = "Choose the National TOMs, PPN 002 or the council’s own measures."
    if measure_code and "measure_code" not in errors and not MEASURE_CODE.fullmatch(measure_code):
        errors["measure_code"] = (
            "Enter a measure code of letters and digits with no spaces, e.g. NT29 (TOMs) or 1A (PPN 002)."
        )
    if kind not in HelpKind.values:
        errors["kind"] = "Choose money, volunteer hours or goods or services."
    quantity = _quantity(quantity, "quantity", errors, required=True, what="how much you pledge")
    if value is not None and value < 0:
        errors["value"] = "Enter a value of £0 or more."
    _raise(errors)
    if not unit:
        unit = need.unit if kind == need.kind else {"money": "£", "hours": "hours"}.get(kind, "")
    with acting(by):
        return Pledge.objects.create(
            need=need,
            supplier=supplier,
            contract_reference=contract_reference,
            framework=framework,
            framework_version=framework_version,
            measure_code=measure_code,
            kind=kind,
            quantity=cast(Decimal, quantity),
            unit=unit,
            value=value,
            pledged_by=by,
            **(
                {"consent_by": by, "consent_at": timezone.now(), "consent_wording": PLEDGE_CONSENT_WORDING}
                if consent_to_name
                else {}
            ),
        )


@transaction.atomic
def withdraw_pledge_consent(*, pledge: Pledge, by: User) -> Pledge:
    """The supplier withdraws its consent to be named: from now on the public pages leave its name out."""
    pledge = _locked(pledge)
    if not is_supplier(by, pledge):
        raise PermissionDenied("Only the business that made the pledge can withdraw its consent to be named.")
    if not pledge.named_publicly:
        raise FundingError("This pledge is already shown without your business's name.")
    with acting(by):
        pledge.consent_withdrawn_at = timezone.now()
        pledge.save(update_fields=["consent_withdrawn_at"])
    return pledge


def _locked(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().select_related("need__organisation", "supplier").get(pk=pledge.pk)


@transaction.atomic
def accept_pledge(*, pledge: Pledge, by: User) -> Pledge:
    """The group that posted the need accepts a supplier's pledge."""
    pledge = _locked(pledge)
    take(PLEDGE, pledge, "accept", by=by)
    return pledge


def _fulfilled(pledge: Pledge) -> Decimal:
    return pledge.fulfilments.aggregate(total=Sum("quantity"))["total"] or ZERO


def _amount(value: Decimal, unit: str) -> str:
    if unit == "£":
        return pounds(value)
    shown = f"{value:,.2f}".removesuffix(".00")
    return f"{shown} {unit}".strip()


@transaction.atomic
def record_fulfilment(
    *, pledge: Pledge, delivered_on: date | None, quantity: Decimal | None, note: str, by: User
) -> Fulfilment:
    """The supplier records part of an accepted pledge as delivered: on a past day, never beyond the pledge."""
    pledge = _locked(pledge)
    if not is_supplier(by, pledge):
        raise PermissionDenied("Only the supplier that made this pledge can record what it delivered.")
    if pledge.status != Pledge.Status.ACCEPTED:
        if pledge.status == Pledge.Status.PLEDGED:
            raise WorkflowError("The group has not accepted this pledge yet, so nothing can be recorded against it.")
        raise WorkflowError(
            f"This pledge is {pledge.get_status_display().lower()}, so no more deliveries can be recorded."
        )
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if delivered_on is None:
        errors["delivered_on"] = "Enter the date it was delivered, e.g. 14/3/2026."
    elif delivered_on > today:
        errors["delivered_on"] = "The date it was delivered must be today or in the past."
    quantity = _quantity(quantity, "quantity", errors, required=True, what="how much was delivered")
    note = _text({"note": note}, "note", errors, limit=500)
    if quantity is not None and "quantity" not in errors:
        left = pledge.quantity - _fulfilled(pledge)
        if quantity > left:
            errors["quantity"] = (
                f"That is more than is left of the pledge: {_amount(left, pledge.unit)} left of "
                f"{_amount(pledge.quantity, pledge.unit)}. Record {_amount(left, pledge.unit)} or less."
                if left > 0
                else "The whole pledge is recorded as delivered already. Mark it delivered instead."
            )
    _raise(errors)
    with acting(by):
        return Fulfilment.objects.create(
            pledge=pledge,
            delivered_on=cast(date, delivered_on),
            quantity=cast(Decimal, quantity),
            note=note,
            recorded_by=by,
        )


@transaction.atomic
def deliver_pledge(*, pledge: Pledge, by: User) -> Pledge:
    """The supplier marks an accepted pledge delivered, once at least one delivery is recorded."""
    pledge = _locked(pledge)
    if pledge.status == Pledge.Status.ACCEPTED and not pledge.fulfilments.exists():
        raise WorkflowError("Record what was delivered, and when, before marking the pledge delivered.")
    take(PLEDGE, pledge, "deliver", by=by)
    return pledge


def need_progress_counts(need: CommunityNeed) -> Decimal:
    """How much of the need's own kind is delivered on pledges marked delivered or verified."""
    total = Fulfilment.objects.filter(
        pledge__need=need,
        pledge__kind=need.kind,
        pledge__status__in=[Pledge.Status.DELIVERED, Pledge.Status.VERIFIED],
    ).aggregate(total=Sum("quantity"))["total"]
    return total or ZERO


@transaction.atomic
def verify_pledge(*, pledge: Pledge, by: User) -> Pledge:
    """The group or an officer confirms a delivered pledge; the need is met once delivered pledges reach it."""
    pledge = _locked(pledge)
    take(PLEDGE, pledge, "verify", by=by)
    now = timezone.now()
    with acting(by):
        pledge.fulfilments.filter(confirmed_by__isnull=True).update(confirmed_by=by, confirmed_at=now)
        need = CommunityNeed.objects.select_for_update().get(pk=pledge.need_id)
        if (
            need.status == CommunityNeed.Status.OPEN
            and need.quantity is not None
            and need_progress_counts(need) >= need.quantity
        ):
            need.status = CommunityNeed.Status.MET
            need.save(update_fields=["status"])
    return pledge


@transaction.atomic
def withdraw_pledge(*, pledge: Pledge, reason: str, by: User) -> Pledge:
    """The supplier or an officer withdraws a pledge not yet delivered, saying why."""
    pledge = _locked(pledge)
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise FundingError({"reason": f"Use 2,000 characters or fewer (you used {len(reason):,})."})
    pledge.withdrawn_reason = reason
    pledge.withdrawn_at = timezone.now()
    take(PLEDGE, pledge, "withdraw", by=by, reason=reason)
    return pledge


def pledge_actions(user: Any, pledge: Pledge) -> set[str]:
    """What this person may do to the pledge now: workflow steps, plus recording deliveries."""
    if user is None or not user.is_authenticated:
        return set()
    names = {t.name for t in PLEDGE.available(pledge.status, user, pledge)}
    if pledge.status == Pledge.Status.ACCEPTED and is_supplier(user, pledge):
        names.add("fulfil")
    return names
