"""Sharing an amount of money fairly between the themes or wards a grant serves (pure: no Django imports).

A grant against two themes counts half against each theme's budget and figures, so that totals by theme
(or by ward) add up to the money actually awarded. Payments are split to the penny; the shares that public
figures show by ward and theme are whole pounds (core.money.WHOLE), which add up to the grant all the same.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from commonweal.core.money import largest_remainder

K = TypeVar("K", bound=Hashable)
PENNY = Decimal("0.01")


def split_equally(amount: Decimal, keys: Sequence[K], unit: Decimal = PENNY) -> dict[K, Decimal]:
    """Split `amount` equally between `keys` in whole `unit`s (pennies unless told: pass WHOLE for whole pounds);
    the shares add up to `amount` exactly, what is left over going to the first keys (core.money's largest
    remainder)."""
    unique = list(dict.fromkeys(keys))
    return dict(zip(unique, largest_remainder(amount, [1] * len(unique), unit), strict=True))


def total_by(items: Iterable[tuple[Decimal, Sequence[K]]], unit: Decimal = PENNY) -> dict[K, Decimal]:
    """Add up (amount, keys) pairs, each amount split equally between its keys in whole `unit`s."""
    totals: dict[K, Decimal] = {}
    for amount, keys in items:
        for key, share in split_equally(amount, keys, unit).items():
            totals[key] = totals.get(key, Decimal("0")) + share
    return totals


def leverage(external: Decimal, council: Decimal) -> Decimal | None:
    """External pounds attracted per council pound, to two places; None when the council gave nothing."""
    if council <= 0:
        return None
    return (external / council).quantize(PENNY)
