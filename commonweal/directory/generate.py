"""Invented directories: the plausible services, organisations and assets the demo and the benchmarks are made of.

`generate_directory()` fills a council's wards with a directory at benchmark scale (30,000 organisations and
100,000 services by default) in batches, in well under a minute. The demo (demo.py) uses the same tables of
service templates and the same builder at a few hundred records. Everything made here is marked `is_demo`,
and the same seed always makes the same records (their UUIDs included).
"""

from __future__ import annotations

import contextlib
import random
import time as clock
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connection, models, transaction
from django.utils.text import slugify
from shapely.geometry import Point, shape
from shapely.prepared import prep

from commonweal.accounts.models import ListingStatus, Organisation, SizeBand
from commonweal.core.bulk import BulkWriter
from commonweal.core.money import pounds
from commonweal.places.models import CouncilArea, Postcode, Ward

from .models import Asset, CostOption, Location, Schedule, Service, ServiceAtLocation, TaxonomyTerm
from .search import reindex_services
from .vocabulary import load_starter_vocabulary

DAYS = (("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"), ("FR", "Friday"))
WEEKEND = (("SA", "Saturday"), ("SU", "Sunday"))
WEEKDAYS = "MO,TU,WE,TH,FR"


@dataclass(frozen=True)
class ServiceTemplate:
    """A kind of service a community directory is full of. `{day}` in the name becomes the day it runs."""

    name: str
    description: str
    hours: tuple[int, int] = (10, 12)
    ages: tuple[int | None, int | None] = (None, None)
    cost: tuple[Decimal, str] | None = None  # (amount, what it is for); None is free
    delivery: str = "P"  # any of P (in person), T (by phone), O (online)
    weekdays: bool = False  # open every weekday rather than one day a week
    eligibility: str = ""
    how: str = ""


def _t(name: str, description: str, **extra: Any) -> ServiceTemplate:
    return ServiceTemplate(name, description, **extra)


