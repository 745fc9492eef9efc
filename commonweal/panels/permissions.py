"""Who may do what with the citizens' panel: the one place views, services and queries ask.

- Anyone may volunteer, and read a selection once its lottery is published (its quotas, certificate, the m
  panels and the inputs to re-run it), never a name.
- A volunteer sees their own status: signed in (their account) or through the link emailed to them.
- The panel is run as engagement is (engagement/permissions.py): officers, stewards and administrators see the
  pool with its personal data, import it, and make, run, publish and draw selections.
"""

from __future__ import annotations

from typing import Any

from commonweal.engagement.permissions import is_steward, runs_engagement, signed_in

__all__ = ["is_steward", "runs_panel", "signed_in"]


def runs_panel(user: Any) -> bool:
    """May see the pool and run selections: officers, stewards and administrators."""
    return runs_engagement(user)
