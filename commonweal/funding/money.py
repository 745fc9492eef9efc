"""Sharing an amount of money fairly between the themes or wards a grant serves (pure: no Django imports).

A grant against two themes counts half against each theme's budget and figures, so that totals by theme
(or by ward) add up to the money actually awarded. Pennies left over go to the first keys in order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
PENNY = Decimal("0.01")


def split_equally(amount: Decimal, keys: Sequence[K]) -> dict[K, Decimal]:
    """Split `amount` equally between `keys` to the penny; the shares add up to `amount` exactly."""
    if not keys:
        return {}
    unique = list(dict.fromkeys(keys))
    share = (amount / len(unique)).quantize(PENNY, rounding=ROUND_DOWN)
    shares = dict.fromkeys(unique, share)
    left = amount - share * len(unique)
    for key in unique:
        if left <= 0:
            break
        shares[key] += PENNY
        left -= PENNY
    return shares


def total_by(items: Iterable[tuple[Decimal, Sequence[K]]]) -> dict[K, Decimal]:
    """Add up (amount, keys) pairs, each amount split equally between its keys."""
    totals: dict[K, Decimal] = {}
    for amount, keys in items:
        for key, share in split_equally(amount, keys).items():
            totals[key] = totals.get(key, Decimal("0")) + share
    return totals


def leverage(external: Decimal, council: Decimal) -> Decimal | None:
    """External pounds attracted per council pound, to two places; None when the council gave nothing."""
    if council <= 0:
        return None
    return (external / council).quantize(PENNY)