# Leaf term of the starter vocabulary -> the services that term is usually made of, in British English.
SERVICE_TEMPLATES: dict[str, tuple[ServiceTemplate, ...]] = {
    "food-bank": (
        _t(
            "Food bank",
            "Emergency food parcels with at least three days of nutritionally balanced food. "
            "Bring a referral voucher from your GP, Citizens Advice or a support worker, or ask us how to get one.",
            hours=(10, 13),
            eligibility="People in a crisis who cannot afford food. A referral is needed.",
            how="Bring your referral voucher. If you do not have one, come anyway and we will help you get one.",
        ),
        _t(
            "Emergency food parcels",
            "Food parcels to collect, or delivered to people who are housebound. "
            "We also give toiletries, nappies and baby food when we have them.",
            hours=(11, 14),
            delivery="PT",
            how="Call us or ask a support worker to refer you.",
        ),
        _t(
            "{day} food bank drop-in",
            "Come in, have a cup of tea and collect a food parcel. "
            "Volunteers can also help you find advice on benefits and debt.",
            hours=(13, 15),
        ),
    ),
    "community-meals": (
        _t(
            "{day} lunch club",
            "A hot two-course lunch, good company and a raffle. "
            "Transport can be arranged for people who find it hard to get here.",
            hours=(12, 14),
            cost=(Decimal("4.00"), "A two-course meal"),
            how="Just turn up, or call ahead if you need transport.",
        ),
        _t(
            "Community café",
            "Pay what you can for a hot meal, tea and cake. Everyone is welcome and nobody asks questions.",
            hours=(10, 15),
        ),
        _t(
            "{day} community supper",
            "A free hot meal cooked by volunteers from good food that would otherwise go to waste.",
            hours=(18, 20),
        ),
    ),
    "food-pantry": (
        _t(
            "Community larder",
            "Members pay a small amount each week and choose ten or more items of food worth much more, "
            "including fresh fruit and vegetables.",
            hours=(14, 17),
            cost=(Decimal("3.50"), "Each visit"),
            eligibility="People who live locally and are on a low income.",
        ),
        _t(
            "Food pantry",
            "A low-cost shop for people on a low income. Joining is free; pay a small amount each visit.",
            hours=(10, 13),
            cost=(Decimal("4.00"), "Each visit"),
        ),
    ),
    "benefits-advice": (
        _t(
            "Benefits drop-in",
            "Free, confidential help to check which benefits you can claim, fill in forms and challenge "
            "decisions, including Universal Credit, PIP and Pension Credit.",
            hours=(10, 13),
            delivery="PT",
            how="Drop in, or call to book an appointment. Bring any letters you have.",
        ),
        _t(
            "Benefits check by phone",
            "A full benefits check over the phone with a trained adviser. Most calls take about 40 minutes.",
            hours=(9, 17),
            delivery="T",
            weekdays=True,
            how="Call us to book a time.",
        ),
        _t(
            "Help with Universal Credit",
            "Help to make a Universal Credit claim online, set up your journal and get ready for your first "
            "appointment at the jobcentre.",
            hours=(10, 12),
            delivery="PO",
        ),
    ),
    "debt-advice": (
        _t(
            "Debt advice clinic",
            "Free, confidential advice from a trained adviser on rent and council tax arrears, credit cards, "
            "loans and bailiffs. Bring any letters you have.",
            hours=(13, 16),
            delivery="PT",
            how="Call to book an appointment.",
        ),
        _t(
            "Money and budgeting sessions",
            "Learn to plan a budget, cut your bills and deal with debt in a small, friendly group over four weeks.",
            hours=(10, 12),
        ),
    ),
    "energy-bills": (
        _t(
            "Warm space",
            "A warm, welcoming room with hot drinks, Wi-Fi and phone charging. Stay as long as you like.",
            hours=(10, 16),
        ),
        _t(
            "Energy advice surgery",
            "Help to understand your energy bills, get on the right tariff, apply for grants and deal with "
            "prepayment meters.",
            hours=(10, 13),
            delivery="PT",
        ),
    ),
    "homelessness": (
        _t(
            "Homelessness advice",
            "Advice if you are homeless or might lose your home in the next two months, including help to talk "
            "to the council's housing team.",
            hours=(9, 17),
            delivery="PT",
            weekdays=True,
        ),
        _t(
            "Winter night shelter",
            "Emergency beds in winter for people sleeping rough, with an evening meal and breakfast.",
            hours=(19, 23),
            ages=(18, None),
            how="Referral through the street outreach team.",
        ),
        _t(
            "Street outreach",
            "Outreach workers who look for people sleeping rough and help them find somewhere safe to stay.",
            hours=(6, 10),
            delivery="T",
        ),
    ),
    "tenancy-support": (
        _t(
            "Tenancy support",
            "One-to-one help to keep your tenancy: paying rent, getting repairs done and talking to your landlord.",
            hours=(9, 17),
            ages=(18, None),
            delivery="PT",
            weekdays=True,
        ),
        _t(
            "Renters' advice session",
            "Advice for private renters about deposits, repairs, rent rises and eviction notices.",
            hours=(17, 19),
        ),
    ),
    "mental-health": (
        _t(
            "Wellbeing café",
            "A relaxed space to talk about how you are feeling with people who understand. "
            "Peer supporters are on hand. No appointment needed.",
            hours=(14, 16),
            ages=(18, None),
        ),
        _t(
            "Listening line",
            "A confidential phone line answered by trained volunteers. Call if you are struggling and want "
            "someone to talk to.",
            hours=(18, 22),
            delivery="T",
            weekdays=True,
        ),
        _t(
            "Men's mental health group",
            "A weekly peer support group for men to talk, share and support each other.",
            hours=(19, 21),
            ages=(18, None),
        ),
        _t(
            "Counselling for young people",
            "Free, confidential counselling for young people aged 11 to 25, in person or online.",
            hours=(15, 19),
            ages=(11, 25),
            delivery="PO",
        ),
    ),
    "physical-activity": (
        _t(
            "Health walk",
            "A gentle, free walk of about an hour led by trained walk leaders, finishing with a cup of tea.",
            hours=(10, 11),
        ),
        _t(
            "Chair-based exercise",
            "Seated exercise to music to build strength and balance. Suitable for people with limited mobility.",
            hours=(11, 12),
            cost=(Decimal("3.00"), "Each class"),
        ),
        _t(
            "Walking football",
            "Football at walking pace for people over 50 and anyone returning to exercise.",
            hours=(18, 19),
            ages=(50, None),
            cost=(Decimal("3.00"), "Each session"),
        ),
        _t(
            "Community yoga",
            "A beginner-friendly yoga class. Mats are provided. Pay what you can.",
            hours=(19, 20),
        ),
    ),
    "carers": (
        _t(
            "Carers' support group",
            "Meet other unpaid carers for a cup of tea, information and a break. Replacement care can be arranged.",
            hours=(10, 12),
        ),
        _t(
            "Carers' advice line",
            "Advice for unpaid carers on carer's assessments, Carer's Allowance and taking a break.",
            hours=(9, 17),
            delivery="T",
            weekdays=True,
        ),
        _t(
            "Young carers' club",
            "A club for young carers to have fun, make friends and have time for themselves.",
            hours=(16, 18),
            ages=(8, 17),
        ),
    ),
    "disability": (
        _t(
            "Disability advice service",
            "Advice on disability benefits, Blue Badges, equipment and adaptations to your home.",
            hours=(10, 16),
            delivery="PT",
            weekdays=True,
        ),
        _t(
            "Social club for adults with learning disabilities",
            "Games, music, crafts and trips for adults with learning disabilities. Support workers welcome.",
            hours=(18, 20),
            ages=(18, None),
        ),
        _t(
            "Sensory play sessions",
            "Sensory play for disabled children and their families in a calm, adapted room.",
            hours=(10, 11),
            ages=(0, 11),
        ),
    ),
    "substance-misuse": (
        _t(
            "Drug and alcohol drop-in",
            "Confidential advice and support if you are worried about your own or someone else's drinking or drug use.",
            hours=(13, 17),
            ages=(18, None),
            delivery="PT",
        ),
        _t(
            "Recovery support group",
            "A peer-led group for people in recovery from drugs or alcohol, meeting weekly.",
            hours=(19, 21),
            ages=(18, None),
        ),
    ),
    "befriending": (
        _t(
            "Telephone befriending",
            "A friendly volunteer calls you for a chat once a week, at a time that suits you.",
            hours=(10, 16),
            delivery="T",
            weekdays=True,
        ),
        _t(
            "Home visiting befriender",
            "A volunteer visits you at home each week for a chat, a walk or a trip to the shops.",
            hours=(10, 16),
            delivery="T",
            weekdays=True,
            how="Call us, or ask someone to refer you.",
        ),
    ),
    "social-groups": (
        _t(
            "{day} coffee morning", "Drop in for coffee, cake and a chat. New faces are always welcome.", hours=(10, 12)
        ),
        _t(
            "Knit and natter",
            "Bring your knitting or crochet, or learn from others, over a cup of tea.",
            hours=(14, 16),
        ),
        _t(
            "Board games evening",
            "Board games, card games and good company for adults of all ages. Games provided.",
            hours=(19, 22),
            ages=(18, None),
        ),
        _t(
            "Men's shed",
            "A workshop where men, and anyone else, make, mend and chat. Tools and wood provided.",
            hours=(10, 15),
            cost=(Decimal("2.00"), "Each visit, towards materials"),
        ),
    ),
    "older-people-activities": (
        _t(
            "Tea dance",
            "An afternoon of music, dancing and tea for older people. No partner needed.",
            hours=(14, 16),
            ages=(60, None),
            cost=(Decimal("3.00"), "Entry, with tea and cake"),
        ),
        _t(
            "Over-60s exercise class",
            "Gentle exercise for people over 60 to keep strong and steady on their feet.",
            hours=(11, 12),
            ages=(60, None),
            cost=(Decimal("2.50"), "Each class"),
        ),
        _t(
            "Memory café",
            "A friendly café for people living with dementia and their carers, with music and activities.",
            hours=(14, 16),
        ),
    ),
    "home-help": (
        _t(
            "Handyperson service",
            "Small repairs, grab rails and key safes fitted for older and disabled people. You pay only for materials.",
            hours=(9, 17),
            ages=(60, None),
            delivery="T",
            weekdays=True,
        ),
        _t(
            "Help with shopping and errands",
            "Volunteers collect shopping and prescriptions for people who cannot get out.",
            hours=(10, 14),
            delivery="T",
        ),
        _t(
            "Home from hospital support",
            "Practical help for up to six weeks after you leave hospital, to settle back in at home.",
            hours=(9, 17),
            delivery="T",
            weekdays=True,
        ),
    ),
    "early-years": (
        _t(
            "Stay and play",
            "Play, songs and stories for children under five with their parents or carers.",
            hours=(10, 12),
            ages=(0, 4),
        ),
        _t(
            "Baby and toddler group",
            "A relaxed group for babies, toddlers and their grown-ups, with toys, snacks and a chat.",
            hours=(9, 11),
            ages=(0, 3),
            cost=(Decimal("1.50"), "Each family, each session"),
        ),
        _t("Rhyme time", "Songs and rhymes for babies and toddlers.", hours=(10, 11), ages=(0, 3)),
    ),
    "parenting": (
        _t(
            "Parenting course",
            "A free ten-week course for parents of children aged 2 to 12, covering routines, behaviour and "
            "looking after yourself.",
            hours=(10, 12),
        ),
        _t(
            "Dads' group",
            "A Saturday morning group for dads and their children to play, chat and meet other dads.",
            hours=(10, 12),
        ),
        _t(
            "Breastfeeding support",
            "Drop in for help with breastfeeding from trained peer supporters.",
            hours=(13, 15),
        ),
    ),
    "youth": (
        _t(
            "Youth club",
            "Games, sport, music and trips for young people, with youth workers on hand to talk.",
            hours=(18, 21),
            ages=(11, 18),
        ),
        _t(
            "Youth football",
            "Football training and matches for boys and girls. Kit provided.",
            hours=(17, 19),
            ages=(8, 16),
        ),
        _t(
            "Mentoring for young people",
            "A trained volunteer mentor meets you every week to help with school, work or whatever matters to you.",
            hours=(16, 19),
            ages=(11, 19),
        ),
        _t(
            "Homework club",
            "A quiet space with computers and volunteer helpers for homework after school.",
            hours=(16, 18),
            ages=(8, 16),
        ),
    ),
    "holiday-activities": (
        _t(
            "Holiday activities and food",
            "Free activities and a healthy lunch in the school holidays for children who get free school meals.",
            hours=(10, 15),
            ages=(5, 16),
        ),
        _t(
            "Summer play scheme",
            "Games, crafts, sport and trips for children in the summer holidays.",
            hours=(9, 16),
            ages=(5, 12),
            cost=(Decimal("10.00"), "Each day"),
        ),
    ),
    "english-classes": (
        _t(
            "English conversation club",
            "Practise speaking English in a friendly group. All levels welcome.",
            hours=(18, 20),
            ages=(16, None),
        ),
        _t(
            "ESOL classes",
            "English for speakers of other languages, from beginners to intermediate, with a free crèche.",
            hours=(10, 12),
            ages=(16, None),
        ),
    ),
    "digital-skills": (
        _t(
            "Digital drop-in",
            "Bring your phone, tablet or laptop and a volunteer will help you get online, use email and apps, "
            "and stay safe.",
            hours=(10, 12),
        ),
        _t(
            "Tablet and data lending",
            "Borrow a tablet with free mobile data and get help to learn how to use it.",
            hours=(13, 16),
        ),
    ),
    "employment-support": (
        _t(
            "Job club",
            "Help with CVs, job searches, application forms and interview practice, with computers to use.",
            hours=(10, 13),
            ages=(16, None),
        ),
        _t(
            "Work placements for young people",
            "Paid work placements and support for young people who are not in work, education or training.",
            hours=(9, 17),
            ages=(16, 24),
            weekdays=True,
        ),
    ),
    "adult-learning": (
        _t(
            "Family learning courses",
            "Short courses for parents and carers to learn with their children: maths, cooking and crafts.",
            hours=(9, 11),
        ),
        _t(
            "Cooking on a budget",
            "A six-week course on cooking healthy meals for less.",
            hours=(18, 20),
            ages=(18, None),
        ),
    ),
    "legal-advice": (
        _t(
            "Free legal advice clinic",
            "Free half-hour appointments with a volunteer solicitor about housing, work, family and consumer problems.",
            hours=(18, 20),
            ages=(18, None),
            how="Call to book an appointment.",
        ),
        _t(
            "Employment rights advice",
            "Advice if you have a problem at work, including unfair dismissal, unpaid wages and discrimination.",
            hours=(10, 13),
            delivery="PT",
        ),
    ),
    "immigration-advice": (
        _t(
            "Immigration advice surgery",
            "Free advice from a regulated adviser on visas, settlement and the EU Settlement Scheme.",
            hours=(10, 13),
            delivery="PT",
        ),
        _t(
            "Refugee and asylum support",
            "Advice, English classes, a clothing bank and a friendly welcome for refugees and people seeking asylum.",
            hours=(11, 15),
        ),
    ),
    "domestic-abuse": (
        _t(
            "Domestic abuse support",
            "Confidential help from a specialist worker if you are experiencing domestic abuse: safety planning, "
            "housing and legal options.",
            hours=(9, 17),
            delivery="PT",
            weekdays=True,
        ),
        _t(
            "Recovery programme after domestic abuse",
            "A free 11-week group for women who have experienced domestic abuse.",
            hours=(10, 12),
            ages=(18, None),
        ),
    ),
    "volunteering": (
        _t(
            "Volunteer centre",
            "Find volunteering that suits you, from one-off events to regular roles. We will help you find a good fit.",
            hours=(10, 16),
            delivery="PO",
            weekdays=True,
        ),
        _t(
            "Litter pick",
            "Join neighbours to clear litter from streets and parks. Pickers, bags and gloves provided.",
            hours=(10, 12),
        ),
    ),
    "arts-culture": (
        _t(
            "Community choir",
            "A friendly choir singing pop, folk and gospel. No auditions and no need to read music.",
            hours=(19, 21),
            cost=(Decimal("3.00"), "Each rehearsal"),
        ),
        _t(
            "Art group",
            "Painting and drawing for adults of all abilities, with materials provided.",
            hours=(14, 16),
            cost=(Decimal("2.00"), "Each session"),
        ),
        _t(
            "Local history group",
            "Talks, walks and research into the history of the area. Visitors welcome.",
            hours=(19, 21),
        ),
    ),
    "faith": (
        _t(
            "Prayer and reflection group",
            "A weekly group for prayer and quiet reflection. People of all faiths and none are welcome.",
            hours=(19, 20),
        ),
        _t(
            "Open iftar",
            "Shared evening meals during Ramadan, open to neighbours of all faiths and none.",
            hours=(19, 21),
        ),
        _t(
            "Interfaith walk and talk",
            "A monthly walk between local places of worship, with tea and conversation at each.",
            hours=(14, 17),
        ),
    ),
    "environment": (
        _t(
            "Community garden",
            "Grow fruit and vegetables with others in a shared garden. No experience needed; tools provided.",
            hours=(10, 13),
        ),
        _t(
            "Park volunteering morning",
            "Monthly volunteering to look after the park: planting, weeding and clearing paths.",
            hours=(10, 12),
        ),
        _t(
            "Repair café",
            "Bring broken household items and volunteers will help you fix them, for free.",
            hours=(10, 13),
        ),
    ),
    "community-spaces": (
        _t(
            "Community hall for hire",
            "A hall for up to 100 people with a kitchen and accessible toilets, at a reduced rate for community "
            "groups.",
            hours=(9, 22),
            weekdays=True,
            cost=(Decimal("15.00"), "An hour, for community groups"),
        ),
        _t(
            "Meeting room for community groups",
            "A small meeting room for up to 15 people, free for local voluntary groups.",
            hours=(9, 21),
            weekdays=True,
        ),
    ),
}

