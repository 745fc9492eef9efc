"""The demo borough served by `make demo`: production-like, on localhost, plainly marked as a demo."""

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
COMMONWEAL_DEMO = True
# Demo officers may sign in without an authenticator app. production.py refuses this setting.
COMMONWEAL_DEMO_MFA_EXEMPT = True
