"""The demo borough's consultations: `high-street-plan` open (opened three weeks ago, closes in nine), the
`green-spaces-strategy` closed four weeks ago after twelve weeks (still published: the closing area decides it),
`library-opening-hours` forthcoming (opens in two weeks), and a draft still missing its Gunning check. Each
published one is complete: its Gunning check, its equality impact assessment at launch, its questions and its
documents (small real PDFs, made with WeasyPrint). Also the school holidays the check warns about.

Dates are relative to the day the demo is loaded. Loading it again adds nothing that is already there.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.easter import easter
from django.core.files.base import ContentFile
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import create_organisation
from commonweal.places.models import CouncilArea, Ward

from ..models import (
    Characteristic,
    Consultation,
    Document,
    EngagementSettings,
    ImpactAssessment,
    Question,
    SchoolHoliday,
)

HOUSING = "Community and Housing"  # the platform's demo officer's department
PARKS = "Parks and Green Spaces (demo)"  # the Solutions Framework demo's
K = Question.Kind
C = Consultation.Status


def school_holidays(today: date) -> list[tuple[str, date, date]]:
    """Typical English school holidays for the current school year and the next: October half term,
    Christmas, February half term, Easter, May half term and summer.

    They are a starting point only: term dates are the council's own (and each academy's), so the council
    corrects them in the admin (engagement > school holidays) before relying on the check's warnings."""
    first = today.year if today.month >= 9 else today.year - 1
    rows = []
    for year in (first, first + 1):
        october = _monday_of(date(year, 10, 27))
        february = _monday_of(date(year + 1, 2, 17))
        easter_monday = easter(year + 1) + timedelta(days=1)
        last_may_monday = _monday_of(date(year + 1, 5, 31))
        label = f"{year} to {year + 1}"
        rows += [
            (f"October half term {year}", october, october + timedelta(days=4)),
            (f"Christmas holidays {label}", date(year, 12, 20), date(year + 1, 1, 3)),
            (f"February half term {year + 1}", february, february + timedelta(days=4)),
            (f"Easter holidays {year + 1}", easter_monday - timedelta(days=7), easter_monday + timedelta(days=4)),
            (f"May half term {year + 1}", last_may_monday, last_may_monday + timedelta(days=4)),
            (f"Summer holidays {year + 1}", date(year + 1, 7, 22), date(year + 1, 8, 31)),
        ]
    return rows


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _department(name: str) -> Organisation:
    found = Organisation.objects.filter(name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT).first()
    return found or create_organisation(name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT, is_demo=True)


def _officer(department: Organisation) -> User | None:
    return (
        User.objects.filter(memberships__role=Role.OFFICER, memberships__organisation=department).order_by("pk").first()
    )


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small real PDF of the document's words; WeasyPrint where installed, a minimal valid PDF otherwise."""
    try:
        from weasyprint import HTML
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency; this keeps a bare machine working
        return (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<html lang='en'><head><title>{title}</title></head>"
        f"<body style='font-family: sans-serif'><h1>{title}</h1>{body}</body></html>"
    )
    return HTML(string=html).write_pdf()


def _impacts(consultation: Consultation, negative: dict[str, tuple[str, str]]) -> None:
    evidence = "The borough profile (Census 2021) and what residents told us at the ward forums."
    rows = []
    for value in Characteristic.values:
        if value in negative:
            why, mitigation = negative[value]
            rows.append(
                ImpactAssessment(
                    consultation=consultation,
                    characteristic=value,
                    impact=ImpactAssessment.Impact.NEGATIVE,
                    evidence=why,
                    mitigations=mitigation,
                )
            )
        else:
            impact = (
                ImpactAssessment.Impact.POSITIVE
                if value in ("age", "socio_economic")
                else ImpactAssessment.Impact.NEUTRAL
            )
            rows.append(
                ImpactAssessment(consultation=consultation, characteristic=value, impact=impact, evidence=evidence)
            )
    ImpactAssessment.objects.bulk_create(rows)


