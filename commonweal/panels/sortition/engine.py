"""select(): a distribution over quota-meeting panels by LEXIMIN, MAXIMIN or the older greedy method."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any, Literal

import numpy as np

from commonweal.panels.sortition import leximin
from commonweal.panels.sortition.distribution import Distribution, probabilities_of, to_people
from commonweal.panels.sortition.legacy import sample_panels
from commonweal.panels.sortition.model import Instance, PoolError, Quota, fold
from commonweal.panels.sortition.oracle import INF
from commonweal.panels.sortition.quotas import check_quotas, simple_upper_bound

METHODS = ("leximin", "maximin", "legacy")
LEGACY_SAMPLES = 1000


def _infeasible(instance: Instance) -> PoolError | None:
    check = check_quotas(instance)
    return None if check.feasible else PoolError(check.problems)


def _distribution(
    instance: Instance,
    method: str,
    panels: tuple[tuple[frozenset[str], float], ...],
    *,
    excluded: set[int],
    bound: float,
    started: float,
    **more: Any,
) -> Distribution:
    """The distribution with each person's chance recomputed from its panels, the minimum over those who fit a
    panel, and the bound: the proven one given, or the simple one where that is lower (or none was proven)."""
    ids = [person.id for person in instance.people]
    chances = probabilities_of(panels, ids)
    included = [chances[ids[i]] for i in range(len(ids)) if i not in excluded]
    low = min(included) if included else 0.0
    bound = min(bound, simple_upper_bound(instance.compiled))
    return Distribution(
        method=method,
        panels=panels,
        probabilities=chances,
        min_probability=low,
        upper_bound=bound,
        gap=max(0.0, bound - low),
        excluded=tuple(sorted(ids[i] for i in excluded)),
        seconds=time.monotonic() - started,
        **more,
    )


def select(
    instance: Instance,
    *,
    method: Literal["leximin", "maximin", "legacy"] = "leximin",
    seed: int | None = None,
    time_limit: float | None = None,
    progress: Callable[[str], None] | None = None,
    samples: int = LEGACY_SAMPLES,
) -> Distribution:
    """The fairest distribution over panels that meet every quota (leximin), or the comparison methods.

    Raises PoolError with the quota check's plain-English problems when no panel meets the quotas. `seed` matters
    only to legacy (leximin and maximin are deterministic); `samples` is legacy's number of panels drawn.
    """
    if method not in METHODS:
        raise PoolError(f"The method must be one of {', '.join(METHODS)}, not {method!r}.")
    started = time.monotonic()
    compiled = instance.compiled
    problem = _infeasible(instance)
    if problem is not None:
        raise problem
    ids = [person.id for person in instance.people]
    if method == "legacy":
        sampled, _failures = sample_panels(compiled, samples=samples, seed=seed or 0)
        if not sampled:
            raise PoolError(
                "The greedy method could not find a panel that meets the quotas in "
                f"{samples} tries; the quotas are possible (leximin finds panels), so use leximin."
            )
        tally = Counter(sampled)
        panels = tuple(
            (frozenset(ids[i] for i in panel), count / len(sampled)) for panel, count in sorted(tally.items())
        )
        return _distribution(instance, method, panels, excluded=set(), bound=INF, started=started)
    result = leximin.find_distribution(compiled, levels=method == "leximin", time_limit=time_limit, progress=progress)
    people_panels = to_people(compiled, result.panels, [float(w) for w in result.weights])
    panels = tuple(
        sorted(
            ((frozenset(ids[i] for i in members), weight) for members, weight in people_panels.items()),
            key=lambda item: (-item[1], sorted(item[0])),
        )
    )
    excluded_people = {i for u in result.excluded_units for i in compiled.units[u].members}
    return _distribution(
        instance,
        method,
        panels,
        excluded=excluded_people,
        bound=result.upper_bound,
        started=started,
        levels=result.levels,
        complete=result.complete,
        oracle_calls=result.oracle_calls,
        groups=tuple(tuple(ids[i] for i in unit.members) for unit in compiled.units),
        group_panels=tuple(
            (tuple(int(c) for c in counts), float(weight))
            for counts, weight in zip(result.panels, result.weights, strict=True)
        ),
    )


def replacement_instance(instance: Instance, *, kept: Collection[str], dropped: Collection[str]) -> Instance:
    """Replacements for drop-outs: choose len(dropped) more, by the same rules, with the kept people counted.

    The candidates are everyone not kept, not dropped and not in a kept person's household; each quota is reduced
    by what the kept people already fill: min' = max(0, min - filled), max' = max(0, max - filled).
    """
    known = {person.id for person in instance.people}
    kept_ids, dropped_ids = set(kept), set(dropped)
    unknown = sorted((kept_ids | dropped_ids) - known)
    problems = [f"{pid} is not in the pool." for pid in unknown]
    both = sorted(kept_ids & dropped_ids)
    problems += [f"{pid} cannot be both kept and dropped." for pid in both]
    if not dropped_ids:
        problems.append("Nobody dropped out, so there is nobody to replace.")
    if problems:
        raise PoolError(problems)
    compiled = instance.compiled
    kept_people = [i for i, person in enumerate(instance.people) if person.id in kept_ids]
    kept_households = {fold(instance.people[i].household or "") for i in kept_people if instance.people[i].household}
    filled = Counter((f, v) for i in kept_people for f, v in enumerate(compiled.person_values[i]))
    quotas = tuple(
        Quota(
            feature=quota.feature,
            value=quota.value,
            min=max(0, quota.min - filled[pair]),
            max=max(0, quota.max - filled[pair]),
        )
        for pair, quota in zip(compiled.quota_of, compiled.quotas, strict=True)
    )
    candidates = tuple(
        person
        for person in instance.people
        if person.id not in kept_ids
        and person.id not in dropped_ids
        and not (person.household and fold(person.household) in kept_households)
    )
    return Instance(people=candidates, quotas=quotas, k=len(dropped_ids))


def probability_levels(probabilities: Collection[float], *, tolerance: float = 1e-6) -> list[float]:
    """The distinct probabilities from the lowest up (within `tolerance`): the leximin 'levels'."""
    levels: list[float] = []
    for value in np.sort(np.fromiter(probabilities, dtype=float)):
        if not levels or value > levels[-1] + tolerance:
            levels.append(float(value))
    return levels
