"""The resident perception survey's standard question set (pure data, no Django), versioned: a survey keeps the
version it was made with, so the same questions are asked in every wave and the waves can be compared.

The wordings and scales are the LGA's 'Are you being served?' set (benchmarking resident satisfaction, July 2021)
and the Community Life Survey's, with 'Don't know' on the page but kept out of each question's base. Each
question says which answers are 'positive' (very + fairly satisfied, say): the headline per cent is their share
of those who gave a view. The council's framework outcomes add one agree/disagree question each.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "lga-2021.1"


@dataclass(frozen=True)
class StandardQuestion:
    key: str
    text: str  # '{council}' is replaced by the council's name
    headline: str  # what the headline per cent is of, as a short phrase for charts and tables
    options: tuple[str, ...]
    positive: tuple[int, ...]  # positions of the answers counted as positive
    excluded: tuple[int, ...]  # positions kept out of the base ('Don't know')
    hint: str = ""
    source: str = ""


DONT_KNOW = "Don't know"
SATISFIED = (
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
    DONT_KNOW,
)
AGREE = (
    "Strongly agree",
    "Tend to agree",
    "Neither agree nor disagree",
    "Tend to disagree",
    "Strongly disagree",
    DONT_KNOW,
)
GREAT_DEAL = ("A great deal", "A fair amount", "Not very much", "Not at all", DONT_KNOW)
INFORMED = (
    "Very well informed",
    "Fairly well informed",
    "Not very well informed",
    "Not well informed at all",
    DONT_KNOW,
)
BELONG = ("Very strongly", "Fairly strongly", "Not very strongly", "Not at all strongly", DONT_KNOW)
GET_ON = (
    "Definitely agree",
    "Tend to agree",
    "Tend to disagree",
    "Definitely disagree",
    DONT_KNOW,
    "Too few people in the local area",
    "All people in the local area are from the same background",
)
LGA = "LGA, Are you being served? (2021)"
CLS = "DCMS Community Life Survey"

STANDARD: tuple[StandardQuestion, ...] = (
    StandardQuestion(
        "local_area",
        "Overall, how satisfied or dissatisfied are you with your local area as a place to live?",
        "Satisfied with the local area",
        SATISFIED,
        (0, 1),
        (5,),
        hint="By your local area, we mean the area within 15 to 20 minutes' walk from your home.",
        source=LGA,
    ),
    StandardQuestion(
        "council",
        "Overall, how satisfied or dissatisfied are you with the way {council} runs things?",
        "Satisfied with the way the council runs things",
        SATISFIED,
        (0, 1),
        (5,),
        source=LGA,
    ),
    StandardQuestion(
        "value_for_money",
        "To what extent do you agree or disagree that {council} provides value for money?",
        "Agree the council provides value for money",
        AGREE,
        (0, 1),
        (5,),
        source=LGA,
    ),
    StandardQuestion(
        "acts_on_concerns",
        "To what extent do you think {council} acts on the concerns of local residents?",
        "Think the council acts on residents' concerns",
        GREAT_DEAL,
        (0, 1),
        (4,),
        source=LGA,
    ),
    StandardQuestion(
        "informed",
        "Overall, how well informed do you think {council} keeps residents about the services and benefits it "
        "provides?",
        "Feel well informed by the council",
        INFORMED,
        (0, 1),
        (4,),
        source=LGA,
    ),
    StandardQuestion(
        "trust",
        "How much do you trust {council}?",
        "Trust the council",
        GREAT_DEAL,
        (0, 1),
        (4,),
        source=LGA,
    ),
    StandardQuestion(
        "belonging",
        "How strongly do you feel you belong to your immediate neighbourhood?",
        "Feel they belong to their neighbourhood",
        BELONG,
        (0, 1),
        (4,),
        source=CLS,
    ),
    StandardQuestion(
        "get_on",
        "To what extent do you agree or disagree that this local area is a place where people from different "
        "backgrounds get on well together?",
        "Agree people from different backgrounds get on well",
        GET_ON,
        (0, 1),
        (4, 5, 6),
        hint="By your local area, we mean the area within 15 to 20 minutes' walk from your home.",
        source=CLS,
    ),
)


def outcome_question(name: str) -> StandardQuestion:
    """The agree/disagree question asked for one of the council's framework outcomes."""
    return StandardQuestion(
        "",
        f"The council and its partners aim for this: ‘{name}’. To what extent do you agree or disagree that this "
        "is happening in your local area?",
        name,
        AGREE,
        (0, 1),
        (5,),
        source="The council's framework",
    )
