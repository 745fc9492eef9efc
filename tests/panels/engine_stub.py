"""A stand-in for the sortition engine (H1's commonweal.panels.sortition) until it is merged: the same API, with
a crude random search for panels. Installed by tests/panels/conftest.py only when the real one cannot be
imported; delete once the engine is on main."""

from __future__ import annotations

import hashlib
import random
import sys
import types
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


class PoolError(ValueError):
    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Person:
    id: str
    features: Any
    household: str | None = None


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class Instance:
    people: tuple
    quotas: tuple
    k: int

    def __post_init__(self) -> None:
        if self.k > len(self.people):
            raise PoolError(f"There are only {len(self.people)} volunteers, fewer than the {self.k} people to select.")


@dataclass(frozen=True)
class Relaxation:
    feature: str
    value: str
    bound: str
    current: int
    suggested: int


@dataclass
class QuotaCheck:
    feasible: bool
    problems: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)


@dataclass(frozen=True)
class Distribution:
    method: str
    panels: tuple
    probabilities: dict
    min_probability: float
    upper_bound: float
    gap: float
    excluded: tuple
    seconds: float


def _ok(instance: Instance, panel: list[Person]) -> bool:
    if len({p.household for p in panel if p.household}) < len([p for p in panel if p.household]):
        return False
    for q in instance.quotas:
        n = sum(1 for p in panel if p.features.get(q.feature) == q.value)
        if not q.min <= n <= q.max:
            return False
    return True


def _one(instance: Instance, rng: random.Random) -> list[Person] | None:
    for _ in range(300):
        people = list(instance.people)
        rng.shuffle(people)
        panel: list[Person] = []
        counts: Counter = Counter()
        homes: set = set()
        # people with values still under their min first
        for _round in range(2):
            for p in people:
                if len(panel) == instance.k or p in panel or (p.household and p.household in homes):
                    continue
                fits = all(
                    counts[(q.feature, q.value)] < q.max
                    for q in instance.quotas
                    if p.features.get(q.feature) == q.value
                )
                needed = any(
                    counts[(q.feature, q.value)] < q.min
                    for q in instance.quotas
                    if p.features.get(q.feature) == q.value
                )
                if fits and (needed or _round == 1):
                    panel.append(p)
                    homes.add(p.household)
                    for q in instance.quotas:
                        if p.features.get(q.feature) == q.value:
                            counts[(q.feature, q.value)] += 1
        if len(panel) == instance.k and _ok(instance, panel):
            return panel
    return None


def check_quotas(instance: Instance) -> QuotaCheck:
    if _one(instance, random.Random(0)) is not None:  # noqa: S311 - not a secret
        return QuotaCheck(True)
    relax = []
    for q in instance.quotas:
        have = sum(1 for p in instance.people if p.features.get(q.feature) == q.value)
        if have < q.min:
            relax.append(Relaxation(q.feature, q.value, "min", q.min, have))
    return QuotaCheck(False, ["The quotas cannot all be met."], relax)


def select(
    instance: Instance, method: str = "leximin", seed: Any = None, time_limit: Any = None, progress: Any = None
) -> Distribution:
    rng = random.Random(seed)  # noqa: S311 - a repeatable sequence, not a secret
    panels: Counter = Counter()
    for i in range(60):
        if progress:
            progress(f"panel {i}")
        found = _one(instance, rng)
        if found is None:
            raise PoolError("No panel meets the quotas.")
        panels[frozenset(p.id for p in found)] += 1
    total = sum(panels.values())
    weighted = tuple((panel, n / total) for panel, n in sorted(panels.items(), key=lambda x: sorted(x[0])))
    probs = dict.fromkeys((p.id for p in instance.people), 0.0)
    for panel, w in weighted:
        for i in panel:
            probs[i] += w
    excluded = tuple(i for i, v in probs.items() if v == 0)
    live = [v for v in probs.values() if v > 0]
    low = min(live)
    bound = instance.k / len(instance.people)
    return Distribution(method, weighted, probs, low, bound, bound - low, excluded, 0.1)


def lottery(distribution: Distribution, m: int = 1000, seed: int = 0) -> tuple:
    rng = random.Random(seed)  # noqa: S311 - a repeatable sequence, not a secret
    panels = [p for p, _ in distribution.panels]
    weights = [w for _, w in distribution.panels]
    chosen = rng.choices(panels, weights=weights, k=m)
    return tuple(sorted(chosen, key=lambda p: sorted(p, key=lambda x: (len(x), x))))


def lottery_digest(panels: Any) -> str:
    text = "\n".join(",".join(sorted(p, key=lambda x: (len(x), x))) for p in panels)
    return hashlib.sha256(text.encode()).hexdigest()


def draw(panels: Any, random_number: Any) -> int:
    return int(str(random_number)) % len(panels)


def replacement_instance(instance: Instance, kept: Any = (), dropped: Any = ()) -> Instance:
    kept, dropped = set(kept), set(dropped)
    keepers = [p for p in instance.people if p.id in kept]
    homes = {p.household for p in instance.people if p.id in kept | dropped}
    people = tuple(p for p in instance.people if p.id not in kept | dropped and p.household not in homes)
    quotas = []
    for q in instance.quotas:
        n = sum(1 for p in keepers if p.features.get(q.feature) == q.value)
        quotas.append(Quota(q.feature, q.value, max(0, q.min - n), max(0, q.max - n)))
    return Instance(people, tuple(quotas), len(dropped))


def install() -> None:
    """Put this module in place of commonweal.panels.sortition when the real engine is not there."""
    try:
        import commonweal.panels.sortition  # noqa: F401
    except ImportError:
        module = types.ModuleType("commonweal.panels.sortition")
        for name in (
            "PoolError Person Quota Instance Relaxation QuotaCheck Distribution check_quotas select lottery "
            "lottery_digest draw replacement_instance"
        ).split():
            setattr(module, name, globals()[name])
        sys.modules["commonweal.panels.sortition"] = module
        import commonweal.panels

        commonweal.panels.sortition = module  # type: ignore[attr-defined]