# Top-level category -> how organisations that focus on it are named ({place} is a ward's name).
ORGANISATION_NAMES: dict[str, tuple[str, ...]] = {
    "food": ("{place} Food Bank", "{place} Community Larder", "{place} Community Kitchen", "{place} Food Share"),
    "money": ("{place} Money Advice", "{place} Advice Centre", "{place} Debt Help"),
    "housing": ("{place} Housing Advice", "{place} Homeless Project", "{place} Renters' Union"),
    "health": ("{place} Mind Matters", "{place} Wellbeing Network", "{place} Carers' Forum", "{place} Walking Group"),
    "loneliness": (
        "{place} Friendship Club",
        "{place} Befriending Scheme",
        "{place} Coffee Club",
        "{place} Men's Shed",
    ),
    "older-people": ("{place} Over-60s Club", "{place} Good Neighbours", "{place} Senior Citizens' Club"),
    "children-families": ("{place} Stay and Play", "{place} Youth Project", "{place} Parents' Network"),
    "learning-work": ("{place} Learning Centre", "{place} Job Club", "{place} English Conversation Club"),
    "advice-rights": ("{place} Law Centre", "{place} Refugee Welcome", "{place} Rights Advice"),
    "safety": ("{place} Women's Aid", "{place} Safe Space"),
    "community-life": (
        "{place} Community Association",
        "{place} Arts Collective",
        "Friends of {place} Park",
        "{place} Community Choir",
        "{place} Gardening Club",
        "{place} Litter Pickers",
    ),
}
FAITH_NAMES = (
    "{place} Community Church",
    "{place} Faith Kitchen",
    "{place} Interfaith Forum",
    "{place} Muslim Community Centre",
    "{place} Gurdwara Kitchen",
    "{place} Baptist Fellowship",
)
BUSINESS_NAMES = ("{place} Community Café", "{place} Bike Workshop", "{place} Community Pharmacy")
PUBLIC_NAMES = ("{place} Family Hub", "{place} Community Health Hub", "{place} Learning Hub")
COUNCIL_NAMES = ("Adult Social Care: {place} team", "Family Support: {place} team", "Libraries: {place} service")
NAMES_BY_KIND: dict[str, tuple[str, ...]] = {
    Organisation.Kind.FAITH_GROUP.value: FAITH_NAMES,
    Organisation.Kind.BUSINESS.value: BUSINESS_NAMES,
    Organisation.Kind.PUBLIC_BODY.value: PUBLIC_NAMES,
    Organisation.Kind.COUNCIL_DEPARTMENT.value: COUNCIL_NAMES,
}
ORGANISATION_PURPOSES: dict[str, str] = {
    "food": "makes sure nobody in {place} goes hungry",
    "money": "helps people in {place} with money, benefits and debt",
    "housing": "helps people in {place} to find and keep a home",
    "health": "helps people in {place} to stay well in body and mind",
    "loneliness": "brings neighbours in {place} together so nobody is lonely",
    "older-people": "helps older people in {place} to stay active, connected and independent",
    "children-families": "supports children, young people and families in {place}",
    "learning-work": "helps people in {place} to learn new skills and find work",
    "advice-rights": "gives free advice on rights and the law to people in {place}",
    "safety": "supports people in {place} who are unsafe at home",
    "community-life": "brings the community of {place} together",
}
WHO_BY_KIND: dict[str, str] = {
    Organisation.Kind.INFORMAL_GROUP.value: "A group of local volunteers that",
    Organisation.Kind.FAITH_GROUP.value: "A faith community that",
    Organisation.Kind.BUSINESS.value: "A local business that",
    Organisation.Kind.PUBLIC_BODY.value: "A public service that",
    Organisation.Kind.COUNCIL_DEPARTMENT.value: "The council team that",
    Organisation.Kind.CIC.value: "A community interest company that",
}

