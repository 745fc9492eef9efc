"""Awarded grants in the 360Giving Data Standard 1.4: building, streaming and validating the package.

What is published: grants whose offer the group has ACCEPTED, and COMPLETED grants. An offer not yet accepted
is left out on purpose: 360Giving publishes awards, an offer can still be declined or withdrawn, and a grant
that appears in GrantNav and then vanishes is worse than one that appears a few days later. Declined and
withdrawn grants never appear.

How our records map onto the standard (see ../shared/background/funding.md §3):
- id: `{COMMONWEAL_360GIVING_PREFIX}-{grant.reference}`, the reference's slashes, spaces and other special
  characters replaced by `_` (360Giving's identifier rules).
- title: the application's project name, else the organisation's name and the fund's, at most 140 characters;
  description: the application's summary, never the same text as the title.
- fundingOrganization: the council, by its GB-LAE- org-id (the council area's, else looked up by its ONS code
  in places/reference/lookups/la_orgid_to_gss.csv).
- recipientOrganization: the organisation's own org-id when it is a registered one, else GB-CHC-/GB-SC-/GB-NIC-
  from its charity number, else GB-COH- from its company number (zero-padded to 8), else
  `{prefix}-ORG-{slug}` for an unregistered group. The postcode is given only for registered bodies: an
  unregistered group's postcode is often a volunteer's home. A recipient based in the area gets the area's
  name as addressLocality and its ward (WD, E05…) as location, for everyone, registered or not.
- beneficiaryLocation: each ward of the application (geoCodeType WD, its E05 code); locationScope GLS050 when
  the wards are all of the council's, GLS060 (a local area) when they are some of them.
- grantProgramme: the round (code: its slug); classifications: the framework themes of the application.
- disbursementTransaction: each PAID tranche; amountDisbursed their sum.
- matchFundingSecured (an additional field): the secured match, external and in-kind funding the grant
  attracted, the basis of leverage figures (money.leverage).

The package is written piece by piece (`package_chunks`, `write_package`) reading grants a chunk at a time by
primary key as plain values (no model instances), with everything a grant needs fetched for the whole chunk,
so 10,000 grants take a few dozen queries, seconds and little memory.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core.chunks import keyset_chunks
from commonweal.core.money import pounds
from commonweal.framework.models import Framework
from commonweal.places.models import CouncilArea, Postcode, Ward

from ..models import Application, Grant, MatchFunding, Tranche

PUBLISHED_STATUSES = (Grant.Status.ACCEPTED, Grant.Status.COMPLETED)
VERSION = "1.4"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
SCHEMA_DIR = Path(__file__).parent / "giving360_schema"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"
# The package schema's items point at the 1.4.2 grant schema by URL; the grant schema names itself 1.4.3.
GRANT_SCHEMA_URLS = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
)
CHUNK = 1000
TITLE_LIMIT = 140
LOCAL_AUTHORITY_SCOPE = "GLS050"
LOCAL_AREA_SCOPE = "GLS060"
ORGID_LOOKUP = "lookups/la_orgid_to_gss.csv"

# org-id.guide lists for UK registers an organisation may already carry an identifier from.
REGISTERED_ORG_ID = re.compile(
    r"^GB-(CHC|SC|NIC|COH|LAE|LAS|PLA|LANI|EDU|UKPRN|URN|MPR|REV|NHS|GOR|GOV|SHPE|UKLEP)-[A-Za-z0-9]+$"
)
CHARITY_ENGLAND_WALES = re.compile(r"^\d{6,8}$")
CHARITY_SCOTLAND = re.compile(r"^SC\d{6}$")
CHARITY_NORTHERN_IRELAND = re.compile(r"^NIC\d{6}$")
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
UNSAFE_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9_.-]+")


# --- identifiers -----------------------------------------------------------------------------------


def clean_identifier_part(text: str) -> str:
    """A piece of a 360Giving id: slashes, spaces and other special characters become '_'."""
    return UNSAFE_ID_CHARACTERS.sub("_", text.strip()).strip("_") or "_"


def grant_identifier(reference: str, *, prefix: str | None = None) -> str:
    """The grant's 360Giving id: the council's registered prefix (360G-…), a hyphen, the grant's reference."""
    return f"{prefix or settings.COMMONWEAL_360GIVING_PREFIX}-{clean_identifier_part(reference)}"


