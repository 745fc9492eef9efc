"""The demo fund's invented tables: its prospectus, pots, eligibility questions, form questions and criteria,
the projects groups apply for, the funding register, and the people the fund needs. funding/demo.py loads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.core.demo import DEMO_EMAIL_DOMAIN

from .models import MatchFunding, Question

FOOD_SHARE = "Wandle Valley Food Share (demo)"
LITTER_PICKERS = "Figge's Marsh Litter Pickers (demo)"
CVS = "Merton Voluntary Action Network (demo CVS)"
APPLICANT_KINDS = (
    Organisation.Kind.REGISTERED_CHARITY,
    Organisation.Kind.CIO,
    Organisation.Kind.CIC,
    Organisation.Kind.FAITH_GROUP,
    Organisation.Kind.INFORMAL_GROUP,
)
SUPPLIERS = (
    ("Wandle Build Ltd (demo)", "A building contractor on the council's housing repairs framework (demo)."),
    ("Morden Facilities Services (demo)", "Cleaning and facilities management for council buildings (demo)."),
)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str
    organisation: str
    label: str


# People the fund needs beyond the platform's demo accounts: a second officer and a voluntary sector
# representative to assess, and a supplier to pledge. They sign in with the demo password.
FUNDING_PEOPLE = (
    DemoPerson(f"assessor@{DEMO_EMAIL_DOMAIN}", "Demo assessor", Role.OFFICER, "Public Health", "officer and assessor"),
    DemoPerson(
        f"vcs@{DEMO_EMAIL_DOMAIN}", "Demo VCS representative", Role.GROUP_MEMBER, CVS, "VCS representative and assessor"
    ),
    DemoPerson(f"supplier@{DEMO_EMAIL_DOMAIN}", "Demo supplier", Role.GROUP_MEMBER, SUPPLIERS[0][0], "supplier"),
)

PROSPECTUS = """The Civic Pride Fund (demo) supports the voluntary and community sector to help people in the borough \
find help and support where they are. It is structured around the four themes of the council's Working Better \
with Communities framework: you can apply against one theme or more.

This prospectus was drafted with a working group of voluntary sector representatives and service commissioners. \
We have tried to make it short and plain.

Who can apply: registered charities, CIOs, community interest companies, faith groups doing work open to \
everyone, and informal groups with a bank account and two unrelated people who sign for it.

How much: small grants up to £2,500 for groups with a yearly income under £25,000; community grants up to \
£10,000 for groups with an income under £50,000; strategic partnership grants for larger organisations.

