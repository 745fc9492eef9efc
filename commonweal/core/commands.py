"""What more than one app's management commands share."""

from __future__ import annotations

import argparse
from datetime import date


def a_date(text: str) -> date:
    """A command's --today argument: a date written as YYYY-MM-DD; argparse prints the message and exits 2."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"give a date written as YYYY-MM-DD, for example 2026-12-24, not {text!r}."
        ) from error