# Realistic proportions of kinds of organisation in a borough's directory (many small and informal groups).
KIND_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Organisation.Kind.INFORMAL_GROUP, 34),
    (Organisation.Kind.REGISTERED_CHARITY, 24),
    (Organisation.Kind.CIO, 10),
    (Organisation.Kind.CIC, 6),
    (Organisation.Kind.FAITH_GROUP, 12),
    (Organisation.Kind.COMPANY, 3),
    (Organisation.Kind.PUBLIC_BODY, 3),
    (Organisation.Kind.BUSINESS, 5),
    (Organisation.Kind.COUNCIL_DEPARTMENT, 1),
)
SIZE_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    Organisation.Kind.INFORMAL_GROUP: ((SizeBand.MICRO, 9), ("", 1)),
    Organisation.Kind.FAITH_GROUP: ((SizeBand.MICRO, 5), (SizeBand.SMALL, 4), ("", 1)),
}
DEFAULT_SIZES = ((SizeBand.MICRO, 3), (SizeBand.SMALL, 4), (SizeBand.MEDIUM, 2), (SizeBand.LARGE, 1))

STREETS = (
    "Acacia Road",
    "Beech Grove",
    "Chestnut Avenue",
    "Damson Close",
    "Elm Walk",
    "Fern Lane",
    "Hawthorn Way",
    "Juniper Road",
    "Laurel Gardens",
    "Maple Crescent",
    "Oak Lane",
    "Poplar Walk",
    "Rowan Street",
    "Sycamore Drive",
    "Willow Terrace",
    "Hazel Mews",
)
VENUES = (
    "Community Centre",
    "Church Hall",
    "Youth Centre",
    "Neighbourhood Centre",
    "Sports Pavilion",
    "Community Hub",
    "Scout Hut",
    "Methodist Hall",
)
ACCESSIBILITY = (
    "Step-free access and an accessible toilet.",
    "Step-free access, an accessible toilet and a hearing loop.",
    "Two steps at the entrance; a portable ramp is available on request.",
    "First-floor room with a lift. Accessible toilet on the ground floor.",
    "",
)
TRANSPORT = (
    "Buses stop outside.",
    "Ten minutes' walk from the station.",
    "Five minutes' walk from the tram stop. Free parking behind the building.",
    "On street parking only. Several bus routes stop nearby.",
)
LANGUAGES = ("Polish", "Tamil", "Urdu", "Portuguese", "Arabic", "Somali", "Bengali", "Korean", "Gujarati")
LISTING_WEIGHTS = ((ListingStatus.PUBLISHED, 97), (ListingStatus.PENDING, 2), (ListingStatus.WITHDRAWN, 1))
STATUS_WEIGHTS = (
    (Service.Status.ACTIVE, 95),
    (Service.Status.TEMPORARILY_CLOSED, 2),
    (Service.Status.INACTIVE, 2),
    (Service.Status.DEFUNCT, 1),
)
# Most records were checked in the last year; about one in four is older than that, so shows as stale.
CHECKED_WITHIN_DAYS = 480