def _documents(consultation: Consultation, by: User | None, words: list[str]) -> int:
    made = 0
    for kind, title, paragraphs in (
        (Document.Kind.CONSULTATION, f"{consultation.title}: the consultation document", words),
        (
            Document.Kind.EASY_READ,
            f"{consultation.title}: easy read",
            [
                consultation.summary,
                "We want to know what you think.",
                "You can answer online, on paper or at an event.",
            ],
        ),
    ):
        content = _pdf(title, paragraphs)
        document = Document(consultation=consultation, kind=kind, title=title, size=len(content), uploaded_by=by)
        document.file.save(f"{consultation.slug}-{kind}.pdf", ContentFile(content), save=False)
        document.save()
        made += 1
    return made


HIGH_STREET_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": K.SINGLE,
        "text": "Do you support the plan for the high street?",
        "required": True,
        "options": ["Yes", "No", "Not sure"],
    },
    {
        "kind": K.MULTIPLE,
        "text": "What do you go to the high street for?",
        "options": ["Shopping", "Cafes and restaurants", "The library", "The market", "Health services"],
    },
    {
        "kind": K.SCALE,
        "text": "How safe do you feel crossing the high street?",
        "scale_points": 5,
        "scale_low": "Very unsafe",
        "scale_high": "Very safe",
    },
    {
        "kind": K.RANKING,
        "text": "Put these improvements in order of importance to you",
        "options": ["More trees", "A new crossing", "More seating", "Wider pavements"],
    },
    {
        "kind": K.PIN,
        "text": "Where on the high street is it hardest to cross?",
        "hint": "Put a pin on the map, or describe the place in your own words.",
    },
    {"kind": K.TEXT, "text": "Is there anything else we should know?"},
]
GREEN_SPACES_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": K.SINGLE,
        "text": "How often do you visit a park or green space?",
        "required": True,
        "options": ["Every day", "Every week", "Every month", "Less often"],
    },
    {
        "kind": K.SCALE,
        "text": "How satisfied are you with your nearest green space?",
        "scale_points": 5,
        "scale_low": "Very dissatisfied",
        "scale_high": "Very satisfied",
    },
    {
        "kind": K.MULTIPLE,
        "text": "Which should the strategy put first?",
        "options": ["Play areas", "Trees and wildlife", "Sports pitches", "Toilets and cafes", "Safety and lighting"],
    },
    {"kind": K.TEXT, "text": "What would make you use green spaces more?"},
    {"kind": K.TEXT, "text": "What do you value most about the green spaces near you?"},
]


def _consultation(
    *,
    slug: str,
    title: str,
    department: Organisation,
    opens_on: date,
    closes_on: date,
    wards: list[Ward],
    questions: list[dict[str, Any]],
    summary: str,
    proposal: str,
    options_open: str,
    status: str,
    negative: dict[str, tuple[str, str]],
) -> tuple[Consultation, int]:
    officer = _officer(department)
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=slug,
        title=title,
        summary=summary,
        proposal=proposal,
        options_open=options_open,
        background="The council's framework asks every service to work with residents before it decides.",
        department=department,
        created_by=officer,
        contact_email="haveyoursay@demo.commonweal.test",
        affected_people="People who work in, shop in or visit the area.",
        opens_on=opens_on,
        closes_on=closes_on,
        decision_maker="Cabinet",
        decision_due_on=closes_on + timedelta(weeks=10),
        formative_statement="No decision has been made. The options set out are proposals, and what people tell "
        "us can change them or add new ones.",
        information_statement="The consultation document sets out the reasons for the proposal, what it would "
        "cost, and its likely impacts, with an easy read version.",
        consideration_plan="Every response is read. Free-text answers are tagged by theme, and a report of what "
        "people said goes to Cabinet with the decision paper.",
        considered_by="The service's project team, then Cabinet",
        gunning_completed_at=now if status != C.DRAFT else None,
        gunning_completed_by=officer if status != C.DRAFT else None,
        status=status,
        published_at=now if status != C.DRAFT else None,
        published_by=officer if status != C.DRAFT else None,
    )
    consultation.wards.set(wards)
    Question.objects.bulk_create(
        Question(consultation=consultation, position=n, **fields) for n, fields in enumerate(questions, start=1)
    )
    made = 0
    if status != C.DRAFT:
        _impacts(consultation, negative)
        made = _documents(consultation, officer, [summary, proposal, options_open])
    return consultation, made


