"""How well search puts the right services first: precision at 5 over a set of everyday queries.

The set (search_data/relevance.json) says, for each query a resident types, which services are right: those in
some categories, or with some words in their names. Precision at 5 is the share of the first five results on the
'Find help' page that are right, out of five, or out of however many right ones the directory holds if fewer.
The test suite holds it to a floor on the demo borough; `make bench` prints it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Service
from .queries import find_help
from .search import SearchQuery

RELEVANCE_SET = Path(__file__).with_name("search_data") / "relevance.json"
TOP = 5


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str
    categories: frozenset[str]
    names: tuple[str, ...]

    def is_right(self, listed: Listed) -> bool:
        return bool(self.categories & listed.codes) or any(part in listed.name for part in self.names)


@dataclass(frozen=True)
class Listed:
    """What a judgement looks at in a public service: its categories and its name (lower case)."""

    organisation_id: int
    name: str
    codes: frozenset[str]


def directory() -> dict[int, Listed]:
    """Every public service, by id, as judgements see it."""
    services = Service.objects.public().prefetch_related("terms").only("id", "name", "organisation_id")
    return {s.pk: Listed(s.organisation_id, s.name.lower(), frozenset(t.code for t in s.terms.all())) for s in services}


@dataclass(frozen=True)
class Measured:
    judgement: Judgement
    shown: list[str]  # the names of the first results, in order
    right: int  # how many of them are right
    possible: int  # how many right ones there could be, at most TOP

    @property
    def precision(self) -> float:
        return self.right / self.possible if self.possible else 1.0


def judgements(path: Path = RELEVANCE_SET) -> list[Judgement]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return [
        Judgement(
            query=row["query"],
            kind=row["kind"],
            categories=frozenset(row.get("categories", ())),
            names=tuple(name.lower() for name in row.get("names", ())),
        )
        for row in data["queries"]
    ]


def measure(judgement: Judgement, listed: dict[int, Listed]) -> Measured:
    """The first TOP results of the 'Find help' page for the query, judged."""
    found = find_help(SearchQuery(words=judgement.query), page=1, per_page=TOP)
    services = [result.service for result in found["results"]]
    right = sum(s.pk in listed and judgement.is_right(listed[s.pk]) for s in services)
    # A service listed under one name by one organisation at several places is one result.
    possible = len({(x.organisation_id, x.name) for x in listed.values() if judgement.is_right(x)})
    return Measured(judgement, [s.name for s in services], right, min(TOP, possible))


def measure_all(path: Path = RELEVANCE_SET) -> list[Measured]:
    listed = directory()
    return [measure(judgement, listed) for judgement in judgements(path)]


def precision_at_5(measured: list[Measured]) -> float:
    return sum(m.precision for m in measured) / len(measured) if measured else 0.0


def report(measured: list[Measured]) -> str:
    """Precision at 5 overall and by kind of query, then each query that missed."""
    kinds = sorted({m.judgement.kind for m in measured})
    lines = [f"Precision at {TOP} over {len(measured)} everyday queries: {precision_at_5(measured):.2f}"]
    for kind in kinds:
        some = [m for m in measured if m.judgement.kind == kind]
        lines.append(f"  {kind:<10}{precision_at_5(some):>6.2f}  ({len(some)} queries)")
    for m in measured:
        if m.precision < 1:
            lines.append(f"  missed: {m.judgement.query!r} {m.right}/{m.possible}: {', '.join(m.shown) or 'nothing'}")
    return "\n".join(lines)