Row = dict[str, Any]


def weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def top_level_code(term: TaxonomyTerm, by_id: dict[int, TaxonomyTerm]) -> str:
    while term.parent_id is not None and term.parent_id in by_id:
        term = by_id[term.parent_id]
    return term.code


@dataclass
class OrganisationPlan:
    """What the builder knows about an organisation while it makes that organisation's services."""

    id: int
    focus: str  # top-level category code
    ward_code: str
    location_ids: list[int] = field(default_factory=list)


@dataclass
class Built:
    """How many records a run of the builder created (existing ones it found are not counted)."""

    organisations: int = 0
    locations: int = 0
    services: int = 0
    service_at_locations: int = 0
    schedules: int = 0
    cost_options: int = 0
    term_links: int = 0
    ward_links: int = 0
    assets: int = 0
    seconds: float = 0.0  # making and writing the records
    reindex_seconds: float = 0.0  # bringing the search index up to date afterwards
    service_ids: list[int] = field(default_factory=list)

    def add(self, other: Built) -> None:
        for name in self.__dataclass_fields__:
            if name not in {"seconds", "reindex_seconds", "service_ids"}:
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.service_ids.extend(other.service_ids)

    def counts(self) -> dict[str, int]:
        return {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in {"seconds", "reindex_seconds", "service_ids"}
        }


