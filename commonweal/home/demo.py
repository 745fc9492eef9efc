"""The demo borough: Merton's real wards and framework, with invented organisations, people and postcodes.

Everything invented is flagged `is_demo` and every page says it is a demo. Loading twice changes nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import membership_grant, organisation_create
from commonweal.directory.demo import load_demo_directory
from commonweal.framework.services import framework_load_preset
from commonweal.funding.demo import FUNDING_PEOPLE, load_demo_funding
from commonweal.places.models import CouncilArea, Locality, Ward
from commonweal.places.services import generate_demo_postcodes, import_postcodes, load_council_area

DEMO_COUNCIL = "E09000024"
DEMO_PRESET = "merton"
DEMO_PASSWORD = "commonweal-demo"  # noqa: S105 - printed on purpose: these accounts exist only in the demo
DEMO_EMAIL_DOMAIN = "demo.commonweal.test"

# Named groups of Merton's real wards, as a council would draw its neighbourhoods and pilot areas.
DEMO_LOCALITIES: dict[str, tuple[str, list[str]]] = {
    "Mitcham": (
        "The town centre and neighbourhoods of Mitcham, in the east of the borough.",
        [
            "Cricket Green",
            "Figge's Marsh",
            "Graveney",
            "Lavender Fields",
            "Longthornton",
            "Pollards Hill",
            "Ravensbury",
        ],
    ),
    "Wimbledon": (
        "Wimbledon town centre and the wards around it, in the west of the borough.",
        ["Abbey", "Hillside", "Village", "Wimbledon Park", "Wimbledon Town & Dundonald", "Raynes Park"],
    ),
    "Morden": (
        "Morden town centre and the estates to its south and west.",
        ["Cannon Hill", "Lower Morden", "Merton Park", "St Helier", "West Barnes"],
    ),
    "Colliers Wood and the Wandle": (
        "Colliers Wood and the Wandle valley between Wimbledon and Mitcham.",
        ["Colliers Wood", "Wandle"],
    ),
    "East Merton pilot area": (
        "A pilot area for the Working Better with Communities Framework (invented for the demo).",
        ["Figge's Marsh", "Pollards Hill", "Longthornton", "Lavender Fields"],
    ),
}

# (name, kind, org-id) of invented organisations: council departments, a CVS, charities and groups.
DEMO_ORGANISATIONS: list[tuple[str, str, str]] = [
    ("Community and Housing", Organisation.Kind.COUNCIL_DEPARTMENT, ""),
    ("Children, Lifelong Learning and Families", Organisation.Kind.COUNCIL_DEPARTMENT, ""),
    ("Environment, Civic Pride and Climate", Organisation.Kind.COUNCIL_DEPARTMENT, ""),
    ("Public Health", Organisation.Kind.COUNCIL_DEPARTMENT, ""),
    ("Merton Voluntary Action Network (demo CVS)", Organisation.Kind.REGISTERED_CHARITY, "GB-CHC-9000001"),
    ("Wandle Valley Food Share (demo)", Organisation.Kind.REGISTERED_CHARITY, "GB-CHC-9000002"),
    ("Mitcham Older People's Lunch Club (demo)", Organisation.Kind.CIO, "GB-CHC-9000003"),
    ("Pollards Hill Youth Football (demo)", Organisation.Kind.CIC, "GB-COH-90000004"),
    ("St Helier Faith Kitchen (demo)", Organisation.Kind.FAITH_GROUP, ""),
    ("Figge's Marsh Litter Pickers (demo)", Organisation.Kind.INFORMAL_GROUP, ""),
    ("Raynes Park Knit and Natter (demo)", Organisation.Kind.INFORMAL_GROUP, ""),
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    organisation: str | None
    label: str


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("resident", f"resident@{DEMO_EMAIL_DOMAIN}", None, "Resident"),
    DemoAccount(Role.GROUP_MEMBER, f"group@{DEMO_EMAIL_DOMAIN}", "Wandle Valley Food Share (demo)", "Group member"),
    DemoAccount(
        Role.GROUP_MEMBER,
        f"informal@{DEMO_EMAIL_DOMAIN}",
        "Figge's Marsh Litter Pickers (demo)",
        "Group member",
    ),
    DemoAccount(Role.OFFICER, f"officer@{DEMO_EMAIL_DOMAIN}", "Community and Housing", "Officer"),
    DemoAccount(Role.CHAMPION, f"champion@{DEMO_EMAIL_DOMAIN}", None, "Champion"),
    DemoAccount(Role.STEWARD, f"steward@{DEMO_EMAIL_DOMAIN}", None, "Steward"),
    DemoAccount(Role.ADMIN, f"admin@{DEMO_EMAIL_DOMAIN}", None, "Administrator"),
]


@transaction.atomic
def load_demo_borough(*, data_dir: Path | None = None) -> CouncilArea:
    """Load the demo borough, or bring an existing one up to date; never duplicates anything."""
    council = load_council_area(gss_code=DEMO_COUNCIL, data_dir=data_dir)
    framework_load_preset(slug=DEMO_PRESET)
    _load_localities(council)
    if not council.wards.filter(postcodes__isnull=False).exists():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "demo_postcodes.csv"
            generate_demo_postcodes(council=council, out=path)
            import_postcodes(path=path, is_demo=True)
    organisations = _load_organisations()
    _load_accounts(organisations)
    counts = load_demo_directory(council)
    print("Demo directory: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")  # noqa: T201 - make demo shows what the directory holds
    funding = load_demo_funding(council)
    print(  # noqa: T201 - and what funding holds, with the accounts it adds (same password)
        "Demo funding: "
        + ", ".join(f"{n} {what}" for what, n in funding.items())
        + "; also sign in as "
        + ", ".join(f"{person.email} ({person.label})" for person in FUNDING_PEOPLE)
        + "."
    )
    return council


def _load_localities(council: CouncilArea) -> None:
    wards = {w.name: w for w in Ward.objects.filter(council=council)}
    for name, (description, ward_names) in DEMO_LOCALITIES.items():
        slug = name.lower().replace(" ", "-")
        locality, _ = Locality.objects.update_or_create(
            slug=slug,
            defaults={"council": council, "name": name, "description": description, "is_demo": True},
        )
        locality.wards.set([wards[n] for n in ward_names if n in wards])


def _load_organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, kind, org_id in DEMO_ORGANISATIONS:
        existing = Organisation.objects.filter(name=name).first()
        organisations[name] = existing or organisation_create(name=name, kind=kind, org_id=org_id, is_demo=True)
    return organisations


def _load_accounts(organisations: dict[str, Organisation]) -> None:
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(account.email, DEMO_PASSWORD, full_name=f"Demo {account.label.lower()}")
        user.is_demo = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        if account.role != "resident":
            membership_grant(
                user=user,
                role=account.role,
                organisation=organisations[account.organisation] if account.organisation else None,
            )
