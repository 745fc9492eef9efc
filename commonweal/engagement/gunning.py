"""The Gunning check: what a consultation must have, and what weakens it, under each of the four principles
(R v Brent LBC ex p Gunning, 1985; Coughlan, 2001; Moseley, 2014).

A pure module (no Django import): the facts of one consultation go in (`Facts`), its findings come out
(`check`). The same findings drive the officer's pages, the refusal to publish and the public page, so what an
officer is told to fix is exactly what stops a consultation opening.

- A finding that is `required` stops the check being marked complete and the consultation being published.
- A warning does not: it is shown, and publishing needs the officer to say they have read it.

Each finding names the field it is about (the model's field name, or `documents`, `eqia`) and is a full
sentence that says what to do.

Dates: a consultation opens at the start of `opens_on` and closes at the end of `closes_on`, so it runs for
`(closes_on - opens_on).days + 1` days; a week is seven of them. Exactly the council's minimum passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from commonweal.core import workdays

FORMATIVE, INFORMATION, TIME, CONSIDERATION = 1, 2, 3, 4
PRINCIPLES = {
    FORMATIVE: "The proposal is at a formative stage",
    INFORMATION: "Sufficient reasons and information are given",
    TIME: "Adequate time is allowed",
    CONSIDERATION: "Responses will be conscientiously considered",
}
# Words that say a decision has already been made: a consultation whose papers use them looks predetermined.
DECIDED_WORDS = ("approved", "agreed", "has been decided", "contract signed", "will go ahead")
# Below this many characters a proposal is too thin to stand without a consultation document.
PROPOSAL_ENOUGH = 200
EQIA_ROWS = 10
CHRISTMAS_BREAK = ((12, 24), (1, 1))  # 24 December to 1 January

# What each field is called on the officer's pages, for a finding to name it.
FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary in plain English",
    "proposal": "What is proposed",
    "options_open": "What is still open",
    "decision_maker": "Who makes the decision",
    "decision_due_on": "When the decision is planned",
    "formative_statement": "Why the proposal is still at a formative stage",
    "information_statement": "The reasons and information given",
    "documents": "Documents",
    "eqia": "Equality impact assessment",
    "opens_on": "Opens",
    "closes_on": "Closes",
    "short_period_reason": "Why it runs for less than the usual length",
    "wards": "Wards affected",
    "consideration_plan": "How the responses will be considered",
    "considered_by": "Who will consider them",
}


@dataclass(frozen=True)
class Holiday:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Facts:
    """What the check reads about one consultation, and the council's rules."""

    summary: str = ""
    proposal: str = ""
    options_open: str = ""
    decision_maker: str = ""
    decision_due_on: date | None = None
    formative_statement: str = ""
    information_statement: str = ""
    consultation_documents: int = 0
    has_easy_read: bool = False
    # The launch assessment's rows: how many characteristics are assessed, and those with a negative impact
    # and no mitigation (their names).
    eqia_rows: int = 0
    negative_unmitigated: tuple[str, ...] = ()
    opens_on: date | None = None
    closes_on: date | None = None
    short_period_reason: str = ""
    consideration_plan: str = ""
    considered_by: str = ""
    # The affected wards' names, and those of them with a published event planned while it is open.
    wards: tuple[str, ...] = ()
    wards_with_events: frozenset[str] = frozenset()
    school_holidays: tuple[Holiday, ...] = ()
    # The council's rules.
    minimum_weeks: int = 2
    default_weeks: int = 12
    nation: str = workdays.ENGLAND
    # The day the check is made, and whether it is made for publishing (then the opening date may not have
    # passed); a published consultation's check is read without that rule.
    today: date | None = None
    publishing: bool = True


@dataclass(frozen=True)
class Finding:
    principle: int
    field: str
    message: str
    required: bool

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class Findings:
    items: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def missing(self) -> list[Finding]:
        return [f for f in self.items if f.required]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if not f.required]

    @property
    def complete(self) -> bool:
        """Nothing required is missing (warnings may remain)."""
        return not self.missing

    def for_principle(self, principle: int) -> list[Finding]:
        return [f for f in self.items if f.principle == principle]

    def missing_in(self, fields: Iterable[str]) -> list[Finding]:
        wanted = set(fields)
        return [f for f in self.missing if f.field in wanted]

    def warnings_in(self, fields: Iterable[str]) -> list[Finding]:
        wanted = set(fields)
        return [f for f in self.warnings if f.field in wanted]


