"""The demo borough's forums and events: two ward councillors, a resident forum in each locality over the next two
months, a Big Conversation pitch event, a focus group, a drop-in about the high street plan (if the consultations
demo has it), a past forum with its notes published, and a few sign-ups. Safe to run again: rows are found by
their titles and emails, and upcoming dates move with today."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import confirm_email, grant_membership
from commonweal.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from commonweal.places.models import CouncilArea, Locality, Ward

from ..models import Consultation, Councillor, Event
from ..models_forums import Invitation, Signup
from .services import hash_token

DEPARTMENT = "Community and Housing"  # the demo officer's department (home/demo_data.py)
# (email, full name, party, ward)
COUNCILLORS = [
    (f"councillor@{DEMO_EMAIL_DOMAIN}", "Cllr Demo Figge's Marsh", "Independent", "Figge's Marsh"),
    (f"councillor.abbey@{DEMO_EMAIL_DOMAIN}", "Cllr Demo Abbey", "Independent", "Abbey"),
]
# Each locality's forum: (locality, the ward it meets in, venue, address, days from today)
FORUMS = [
    ("Mitcham", "Figge's Marsh", "Mitcham Library (demo)", "157 London Road, Mitcham CR4 2YR", 9),
    ("Wimbledon", "Abbey", "Wimbledon Community Centre (demo)", "28 St George's Road, London SW19 4DP", 16),
    ("Morden", "St Helier", "St Helier Community Hall (demo)", "Middleton Road, Morden SM4 6RS", 23),
    ("Colliers Wood and the Wandle", "Colliers Wood", "Colliers Wood Library (demo)", "Colliers Wood SW19 2HR", 30),
    ("East Merton pilot area", "Pollards Hill", "Pollards Hill Hub (demo)", "Recreation Way, Mitcham CR4 1NP", 44),
]
SIGNUPS = [
    ("Demo resident", f"resident@{DEMO_EMAIL_DOMAIN}", "A hearing loop, please."),
    ("Priya Shah (demo)", f"priya@{DEMO_EMAIL_DOMAIN}", ""),
    ("Tom Okafor (demo)", f"tom@{DEMO_EMAIL_DOMAIN}", "I use a wheelchair."),
]
PAST_NOTES = (
    "About 40 residents came, with both ward councillors.\n\n"
    "What we heard: the crossing by the library is the most pressing problem; people want more benches on the "
    "green; the litter pickers need somewhere to store their kit.\n\n"
    "What happens next: Highways will look at the crossing and report back at the next forum. The council will "
    "talk to the litter pickers about storage in the library."
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _councillors(wards: dict[str, Ward]) -> list[Councillor]:
    made = []
    for email, name, party, ward_name in COUNCILLORS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
        user.is_demo = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        confirm_email(user)
        grant_membership(user=user, role=Role.COUNCILLOR)
        councillor, _ = Councillor.objects.update_or_create(user=user, defaults={"party": party})
        if ward_name in wards:
            councillor.wards.set([wards[ward_name]])
        made.append(councillor)
    return made


def _event(title: str, **fields: object) -> Event:
    found, _ = Event.objects.update_or_create(title=title, defaults={"status": Event.Status.PUBLISHED, **fields})
    return found


def load(council: CouncilArea) -> dict[str, int]:
    """Add this area's demo rows; returns what it added, counted, for make demo to print."""
    wards = {w.name: w for w in Ward.objects.filter(council=council)}
    localities = {x.name: x for x in Locality.objects.filter(council=council)}
    department = Organisation.objects.filter(name=DEPARTMENT).first()
    councillors = _councillors(wards)
    today = timezone.localdate()
    access = {"step_free": True, "hearing_loop": True, "accessible_toilet": True}
    events: list[Event] = []
    for locality, ward, venue, address, days in FORUMS:
        day = today + timedelta(days=days)
        events.append(
            _event(
                f"{locality} resident forum",
                kind=Event.Kind.FORUM,
                description=f"Meet your ward councillors and council officers, and say what matters in {locality}.",
                starts_at=_at(day, 18, 30),
                ends_at=_at(day, 20, 0),
                ward=wards.get(ward),
                locality=localities.get(locality),
                venue_name=venue,
                venue_address=address,
                accessibility="Step-free from the street. Tea and biscuits. Children are welcome.",
                capacity=60,
                department=department,
                **access,
            )
        )
    pitch_day = today + timedelta(days=37)
    events.append(
        _event(
            "Big Conversation: pitch your idea for Morden",
            kind=Event.Kind.BIG_CONVERSATION,
            description="Residents and groups pitch ideas for the neighbourhood to the people who decide. "
            "Five minutes each, then questions.",
            starts_at=_at(pitch_day, 10, 0),
            ends_at=_at(pitch_day, 13, 0),
            ward=wards.get("St Helier"),
            locality=localities.get("Morden"),
            venue_name="Morden Civic Centre (demo)",
            venue_address="London Road, Morden SM4 5DX",
            bsl=True,
            capacity=120,
            department=department,
            **access,
        )
    )
    focus_day = today + timedelta(days=20)
    events.append(
        _event(
            "Focus group: young people and green spaces",
            kind=Event.Kind.FOCUS_GROUP,
            description="For people aged 16 to 24: what would make the parks somewhere you want to be?",
            starts_at=_at(focus_day, 17, 0),
            ends_at=_at(focus_day, 18, 30),
            ward=wards.get("Pollards Hill"),
            locality=localities.get("East Merton pilot area"),
            venue_name="Pollards Hill Youth Football clubhouse (demo)",
            venue_address="Donnelly Green, Mitcham CR4 1NP",
            accessibility="Quiet room available. Food provided.",
            capacity=12,
            department=department,
            step_free=True,
        )
    )
    high_street = Consultation.objects.filter(slug="high-street-plan").first()
    if high_street is not None:
        drop_day = today + timedelta(days=12)
        events.append(
            _event(
                f"Drop-in: {high_street.title}",
                kind=Event.Kind.CONSULTATION,
                description="Look at the plans, ask the team questions and fill in the consultation on paper or "
                "online. Come any time.",
                starts_at=_at(drop_day, 11, 0),
                ends_at=_at(drop_day, 15, 0),
                ward=wards.get("Figge's Marsh"),
                locality=localities.get("Mitcham"),
                consultation=high_street,
                venue_name="Mitcham Library (demo)",
                venue_address="157 London Road, Mitcham CR4 2YR",
                department=high_street.department,
                **access,
            )
        )
    past_day = today - timedelta(days=21)
    past = _event(
        "Mitcham resident forum (last month)",
        kind=Event.Kind.FORUM,
        description="Meet your ward councillors and council officers, and say what matters in Mitcham.",
        starts_at=_at(past_day, 18, 30),
        ends_at=_at(past_day, 20, 0),
        ward=wards.get("Figge's Marsh"),
        locality=localities.get("Mitcham"),
        venue_name="Mitcham Library (demo)",
        venue_address="157 London Road, Mitcham CR4 2YR",
        department=department,
        notes=PAST_NOTES,
        notes_published_at=_at(past_day + timedelta(days=3), 9, 0),
        **access,
    )
    events.append(past)
    invited = 0
    now = timezone.now()
    for event in events:
        for councillor in councillors:
            if event.ward_id is not None and councillor.wards.filter(pk=event.ward_id).exists():
                _, made = Invitation.objects.get_or_create(event=event, user=councillor.user, defaults={"sent_at": now})
                invited += made
    signed_up = 0
    for event in (events[0], past):
        for name, email, needs in SIGNUPS:
            _, made = Signup.objects.get_or_create(
                event=event,
                email=email,
                cancelled_at=None,
                defaults={"name": name, "access_needs": needs, "cancel_token": hash_token(secrets.token_urlsafe(32))},
            )
            signed_up += made
    return {"ward councillors": len(councillors), "events": len(events), "event sign-ups": signed_up}