def normalise_charity_number(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def normalise_company_number(number: str) -> str:
    """A company number as Companies House writes it: eight characters, leading zeros kept or restored."""
    cleaned = re.sub(r"\s+", "", number or "").upper()
    return cleaned.zfill(8) if cleaned.isdigit() else cleaned


def charity_org_id(number: str) -> str | None:
    """GB-CHC-/GB-SC-/GB-NIC- from a charity number in a format its register uses; None otherwise."""
    cleaned = normalise_charity_number(number)
    if CHARITY_ENGLAND_WALES.match(cleaned):
        return f"GB-CHC-{cleaned}"
    if CHARITY_SCOTLAND.match(cleaned):
        return f"GB-SC-{cleaned}"
    if CHARITY_NORTHERN_IRELAND.match(cleaned):
        return f"GB-NIC-{cleaned[3:]}"
    return None


def company_org_id(number: str) -> str | None:
    cleaned = normalise_company_number(number)
    return f"GB-COH-{cleaned}" if COMPANY_NUMBER.match(cleaned) else None


def is_registered_org_id(org_id: str) -> bool:
    return bool(REGISTERED_ORG_ID.match((org_id or "").strip()))


def recipient_identifier(organisation: OrganisationFacts, *, prefix: str | None = None) -> str:
    """A registered org-id if the organisation has one, else from its charity or company number, else ours."""
    if is_registered_org_id(organisation.org_id):
        return organisation.org_id.strip()
    found = charity_org_id(organisation.charity_number) or company_org_id(organisation.company_number)
    if found:
        return found
    return f"{prefix or settings.COMMONWEAL_360GIVING_PREFIX}-ORG-{clean_identifier_part(organisation.slug)}"


def is_registered(organisation: OrganisationFacts) -> bool:
    """Whether the organisation is on a public register (so its address is an organisation's, not a home)."""
    return (
        is_registered_org_id(organisation.org_id)
        or bool(charity_org_id(organisation.charity_number) or company_org_id(organisation.company_number))
        or organisation.kind in {Organisation.Kind.PUBLIC_BODY, Organisation.Kind.COUNCIL_DEPARTMENT}
    )


def council_org_id(council: CouncilArea | None) -> str:
    """The council's GB-LAE- (or other) org-id: as loaded with the council area, else from the lookup by code."""
    if council is None:
        return ""
    if council.org_id:
        return council.org_id
    return _org_ids_by_gss().get(council.gss_code, "")


@cache
def _org_ids_by_gss() -> dict[str, str]:
    path = Path(settings.REFERENCE_DATA_DIR) / ORGID_LOOKUP
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {row["gss_code"]: row["org_id"] for row in csv.DictReader(handle) if row.get("org_id")}
    except FileNotFoundError:
        return {}


# --- what a grant needs ------------------------------------------------------------------------------


def published_grants() -> QuerySet[Grant]:
    """Grants 360Giving publishes: accepted and completed ones (see the module's docstring for why)."""
    return Grant.objects.filter(status__in=PUBLISHED_STATUSES)


class Writable(Protocol):
    """Somewhere text can be written: an open file, sys.stdout, a management command's output."""

    def write(self, text: str, /) -> Any: ...


@dataclass
class Recipient:
    """A GrantRow's recipient: the Organisation's facts an identifier is made from, read as plain values."""

    name: str
    slug: str
    kind: str
    org_id: str
    charity_number: str
    company_number: str
    postcode: str


# What an identifier is made from: an Organisation, or a GrantRow's recipient.
OrganisationFacts = Organisation | Recipient


@dataclass
class GrantRow:
    """Everything one grant's record says, read as plain values (no model instances: 10,000 grants in seconds)."""

    pk: int
    reference: str
    amount: Decimal
    award_date: date
    starts_on: date | None
    ends_on: date | None
    updated_at: datetime
    application_id: int
    title: str
    summary: str
    amount_requested: Decimal | None
    application_starts_on: date | None
    application_ends_on: date | None
    round_slug: str
    round_name: str
    fund_name: str
    application_updated_at: datetime
    recipient: Recipient
    wards: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    themes: list[tuple[int, str]] = field(default_factory=list)  # (pk, name)
    paid: list[tuple[int, Decimal, date]] = field(default_factory=list)  # (pk, amount, date paid)
    match_funding: Decimal | None = None


# GrantRow's own fields in GRANT_FIELDS' order; the recipient's follow them.
ROW_NAMES = tuple(f.name for f in fields(GrantRow))[: [f.name for f in fields(GrantRow)].index("recipient")]
GRANT_FIELDS = (
    "pk",
    "reference",
    "amount",
    "award_date",
    "starts_on",
    "ends_on",
    "updated_at",
    "application_id",
    "application__title",
    "application__summary",
    "application__amount_requested",
    "application__starts_on",
    "application__ends_on",
    "application__round__slug",
    "application__round__name",
    "application__round__fund__name",
    "application__updated_at",
    "application__organisation__name",
    "application__organisation__slug",
    "application__organisation__kind",
    "application__organisation__org_id",
    "application__organisation__charity_number",
    "application__organisation__company_number",
    "application__organisation__postcode",
)


def _rows(chunk: list[tuple[Any, ...]]) -> list[GrantRow]:
    """A chunk of grants with their wards, themes, paid tranches and secured match funding: five queries."""
    names = ROW_NAMES
    rows = [
        GrantRow(**dict(zip(names, values[: len(names)], strict=True)), recipient=Recipient(*values[len(names) :]))
        for values in chunk
    ]
    by_application = {row.application_id: row for row in rows}
    by_grant = {row.pk: row for row in rows}
    wards = Application.wards.through.objects.filter(application_id__in=by_application)
    for application_id, code, name in wards.order_by("ward__name", "ward_id").values_list(
        "application_id", "ward__code", "ward__name"
    ):
        by_application[application_id].wards.append((code, name))
    themes = Application.themes.through.objects.filter(application_id__in=by_application)
    for application_id, theme_id, name in themes.order_by("element__position", "element_id").values_list(
        "application_id", "element_id", "element__name"
    ):
        by_application[application_id].themes.append((theme_id, name))
    paid = Tranche.objects.filter(grant_id__in=by_grant, status=Tranche.Status.PAID).order_by("paid_on", "pk")
    for grant_id, tranche_id, amount, paid_on, due_on in paid.values_list(
        "grant_id", "pk", "amount", "paid_on", "due_on"
    ):
        by_grant[grant_id].paid.append((tranche_id, amount, paid_on or due_on))
    secured = (
        MatchFunding.objects.filter(application_id__in=by_application, status=MatchFunding.Status.SECURED)
        .values("application_id")
        .annotate(total=Sum("amount"))
        .values_list("application_id", "total")
    )
    for application_id, total in secured:
        by_application[application_id].match_funding = total
    return rows


@dataclass(frozen=True)
class Publisher:
    """What every grant of one package shares: who publishes it and where."""

    prefix: str
    base_url: str
    council_id: str
    council_name: str
    vocabulary: str
    council_ward_count: int
    data_source: str
    area_name: str
    round_urls: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def url(self, name: str, **kwargs: Any) -> str:
        return f"{self.base_url}{reverse(name, kwargs=kwargs or None)}"

    def round_url(self, slug: str) -> str:
        """The round's prospectus page, worked out once per round."""
        if slug not in self.round_urls:
            self.round_urls[slug] = self.url("funding:round", slug=slug)
        return self.round_urls[slug]


def publisher(*, base_url: str | None = None) -> Publisher:
    """The council and the site, read once per package."""
    council = CouncilArea.current()
    base = (base_url or settings.COMMONWEAL_BASE_URL).rstrip("/")
    framework = Framework.current()
    prefix = settings.COMMONWEAL_360GIVING_PREFIX
    council_id = council_org_id(council) or f"{prefix}-ORG-council"
    return Publisher(
        prefix=prefix,
        base_url=base,
        council_id=council_id,
        council_name=council.name if council else "The council",
        vocabulary=f"{framework.name}: themes" if framework else "Framework themes",
        council_ward_count=Ward.objects.filter(council=council).count() if council else 0,
        data_source=f"{base}{reverse('funding:open_data')}",
        area_name=council.area_name if council else "",
    )


def _number(amount: Decimal) -> int | float:
    """Money as a JSON number: whole pounds as integers, else pounds and pence."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _months(start: date, end: date) -> int:
    """Whole months from start to end, counting a month begun and reached on its day as complete."""
    months = (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)
    return max(months, 1)


def _title(row: GrantRow) -> str:
    title = " ".join((row.title or "").split())
    if not title:
        title = f"{row.recipient.name}: {row.fund_name}"
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1].rstrip() + "…"


def _description(row: GrantRow, title: str) -> str:
    summary = (row.summary or "").strip()
    if summary and " ".join(summary.split()).casefold() != title.casefold():
        return summary
    return (
        f"A grant of {pounds(row.amount, True)} from the {row.fund_name} ({row.round_name}) "
        f"to {row.recipient.name} for {title}."
    )


def _recipient(
    organisation: OrganisationFacts, context: Publisher, in_area: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": recipient_identifier(organisation, prefix=context.prefix),
        "name": organisation.name,
    }
    charity = normalise_charity_number(organisation.charity_number)
    company = normalise_company_number(organisation.company_number)
    if charity:
        found["charityNumber"] = charity
    if company:
        found["companyNumber"] = company
    postcode = normalise_postcode(organisation.postcode)
    if postcode and is_registered(organisation):
        found["postalCode"] = postcode
    ward = in_area.get(postcode) if postcode else None
    if ward is not None:
        if context.area_name:
            found["addressLocality"] = context.area_name
        # Where the organisation is, to the ward: 360Giving's recipient geodata without a home's postcode.
        code, name = ward
        found["location"] = [{"name": name, "geoCode": code, "geoCodeType": "WD", "countryCode": "GB"}]
    return found


def normalise_postcode(postcode: str) -> str:
    """Upper case with one space before the last three characters, as the postcode table holds it."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def grant_record(
    row: GrantRow, context: Publisher, *, in_area: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, Any]:
    """One grant as a 360Giving record. `in_area` maps the postcodes of recipients in the council's area to
    their ward's (code, name): they get the area's name as their addressLocality and the ward as location."""
    title = _title(row)
    record: dict[str, Any] = {
        "id": grant_identifier(row.reference, prefix=context.prefix),
        "title": title,
        "description": _description(row, title),
        "currency": "GBP",
        "amountAwarded": _number(row.amount),
        "awardDate": row.award_date.isoformat(),
        "fundingOrganization": [{"id": context.council_id, "name": context.council_name}],
        "recipientOrganization": [_recipient(row.recipient, context, in_area or {})],
    }
    if row.amount_requested is not None:
        record["amountAppliedFor"] = _number(row.amount_requested)
    record["amountDisbursed"] = _number(sum((amount for _, amount, _ in row.paid), Decimal("0")))
    if row.wards:
        record["beneficiaryLocation"] = [
            {"name": name, "geoCode": code, "geoCodeType": "WD", "countryCode": "GB"} for code, name in row.wards
        ]
        whole = context.council_ward_count and len(row.wards) >= context.council_ward_count
        record["locationScope"] = LOCAL_AUTHORITY_SCOPE if whole else LOCAL_AREA_SCOPE
    record["grantProgramme"] = [
        {
            "code": row.round_slug,
            "title": f"{row.fund_name}: {row.round_name}",
            "url": context.round_url(row.round_slug),
        }
    ]
    if row.themes:
        record["classifications"] = [
            {"vocabulary": context.vocabulary, "code": str(pk), "title": name} for pk, name in row.themes
        ]
    starts = row.starts_on or row.application_starts_on
    ends = row.ends_on or row.application_ends_on
    if starts or ends:
        planned: dict[str, Any] = {}
        if starts:
            planned["startDate"] = starts.isoformat()
        if ends:
            planned["endDate"] = ends.isoformat()
        if starts and ends and starts <= ends:
            planned["duration"] = _months(starts, ends)
        record["plannedDates"] = [planned]
    if row.paid:
        record["disbursementTransaction"] = [
            {
                "id": f"{record['id']}-payment-{pk}",
                "transactionDate": paid_on.isoformat(),
                "value": _number(amount),
                "currency": "GBP",
            }
            for pk, amount, paid_on in row.paid
        ]
    record["fromOpenCall"] = "Yes"
    record["dateModified"] = _timestamp(max(row.updated_at, row.application_updated_at))
    record["dataSource"] = context.data_source
    if row.match_funding:
        record["matchFundingSecured"] = _number(row.match_funding)
    return record