def _blank(text: str) -> bool:
    return not (text or "").strip()


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _names(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def running_days(opens_on: date, closes_on: date) -> int:
    """The days a consultation is open: all of its first day to all of its last."""
    return (closes_on - opens_on).days + 1


def decided_words(text: str) -> list[str]:
    """The words in `text` that say a decision is already made, in the order of DECIDED_WORDS."""
    lowered = " ".join((text or "").lower().split())
    return [word for word in DECIDED_WORDS if re.search(rf"\b{re.escape(word)}\b", lowered)]


def overlap_days(start: date, end: date, other_start: date, other_end: date) -> int:
    """How many days two periods (each including both ends) share."""
    first, last = max(start, other_start), min(end, other_end)
    return max(0, (last - first).days + 1)


def bank_holidays_between(start: date, end: date, nation: str) -> list[tuple[date, str]]:
    """The bank holidays of the council's nation from `start` to `end`, both included."""
    found = []
    day = start
    while day <= end:
        name = workdays.holiday_name(day, nation)
        if name:
            found.append((day, name))
        day += timedelta(days=1)
    return found


def _christmas_overlaps(start: date, end: date) -> bool:
    (first_month, first_day), (last_month, last_day) = CHRISTMAS_BREAK
    for year in range(start.year - 1, end.year + 1):
        if overlap_days(start, end, date(year, first_month, first_day), date(year + 1, last_month, last_day)):
            return True
    return False


def _formative(facts: Facts) -> list[Finding]:
    found = []
    if _blank(facts.decision_maker):
        found.append(Finding(FORMATIVE, "decision_maker", "Enter who makes the decision, such as Cabinet.", True))
    if facts.decision_due_on is None:
        found.append(Finding(FORMATIVE, "decision_due_on", "Enter when the decision is planned.", True))
    elif facts.closes_on is not None and facts.decision_due_on <= facts.closes_on:
        found.append(
            Finding(
                FORMATIVE,
                "decision_due_on",
                f"The decision is planned for {_day(facts.decision_due_on)}, but the consultation closes on "
                f"{_day(facts.closes_on)}: plan the decision for after it closes, with time to read the responses.",
                True,
            )
        )
    if _blank(facts.formative_statement):
        found.append(
            Finding(
                FORMATIVE,
                "formative_statement",
                "Say why the proposal is still at a formative stage: that no decision has been made.",
                True,
            )
        )
    if _blank(facts.options_open):
        found.append(
            Finding(
                FORMATIVE,
                "options_open",
                "Say what is still open: the options being considered and what can change because of what people say.",
                True,
            )
        )
    for name, text in (("summary", facts.summary), ("proposal", facts.proposal)):
        words = decided_words(text)
        if words:
            quoted = _names(f"‘{w}’" for w in words)
            found.append(
                Finding(
                    FORMATIVE,
                    name,
                    f"{FIELD_LABELS[name]} says {quoted}, which reads as if the decision is already made. "
                    "Check the wording: a decision made before consulting can be quashed.",
                    False,
                )
            )
    return found


def _information(facts: Facts) -> list[Finding]:
    found = []
    if _blank(facts.summary):
        found.append(Finding(INFORMATION, "summary", "Enter a summary of the proposal in plain English.", True))
    if _blank(facts.proposal):
        found.append(Finding(INFORMATION, "proposal", "Enter what is proposed.", True))
    if _blank(facts.information_statement):
        found.append(
            Finding(
                INFORMATION,
                "information_statement",
                "Say what reasons and information are given, so that people can respond intelligently.",
                True,
            )
        )
    if facts.consultation_documents == 0 and len((facts.proposal or "").strip()) < PROPOSAL_ENOUGH:
        found.append(
            Finding(
                INFORMATION,
                "documents",
                f"Upload a consultation document, or explain the proposal in at least {PROPOSAL_ENOUGH} "
                "characters: there is not enough for people to understand it.",
                True,
            )
        )
    if facts.eqia_rows < EQIA_ROWS:
        found.append(
            Finding(
                INFORMATION,
                "eqia",
                f"Complete the equality impact assessment: {facts.eqia_rows} of its {EQIA_ROWS} characteristics "
                "are assessed.",
                True,
            )
        )
    if not facts.has_easy_read:
        found.append(
            Finding(
                INFORMATION,
                "documents",
                "There is no easy read version. Without one, people with a learning disability may not be able to "
                "take part.",
                False,
            )
        )
    if facts.negative_unmitigated:
        found.append(
            Finding(
                INFORMATION,
                "eqia",
                f"The equality impact assessment finds a negative impact with no mitigation for "
                f"{_names(facts.negative_unmitigated).lower()}: say how it will be reduced.",
                False,
            )
        )
    return found


def _time(facts: Facts) -> list[Finding]:
    found = []
    if facts.opens_on is None:
        found.append(Finding(TIME, "opens_on", "Enter the date it opens.", True))
    if facts.closes_on is None:
        found.append(Finding(TIME, "closes_on", "Enter the date it closes.", True))
    if facts.opens_on is None or facts.closes_on is None:
        return found
    opens, closes = facts.opens_on, facts.closes_on
    if closes < opens:
        return [Finding(TIME, "closes_on", "The closing date must be the same as or after the opening date.", True)]
    if facts.publishing and facts.today is not None and opens < facts.today:
        found.append(
            Finding(
                TIME,
                "opens_on",
                f"It would open on {_day(opens)}, which has passed: choose an opening date of today or later.",
                True,
            )
        )
    days = running_days(opens, closes)
    length = _plural(days, "day")
    if days < facts.minimum_weeks * 7:
        found.append(
            Finding(
                TIME,
                "closes_on",
                f"It runs for {length}; the council's shortest is {_plural(facts.minimum_weeks, 'week')}. "
                "Choose a later closing date.",
                True,
            )
        )
    elif days < facts.default_weeks * 7 and _blank(facts.short_period_reason):
        found.append(
            Finding(
                TIME,
                "short_period_reason",
                f"It runs for {length}, less than the usual {_plural(facts.default_weeks, 'week')}: "
                "say why a shorter period is proportionate.",
                True,
            )
        )
    overlaps = [(h, overlap_days(opens, closes, h.starts_on, h.ends_on)) for h in facts.school_holidays]
    overlaps = [(h, n) for h, n in overlaps if n]
    if overlaps:
        named = _names(f"{h.name} ({_plural(n, 'day')})" for h, n in overlaps)
        total = sum(n for _, n in overlaps)
        found.append(
            Finding(
                TIME,
                "closes_on",
                f"It runs over {_plural(len(overlaps), 'school holiday')}, {_plural(total, 'day')} in all: {named}. "
                "Fewer parents and young people may respond; consider running it longer.",
                False,
            )
        )
    if _christmas_overlaps(opens, closes):
        found.append(
            Finding(
                TIME,
                "closes_on",
                "It runs over the Christmas and New Year break, when fewer people respond; consider running it longer.",
                False,
            )
        )
    banks = bank_holidays_between(opens, closes, facts.nation)
    if banks:
        named = _names(f"{name} ({_day(day)})" for day, name in banks)
        found.append(Finding(TIME, "closes_on", f"It runs over {_plural(len(banks), 'bank holiday')}: {named}.", False))
    without = [ward for ward in facts.wards if ward not in facts.wards_with_events]
    if without:
        found.append(
            Finding(
                TIME,
                "wards",
                f"No event is planned while it is open in {_plural(len(without), 'affected ward')}: "
                f"{_names(without)}. Plan one so people who do not go online can take part.",
                False,
            )
        )
    return found


def _consideration(facts: Facts) -> list[Finding]:
    found = []
    if _blank(facts.consideration_plan):
        found.append(Finding(CONSIDERATION, "consideration_plan", "Say how the responses will be considered.", True))
    if _blank(facts.considered_by):
        found.append(Finding(CONSIDERATION, "considered_by", "Say who will consider the responses.", True))
    return found


def check(facts: Facts) -> Findings:
    """Every finding for one consultation, principle by principle, required ones before warnings within each."""
    items: list[Finding] = []
    for rule in (_formative, _information, _time, _consideration):
        found = rule(facts)
        items += [f for f in found if f.required] + [f for f in found if not f.required]
    return Findings(tuple(items))
