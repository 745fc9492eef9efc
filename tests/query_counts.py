"""The vocabulary of the query-count cases (tests/test_query_counts.py), shared by every area's cases.

A case names a list route, the role that sees it, and how to make the n-th row it lists (returning the text the
page shows for that row). Each area keeps its cases beside its permission-matrix rows (tests/<area>/query_counts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Context = dict[str, Any]


def no_args(context: Context) -> list[Any]:
    return []


@dataclass(frozen=True)
class ListCase:
    name: str
    role: str
    # Makes the n-th row the page lists, with what a real row has beside it; returns the text the page shows for it.
    make: Callable[[Context, int], str]
    args: Callable[[Context], list[Any]] = no_args
    # How many rows one page shows: the page must show this many of the 50 (or all 50).
    per_page: int = 50
    # Makes what every row hangs from (a round, a consultation), once, before the rows.
    setup: Callable[[Context], None] | None = None
    # Tells apart two cases of one route (in the test's id).
    variant: str = ""
    # Queries a page adds once, and only once, when it is full: it cannot tell from its own rows how many there
    # are in all, so it counts them (a part-full first page is all there is).
    counts_when_full: int = 0

    @property
    def id(self) -> str:
        return f"{self.name}{'-' + self.variant if self.variant else ''}"


def label(kind: str, n: int) -> str:
    """A row's name, unique among the 50 and no prefix of another's."""
    return f"Listed {kind} {n:03d}"
