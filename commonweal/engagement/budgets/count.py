"""The count of a participatory budget, done openly (pure: no Django), and the checks a ballot must pass.

The rule, as the result page states it:
- Each project's votes are the number of ballots that chose it (approval voting) or the points it was given
  (cumulative voting).
- Projects are ranked by votes, most first. Ties are broken by cost, the cheaper first (so the pot funds more),
  then by the order they were proposed, the earlier first.
- Going down the ranking, a project is funded if its cost fits in the money left. A project that does not fit
  is skipped, and the next project that fits is funded, until no project is left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

RULE = (
    "Projects are ranked by their votes, most first. Where two have the same votes, the cheaper comes first, "
    "then the one proposed earlier. Going down the ranking, each project is funded if its cost fits in the "
    "money left; a project that does not fit is skipped and the next one that fits is funded."
)

APPROVAL = "approval"
CUMULATIVE = "cumulative"


@dataclass(frozen=True)
class Project:
    """A feasible project as the count sees it: `order` is its place in the order of proposing."""

    id: int
    cost: Decimal
    votes: int
    order: int


@dataclass(frozen=True)
class Place:
    """A project's line in the result."""

    id: int
    votes: int
    rank: int
    cost: Decimal
    funded: bool
    money_left: Decimal  # after this line


@dataclass(frozen=True)
class Result:
    places: tuple[Place, ...]
    money_left: Decimal

    @property
    def funded(self) -> list[int]:
        return [place.id for place in self.places if place.funded]


def ranked(projects: Iterable[Project]) -> list[Project]:
    """The projects in the order of the published rule: votes, then cheaper, then proposed earlier."""
    return sorted(projects, key=lambda p: (-p.votes, p.cost, p.order, p.id))


def count(projects: Iterable[Project], pot: Decimal) -> Result:
    """Rank the projects and fund them down the ranking while the pot allows (see the module's rule)."""
    if pot < 0:
        raise ValueError("The pot cannot be negative.")
    left = pot
    places = []
    for rank, project in enumerate(ranked(projects), start=1):
        funded = project.cost <= left
        if funded:
            left -= project.cost
        places.append(Place(project.id, project.votes, rank, project.cost, funded, left))
    return Result(tuple(places), left)


def tally(ballots: Iterable[Mapping[int, int]]) -> Counter[int]:
    """Each project's votes from the ballots themselves (project -> points; 1 for approval): the recount anyone
    can do from the published CSV."""
    totals: Counter[int] = Counter()
    for ballot in ballots:
        for project, points in ballot.items():
            totals[project] += points
    return totals


@dataclass(frozen=True)
class Rules:
    method: str
    max_choices: int
    points: int
    max_points_per_project: int


def ballot_problem(rules: Rules, marks: Mapping[int, str], allowed: Sequence[int]) -> tuple[dict[int, int], str]:
    """A ballot as the voter marked it (project -> what they typed or ticked), checked against the rules: the
    choices as project -> points, and '' or the one thing wrong, in a full sentence."""
    unknown = [project for project in marks if project not in set(allowed)]
    if unknown:
        return {}, "One of the projects you chose cannot be voted for in this budget. Choose from the list."
    chosen: dict[int, int] = {}
    if rules.method == APPROVAL:
        chosen = {project: 1 for project, mark in marks.items() if str(mark).strip()}
        if not chosen:
            return {}, "Choose at least one project."
        if len(chosen) > rules.max_choices:
            return {}, (f"You chose {len(chosen)} projects. Choose no more than {rules.max_choices}.")
        return chosen, ""
    for project, mark in marks.items():
        text = str(mark).strip()
        if not text:
            continue
        if len(text) > 6 or not text.lstrip("-").isdigit():
            return {}, "Enter the points for each project as a whole number, like 3, or leave it empty."
        points = int(text)
        if points < 0:
            return {}, "Points cannot be negative. Enter 0 or more for each project."
        if points > rules.max_points_per_project:
            return {}, f"You can give no more than {rules.max_points_per_project} points to one project."
        if points:
            chosen[project] = points
    total = sum(chosen.values())
    if not total:
        return {}, f"Share out your {rules.points} points: give at least one point to a project."
    if total > rules.points:
        return {}, f"You gave {total} points. You have {rules.points} to share out: take {total - rules.points} off."
    return chosen, ""