class DirectoryBuilder:
    """Makes plausible directory records over a council's real wards, reproducibly from a seed.

    Records are plain rows (field name -> value) for core.bulk.BulkWriter. With `skip_existing`, a record whose UUID is
    already in the database is left as it is (and not counted), so building again with the same seed adds
    nothing: that is how the demo stays idempotent.
    """

    def __init__(
        self,
        *,
        council: CouncilArea,
        seed: int,
        source: str = "generated",
        skip_existing: bool = False,
        batch_size: int = 2000,
        name_suffix: str = "",
        points_per_ward: int = 200,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - invented data wants repeatability, not secrecy
        self.council = council
        self.source = source
        self.skip_existing = skip_existing
        self.name_suffix = name_suffix
        self.writer = BulkWriter(batch_size=batch_size)
        self.batch_size = batch_size
        self.now = self.writer.now
        self.wards = list(Ward.objects.filter(council=council).order_by("code"))
        if not self.wards:
            raise ValueError(f"{council.name} has no wards loaded, so there is nowhere to put a directory.")
        self.ward_by_code = {ward.code: ward for ward in self.wards}
        self.points = {ward.code: self._point_pool(ward, points_per_ward) for ward in self.wards}
        postcodes: dict[str, list[str]] = defaultdict(list)
        for code, postcode in (
            Postcode.objects.filter(ward__council=council).order_by("postcode").values_list("ward__code", "postcode")
        ):
            postcodes[code].append(postcode)
        self.postcodes = dict(postcodes)
        taxonomy = load_starter_vocabulary()
        terms = list(TaxonomyTerm.objects.filter(taxonomy=taxonomy))
        by_id = {term.pk: term for term in terms}
        self.term_ids = {term.code: term.pk for term in terms}
        self.leaves_by_top: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            if term.code in SERVICE_TEMPLATES:
                self.leaves_by_top[top_level_code(term, by_id)].append(term.code)
        self.leaves = sorted(code for codes in self.leaves_by_top.values() for code in codes)
        self.tops = sorted(self.leaves_by_top)

    # --- small inventions ----------------------------------------------------------------------------

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def _point_pool(self, ward: Ward, size: int) -> list[tuple[float, float]]:
        geometry = shape(ward.boundary)
        ready = prep(geometry)
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        pool: list[tuple[float, float]] = []
        for _ in range(size * 50):
            if len(pool) >= size:
                break
            lon, lat = self.rng.uniform(min_lon, max_lon), self.rng.uniform(min_lat, max_lat)
            if ready.contains(Point(lon, lat)):
                pool.append((round(lat, 6), round(lon, 6)))
        if not pool:
            inside = geometry.representative_point()
            pool.append((round(inside.y, 6), round(inside.x, 6)))
        return pool

    def point(self, ward_code: str) -> tuple[float, float]:
        return self.rng.choice(self.points[ward_code])

    def postcode(self, ward_code: str) -> str:
        found = self.postcodes.get(ward_code)
        return self.rng.choice(found) if found else ""

    def checked_at(self) -> datetime:
        return self.now - timedelta(days=self.rng.randint(0, CHECKED_WITHIN_DAYS), hours=self.rng.randint(0, 23))

    def phone(self) -> str:
        # Ofcom keeps 020 7946 0000 to 0999 for drama, so these numbers never ring anyone.
        return f"020 7946 {self.rng.randint(0, 999):04d}"

    def address(self) -> str:
        return f"{self.rng.randint(1, 180)} {self.rng.choice(STREETS)}"

    def other_wards(self, ward_code: str, most: int) -> list[str]:
        codes = [code for code in self.ward_by_code if code != ward_code]
        return self.rng.sample(codes, k=self.rng.randint(0, min(most, len(codes))))

    # --- writing -----------------------------------------------------------------------------------

    def save(self, model: type[models.Model], rows: list[Row]) -> tuple[dict[UUID, int], list[Row]]:
        """Insert the rows whose UUID is new; return every row's id by UUID, and the new rows."""
        found: dict[UUID, int] = {}
        if self.skip_existing:
            uuids = [row["uuid"] for row in rows]
            for start in range(0, len(uuids), 5000):
                chunk = uuids[start : start + 5000]
                found.update(model._default_manager.filter(uuid__in=chunk).values_list("uuid", "pk"))
        new = [row for row in rows if row["uuid"] not in found]
        self.writer.insert(model, new)
        found.update({row["uuid"]: row["id"] for row in new})
        return found, new

    def finish(self) -> None:
        self.writer.finish()

    # --- organisations, places, services -------------------------------------------------------------

    def organisation(self, *, index: int, kind: str | None = None, focus: str | None = None) -> tuple[Row, str, str]:
        """An invented organisation (not saved), the ward it is based in and the category it works in."""
        rng = self.rng
        kind = kind or weighted(rng, KIND_WEIGHTS)
        focus = focus or rng.choice(self.tops)
        ward = rng.choice(self.wards)
        place = ward.name
        names = NAMES_BY_KIND.get(kind) or ORGANISATION_NAMES.get(focus) or ORGANISATION_NAMES["community-life"]
        name = rng.choice(names).format(place=place) + self.name_suffix
        org_id = charity_number = company_number = ""
        if kind in {Organisation.Kind.REGISTERED_CHARITY, Organisation.Kind.CIO}:
            # Charity numbers from 9,100,000 up have never been issued, so these cannot be anyone's.
            charity_number = str(9_100_000 + index)
            org_id = f"GB-CHC-{charity_number}"
        elif kind in {Organisation.Kind.CIC, Organisation.Kind.COMPANY}:
            company_number = f"91{index:06d}"
            org_id = f"GB-COH-{company_number}"
        size = weighted(rng, SIZE_WEIGHTS.get(kind, DEFAULT_SIZES))
        web_name = slugify(name)[:40] or "group"
        row = {
            "uuid": self.uuid(),
            "name": name,
            "slug": f"{slugify(name)[:60]}-{index}",
            "kind": kind,
            "org_id": org_id,
            "charity_number": charity_number,
            "company_number": company_number,
            "size_band": size if kind != Organisation.Kind.COUNCIL_DEPARTMENT else "",
            "description": self.organisation_description(kind, focus, place),
            "email": f"hello@{web_name}.example.org" if rng.random() < 0.7 else "",
            "phone": self.phone() if rng.random() < 0.6 else "",
            "website": f"https://{web_name}.example.org/" if rng.random() < 0.4 else "",
            "postcode": self.postcode(ward.code) if rng.random() < 0.8 else "",
            "listing_status": weighted(rng, LISTING_WEIGHTS),
            "last_checked_at": self.checked_at(),
            "source": self.source,
            "is_demo": True,
        }
        return row, ward.code, focus

    def organisation_description(self, kind: str, focus: str, place: str) -> str:
        what = ORGANISATION_PURPOSES.get(focus, "works with the community in {place}").format(place=place)
        who = WHO_BY_KIND.get(kind, "A local charity that")
        return f"{who} {what}. Invented for the demonstration directory."

    def location(self, *, organisation_id: int | None, ward_code: str) -> Row:
        lat, lon = self.point(ward_code)
        return {
            "uuid": self.uuid(),
            "organisation_id": organisation_id,
            "name": f"{self.ward_by_code[ward_code].name} {self.rng.choice(VENUES)}{self.name_suffix}",
            "address_1": self.address(),
            "city": "London",
            "postcode": self.postcode(ward_code),
            "latitude": lat,
            "longitude": lon,
            "ward_id": self.ward_by_code[ward_code].pk,
            "accessibility": self.rng.choice(ACCESSIBILITY),
            "transportation": self.rng.choice(TRANSPORT),
            "last_checked_at": self.checked_at(),
            "source": self.source,
            "is_demo": True,
        }

    def service(
        self, *, organisation: OrganisationPlan, term_code: str, template: ServiceTemplate | None = None
    ) -> tuple[Row, ServiceTemplate, tuple[str, str]]:
        """An invented service (not saved), the template it came from and the day it runs (code, name)."""
        rng = self.rng
        template = template or rng.choice(SERVICE_TEMPLATES[term_code])
        day = rng.choice(DAYS) if rng.random() < 0.85 else rng.choice(WEEKEND)
        delivery = set(template.delivery)
        if "P" in delivery and rng.random() < 0.15:
            delivery.add("O")
        if rng.random() < 0.25:
            delivery.add("T")
        if template.cost is None:
            fees = "Free."
        else:
            fees = f"{pounds(template.cost[0], True)}: {template.cost[1].lower()}."
        if template.how:
            how = template.how
        elif delivery == {"P"}:
            how = "Just turn up."
        elif "T" in delivery:
            how = "Call us to book a place."
        else:
            how = "Get in touch to find out more."
        minimum, maximum = template.ages
        row = {
            "uuid": self.uuid(),
            "organisation_id": organisation.id,
            "name": template.name.format(day=day[1]),
            "description": template.description,
            "status": weighted(rng, STATUS_WEIGHTS),
            "listing_status": weighted(rng, LISTING_WEIGHTS),
            "email": f"services{rng.randint(1, 99)}@example.org" if rng.random() < 0.5 else "",
            "phone": self.phone() if "T" in delivery or rng.random() < 0.5 else "",
            "eligibility_description": template.eligibility or self.eligibility(minimum, maximum),
            "minimum_age": minimum,
            "maximum_age": maximum,
            "application_process": how,
            "fees_description": fees,
            "is_free": template.cost is None,
            "in_person": "P" in delivery,
            "by_phone": "T" in delivery,
            "online": "O" in delivery,
            "languages": ", ".join(rng.sample(LANGUAGES, k=rng.randint(1, 2))) if rng.random() < 0.1 else "",
            "last_checked_at": self.checked_at(),
            "source": self.source,
            "is_demo": True,
        }
        return row, template, day

    @staticmethod
    def eligibility(minimum: int | None, maximum: int | None) -> str:
        if minimum is not None and maximum is not None:
            return f"People aged {minimum} to {maximum}."
        if minimum is not None:
            return f"People aged {minimum} and over."
        return "Anyone who lives, works or studies in the borough."

    def schedule(self, template: ServiceTemplate, day: tuple[str, str]) -> Row:
        opens, closes = template.hours
        when = "Monday to Friday" if template.weekdays else f"Every {day[1]}"
        return {
            "uuid": self.uuid(),
            "freq": Schedule.Freq.WEEKLY.value,
            "interval": 1,
            "byday": WEEKDAYS if template.weekdays else day[0],
            "opens_at": time(opens),
            "closes_at": time(closes),
            "description": f"{when}, {_clock(opens)} to {_clock(closes)}",
        }

    def services_for(
        self, plans: Sequence[OrganisationPlan], jobs: Iterable[tuple[int, str, ServiceTemplate | None]]
    ) -> Built:
        """Make and save services in batches: each job is (index of its organisation in plans, term code, and
        the template to use, or None for any of the term's)."""
        built = Built()
        batch: list[tuple[Row, ServiceTemplate, tuple[str, str], OrganisationPlan, str]] = []
        for index, term_code, chosen in jobs:
            plan = plans[index]
            service, template, day = self.service(organisation=plan, term_code=term_code, template=chosen)
            batch.append((service, template, day, plan, term_code))
            if len(batch) >= self.batch_size:
                built.add(self._save_services(batch))
                batch = []
        if batch:
            built.add(self._save_services(batch))
        return built

    def _save_services(self, batch: list[tuple[Row, ServiceTemplate, tuple[str, str], OrganisationPlan, str]]) -> Built:
        rng = self.rng
        # Everything that hangs off each service is invented before saving, so the random sequence (and so the
        # records) are the same whether or not some of the services already exist.
        extras = []
        for service, template, day, plan, term_code in batch:
            second = rng.choice(self.leaves) if rng.random() < 0.3 else term_code
            at = rng.choice(plan.location_ids) if plan.location_ids and service["in_person"] else None
            if at is not None and rng.random() < 0.6:
                served: list[str] = []
            else:
                served = [plan.ward_code, *self.other_wards(plan.ward_code, 2)] if rng.random() < 0.8 else []
            sal = {"uuid": self.uuid(), "location_id": at}
            schedule = self.schedule(template, day)
            cost = {"uuid": self.uuid()}
            extras.append((template, term_code, second, served, sal, schedule, cost))
        ids, new = self.save(Service, [item[0] for item in batch])
        fresh = {row["uuid"] for row in new}
        terms, wards, sals, schedules, costs = [], [], [], [], []
        for (service, *_), (template, term_code, second, served, sal, schedule, cost) in zip(
            batch, extras, strict=True
        ):
            if service["uuid"] not in fresh:
                continue
            pk = ids[service["uuid"]]
            terms += [
                {"service_id": pk, "taxonomyterm_id": self.term_ids[c]} for c in dict.fromkeys((term_code, second))
            ]
            wards += [{"service_id": pk, "ward_id": self.ward_by_code[c].pk} for c in dict.fromkeys(served)]
            if sal["location_id"] is not None:
                sals.append({**sal, "service_id": pk})
            schedules.append({**schedule, "service_id": pk})
            if template.cost is not None:
                amount, option = template.cost
                costs.append({**cost, "service_id": pk, "option": option, "amount": amount, "currency": "GBP"})
        self.writer.insert(Service.terms.through, terms)
        self.writer.insert(Service.wards_served.through, wards)
        self.writer.insert(ServiceAtLocation, sals)
        self.writer.insert(Schedule, schedules)
        self.writer.insert(CostOption, costs)
        return Built(
            services=len(new),
            service_at_locations=len(sals),
            schedules=len(schedules),
            cost_options=len(costs),
            term_links=len(terms),
            ward_links=len(wards),
            service_ids=[row["id"] for row in new],
        )

    # --- assets ------------------------------------------------------------------------------------

    def asset(self, *, ward_code: str) -> Row:
        """An invented community asset in a ward (not saved)."""
        rng = self.rng
        place = self.ward_by_code[ward_code].name
        kind, space_kind, name, description, extra = rng.choice(ASSET_TEMPLATES)
        lat, lon = self.point(ward_code)
        row = {
            "uuid": self.uuid(),
            "kind": kind,
            "space_kind": space_kind,
            # A gift is a person's ('Bike repairs'); anything else could be mistaken for a real place or body.
            "name": name.format(place=place, street=rng.choice(STREETS).split()[0])
            + ("" if kind == Asset.Kind.GIFT else self.name_suffix),
            "description": description.format(place=place),
            "ward_id": self.ward_by_code[ward_code].pk,
            "latitude": lat,
            "longitude": lon,
            "listing_status": weighted(rng, LISTING_WEIGHTS),
            "last_checked_at": self.checked_at(),
            "source": self.source,
            "is_demo": True,
            **extra,
        }
        if kind == Asset.Kind.GIFT:
            row["display_name"] = rng.choice(GIFT_NAMES)
        elif space_kind == Asset.SpaceKind.ROOM:
            row["capacity"] = rng.choice((12, 15, 20, 30))
        elif space_kind == Asset.SpaceKind.HALL:
            row["capacity"] = rng.randint(6, 20) * 10
        if kind != Asset.Kind.GIFT and rng.random() < 0.5:
            row["contact_phone"] = self.phone()
        return row


def _clock(hour: int) -> str:
    if hour == 12:
        return "midday"
    return f"{hour % 12 or 12}{'am' if hour < 12 else 'pm'}"


GIFT_NAMES = ("Sam", "Priya", "Tomasz", "Amara", "Joe", "Mei", "Fatima", "Dev", "Grace", "Kwame", "Ellie", "Yusuf")
# (kind, kind of space, name, description, other fields) of community assets, ABCD's six kinds.
ASSET_TEMPLATES: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = (
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.HALL,
        "{place} Community Hall",
        "A main hall with a stage, a kitchen and accessible toilets, used by groups across {place}.",
        {
            "how_to_book": "Email the caretaker at least two weeks ahead. Community groups pay £15 an hour.",
            "who_can_use": "Community groups, clubs and residents for private events.",
        },
    ),
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.HALL,
        "{place} Church Hall",
        "A church hall available to hire during the week, with tables and chairs for 80.",
        {"how_to_book": "Call the parish office on weekday mornings.", "who_can_use": "Anyone, for a fee."},
    ),
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.ROOM,
        "Meeting room at {place} Neighbourhood Centre",
        "A quiet meeting room with a screen and Wi-Fi.",
        {
            "how_to_book": "Book online or at reception. Free for voluntary groups on weekdays.",
            "who_can_use": "Voluntary and community groups.",
        },
    ),
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.GREEN_SPACE,
        "{place} Recreation Ground",
        "A park with a playground, a field for ball games and a café in summer.",
        {"how_to_book": "Open to everyone from dawn to dusk. Events need the council's permission."},
    ),
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.GREEN_SPACE,
        "{street} Allotments",
        "Allotments with a shared shed and a waiting list for plots.",
        {"how_to_book": "Ask the allotment society to join the waiting list."},
    ),
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.SPORTS,
        "{place} Multi-use Games Area",
        "A fenced, floodlit court for football and basketball.",
        {"how_to_book": "Free to use when it is not booked. Clubs book through the leisure centre."},
    ),
    (
        Asset.Kind.SPACE,
        Asset.SpaceKind.KITCHEN,
        "{place} Community Kitchen",
        "A commercial kitchen that community food projects can hire by the hour.",
        {"how_to_book": "Email to book; a food hygiene certificate is needed.", "capacity": 8},
    ),
    (
        Asset.Kind.ASSOCIATION,
        "",
        "{place} Residents' Association",
        "Residents who meet monthly to look after the neighbourhood and speak up for it.",
        {},
    ),
    (
        Asset.Kind.ASSOCIATION,
        "",
        "Friends of {place} Park",
        "Volunteers who look after the park, run events and raise money for improvements.",
        {},
    ),
    (
        Asset.Kind.ASSOCIATION,
        "",
        "{place} Neighbourhood Watch",
        "Neighbours looking out for each other and sharing news about safety.",
        {},
    ),
    (
        Asset.Kind.INSTITUTION,
        "",
        "{place} Primary School",
        "A primary school whose hall and playground are open to the community after school.",
        {"how_to_book": "Ask the school office about community lettings."},
    ),
    (
        Asset.Kind.INSTITUTION,
        "",
        "{place} Health Centre",
        "A GP surgery with a social prescriber who links patients to local groups.",
        {},
    ),
    (
        Asset.Kind.INSTITUTION,
        "",
        "{place} Library",
        "A library with free computers, a children's corner and a room for community groups.",
        {"how_to_book": "Ask at the desk."},
    ),
    (
        Asset.Kind.GIFT,
        "",
        "Bike repairs",
        "I can fix punctures, brakes and gears, and teach you to do it yourself.",
        {},
    ),
    (Asset.Kind.GIFT, "", "English conversation practice", "I am happy to chat in English with anyone learning.", {}),
    (Asset.Kind.GIFT, "", "Gardening know-how", "Forty years of growing vegetables; I will help you start.", {}),
    (Asset.Kind.GIFT, "", "Sewing and mending", "I can take up hems, mend tears and teach basic sewing.", {}),
    (Asset.Kind.GIFT, "", "Help with computers", "I can help set up phones and laptops and sort out problems.", {}),
    (Asset.Kind.GIFT, "", "Cooking for crowds", "I have cooked for community events of 200 and love to help.", {}),
    (
        Asset.Kind.ECONOMIC,
        "",
        "{place} Market",
        "A weekly street market with fresh food and local traders.",
        {},
    ),
    (
        Asset.Kind.ECONOMIC,
        "",
        "{place} Credit Union collection point",
        "Save and borrow at fair rates; open one morning a week.",
        {},
    ),
    (
        Asset.Kind.ECONOMIC,
        "",
        "{place} Business Network",
        "Local businesses that sponsor community events and offer work experience.",
        {},
    ),
    (
        Asset.Kind.CULTURAL,
        "",
        "{place} Mural",
        "A mural painted by local young people, telling the story of {place}.",
        {},
    ),
    (
        Asset.Kind.CULTURAL,
        "",
        "{place} Heritage Trail",
        "A self-guided walk past the buildings and people that shaped {place}.",
        {},
    ),
    (
        Asset.Kind.CULTURAL,
        "",
        "{place} Summer Festival",
        "A free one-day festival of music, food and stalls run by volunteers.",
        {},
    ),
)


