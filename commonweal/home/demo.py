"""The demo borough: Merton's real wards and framework, with invented organisations, people and postcodes.

Everything invented is flagged `is_demo` and every page says it is a demo. Loading twice changes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import confirm_email, create_organisation, grant_membership
from commonweal.core.demo import DEMO_PASSWORD
from commonweal.directory.demo import load_demo_directory
from commonweal.engagement.demo import load_demo_engagement
from commonweal.framework.services import load_framework_preset
from commonweal.funding.demo import FUNDING_PEOPLE, load_demo_funding
from commonweal.panels.demo import load as load_demo_panel
from commonweal.places.demo import load_demo_profile
from commonweal.places.models import CouncilArea, Locality, Ward
from commonweal.places.services import generate_demo_postcodes, import_postcodes, load_council_area
from commonweal.solutions.demo import load_demo_solutions

from .demo_data import DEMO_ACCOUNTS, DEMO_LOCALITIES, DEMO_ORGANISATIONS

DEMO_COUNCIL = "E09000024"
DEMO_PRESET = "merton"


@transaction.atomic
def load_demo_borough(*, data_dir: Path | None = None) -> CouncilArea:
    """Load the demo borough, or bring an existing one up to date; never duplicates anything."""
    council = load_council_area(gss_code=DEMO_COUNCIL, data_dir=data_dir)
    load_framework_preset(slug=DEMO_PRESET)
    _load_localities(council)
    load_demo_profile(council, data_dir=data_dir)
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
    solutions = load_demo_solutions(council)
    print("Demo Solutions Framework: " + ", ".join(f"{n} {what}" for what, n in solutions.items()) + ".")  # noqa: T201 - and what the Solutions Framework holds
    engagement = load_demo_engagement(council)
    print("Demo engagement: " + ", ".join(f"{n} {what}" for what, n in engagement.items()) + ".")  # noqa: T201 - and what engagement holds
    panel = load_demo_panel(council)
    print("Demo citizens' panel: " + ", ".join(f"{n} {what}" for what, n in panel.items()) + ".")  # noqa: T201 - and what the panel holds
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
        organisations[name] = existing or create_organisation(name=name, kind=kind, org_id=org_id, is_demo=True)
    return organisations


def _load_accounts(organisations: dict[str, Organisation]) -> None:
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(account.email, DEMO_PASSWORD, full_name=f"Demo {account.label.lower()}")
        user.is_demo = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        confirm_email(user)
        if account.role != "resident":
            grant_membership(
                user=user,
                role=account.role,
                organisation=organisations[account.organisation] if account.organisation else None,
            )
