"""How money is shown, everywhere: one function for Python and, as `|pounds`, for templates (pure: no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

WHOLE = Decimal("1")
PENNY = Decimal("0.01")


def pounds(value: Any, pence: bool | None = None) -> str:
    """'£1,234' or '£1,234.50'; '' for nothing or for something that is not a number.

    `pence`: None shows pence only when there are some; True always shows them (£1,234.00); False rounds to
    whole pounds (£1,235), for figures where pence would be noise. A negative amount reads '-£12.50'.
    """
    if value is None or value == "":
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not amount.is_finite():
        return ""
    amount = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    if pence is False or (pence is None and amount == amount.to_integral_value()):
        text = f"{amount.quantize(WHOLE, rounding=ROUND_HALF_UP):,}"
    else:
        text = f"{amount:,.2f}"
    return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"


def largest_remainder(total: Decimal, weights: Sequence[Decimal | int], unit: Decimal = WHOLE) -> list[Decimal]:
    """Share `total` in proportion to `weights`, in whole `unit`s (pounds by default), so the shares add up to
    `total` exactly and each is within one unit of its exact share (the largest remainder method).

    Each share is first rounded down to a unit; the units left over go one each to the shares that lost most
    by rounding down, the earlier first among equals. A total that is not a whole number of units (a grant with
    pence) gives its odd pence to the next share in that order, so that one share alone carries them.
    """
    count = len(weights)
    if count == 0:
        return []
    whole = sum((Decimal(w) for w in weights), Decimal(0))
    if whole <= 0:
        raise ValueError("The weights must add up to more than nothing.")
    exact = [total * Decimal(w) / whole for w in weights]
    shares = [(value / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for value in exact]
    left = total - sum(shares, Decimal(0))
    order = sorted(range(count), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order:
        if left <= 0:
            break
        given = unit if left >= unit else left
        shares[i] += given
        left -= given
    return shares
