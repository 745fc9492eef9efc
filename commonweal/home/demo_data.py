"""The demo borough's invented tables: its localities, the platform's own demo organisations and a sign-in for
every role. home/demo.py loads them."""

from __future__ import annotations

from dataclasses import dataclass

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.core.demo import DEMO_EMAIL_DOMAIN

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