This is a demonstration: the fund, its rounds and every application are invented."""

METHODOLOGY = """Two assessors score each application against five criteria from 0 (no evidence) to 5 \
(excellent). Each criterion's score is weighted as shown, so an application's score runs from 0 to 100. \
Assessors declare any conflict of interest before they see an application, and a conflicted assessor is \
replaced. Scores far apart are moderated before the panel meets. The panel decides within each theme's budget \
and gives reasons; every applicant gets feedback drawn from the assessors' comments."""

# The checker asks itself whether the work benefits people in the area (the fund must serve it), so the fund's
# own questions do not ask it again; an earlier demo did, and loading the demo removes that question.
RETIRED_ELIGIBILITY = ("Does your group's work benefit people who live, work or study in the borough?",)

ELIGIBILITY = (
    (
        "Is your group run not for profit, with any surplus spent on its aims?",
        True,
        "The fund is for voluntary and community groups, so a business run for profit cannot apply.",
    ),
    (
        "Does your group have a bank account in its own name, with two unrelated people to sign for it?",
        True,
        "We can only pay grants into a group's own account with two unrelated signatories; Merton Voluntary "
        "Action Network (demo CVS) can help you set one up.",
    ),
    (
        "Is the money for party political activity, or for promoting religious belief?",
        False,
        "The fund cannot pay for party political activity or for promoting religious belief, though faith "
        "groups are welcome to apply for work open to everyone.",
    ),
)

QUESTIONS = (
    ("What will you do with the grant?", "Say who will take part, where and how often.", Question.Kind.LONG_TEXT, 300),
    (
        "Why is it needed, and how do you know?",
        "Tell us what local people have told you, and any figures you have.",
        Question.Kind.LONG_TEXT,
        250,
    ),
    (
        "How will you work with the people you support, and with other groups?",
        "The fund follows the Working Better with Communities framework: co-production and partnership.",
        Question.Kind.LONG_TEXT,
        250,
    ),
    ("How many people will take part?", "Your best estimate over the grant.", Question.Kind.NUMBER, None),
    ("Your budget", "A spreadsheet or PDF of what the grant will pay for.", Question.Kind.ATTACHMENT, None),
)

# (name, weight, guidance, [low, middling, high] comments): the weights add up to 100.
CRITERIA = (
    (
        "Need and evidence",
        25,
        "A clear need in the borough, shown by what local people say and by figures.",
        (
            "The need is asserted rather than shown; there is little from local people or figures.",
            "Some evidence of need, mostly from the group's own experience; figures would help.",
            "A well-evidenced need: local people's voices and ward figures make a strong case.",
        ),
    ),
    (
        "Fit with the framework's themes",
        20,
        "How well the work fits the themes it applies under.",
        (
            "The link to the themes chosen is unclear.",
            "Fits one theme well; the link to the others is thinner.",
            "Fits the themes chosen closely and says how it will help people find support.",
        ),
    ),
    (
        "Working with communities",
        20,
        "Co-production with the people served, and partnership with other groups and services.",
        (
            "The work is done for people rather than with them; no partners are named.",
            "Some involvement of the people served; partners are named but their part is vague.",
            "People who use the service help run it, and the partners and their parts are clear.",
        ),
    ),
    (
        "Deliverability and value for money",
        20,
        "A realistic plan, budget and track record for the money asked for.",
        (
            "The budget does not add up and the plan leaves out who will do the work.",
            "A workable plan; some costs need more explanation.",
            "A realistic, costed plan from a group with a good track record.",
        ),
    ),
    (
        "Reaching people facing inequality",
        15,
        "Whether the work reaches people who face barriers and are seldom heard.",
        (
            "It is not clear who will be reached beyond people already involved.",
            "Reaches some people facing barriers; more on how would help.",
            "Reaches people who are seldom heard, with practical steps to remove barriers.",
        ),
    ),
)

# What each score from 0 to 5 means for each criterion, as assessors see it beside the score.
DESCRIPTORS = {
    "Need and evidence": (
        "No need is described.",
        "A need is asserted, with nothing from local people or figures.",
        "Some evidence, mostly the group's own experience.",
        "A clear need, with either local voices or figures behind it.",
        "A well-evidenced need, with local voices and figures.",
        "A compelling need: local voices, ward figures and what is missing today.",
    ),
    "Fit with the framework's themes": (
        "No link to the framework's themes.",
        "A loose link to one theme.",
        "Fits one theme; the others chosen are a stretch.",
        "Fits the themes chosen, in general terms.",
        "Fits the themes chosen closely, with examples.",
        "Fits closely and says how it moves the framework's outcomes.",
    ),
    "Working with communities": (
        "Done to people, with no partners.",
        "Done for people; partners named but not involved.",
        "Some involvement of the people served.",
        "People served are consulted; partners have a part.",
        "People served help shape it; partners' parts are clear.",
        "People served help run it, with partners who add what the group lacks.",
    ),
    "Deliverability and value for money": (
        "No plan or budget.",
        "The budget does not add up, or nobody is named to do the work.",
        "A plan with gaps; several costs unexplained.",
        "A workable plan; some costs need explaining.",
        "A realistic, costed plan and a fair price.",
        "A realistic, costed plan, a good track record and clear value.",
    ),
    "Reaching people facing inequality": (
        "Nothing on who will be reached.",
        "Only people already involved are reached.",
        "Some people facing barriers, with little on how.",
        "Reaches people facing barriers, with some practical steps.",
        "Reaches people seldom heard, with practical steps.",
        "Reaches people seldom heard, removing barriers they named themselves.",
    ),
}

PROJECTS = (
    ("Saturday food collections", "Volunteers collect surplus food on Saturdays and share it through the larder."),
    ("Warm space and hot lunch", "A warm room, a hot lunch and company two days a week through the winter."),
    ("Youth football for girls", "Free coached football sessions for girls aged eight to sixteen."),
    ("Walking group for new parents", "A weekly buggy walk in the park, with a coffee and a health visitor."),
    ("Digital drop-in", "Help with phones, tablets and online forms from trained volunteers."),
    ("Community garden", "Raised beds on the estate, grown and looked after by the residents."),
    ("Befriending by phone", "Weekly calls from volunteers to older people who live alone."),
    ("English conversation club", "Relaxed conversation practice for people new to the country."),
    ("Men's mental health group", "A weekly peer support group for men, with a trained facilitator."),
    ("Holiday activities and food", "Activities and a healthy lunch for children during the school holidays."),
    ("Repair café", "A monthly café where volunteers fix bikes, clothes and small appliances."),
    ("Carers' coffee morning", "A break and peer support for unpaid carers, with sitting for the cared-for."),
    ("Homework club", "A quiet space, snacks and volunteer tutors after school."),
    ("Dementia-friendly singing", "A singing group for people living with dementia and their carers."),
    ("Welcome packs for refugees", "Household packs and a first visit for families arriving in the borough."),
)
ANSWERS = (
    "We will run weekly sessions in a local hall, led by volunteers who live on the estate.",
    "People told us at our open meeting that there is nothing like this nearby; the ward's deprivation figures agree.",
    "A steering group of people who come to our sessions plans each term with us, and we work with the "
    "library and the GP surgery.",
)

SOURCES: tuple[dict[str, Any], ...] = (
    {
        "funder": "The National Lottery Community Fund",
        "name": "National Lottery Awards for All England",
        "what": "Grants for community projects that bring people together, improve places and spaces, and help "
        "people reach their potential.",
        "who": "Voluntary and community organisations, schools and statutory bodies working with the community.",
        "min": 300,
        "max": 20000,
        "deadline": None,
        "url": "https://www.tnlcommunityfund.org.uk/funding/programmes/national-lottery-awards-for-all-england",
    },
    {
        "funder": "The National Lottery Community Fund",
        "name": "Reaching Communities England",
        "what": "Larger grants over several years for work that helps communities thrive, led by the people it serves.",
        "who": "Voluntary and community organisations with a track record and sound governance.",
        "min": 20001,
        "max": 500000,
        "deadline": None,
        "url": "https://www.tnlcommunityfund.org.uk/funding/programmes/reaching-communities-england",
    },
    {
        "funder": "Garfield Weston Foundation",
        "name": "Regular grants",
        "what": "Grants towards core costs, projects or capital for charities in welfare, youth, community, "
        "health and the environment.",
        "who": "Registered charities with a yearly income over £100,000 in most cases.",
        "min": 1000,
        "max": 100000,
        "deadline": None,
        "url": "https://garfieldweston.org/",
    },
    {
        "funder": "Lloyds Bank Foundation for England and Wales",
        "name": "Invest",
        "what": "Unrestricted funding and development support for small and local charities helping people "
        "through complex social issues.",
        "who": "Registered charities and CIOs with an income between £25,000 and £1 million.",
        "min": 50000,
        "max": 100000,
        "deadline": 75,
        "url": "https://www.lloydsbankfoundation.org.uk/",
    },
    {
        "funder": "BBC Children in Need",
        "name": "Small grants",
        "what": "Projects that make a difference to children and young people facing disadvantage.",
        "who": "Not-for-profit organisations working with children and young people aged 18 and under.",
        "min": 1000,
        "max": 10000,
        "deadline": 40,
        "url": "https://www.bbcchildreninneed.co.uk/",
    },
    {
        "funder": "Esmée Fairbairn Foundation",
        "name": "Our grants",
        "what": "Work to improve our natural world, secure a fairer future and strengthen the bonds in communities.",
        "who": "Organisations with a charitable purpose and an income usually over £100,000.",
        "min": 30000,
        "max": 300000,
        "deadline": None,
        "url": "https://esmeefairbairn.org.uk/",
    },
    {
        "funder": "Sport England",
        "name": "Movement Fund",
        "what": "Help for local groups to get people moving, especially people who are less active.",
        "who": "Not-for-profit community groups and clubs in England.",
        "min": 300,
        "max": 15000,
        "deadline": None,
        "url": "https://www.sportengland.org/funds-and-campaigns/movement-fund",
    },
    {
        "funder": "The Henry Smith Charity",
        "name": "Improving Lives",
        "what": "Grants for running costs of work with people facing disadvantage, over three years.",
        "who": "Charities and social enterprises with an income between £50,000 and £2 million.",
        "min": 20000,
        "max": 60000,
        "deadline": None,
        "url": "https://www.henrysmithcharity.org.uk/",
    },
    {
        "funder": "Comic Relief",
        "name": "Community grants through local community foundations",
        "what": "Small grants for grassroots groups working on mental health, homelessness and early years.",
        "who": "Small, locally led groups with an income under £250,000.",
        "min": 1000,
        "max": 20000,
        "deadline": 25,
        "url": "https://www.comicrelief.com/funding",
    },
    {
        "funder": "The Tudor Trust",
        "name": "Open grants",
        "what": "Flexible funding for community-led groups working with people at the edges of society.",
        "who": "Small community-led organisations; the programme is paused to new applications.",
        "min": None,
        "max": None,
        "deadline": None,
        "url": "https://tudortrust.org.uk/",
        "active": False,
    },
    {
        "funder": "London Community Foundation",
        "name": "Neighbourhood grants",
        "what": "Grants for small groups in London boroughs tackling poverty and isolation in their neighbourhood.",
        "who": "Voluntary and community groups in London with an income under £500,000.",
        "min": 1000,
        "max": 15000,
        "deadline": 55,
        "url": "https://londoncf.org.uk/",
    },
    {
        "funder": "Wimbledon Foundation",
        "name": "Community fund",
        "what": "Grants for charities in Merton and Wandsworth that support people facing disadvantage.",
        "who": "Registered charities working in Merton or Wandsworth.",
        "min": 1000,
        "max": 10000,
        "deadline": 30,
        "url": "https://www.wimbledon.com/en_GB/foundation/",
    },
)

MATCH_FUNDERS = (
    ("The National Lottery Community Fund", MatchFunding.Kind.MATCH, "National Lottery Awards for All England"),
    ("Wimbledon Foundation", MatchFunding.Kind.EXTERNAL, "Community fund"),
    ("Local supermarket's community scheme (demo)", MatchFunding.Kind.IN_KIND, None),
    ("London Community Foundation", MatchFunding.Kind.MATCH, "Neighbourhood grants"),
    ("Volunteer time, valued at the London Living Wage (demo)", MatchFunding.Kind.IN_KIND, None),
    ("Sport England", MatchFunding.Kind.EXTERNAL, "Movement Fund"),
)

# (name, description, smallest grant, largest grant, largest yearly income or None): the fund's three pots.
POTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    (
        "Small grants",
        "For groups with a yearly income under £25,000: up to £2,500, with a short form.",
        "250",
        "2500",
        "25000",
    ),
    (
        "Community grants",
        "For groups with a yearly income under £50,000: up to £10,000.",
        "2501",
        "10000",
        "50000",
    ),
    (
        "Strategic partnership grants",
        "For established organisations delivering borough-wide support over up to three years.",
        "10001",
        "150000",
        None,
    ),
)
