"""The demo borough's directory: several hundred invented organisations, services and assets over its real wards.

Made by the same builder as the benchmarks (generate.py) from a fixed seed, so every load makes the same records
with the same UUIDs; a record that is already there is left alone, so loading twice changes nothing and a
demonstrator's edits survive a restart. Every record is marked `is_demo`, and every invented organisation's name
ends '(demo)'. The platform's own demo organisations (home/demo.py) get services, places and details too, and the
officers' screens get a few claims, changes and reports to work on.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.text import slugify

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.services import confirm_email
from commonweal.core.demo import DEMO_EMAIL_DOMAIN
from commonweal.places.models import CouncilArea

from .demo_data import CLAIM_MESSAGES, KNOWN_ORGANISATIONS, REPORTS, KnownOrganisation
from .generate import (
    KIND_WEIGHTS,
    SERVICE_TEMPLATES,
    DirectoryBuilder,
    OrganisationPlan,
    Row,
    ServiceTemplate,
    weighted,
)
from .models import Asset, ChangeRequest, Claim, Location, Report, Service
from .search import reindex_services

DEMO_SEED = 20251
DEMO_SOURCE = "demo"
DEMO_ORGANISATIONS = 300
DEMO_SERVICES = 620
DEMO_ASSETS_PER_WARD = 15
DEMO_VENUES_PER_WARD = 3
# Numbers for the demo's organisations start here, clear of the benchmark generator's (which start at 0).
DEMO_INDEX_OFFSET = 50_000
# Demo kinds: the platform's four council departments are already there, so no more are invented.
DEMO_KIND_WEIGHTS = tuple(
    (kind, weight) for kind, weight in KIND_WEIGHTS if kind != Organisation.Kind.COUNCIL_DEPARTMENT
)


def _template(code: str, name: str) -> ServiceTemplate:
    return next(t for t in SERVICE_TEMPLATES[code] if t.name == name)


@transaction.atomic
def load_demo_directory(council: CouncilArea) -> dict[str, int]:
    """Load the demo directory over the council's wards, or add whatever is missing; never duplicates anything.

    Returns how many demo records of each kind the directory now holds."""
    builder = DirectoryBuilder(
        council=council,
        seed=DEMO_SEED,
        source=DEMO_SOURCE,
        skip_existing=True,
        batch_size=500,
        name_suffix=" (demo)",
        points_per_ward=60,
    )
    rng = builder.rng
    wards_by_name = {ward.name: ward for ward in builder.wards}

    # The platform's own demo organisations: places, services and details (only blanks are filled in).
    known = {org.name: org for org in Organisation.objects.filter(name__in=KNOWN_ORGANISATIONS)}
    plans: list[OrganisationPlan] = []
    jobs: list[tuple[int, str, ServiceTemplate | None]] = []
    known_locations: list[tuple[OrganisationPlan, Row]] = []
    for name, about in KNOWN_ORGANISATIONS.items():
        ward = wards_by_name.get(about.ward, builder.wards[0])
        organisation = known.get(name)
        # Invent the same things whether or not the organisation is there, so the rest stays reproducible.
        location = builder.location(organisation_id=organisation.pk if organisation else None, ward_code=ward.code)
        postcode = builder.postcode(ward.code)
        phone = builder.phone()
        if organisation is None:
            continue
        _fill_in(organisation, about, postcode=postcode, phone=phone, builder=builder, wards_by_name=wards_by_name)
        plan = OrganisationPlan(id=organisation.pk, focus=about.focus, ward_code=ward.code)
        plans.append(plan)
        if about.has_premises:
            known_locations.append((plan, location))
        jobs += [(len(plans) - 1, code, _template(code, template)) for code, template in about.services]

    # Invented organisations, each with a name no other has.
    made: list[tuple[Row, str, str]] = []
    names = set(KNOWN_ORGANISATIONS)
    for index in range(DEMO_ORGANISATIONS):
        for _ in range(20):
            invented, ward_code, focus = builder.organisation(
                index=DEMO_INDEX_OFFSET + index, kind=weighted(rng, DEMO_KIND_WEIGHTS)
            )
            if invented["name"] not in names:
                break
        names.add(invented["name"])
        invented["slug"] = slugify(invented["name"])[:80]
        made.append((invented, ward_code, focus))
    served = [[ward_code, *builder.other_wards(ward_code, 2)] if rng.random() < 0.6 else [] for _, ward_code, _ in made]
    _make_room(made)
    ids, new = builder.save(Organisation, [org for org, _, _ in made])
    new_uuids = {row["uuid"] for row in new}
    links = []
    first_invented = len(plans)
    for (invented, ward_code, focus), ward_codes in zip(made, served, strict=True):
        plans.append(OrganisationPlan(id=ids[invented["uuid"]], focus=focus, ward_code=ward_code))
        if invented["uuid"] in new_uuids:
            links += [
                {"organisation_id": ids[invented["uuid"]], "ward_id": builder.ward_by_code[code].pk}
                for code in dict.fromkeys(ward_codes)
            ]
    builder.writer.insert(Organisation.wards_served.through, links)

    # Places: community venues in every ward, and premises for most organisations.
    venues = {
        ward.code: [builder.location(organisation_id=None, ward_code=ward.code) for _ in range(DEMO_VENUES_PER_WARD)]
        for ward in builder.wards
    }
    premises = list(known_locations)
    for plan in plans[first_invented:]:
        if rng.random() < 0.65:
            premises.append((plan, builder.location(organisation_id=plan.id, ward_code=plan.ward_code)))
    location_ids, _ = builder.save(
        Location, [loc for found in venues.values() for loc in found] + [loc for _, loc in premises]
    )
    for plan, location in premises:
        plan.location_ids.append(location_ids[location["uuid"]])
    for plan in plans:
        if not plan.location_ids:
            plan.location_ids = [location_ids[rng.choice(venues[plan.ward_code])["uuid"]]]

    # Services: the known organisations' own, then the rest spread over the invented ones.
    for _ in range(DEMO_SERVICES - sum(len(about.services) for about in KNOWN_ORGANISATIONS.values())):
        index = rng.randrange(first_invented, len(plans)) if len(plans) > first_invented else 0
        leaves = builder.leaves_by_top.get(plans[index].focus) or builder.leaves
        jobs.append((index, rng.choice(leaves) if rng.random() < 0.8 else rng.choice(builder.leaves), None))
    built = builder.services_for(plans, jobs)

    assets = [builder.asset(ward_code=ward.code) for ward in builder.wards for _ in range(DEMO_ASSETS_PER_WARD)]
    builder.save(Asset, assets)
    builder.finish()

    _keep_it_true_work(rng, [org for org, _, _ in made])
    # New services are indexed; loading over an existing demo rebuilds the whole index (a few hundred services), so
    # `make demo` after an upgrade that changes what the index holds ranks every service the new way.
    reindex_services(built.service_ids or None)
    return demo_counts()


def _fill_in(
    organisation: Organisation,
    about: KnownOrganisation,
    *,
    postcode: str,
    phone: str,
    builder: DirectoryBuilder,
    wards_by_name: dict[str, Any],
) -> None:
    """Fill in the blanks of one of the platform's demo organisations; anything already there is kept."""
    changed = False
    values = {
        "description": about.description,
        "postcode": postcode,
        "size_band": about.size_band,
        "phone": phone,
        "charity_number": organisation.org_id.removeprefix("GB-CHC-")
        if organisation.org_id.startswith("GB-CHC-")
        else "",
        "company_number": organisation.org_id.removeprefix("GB-COH-")
        if organisation.org_id.startswith("GB-COH-")
        else "",
        "source": DEMO_SOURCE,
    }
    for field, value in values.items():
        if value and not getattr(organisation, field):
            setattr(organisation, field, value)
            changed = True
    if organisation.last_checked_at is None:
        organisation.last_checked_at = builder.now
        changed = True
    if changed:
        organisation.save()
    if not organisation.wards_served.exists():
        wards = builder.wards if about.everywhere else [wards_by_name[n] for n in about.serves if n in wards_by_name]
        organisation.wards_served.set(wards)


