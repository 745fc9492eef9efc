"""The code an authenticator app would show now, for tests that sign in with one."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import hotp_value

STEP = 30  # seconds a code lasts (allauth's default, with no tolerance either side)
ROOM = 10  # seconds left in a step that a test needs to type the code and have it checked


def current_code(secret: str) -> str:
    """The code for this 30-second step; if the step ends within ROOM seconds, the next step's code, once it
    starts, so a slow browser or a busy machine never hands in a code whose step has passed."""
    left = STEP - time.time() % STEP
    if left < ROOM:
        time.sleep(left + 0.2)
    return str(hotp_value(secret, int(time.time()) // STEP)).zfill(6)
