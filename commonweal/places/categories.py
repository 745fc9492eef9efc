"""The borough profile's characteristics and their ONS Census 2021 categories (pure: no Django).

The profile (population counts by ward and category) is the target for panel quotas and survey weighting, so a
volunteer's or respondent's answers are put in these same categories. Age bands come from the profile itself
(whatever bands the council's Census table has), so only their wording is fixed here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

AGE = "age"
SEX = "sex"
ETHNICITY = "ethnicity"
TENURE = "tenure"
DISABILITY = "disability"
WARD = "ward"

# The characteristics a profile holds for each ward, in the order pages show them. The ward itself is the sixth
# margin: a ward's population is the sum of its counts for any one characteristic.
CHARACTERISTICS: dict[str, str] = {
    AGE: "Age",
    SEX: "Sex",
    ETHNICITY: "Ethnic group",
    TENURE: "Housing tenure",
    DISABILITY: "Disability",
}
MARGINS: dict[str, str] = {WARD: "Ward", **CHARACTERISTICS}

PREFER_NOT_TO_SAY = "Prefer not to say"

SEXES: tuple[str, ...] = ("Female", "Male")

# Census 2021 (TS021) ethnic groups, the five high-level groups used for quotas and weighting.
ETHNIC_GROUPS: tuple[str, ...] = (
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
)
# The GSS harmonised list for England (19 categories): what a person is asked, each mapped to its group.
ETHNICITIES: dict[str, str] = {
    "Indian": ETHNIC_GROUPS[0],
    "Pakistani": ETHNIC_GROUPS[0],
    "Bangladeshi": ETHNIC_GROUPS[0],
    "Chinese": ETHNIC_GROUPS[0],
    "Any other Asian background": ETHNIC_GROUPS[0],
    "Caribbean": ETHNIC_GROUPS[1],
    "African": ETHNIC_GROUPS[1],
    "Any other Black, Black British or Caribbean background": ETHNIC_GROUPS[1],
    "White and Black Caribbean": ETHNIC_GROUPS[2],
    "White and Black African": ETHNIC_GROUPS[2],
    "White and Asian": ETHNIC_GROUPS[2],
    "Any other Mixed or Multiple ethnic background": ETHNIC_GROUPS[2],
    "English, Welsh, Scottish, Northern Irish or British": ETHNIC_GROUPS[3],
    "Irish": ETHNIC_GROUPS[3],
    "Gypsy or Irish Traveller": ETHNIC_GROUPS[3],
    "Roma": ETHNIC_GROUPS[3],
    "Any other White background": ETHNIC_GROUPS[3],
    "Arab": ETHNIC_GROUPS[4],
    "Any other ethnic group": ETHNIC_GROUPS[4],
}

# Census 2021 (TS054) tenure, in three groups.
TENURES: tuple[str, ...] = (
    "Owned (outright, with a mortgage or shared ownership)",
    "Social rented",
    "Private rented or lives rent free",
)

# Census 2021 (TS038): disabled under the Equality Act 2010 means day-to-day activities limited a lot or a little.
DISABILITIES: tuple[str, ...] = ("Disabled under the Equality Act", "Not disabled under the Equality Act")

# The fixed categories; age bands come from the profile.
CATEGORIES: dict[str, tuple[str, ...]] = {
    SEX: SEXES,
    ETHNICITY: ETHNIC_GROUPS,
    TENURE: TENURES,
    DISABILITY: DISABILITIES,
}

_BAND = re.compile(r"^(?:aged\s+)?(\d+)\s*(?:to|-|–)\s*(\d+)(?:\s*years?)?$", re.IGNORECASE)
_OPEN_BAND = re.compile(r"^(?:aged\s+)?(\d+)\s*(?:years?\s*)?(?:and over|or over|\+|and older)$", re.IGNORECASE)


def age_band_label(text: str) -> str | None:
    """'Aged 16 to 24 years' -> '16 to 24'; 'Aged 65 years and over' or '65+' -> '65 and over'; else None."""
    text = " ".join(text.split())
    if match := _BAND.match(text):
        low, high = int(match[1]), int(match[2])
        return f"{low} to {high}" if low <= high else None
    if match := _OPEN_BAND.match(text):
        return f"{int(match[1])} and over"
    return None


def age_band_bounds(label: str) -> tuple[int, int | None]:
    """The first and last age of a band label made by age_band_label (None: no upper end)."""
    normal = age_band_label(label)
    if normal is None:
        raise ValueError(f"{label!r} is not an age band such as '16 to 24' or '65 and over'.")
    numbers = [int(part) for part in re.findall(r"\d+", normal)]
    return (numbers[0], numbers[1]) if len(numbers) == 2 else (numbers[0], None)


def age_band(age: int, bands: Sequence[str]) -> str | None:
    """The band among `bands` that holds `age`, or None when no band does (too young for the panel, say)."""
    for label in bands:
        low, high = age_band_bounds(label)
        if age >= low and (high is None or age <= high):
            return label
    return None