def _make_room(made: list[tuple[Row, str, str]]) -> None:
    """Give a new demo organisation another address or org-id if something else has taken its own."""
    uuids = [row["uuid"] for row, _, _ in made]
    mine = set(Organisation.objects.filter(uuid__in=uuids).values_list("uuid", flat=True))
    new = [row for row, _, _ in made if row["uuid"] not in mine]
    slugs = [row["slug"] for row in new]
    taken_slugs = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    org_ids = [row["org_id"] for row in new if row["org_id"]]
    taken_ids = set(Organisation.objects.filter(org_id__in=org_ids).values_list("org_id", flat=True))
    for index, row in enumerate(new):
        if row["slug"] in taken_slugs:
            row["slug"] = f"{row['slug'][:70]}-{index + 2}"
        if row["org_id"] in taken_ids:
            row["org_id"] = row["charity_number"] = row["company_number"] = ""


def _demo_user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name=name, is_demo=True)
    return confirm_email(user)


def _keep_it_true_work(rng: random.Random, invented: list[Row]) -> None:
    """A few claims, changes waiting for approval and reports, so the officers' screens have work in them."""
    claimants = [_demo_user(f"claimant{n}@{DEMO_EMAIL_DOMAIN}", f"Demo claimant {n}") for n in (1, 2, 3)]
    claimable = [row for row in invented if row["kind"] in {Organisation.Kind.INFORMAL_GROUP, Organisation.Kind.CIO}]
    for user, row, message in zip(claimants, rng.sample(claimable, k=3), CLAIM_MESSAGES, strict=True):
        found = Organisation.objects.filter(uuid=row["uuid"]).first()
        if found is not None and not Claim.objects.filter(organisation=found, user=user).exists():
            Claim.objects.create(organisation=found, user=user, message=message)

    # Changes a group member proposed to their own food share's services, held for an officer.
    member = User.objects.filter(email=f"group@{DEMO_EMAIL_DOMAIN}").first() or claimants[0]
    food_share = Organisation.objects.filter(name="Wandle Valley Food Share (demo)").first()
    service_type = ContentType.objects.get_for_model(Service)
    if food_share is not None:
        proposals = (
            {"description": "Emergency food parcels, now with fresh fruit and vegetables every week."},
            {"phone": "020 7946 0123", "email": "hello@wandle-food-share.example.org"},
        )
        for service, proposed in zip(food_share.services.order_by("name"), proposals, strict=False):
            if not ChangeRequest.objects.filter(content_type=service_type, object_id=service.pk).exists():
                ChangeRequest.objects.create(
                    content_type=service_type,
                    object_id=service.pk,
                    proposed=proposed,
                    previous={field: getattr(service, field) for field in proposed},
                    submitted_by=member,
                )

    # Reports from the public about a few published listings.
    services = list(Service.objects.filter(is_demo=True, listing_status=ListingStatus.PUBLISHED).order_by("uuid")[:200])
    # Only the directory's own invented assets (source 'demo'), so another app's demo records never change the draw.
    assets = list(
        Asset.objects.filter(is_demo=True, source="demo", listing_status=ListingStatus.PUBLISHED).order_by("uuid")[:50]
    )
    targets: list[models.Model] = []
    if services:
        targets += rng.sample(services, k=min(3, len(services)))
    if assets:
        targets += rng.sample(assets, k=min(2, len(assets)))
    for target, (reason, details) in zip(targets, REPORTS, strict=False):
        kind = ContentType.objects.get_for_model(target)
        if not Report.objects.filter(content_type=kind, object_id=target.pk, reason=reason).exists():
            Report.objects.create(content_type=kind, object_id=target.pk, reason=reason, details=details)


def demo_counts() -> dict[str, int]:
    """How many demo records of each kind the directory holds now."""
    return {
        "organisations": Organisation.objects.filter(is_demo=True).count(),
        "services": Service.objects.filter(is_demo=True).count(),
        "locations": Location.objects.filter(is_demo=True).count(),
        "assets": Asset.objects.filter(is_demo=True).count(),
        "pending listings": sum(
            model.objects.filter(is_demo=True, listing_status=ListingStatus.PENDING).count()
            for model in (Organisation, Service, Asset)
        ),
        "claims waiting": Claim.objects.filter(status=Claim.Status.PENDING, organisation__is_demo=True).count(),
        "changes waiting": ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count(),
        "open reports": Report.objects.filter(status=Report.Status.OPEN).count(),
    }
