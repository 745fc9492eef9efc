"""What every app's demo loader shares: the demo accounts' password and email domain.

Here in core, below every app, so that directory, funding and home load their demo records without importing
each other (or upward) for them."""

from __future__ import annotations

DEMO_PASSWORD = "commonweal-demo"  # noqa: S105 - printed on purpose: these accounts exist only in the demo
DEMO_EMAIL_DOMAIN = "demo.commonweal.test"
