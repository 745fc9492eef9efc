"""The kept aggregates of a consultation's results: counts per question, option, ward and monitoring answer,
kept up to date as each response is submitted, so the results page reads a few hundred rows, not 50,000
responses. The analysis area owns the tables (analysis/models) and the reading; responding calls `count_response`
inside the transaction that submits a response, so a response is counted exactly once or not at all.
"""

from __future__ import annotations

from .models import Response


def count_response(response: Response) -> None:
    """Add one submitted response to its consultation's kept counts (in the caller's transaction)."""
    # Filled in by the analysis area.
    return None
