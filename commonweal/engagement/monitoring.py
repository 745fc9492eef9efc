"""Equality monitoring questions and their answers: the ONS 2021 Census harmonised categories (England and
Wales), each with 'Prefer not to say'. Pure data, no Django: responding asks them, analysis filters by them.

Every question is optional. Ethnicity is asked in the 19 categories and grouped into the five broad groups for
analysis, because ward-level cross-tabulations of 19 categories are almost all smaller than ten.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFER_NOT = ("prefer_not", "Prefer not to say")


@dataclass(frozen=True)
class MonitoringQuestion:
    field: str  # the Monitoring model's field
    text: str
    choices: tuple[tuple[str, str], ...]
    hint: str = ""
    # Shown as a filter in the results (ethnicity filters by its broad group).
    filter_field: str = ""


AGE_BANDS = (
    ("under_16", "Under 16"),
    ("16_24", "16 to 24"),
    ("25_34", "25 to 34"),
    ("35_49", "35 to 49"),
    ("50_64", "50 to 64"),
    ("65_74", "65 to 74"),
    ("75_plus", "75 or over"),
    PREFER_NOT,
)

SEX = (("female", "Female"), ("male", "Male"), PREFER_NOT)

GENDER_IDENTITY = (("same", "Yes"), ("different", "No"), PREFER_NOT)

SEXUAL_ORIENTATION = (
    ("straight", "Straight or heterosexual"),
    ("gay_lesbian", "Gay or lesbian"),
    ("bisexual", "Bisexual"),
    ("other", "Other sexual orientation"),
    PREFER_NOT,
)

# (value, label, broad group)
ETHNICITIES = (
    ("white_british", "English, Welsh, Scottish, Northern Irish or British", "white"),
    ("white_irish", "Irish", "white"),
    ("white_gypsy", "Gypsy or Irish Traveller", "white"),
    ("white_roma", "Roma", "white"),
    ("white_other", "Any other White background", "white"),
    ("mixed_white_caribbean", "White and Black Caribbean", "mixed"),
    ("mixed_white_african", "White and Black African", "mixed"),
    ("mixed_white_asian", "White and Asian", "mixed"),
    ("mixed_other", "Any other Mixed or multiple ethnic background", "mixed"),
    ("asian_indian", "Indian", "asian"),
    ("asian_pakistani", "Pakistani", "asian"),
    ("asian_bangladeshi", "Bangladeshi", "asian"),
    ("asian_chinese", "Chinese", "asian"),
    ("asian_other", "Any other Asian background", "asian"),
    ("black_caribbean", "Caribbean", "black"),
    ("black_african", "African", "black"),
    ("black_other", "Any other Black, Black British or Caribbean background", "black"),
    ("other_arab", "Arab", "other"),
    ("other_any", "Any other ethnic group", "other"),
)
ETHNIC_GROUPS = (
    ("white", "White"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("other", "Other ethnic group"),
    PREFER_NOT,
)
ETHNIC_GROUP_OF = {value: group for value, _label, group in ETHNICITIES} | {PREFER_NOT[0]: PREFER_NOT[0]}

RELIGION = (
    ("none", "No religion"),
    ("christian", "Christian"),
    ("buddhist", "Buddhist"),
    ("hindu", "Hindu"),
    ("jewish", "Jewish"),
    ("muslim", "Muslim"),
    ("sikh", "Sikh"),
    ("other", "Any other religion"),
    PREFER_NOT,
)

# Census 2021: a condition lasting 12 months or more, and how much it reduces day-to-day activities; 'a lot'
# or 'a little' is disabled under the Equality Act 2010.
DISABILITY = (
    ("a_lot", "Yes, my day-to-day activities are limited a lot"),
    ("a_little", "Yes, my day-to-day activities are limited a little"),
    ("not_limited", "I have a condition, but it does not limit my day-to-day activities"),
    ("no", "No"),
    PREFER_NOT,
)

CARER = (("yes", "Yes"), ("no", "No"), PREFER_NOT)

QUESTIONS = (
    MonitoringQuestion("age_band", "What is your age?", AGE_BANDS, filter_field="age_band"),
    MonitoringQuestion("sex", "What is your sex?", SEX, filter_field="sex"),
    MonitoringQuestion(
        "gender_identity",
        "Is the gender you identify with the same as your sex registered at birth?",
        GENDER_IDENTITY,
    ),
    MonitoringQuestion(
        "sexual_orientation", "Which of the following best describes your sexual orientation?", SEXUAL_ORIENTATION
    ),
    MonitoringQuestion(
        "ethnicity",
        "What is your ethnic group?",
        tuple((value, label) for value, label, _group in ETHNICITIES) + (PREFER_NOT,),
        filter_field="ethnic_group",
    ),
    MonitoringQuestion("religion", "What is your religion?", RELIGION, filter_field="religion"),
    MonitoringQuestion(
        "disability",
        "Do you have any physical or mental health conditions or illnesses lasting or expected to last 12 months "
        "or more?",
        DISABILITY,
        hint="If yes, do any of them reduce your ability to carry out day-to-day activities?",
        filter_field="disability",
    ),
    MonitoringQuestion(
        "carer",
        "Do you look after, or give any help or support to, anyone because of long-term physical or mental "
        "health conditions or illnesses, or problems related to old age?",
        CARER,
        hint="Do not count anything you do as part of your paid employment.",
        filter_field="carer",
    ),
)
BY_FIELD = {q.field: q for q in QUESTIONS}

# The filters offered on results: field -> (question, choices). Ethnicity is filtered by its broad group.
FILTERS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    q.filter_field: (q.text, ETHNIC_GROUPS if q.filter_field == "ethnic_group" else q.choices)
    for q in QUESTIONS
    if q.filter_field
}


def label(field: str, value: str) -> str:
    """The words for a stored answer ('' when none was given)."""
    if not value:
        return ""
    choices = FILTERS[field][1] if field in FILTERS else BY_FIELD[field].choices
    return dict(choices).get(value, value)
