"""How money is shown, everywhere: one function for Python and, as `|pounds`, for templates (pure: no Django)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