def _timestamp(moment: datetime) -> str:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.isoformat(timespec="seconds")


# --- the package -------------------------------------------------------------------------------------


def iter_grant_records(
    grants: QuerySet[Grant] | None = None, *, context: Publisher | None = None
) -> Iterator[dict[str, Any]]:
    """Each grant's record, read a chunk at a time by primary key, its lists fetched for the whole chunk."""
    context = context or publisher()
    base = (grants if grants is not None else published_grants()).values_list(*GRANT_FIELDS)
    for chunk in keyset_chunks(base, CHUNK):
        rows = _rows(chunk)
        postcodes = {normalise_postcode(row.recipient.postcode) for row in rows} - {""}
        in_area = {
            postcode: (code, name)
            for postcode, code, name in Postcode.objects.filter(
                postcode__in=postcodes, ward__council__isnull=False
            ).values_list("postcode", "ward__code", "ward__name")
        }
        for row in rows:
            yield grant_record(row, context, in_area=in_area)


def last_modified(grants: QuerySet[Grant] | None = None) -> datetime | None:
    """When the published grants last changed (a grant's own record)."""
    found = (grants if grants is not None else published_grants()).aggregate(latest=Max("updated_at"))["latest"]
    return found if isinstance(found, datetime) else None


def package_head(context: Publisher, *, modified: datetime | None = None) -> dict[str, Any]:
    """The package's metadata: version, publisher, licence, when it was last modified."""
    return {
        "version": VERSION,
        "title": f"{context.council_name}: grants awarded",
        "description": (
            f"Grants awarded by {context.council_name} through its funds, in the 360Giving Data Standard. "
            "Accepted and completed grants only."
        ),
        "publisher": {"name": context.council_name, "identifier": context.council_id, "website": context.base_url},
        "license": LICENSE_URL,
        "accessURL": context.data_source,
        "downloadURL": context.url("funding:open_data_json"),
        "modified": _timestamp(modified or timezone.now()),
    }


