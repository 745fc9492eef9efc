"""The demo directory's invented tables: what it adds to the platform's own demo organisations, and the claims and
reports it leaves for officers. directory/demo.py loads them."""

from __future__ import annotations

from dataclasses import dataclass

from commonweal.accounts.models import SizeBand

from .models import Report


@dataclass(frozen=True)
class KnownOrganisation:
    """What the demo adds to one of the platform's own demo organisations (home/demo_data.py), found by name."""

    ward: str
    focus: str
    size_band: str
    description: str
    services: tuple[tuple[str, str], ...]  # (term code, template name)
    serves: tuple[str, ...] = ()  # ward names; () with everywhere=True is every ward
    everywhere: bool = False
    has_premises: bool = True


KNOWN_ORGANISATIONS: dict[str, KnownOrganisation] = {
    "Merton Voluntary Action Network (demo CVS)": KnownOrganisation(
        "Colliers Wood",
        "community-life",
        SizeBand.MEDIUM,
        "The demo borough's council for voluntary service: advice, training and funding news for local groups, "
        "and the volunteer centre. Invented for the demonstration directory.",
        (("volunteering", "Volunteer centre"), ("digital-skills", "Digital drop-in")),
        everywhere=True,
    ),
    "Wandle Valley Food Share (demo)": KnownOrganisation(
        "Colliers Wood",
        "food",
        SizeBand.SMALL,
        "Collects surplus food from shops and growers and shares it through a food bank, a larder and a café. "
        "Invented for the demonstration directory.",
        (("food-bank", "Food bank"), ("food-pantry", "Community larder"), ("community-meals", "Community café")),
        serves=("Colliers Wood", "Wandle", "Graveney"),
    ),
    "Mitcham Older People's Lunch Club (demo)": KnownOrganisation(
        "Cricket Green",
        "older-people",
        SizeBand.MICRO,
        "A hot lunch and good company for older people in Mitcham, with a tea dance once a month. "
        "Invented for the demonstration directory.",
        (("community-meals", "{day} lunch club"), ("older-people-activities", "Tea dance")),
        serves=("Cricket Green", "Figge's Marsh", "Lavender Fields"),
    ),
    "Pollards Hill Youth Football (demo)": KnownOrganisation(
        "Pollards Hill",
        "children-families",
        SizeBand.SMALL,
        "Football for boys and girls from eight to sixteen, and walking football for their grandparents. "
        "Invented for the demonstration directory.",
        (("youth", "Youth football"), ("physical-activity", "Walking football")),
        serves=("Pollards Hill", "Longthornton"),
    ),
    "St Helier Faith Kitchen (demo)": KnownOrganisation(
        "St Helier",
        "food",
        SizeBand.MICRO,
        "A weekly free supper cooked by volunteers from three congregations. Invented for the demonstration directory.",
        (("community-meals", "{day} community supper"), ("faith", "Prayer and reflection group")),
        serves=("St Helier",),
    ),
    "Figge's Marsh Litter Pickers (demo)": KnownOrganisation(
        "Figge's Marsh",
        "community-life",
        SizeBand.MICRO,
        "Neighbours who meet on the first Saturday of the month to clear litter from the streets and the common. "
        "Invented for the demonstration directory.",
        (("volunteering", "Litter pick"),),
        serves=("Figge's Marsh",),
        has_premises=False,
    ),
    "Raynes Park Knit and Natter (demo)": KnownOrganisation(
        "Raynes Park",
        "loneliness",
        SizeBand.MICRO,
        "Knitting, crochet and conversation every week. Invented for the demonstration directory.",
        (("social-groups", "Knit and natter"),),
        serves=("Raynes Park",),
        has_premises=False,
    ),
    "Community and Housing": KnownOrganisation(
        "Merton Park",
        "housing",
        "",
        "The council's housing and adult social care services (demo).",
        (
            ("homelessness", "Homelessness advice"),
            ("benefits-advice", "Benefits check by phone"),
            ("home-help", "Home from hospital support"),
        ),
        everywhere=True,
        has_premises=False,
    ),
    "Children, Lifelong Learning and Families": KnownOrganisation(
        "Merton Park",
        "children-families",
        "",
        "The council's services for children, families and adult learners (demo).",
        (
            ("early-years", "Stay and play"),
            ("holiday-activities", "Holiday activities and food"),
            ("adult-learning", "Family learning courses"),
        ),
        everywhere=True,
        has_premises=False,
    ),
    "Environment, Civic Pride and Climate": KnownOrganisation(
        "Merton Park",
        "community-life",
        "",
        "The council's parks, streets and climate team (demo).",
        (("environment", "Park volunteering morning"), ("energy-bills", "Energy advice surgery")),
        everywhere=True,
        has_premises=False,
    ),
    "Public Health": KnownOrganisation(
        "Merton Park",
        "health",
        "",
        "The council's public health team (demo).",
        (
            ("physical-activity", "Health walk"),
            ("mental-health", "Listening line"),
            ("substance-misuse", "Drug and alcohol drop-in"),
        ),
        everywhere=True,
        has_premises=False,
    ),
}

CLAIM_MESSAGES = (
    "I am the group's secretary and would like to keep our listing up to date.",
    "I run the Tuesday sessions. The times on the listing are out of date and I would like to fix them.",
    "I am a trustee; our chair asked me to look after our entry in the directory.",
)
REPORTS = (
    (Report.Reason.OUT_OF_DATE, "It moved to Thursdays in September."),
    (Report.Reason.CONTACT_WRONG, "The phone number rings a different organisation."),
    (Report.Reason.CLOSED, "The hall has been shut for repairs since the spring."),
    (Report.Reason.OTHER, "The listing says it is free but they asked me for £5."),
    (Report.Reason.NOT_IN_AREA, "This group meets outside the borough now."),
)