# --- benchmark scale ---------------------------------------------------------------------------------


def _jobs(
    rng: random.Random, builder: DirectoryBuilder, plans: list[OrganisationPlan], n: int
) -> Iterator[tuple[int, str, ServiceTemplate | None]]:
    """n services, each (organisation index, term code); most in the organisation's own category."""
    for _ in range(n):
        index = rng.randrange(len(plans))
        focus = builder.leaves_by_top.get(plans[index].focus)
        yield index, rng.choice(focus) if focus and rng.random() < 0.75 else rng.choice(builder.leaves), None


@transaction.atomic
def generate_directory(
    *,
    council: CouncilArea,
    organisations: int = 30_000,
    services: int = 100_000,
    assets: int | None = None,
    seed: int = 2025,
    batch_size: int = 2000,
    reindex: bool = True,
) -> Built:
    """Fill the council's wards with an invented directory at benchmark scale (100,000 services by default).

    Every organisation is based in a ward (most at a location there, some also at a second one); services go
    to organisations at random, most in the organisation's own category, with terms, wards served, a weekly
    schedule and a cost if they charge. Assets default to one for every ten organisations. Everything is
    marked as demo data with source 'generated'.
    """
    started = clock.perf_counter()
    if organisations < 1 or services < 0:
        raise ValueError("Generate at least one organisation, and no negative number of services.")
    with _big_page_cache():
        built = _generate(council, organisations, services, assets, seed, batch_size)
    if connection.vendor == "postgresql":
        # After a bulk load PostgreSQL plans from stale statistics until autovacuum catches up; catch up now.
        with connection.cursor() as cursor:
            for model in (Organisation, Location, Service, ServiceAtLocation, Schedule, Asset, Ward):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            for through in (Service.terms.through, Service.wards_served.through, Organisation.wards_served.through):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(through._meta.db_table)}")
    built.seconds = clock.perf_counter() - started
    if reindex:
        started = clock.perf_counter()
        reindex_services()  # all of them: one pass is cheaper than naming 100,000 ids
        built.reindex_seconds = clock.perf_counter() - started
    return built