def load(council: CouncilArea) -> dict[str, int]:
    """Add the demo consultations and school holidays; returns what it added, counted."""
    EngagementSettings.current()
    today = timezone.localdate()
    holidays = 0
    for name, starts_on, ends_on in school_holidays(today):
        _, created = SchoolHoliday.objects.get_or_create(
            name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        holidays += created
    wards = list(Ward.objects.filter(council=council).order_by("name"))
    housing, parks = _department(HOUSING), _department(PARKS)
    consultations = documents = 0
    plans: list[dict[str, Any]] = [
        {
            "slug": "high-street-plan",
            "title": "Our plan for the high street",
            "department": housing,
            "opens_on": today - timedelta(weeks=3),
            "closes_on": today + timedelta(weeks=9),
            "wards": wards[:3],
            "questions": HIGH_STREET_QUESTIONS,
            "summary": "We want to make the high street greener, safer to cross and better for local shops. Tell "
            "us what you think of our plan before Cabinet decides.",
            "proposal": "Widen the pavements outside the library and the market, plant 40 street trees, add a "
            "zebra crossing by the station and more seating, paid for by the council's regeneration budget.",
            "options_open": "Where the crossing goes, which trees are planted and where the seating goes are all "
            "open. We could also do less, or nothing.",
            "status": C.PUBLISHED,
            "negative": {
                "disability": (
                    "Building works may block pavements for wheelchair users for up to six weeks.",
                    "A step-free route is kept open at all times, with signs in large print.",
                )
            },
        },
        {
            "slug": "green-spaces-strategy",
            "title": "Green spaces strategy",
            "department": parks,
            "opens_on": today - timedelta(weeks=16) + timedelta(days=1),
            "closes_on": today - timedelta(weeks=4),
            "wards": wards[3:6],
            "questions": GREEN_SPACES_QUESTIONS,
            "summary": "Our draft strategy for the borough's parks and green spaces for the next ten years: what "
            "to protect, what to improve and how to pay for it.",
            "proposal": "Protect every existing park, plant 2,000 trees, improve play areas in the wards with the "
            "fewest, and open two new community gardens, paid for partly by developers' contributions.",
            "options_open": "Which parks come first, and whether toilets and cafes or sports pitches are the "
            "priority, are open.",
            "status": C.PUBLISHED,
            "negative": {},
        },
        {
            "slug": "library-opening-hours",
            "title": "Library opening hours",
            "department": housing,
            "opens_on": today + timedelta(weeks=2),
            "closes_on": today + timedelta(weeks=14) - timedelta(days=1),
            "wards": wards[:2],
            "questions": HIGH_STREET_QUESTIONS[:1] + HIGH_STREET_QUESTIONS[-1:],
            "summary": "Should two libraries open later on weekday evenings and close on Monday mornings instead?",
            "proposal": "Open the two busiest libraries until 8pm on Tuesdays and Thursdays and close them on "
            "Monday mornings, for the same staff hours and cost as now.",
            "options_open": "Which libraries, which evenings and which mornings are all open.",
            "status": C.PUBLISHED,
            "negative": {},
        },
        {
            "slug": "parking-permits-review",
            "title": "Parking permits review",
            "department": housing,
            "opens_on": today + timedelta(weeks=6),
            "closes_on": today + timedelta(weeks=12),
            "wards": wards[:1],
            "questions": HIGH_STREET_QUESTIONS[:1],
            "summary": "A review of residents' parking permit charges.",
            "proposal": "Change permit charges to depend on a vehicle's emissions.",
            "options_open": "",
            "status": C.DRAFT,
            "negative": {},
        },
    ]
    for plan in plans:
        if Consultation.objects.filter(slug=plan["slug"]).exists():
            continue
        _, made = _consultation(**plan)
        consultations += 1
        documents += made
    return {"consultations": consultations, "consultation documents": documents, "school holidays": holidays}
