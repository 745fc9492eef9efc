"""A verifiable lottery: the distribution rounded to m equally likely numbered panels, and the public draw.

Following Flanigan, Kehne and Procaccia ('Fair Sortition Made Transparent', NeurIPS 2021): each panel gets
floor(m·λ) copies and the remainders are rounded by dependent rounding in the style of Beck and Fiala: a random
move (from a seeded generator) along a direction that keeps the total at m and keeps the count of every group that
still sits in more than k undecided panels, until every remainder is 0 or 1. The interchangeable people of a group
then take the group's seats in turn, so each person's number of panels differs from m times their probability by
about k or less in the worst case (in practice by one or two), a probability change of about k/m.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from commonweal.panels.sortition.distribution import Distribution
from commonweal.panels.sortition.model import PoolError

EPSILON = 1e-9


def _null_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis (as columns) of the vectors the matrix sends to zero."""
    if matrix.shape[0] == 0:
        return np.eye(matrix.shape[1])
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-10 * max(1.0, singular[0] if len(singular) else 1.0)).sum())
    return vt[rank:].T.copy()


def round_copies(chances: np.ndarray, weights: np.ndarray, *, m: int, k: int, seed: int) -> np.ndarray:
    """How many of the m lottery panels each panel gets: the expected number m·λ, rounded dependently.

    `chances[P, u]` is the chance panel P gives each person of group u. The total stays m; while a group sits in
    more than k panels still fractional, its expected number of seats stays exact, so it moves by less than k.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    expected = m * np.asarray(weights, dtype=float)
    copies = np.floor(expected + EPSILON)
    fraction = np.clip(expected - copies, 0.0, 1.0)
    fraction[fraction < EPSILON] = 0.0
    while True:
        open_ = np.flatnonzero((fraction > EPSILON) & (fraction < 1 - EPSILON))
        if len(open_) == 0:
            break
        if len(open_) == 1:  # the total is whole, so a lone remainder is already 0 or 1 up to rounding
            fraction[open_] = np.round(fraction[open_])
            break
        sub = chances[open_]
        load = sub.sum(axis=0)
        order = np.argsort(-load, kind="stable")
        kept_rows = [u for u in order if load[u] > k]
        while True:
            matrix = np.vstack([np.ones(len(open_)), sub[:, kept_rows].T]) if kept_rows else np.ones((1, len(open_)))
            basis = _null_space(matrix)
            if basis.shape[1]:
                break
            kept_rows.pop()  # the least loaded constrained group is let go (rare: only with few open panels)
        # move in random directions of the null space; each step settles at least one remainder
        while basis.shape[1] and len(open_) > 1:
            direction = basis @ rng.standard_normal(basis.shape[1])
            current = fraction[open_]
            up = np.where(direction > EPSILON, (1 - current) / np.where(direction > EPSILON, direction, 1), np.inf)
            up = np.minimum(
                up, np.where(direction < -EPSILON, current / np.where(direction < -EPSILON, -direction, 1), np.inf)
            )
            down = np.where(direction > EPSILON, current / np.where(direction > EPSILON, direction, 1), np.inf)
            down = np.minimum(
                down,
                np.where(direction < -EPSILON, (1 - current) / np.where(direction < -EPSILON, -direction, 1), np.inf),
            )
            alpha, beta = float(up.min()), float(down.min())
            if not np.isfinite(alpha) or not np.isfinite(beta):
                break
            step = alpha if rng.random() < beta / (alpha + beta) else -beta
            current = np.clip(current + step * direction, 0.0, 1.0)
            current[current < EPSILON] = 0.0
            current[current > 1 - EPSILON] = 1.0
            fraction[open_] = current
            settled = (current == 0.0) | (current == 1.0)
            if not settled.any():
                break
            # the null space restricted to the panels still open: eliminate each settled coordinate
            for j in np.flatnonzero(settled):
                if basis.shape[1] == 0:
                    break
                column = int(np.argmax(np.abs(basis[j])))
                pivot = basis[j, column]
                if abs(pivot) > 1e-12:
                    basis = basis - np.outer(basis[:, column], basis[j] / pivot)
                    basis = np.delete(basis, column, axis=1)
            keep = ~settled
            basis = basis[keep]
            open_ = open_[keep]
    result = copies + np.round(fraction)
    shortfall = int(m - result.sum())
    if shortfall:  # floating point only: settle on the largest remainders
        order = np.argsort(-(expected - result), kind="stable")
        for p in order[: abs(shortfall)]:
            result[p] += 1 if shortfall > 0 else -1
    return result.astype(np.int64)


def lottery(distribution: Distribution, *, m: int = 1000, seed: int = 0) -> tuple[frozenset[str], ...]:
    """A uniform lottery over exactly m panels whose chances match the distribution's to about k/m.

    The same distribution, m and seed always give the same list, in a canonical order (each panel's ids sorted, the
    panels sorted by them), so anyone re-running it gets the same numbered list.
    """
    if not isinstance(m, int) or isinstance(m, bool) or m < 1:
        raise PoolError(f"The number of panels in the lottery must be a whole number of at least 1, not {m!r}.")
    if not distribution.panels:
        raise PoolError("The distribution has no panels to draw from.")
    if distribution.groups:
        groups = [list(members) for members in distribution.groups]
        counts = np.array([list(counts) for counts, _ in distribution.group_panels], dtype=np.int64)
        weights = np.array([weight for _, weight in distribution.group_panels])
    else:
        ids = sorted({person for members, _ in distribution.panels for person in members})
        index = {person: i for i, person in enumerate(ids)}
        groups = [[person] for person in ids]
        counts = np.zeros((len(distribution.panels), len(ids)), dtype=np.int64)
        for p, (members, _) in enumerate(distribution.panels):
            counts[p, [index[person] for person in members]] = 1
        weights = np.array([weight for _, weight in distribution.panels])
    sizes = np.array([len(members) for members in groups], dtype=float)
    k = int(counts[0].sum())
    copies = round_copies(counts / sizes, weights / weights.sum(), m=m, k=k, seed=seed)
    turn = [0] * len(groups)  # each group's people take its seats in turn
    panels: list[frozenset[str]] = []
    for p in range(len(counts)):
        for _ in range(int(copies[p])):
            chosen: list[str] = []
            for u in np.flatnonzero(counts[p]):
                group, seats = groups[u], int(counts[p, u])
                chosen.extend(group[(turn[u] + j) % len(group)] for j in range(seats))
                turn[u] = (turn[u] + seats) % len(group)
            panels.append(frozenset(chosen))
    return tuple(sorted(panels, key=lambda panel: sorted(panel)))


def canonical_text(panels: Sequence[frozenset[str]]) -> str:
    """The published list: one line a panel, 'number: id,id,...' with the panel's ids sorted, numbered from 0."""
    return "".join(f"{number}: {','.join(sorted(panel))}\n" for number, panel in enumerate(panels))


def lottery_digest(panels: Sequence[frozenset[str]]) -> str:
    """The SHA-256 (hex) of the published list's canonical text, published before the draw so it cannot change."""
    return hashlib.sha256(canonical_text(panels).encode("utf-8")).hexdigest()


def draw(panels: Sequence[frozenset[str]], random_number: str | int) -> int:
    """The public draw: which numbered panel (0 to m-1) a published random number chooses.

    The rule: read the random number as a whole number N (digits only, e.g. as read out at a meeting; spaces
    between groups of digits are ignored) and take panel number N mod m, where m is the number of panels in the
    published list. Anyone with the published list and the number gets the same panel.
    """
    if not panels:
        raise PoolError("There are no panels to draw from.")
    if isinstance(random_number, bool):
        raise PoolError("The random number must be digits.")
    if isinstance(random_number, int):
        if random_number < 0:
            raise PoolError("The random number must not be negative.")
        return random_number % len(panels)
    digits = "".join(str(random_number).split())
    if not digits or not digits.isascii() or not digits.isdigit():
        raise PoolError(f"The random number must be digits only, not '{random_number}'.")
    return int(digits) % len(panels)
