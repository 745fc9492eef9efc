"""The demo borough's Solutions Framework: routing rules to council departments with the demo champion, blockages
modelled on Sefton's case studies (the three conifers for a 'communitree' lost between departments, the park
project stalled on unclear rules) and a dozen everyday ones in every state, some late and escalated, a case
study from a closed one, and a community asset transfer at its sign-offs (Sefton's took 24 months).

Everything moves by the real steps: `steps.route` when raised and `steps.take_step` for each step, dated back
with `now=`, so histories, clocks and breaches are what the platform itself would have recorded; the daily
breach task is run as of a fortnight ago and as of today. Loading twice adds nothing: a demo blockage is known by
its title, the transfer by its asset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import confirm_email, create_organisation, grant_membership
from commonweal.core import workdays
from commonweal.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from commonweal.core.workflow import take
from commonweal.places.models import CouncilArea, Ward

from . import clock
from .escalation import escalate_late_blockages
from .models import (
    AssetTransfer,
    Blockage,
    BlockageEvent,
    CaseStudy,
    Category,
    Escalation,
    SignOff,
    TransferEvent,
)
from .steps import route, take_step
from .workflows import TRANSFER

PARKS = "Parks and Green Spaces (demo)"
HIGHWAYS = "Highways (demo)"
ESTATES = "Estates and Property (demo)"
LEGAL = "Legal Services (demo)"
FINANCE = "Finance (demo)"
LICENSING = "Licensing and Events (demo)"
COMMUNITY = "Community and Housing"  # the demo officer's department (home/demo_data.py)
DEPARTMENTS = [PARKS, HIGHWAYS, ESTATES, LEGAL, FINANCE, LICENSING]

FOOD_SHARE = "Wandle Valley Food Share (demo)"
LITTER_PICKERS = "Figge's Marsh Litter Pickers (demo)"
KNITTERS = "Raynes Park Knit and Natter (demo)"
CVS = "Merton Voluntary Action Network (demo CVS)"

# (name, what it covers, departments, with the champion?)
CATEGORIES: list[tuple[str, str, list[str], bool]] = [
    (
        "Trees and planting",
        "Planting, looking after or decorating trees on streets and in parks.",
        [PARKS, HIGHWAYS],
        True,
    ),
    ("Use of parks and green spaces", "Projects, events and works in a park.", [PARKS, LICENSING, FINANCE], True),
    ("Community buildings and halls", "Booking, running or taking on a council building.", [ESTATES, COMMUNITY], True),
    (
        "Street parties and road closures",
        "Closing a road for a party, a fair or a play street.",
        [HIGHWAYS, LICENSING],
        True,
    ),
    ("Insurance and risk assessments", "What cover or paperwork the council asks of a group.", [FINANCE], False),
    ("Licences and permissions", "Licences for events, stalls, music or food.", [LICENSING], False),
]

# Each step: (name, working days after the one before, note).
Step = tuple[str, int, str]


@dataclass
class Story:
    title: str
    description: str
    category: str
    ward: str
    raised_days_ago: int
    steps: list[Step] = field(default_factory=list)
    council_process: str = ""
    tried: str = ""
    would_help: str = ""
    group: str = ""  # raised for this group by the demo group member; else a resident
    show_raiser: bool = False
    closing: dict[str, str] = field(default_factory=dict)
    join_to: str = ""


ACK: Step = ("acknowledge", 3, "")
CONIFERS = "Three conifers for a living Christmas tree on the high street"
STORIES: list[Story] = [
    Story(
        CONIFERS,
        "The council no longer pays for the Christmas tree, so we proposed planting three conifers on the "
        "pavement as 'communitrees': decorated and lit at Christmas, a notice board the rest of the year. Local "
        "businesses offered to plant and light them for free. We have been passed between departments since.",
        "Trees and planting",
        "Wimbledon Park",
        150,
        [
            ACK,
            ("agree_steps", 6, "Parks will plant in the park corner; Highways checks the two pavement sites."),
            ("start", 4, ""),
            ("resolve", 25, "One communitree is planted in the park; the pavement sites' ownership was settled."),
            ("share_learning", 6, ""),
        ],
        council_process="Who owns two of the three sites, and the rule that only council-licensed contractors plant.",
        tried="Asked Parks, Highways and the ward councillors; each said it was another department's land.",
        would_help="One person at the council who can answer for every department.",
        group=LITTER_PICKERS,
        show_raiser=True,
        closing={
            "outcome": "A communitree was planted in the park, not on the pavement; the businesses stayed involved.",
            "change": Blockage.Change.PROCESS,
            "change_detail": "Tree requests that touch more than one department now go to a named champion.",
            "reflection": "Had a champion been named on day one, all three trees would have been planted by Christmas.",
        },
    ),
    Story(
        "Park restoration pilot stalled: nobody can say how the £20,000 may be spent",
        "Our friends group and the council agreed a £20,000 pilot to restore the old rose garden. The contractor's "
        "site clearance cost more than expected and the rules on spending the rest were never clear, so the "
        "community group doing the planting has stopped.",
        "Use of parks and green spaces",
        "Cannon Hill",
        70,
        [
            ACK,
            ("agree_steps", 8, "Finance will set out in writing what the pilot budget may pay for."),
            ("start", 3, ""),
        ],
        council_process="The rules for spending a capital pilot budget with a community organisation.",
        tried="Asked the park officer twice and the finance business partner once.",
        would_help="A written answer on what the rest of the money can pay for, and a simpler bidding process.",
        group=FOOD_SHARE,
    ),
    Story(
        "Hall booking rule stops our weekly lunch club",
        "The community centre will only take bookings a term ahead and paid in full, which our lunch club cannot do.",
        "Community buildings and halls",
        "Figge's Marsh",
        40,
        [ACK, ("agree_steps", 5, "We will check whether the booking rule can allow monthly payment.")],
        council_process="Bookings a term in advance, paid in full.",
        would_help="Monthly booking and payment for regular community groups.",
        group=FOOD_SHARE,
    ),
    Story(
        "Insurance for a litter pick",
        "We were told we need £5 million public liability insurance to pick litter on the common once a month.",
        "Insurance and risk assessments",
        "Lavender Fields",
        30,
        [ACK, ("agree_steps", 4, "Finance will confirm whether the council's own cover applies to volunteers.")],
        tried="Asked three insurers; the cheapest quote is £240 a year.",
        would_help="Clear guidance on when a group's own insurance is needed.",
        group=LITTER_PICKERS,
    ),
    Story(
        "Road closure for a street party on Kings Road",
        "We want to close our road for a street party for the coronation anniversary; the form asks for a traffic "
        "management plan we cannot write.",
        "Street parties and road closures",
        "Abbey",
        9,
        [ACK],
        would_help="A simple form for quiet residential streets, as other councils have.",
    ),
    Story(
        "Licence for a knitting stall at the summer fair",
        "Do we need a street trading licence to sell knitted goods for charity at the fair?",
        "Licences and permissions",
        "Raynes Park",
        3,
        [],
        group=KNITTERS,
    ),
    Story(
        "Play street on Saturday mornings",
        "Families want a regular play street; the council says each closure needs a separate application.",
        "Street parties and road closures",
        "Colliers Wood",
        45,
        [
            ACK,
            ("agree_steps", 10, "Highways and Licensing will look at one application for a year of closures."),
            ("start", 2, ""),
            ("wait", 3, "Please send the dates you would like and the names of two stewards."),
        ],
    ),
    Story(
        "Risk assessment form for a toddler group in the park",
        "The council's risk assessment form is 14 pages long for a toddler group meeting on the grass.",
        "Insurance and risk assessments",
        "Ravensbury",
        90,
        [
            ACK,
            ("agree_steps", 5, "Finance will publish a one-page form for low-risk activities."),
            ("start", 2, ""),
            ("resolve", 20, "A one-page form for low-risk activities is now on the website."),
        ],
        closing={
            "outcome": "A one-page risk assessment for low-risk activities.",
            "change": Blockage.Change.GUIDANCE,
            "change_detail": "New one-page guidance and form for low-risk outdoor activities.",
            "reflection": "We could have asked groups what they needed before writing the long form.",
        },
    ),
    Story(
        "Music licence for a community choir in the library",
        "We were told we need a premises licence to sing in the library on a weekday evening.",
        "Licences and permissions",
        "Merton Park",
        80,
        [
            ACK,
            ("agree_steps", 5, "Licensing will check whether the library's own licence covers the choir."),
            (
                "not_resolvable",
                15,
                "The library's licence does not cover evening events and it cannot be changed this year.",
            ),
        ],
        closing={
            "outcome": "Not resolvable this year: the library's licence is set until its renewal.",
            "change": Blockage.Change.NOTHING,
            "reflection": "Telling the choir sooner would have let them find another hall in time.",
        },
    ),
    Story(
        "Keys to the community garden shed",
        "Only one council officer holds the keys to the shed with our tools, and she works part time.",
        "Use of parks and green spaces",
        "Pollards Hill",
        35,
        [],
        group=FOOD_SHARE,
    ),
    Story(
        "Bins for the litter pick are collected a week late",
        "Full bags from our monthly pick sit on the common for a week before anyone collects them.",
        "Street parties and road closures",
        "Longthornton",
        25,
        [ACK],
        group=LITTER_PICKERS,
    ),
    Story(
        "Planting bulbs on the verge outside the school",
        "Children want to plant bulbs on the grass verge; nobody knows whether it is Highways' or Parks' verge.",
        "Trees and planting",
        "West Barnes",
        20,
        [ACK, ("agree_steps", 4, "Parks will look after the verge planting; Highways has agreed.")],
    ),
    Story(
        "Conifers on the high street: asking again",
        "Is anything happening about the living Christmas trees?",
        "Trees and planting",
        "Wimbledon Park",
        140,
        [("join", 2, "The same request as the three conifers already being dealt with.")],
        join_to=CONIFERS,
    ),
    Story(
        "Using the park for a food share pop-up",
        "We would like to run a fortnightly food share stall by the park café.",
        "Use of parks and green spaces",
        "Cannon Hill",
        55,
        [ACK, ("agree_steps", 5, "Parks and Licensing will agree a standing permission.")],
        group=FOOD_SHARE,
    ),
]

TRANSFER_ASSET = "Cannon Hill Pavilion (demo)"


def _person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, is_demo=True)
    return confirm_email(user)


def _department(name: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or create_organisation(name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT, is_demo=True)


def _officer(department: Organisation) -> User:
    """The demo officer of a department (Community and Housing already has the platform's demo officer)."""
    existing = (
        User.objects.filter(memberships__role=Role.OFFICER, memberships__organisation=department).order_by("pk").first()
    )
    if existing is not None:
        return existing
    base = department.name.removesuffix(" (demo)")
    user = _person(f"{slugify(base)}@{DEMO_EMAIL_DOMAIN}", f"Demo {base} officer")
    grant_membership(user=user, role=Role.OFFICER, organisation=department)
    return user


def _role_holder(role: str, email: str, name: str) -> User:
    user = (
        User.objects.filter(memberships__role=role, email=email).first()
        or User.objects.filter(memberships__role=role).order_by("pk").first()
    )
    if user is None:
        user = _person(email, name)
        grant_membership(user=user, role=role, organisation=None)
    return user


def _working_day(day: date) -> date:
    return workdays.next_working_day(day, clock.nation())


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def load_demo_solutions(council: CouncilArea | None = None) -> dict[str, int]:
    """Load the demo's rules, blockages and asset transfer, or leave what is there; returns what it holds."""
    # The steps and the breach task email the people involved once this commits; the demo's people are invented
    # and `make demo` would print every one of those emails, so the demo's are dropped before it commits.
    queued = len(connection.run_on_commit)
    departments = {name: _department(name) for name in [*DEPARTMENTS, COMMUNITY]}
    officers = {name: _officer(d) for name, d in departments.items()}
    champion = _role_holder(Role.CHAMPION, f"champion@{DEMO_EMAIL_DOMAIN}", "Demo champion")
    steward = _role_holder(Role.STEWARD, f"steward@{DEMO_EMAIL_DOMAIN}", "Demo steward")
    group_member = _person(f"group@{DEMO_EMAIL_DOMAIN}", "Demo group member")
    resident = _person(f"resident@{DEMO_EMAIL_DOMAIN}", "Demo resident")
    categories = _categories(departments, champion)
    wards = {w.name: w for w in Ward.objects.filter(council=council)} if council else {}
    made = {s.title: b for s in STORIES if (b := Blockage.objects.filter(is_demo=True, title=s.title).first())}
    new = [s for s in STORIES if s.title not in made]
    today = clock.today()
    for story in new:
        made[story.title] = _tell(
            story,
            categories=categories,
            wards=wards,
            officers=officers,
            champion=champion,
            steward=steward,
            group_member=group_member,
            resident=resident,
            made=made,
            today=today,
        )
    if new:
        # The daily task as it ran a fortnight ago, then today: some late cases went to the champion, the
        # longest-late on to the stewards.
        for day in (_working_day(today - timedelta(days=14)), today):
            started = timezone.now()
            escalate_late_blockages(today=day)
            Escalation.objects.filter(at__gte=started).update(at=_at(day, 7))
        _case_study(made[CONIFERS], champion)
    _transfer(departments, champion, steward, group_member, today)
    del connection.run_on_commit[queued:]
    return {
        "categories": Category.objects.count(),
        "blockages": Blockage.objects.filter(is_demo=True).count(),
        "escalations": Escalation.objects.filter(blockage__is_demo=True).count(),
        "asset transfers": AssetTransfer.objects.filter(is_demo=True).count(),
    }


def _categories(departments: dict[str, Organisation], champion: User) -> dict[str, Category]:
    found = {}
    for position, (name, description, names, with_champion) in enumerate(CATEGORIES, start=1):
        category = Category.objects.filter(name=name).first()
        if category is None:
            category = Category.objects.create(
                name=name,
                slug=slugify(name),
                description=description,
                champion=champion if with_champion else None,
                position=position,
            )
            category.departments.set([departments[n] for n in names])
        found[name] = category
    return found


def _tell(story: Story, **k: Any) -> Blockage:
    """Raise the blockage as its raiser would have, then take each of its steps on the day it happened."""
    today: date = k["today"]
    raised_on = _working_day(today - timedelta(days=story.raised_days_ago))
    category: Category = k["category"] if "category" in k else k["categories"][story.category]
    group = Organisation.objects.filter(name=story.group).first() if story.group else None
    raiser: User = k["group_member"] if group else k["resident"]
    blockage = Blockage.objects.create(
        title=story.title,
        description=story.description,
        council_process=story.council_process,
        tried=story.tried,
        would_help=story.would_help,
        category=category,
        ward=k["wards"].get(story.ward),
        raised_by=raiser,
        organisation=group,
        raiser_name=raiser.full_name,
        raiser_email=raiser.email,
        show_raiser=story.show_raiser,
        raised_at=_at(raised_on, 9),
        confirmed_at=_at(raised_on, 9),
        is_demo=True,
    )
    route(blockage, now=_at(raised_on, 9))
    if story.join_to:
        Blockage.objects.filter(pk=blockage.pk).update(joined_to=k["made"][story.join_to])
    first = category.departments.order_by("name").first()
    department_officer: User = k["officers"][first.name] if first else k["steward"]
    day = raised_on
    for name, after, note in story.steps:
        day = workdays.add(day, after, clock.nation())
        if day > today:
            day = today
        if name in {"resolve", "not_resolvable"} and story.closing:
            Blockage.objects.filter(pk=blockage.pk).update(**story.closing)
        by = department_officer
        if name == "share_learning":
            by = k["champion"] if blockage.champion_id == k["champion"].pk else k["steward"]
        blockage = take_step(
            blockage=Blockage.objects.get(pk=blockage.pk), name=name, by=by, note=note, now=_at(day, 11)
        )
    return blockage


def _case_study(blockage: Blockage, champion: User) -> None:
    if CaseStudy.objects.filter(blockage=blockage).exists():
        return
    CaseStudy.objects.create(
        blockage=blockage,
        title="The communitrees: three conifers, two departments and a champion",
        opportunity="With the Christmas tree no longer funded, residents proposed three conifers as living "
        "Christmas trees and year-round notice boards, planted and lit for free by local businesses.",
        challenge="Two of the three sites had no clear owner between Parks and Highways, and only council-licensed "
        "contractors could plant, even when others offered to do it free.",
        outcome="With a champion named, one communitree was planted in the park within a few weeks and the "
        "businesses stayed on board.",
        learning_for="A named champion across departments; one answer to the community instead of three.",
        learning_against="The pavement sites were lost to the months before a champion was named.",
        is_published=True,
        written_by=champion,
    )


def _transfer(
    departments: dict[str, Organisation], champion: User, steward: User, group_member: User, today: date
) -> None:
    """The pavilion in Cannon Hill park: interest 14 months ago, supported by the CVS, a business case, and now at
    its sign-offs: estates has signed, legal is late, finance is due next month."""
    from commonweal.directory.models import Asset

    if AssetTransfer.objects.filter(is_demo=True, asset__name=TRANSFER_ASSET).exists():
        return
    estates = departments[ESTATES]
    asset = Asset.objects.filter(name=TRANSFER_ASSET).first() or Asset.objects.create(
        kind=Asset.Kind.SPACE,
        space_kind=Asset.SpaceKind.HALL,
        name=TRANSFER_ASSET,
        description="A 1930s park pavilion with a hall, a kitchen and changing rooms, closed since 2022.",
        organisation=estates,
        ward=Ward.objects.filter(name="Cannon Hill").first(),
        capacity=60,
        is_demo=True,
    )
    group = Organisation.objects.filter(name=FOOD_SHARE).first() or create_organisation(
        name=FOOD_SHARE, kind=Organisation.Kind.REGISTERED_CHARITY, is_demo=True
    )
    if not Membership.objects.filter(user=group_member, organisation=group, role=Role.GROUP_MEMBER).exists():
        grant_membership(user=group_member, role=Role.GROUP_MEMBER, organisation=group)
    started = _working_day(today - timedelta(days=425))
    transfer = AssetTransfer.objects.create(
        asset=asset,
        organisation=group,
        support_body=Organisation.objects.filter(name=CVS).first(),
        proposed_use="A community kitchen and food share, with the hall for lunch clubs and youth football teas.",
        community_benefit="Hot meals for 200 households a week and a warm space in a ward with none.",
        champion=champion,
        started_at=_at(started),
        stage_started_at=_at(started),
        created_by=group_member,
        is_demo=True,
    )
    country = clock.nation()
    story = [
        ("offer_support", 30, champion, "The CVS will help the group with governance and the business case."),
        ("ask_for_business_case", 120, champion, "Ready for a business case, with a condition survey."),
        (
            "request_sign_offs",
            150,
            champion,
            "Business case and five-year budget received: sent to estates, legal and finance.",
        ),
    ]
    day = started
    for name, after, by, note in story:
        day = workdays.add(day, after, country)
        before = transfer.status
        take(TRANSFER, transfer, name, by=by, reason=note)
        AssetTransfer.objects.filter(pk=transfer.pk).update(stage_started_at=_at(day))
        TransferEvent.objects.filter(transfer=transfer, transition=name, from_status=before).update(at=_at(day, 11))
    days = clock.standards()["sign_off"]
    requested = day
    for kind, department, outcome in (
        (SignOff.Kind.ESTATES, estates, SignOff.Outcome.SIGNED),
        (SignOff.Kind.LEGAL, departments[LEGAL], SignOff.Outcome.WAITING),
        (SignOff.Kind.FINANCE, departments[FINANCE], SignOff.Outcome.WAITING),
    ):
        due = workdays.add(requested, days, country)
        if kind == SignOff.Kind.FINANCE:
            due = workdays.add(today, 15, country)  # asked again after the business case was revised
        SignOff.objects.create(
            transfer=transfer,
            kind=kind,
            department=department,
            outcome=outcome,
            requested_at=_at(requested),
            due_on=due,
            decided_at=_at(workdays.add(requested, 12, country)) if outcome == SignOff.Outcome.SIGNED else None,
            decided_by=_officer(estates) if outcome == SignOff.Outcome.SIGNED else None,
            note="Condition survey accepted; repairs costed at £48,000." if outcome == SignOff.Outcome.SIGNED else "",
        )


def demo_blockage_events() -> int:
    return BlockageEvent.objects.filter(blockage__is_demo=True).count()