@contextlib.contextmanager
def _big_page_cache() -> Iterator[None]:
    """SQLite keeps 2 MB of pages by default; random UUIDs inserted into 100,000-row indexes need far more."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, given back afterwards
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _generate(
    council: CouncilArea, organisations: int, services: int, assets: int | None, seed: int, batch_size: int
) -> Built:
    builder = DirectoryBuilder(council=council, seed=seed, batch_size=batch_size)
    rng = builder.rng
    built = Built()

    made = [builder.organisation(index=i) for i in range(organisations)]
    ids, new = builder.save(Organisation, [org for org, _, _ in made])
    built.organisations = len(new)
    plans = []
    served: dict[tuple[int, int], Row] = {}
    for org, ward_code, focus in made:
        plan = OrganisationPlan(id=ids[org["uuid"]], focus=focus, ward_code=ward_code)
        plans.append(plan)
        for code in [ward_code, *builder.other_wards(ward_code, 3)] if rng.random() < 0.6 else []:
            ward_id = builder.ward_by_code[code].pk
            served[(plan.id, ward_id)] = {"organisation_id": plan.id, "ward_id": ward_id}
    builder.writer.insert(Organisation.wards_served.through, list(served.values()))

    # Community venues that organisations without their own premises use, a few in every ward.
    venues = {
        ward.code: [builder.location(organisation_id=None, ward_code=ward.code) for _ in range(5)]
        for ward in builder.wards
    }
    own: list[tuple[OrganisationPlan, Row]] = []
    for plan in plans:
        if rng.random() < 0.7:
            own.append((plan, builder.location(organisation_id=plan.id, ward_code=plan.ward_code)))
            if rng.random() < 0.15:
                elsewhere = rng.choice(builder.wards).code
                own.append((plan, builder.location(organisation_id=plan.id, ward_code=elsewhere)))
    all_locations = [loc for found in venues.values() for loc in found] + [loc for _, loc in own]
    location_ids, new_locations = builder.save(Location, all_locations)
    built.locations = len(new_locations)
    for plan, location in own:
        plan.location_ids.append(location_ids[location["uuid"]])
    for plan in plans:
        if not plan.location_ids:
            plan.location_ids = [location_ids[rng.choice(venues[plan.ward_code])["uuid"]]]

    built.add(builder.services_for(plans, _jobs(rng, builder, plans, services)))

    count = organisations // 10 if assets is None else assets
    made_assets = [builder.asset(ward_code=rng.choice(builder.wards).code) for _ in range(count)]
    _, new_assets = builder.save(Asset, made_assets)
    built.assets = len(new_assets)
    builder.finish()
    return built
