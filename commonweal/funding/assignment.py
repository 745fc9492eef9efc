"""Giving applications to assessors with a balanced load: a pure algorithm, no Django.

Each application needs a number of assessors. For each application in turn (in the order given) the
least-loaded assessors it may have are chosen, ties broken by the assessor's id so the same input always
gives the same plan. An assessor may not be given an application they are excluded from (a member of the
applicant organisation, or one who declared a conflict) nor one they already have.

Without exclusions, picking the least-loaded keeps every two assessors' loads within one of each other;
exclusions can only push that apart where there is no one else to choose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Plan:
    """The new (application, assessor) pairs, and the applications left short of assessors."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    short: list[int] = field(default_factory=list)


def plan_assignments(
    *,
    applications: Sequence[int],
    assessors: Iterable[int],
    per_application: int,
    current: Mapping[int, Iterable[int]] | None = None,
    active_counts: Mapping[int, int] | None = None,
    excluded: Mapping[int, Iterable[int]] | None = None,
    load: Mapping[int, int] | None = None,
) -> Plan:
    """Choose assessors so each application has `per_application` active ones.

    current: application → assessors already on it in any state (never chosen again);
    active_counts: application → how many of those still count (a conflicted one does not);
    excluded: application → assessors who may not assess it;
    load: assessor → applications they already have that count towards their load.
    """
    pool = sorted(set(assessors))
    loads = {assessor: (load or {}).get(assessor, 0) for assessor in pool}
    plan = Plan()
    for application in applications:
        taken = set((current or {}).get(application, ()))
        taken.update((excluded or {}).get(application, ()))
        have = (active_counts or {}).get(application, 0)
        need = per_application - have
        if need <= 0:
            continue
        eligible = sorted((loads[a], a) for a in pool if a not in taken)
        chosen = [assessor for _, assessor in eligible[:need]]
        for assessor in chosen:
            loads[assessor] += 1
            plan.pairs.append((application, assessor))
        if len(chosen) < need:
            plan.short.append(application)
    return plan


def least_loaded(*, candidates: Iterable[int], load: Mapping[int, int]) -> int | None:
    """The candidate with the fewest applications (the lowest id among equals), or None if there is none."""
    ranked = sorted((load.get(candidate, 0), candidate) for candidate in set(candidates))
    return ranked[0][1] if ranked else None