def package_chunks(grants: QuerySet[Grant] | None = None, *, base_url: str | None = None) -> Iterator[str]:
    """The whole package as JSON text, piece by piece: the metadata, then each grant as it is read."""
    context = publisher(base_url=base_url)
    head = package_head(context, modified=last_modified(grants))
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "grants": ['
    first = True
    for record in iter_grant_records(grants, context=context):
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def write_package(out: Writable, grants: QuerySet[Grant] | None = None, *, base_url: str | None = None) -> int:
    """Write the package to a text file; returns how many grants it holds. (For the command and the bench.)"""
    count = 0
    for piece in package_chunks(grants, base_url=base_url):
        out.write(piece)
        if piece.startswith((",\n", "\n{")):
            count += 1
    return count


def build_package(grants: QuerySet[Grant] | None = None, *, base_url: str | None = None) -> dict[str, Any]:
    """The whole package as one dict (tests, the quality checks and small exports)."""
    package: dict[str, Any] = json.loads("".join(package_chunks(grants, base_url=base_url)))
    return package


# --- validation --------------------------------------------------------------------------------------


@cache
def _validators(schema_dir: str) -> tuple[Any, Any]:
    """(the package validator, the grant validator) for the schemas in a folder, formats checked."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    folder = Path(schema_dir)
    package_schema = json.loads((folder / PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    grant_schema = json.loads((folder / GRANT_SCHEMA).read_text(encoding="utf-8"))
    grant_resource = DRAFT202012.create_resource(grant_schema)
    # Every URL the package schema may name for the grant schema is the local file: never the network.
    registry: Registry[Any] = Registry().with_resources((url, grant_resource) for url in GRANT_SCHEMA_URLS)
    checker = Draft202012Validator.FORMAT_CHECKER
    return (
        Draft202012Validator(package_schema, registry=registry, format_checker=checker),
        Draft202012Validator(grant_schema, registry=registry, format_checker=checker),
    )


def _describe(error: Any, prefix: tuple[Any, ...] = ()) -> str:
    from jsonschema.exceptions import best_match

    where = "/".join(str(part) for part in (*prefix, *error.absolute_path)) or "the package"
    if error.validator == "oneOf" and error.context:
        inner = best_match(e for e in error.context if "recipientIndividual" not in e.message) or best_match(
            error.context
        )
        return f"{where}: {inner.message}"
    return f"{where}: {error.message}"


def validate_package(data: Any, *, schema_dir: Path | str = SCHEMA_DIR) -> list[str]:
    """Every way `data` breaks the 360Giving package schema (format checking on), as sentences; [] if valid.

    The package schema's `uniqueItems` makes jsonschema compare every grant with every other (10,000 grants:
    minutes), so the package is checked with its first grant, each other grant against the grant schema the
    package's items refer to, and uniqueness by each grant's canonical JSON: the same rules, in linear time."""
    package_validator, grant_validator = _validators(str(schema_dir))
    grants = data.get("grants") if isinstance(data, dict) else None
    if not isinstance(grants, list) or len(grants) < 2:
        errors = sorted(package_validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
        return [_describe(error) for error in errors]
    found = [_describe(e) for e in package_validator.iter_errors({**data, "grants": grants[:1]})]
    for index, grant in enumerate(grants[1:], start=1):
        found += [_describe(e, ("grants", index)) for e in grant_validator.iter_errors(grant)]
    seen: dict[str, int] = {}
    for index, grant in enumerate(grants):
        canonical = json.dumps(grant, sort_keys=True, separators=(",", ":"))
        if canonical in seen:
            found.append(f"grants/{index}: the same grant as grants/{seen[canonical]} (grants must be unique)")
        seen.setdefault(canonical, index)
    return found
