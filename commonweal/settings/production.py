"""Production: everything from the environment, and a refusal to start when that is unsafe."""

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    COMMONWEAL_DEMO,
    COMMONWEAL_DEMO_MFA_EXEMPT,
    DEBUG,
    SECRET_KEY,
)
from .safety import refuse_unsafe_settings

refuse_unsafe_settings(
    debug=DEBUG,
    secret_key=SECRET_KEY,
    allowed_hosts=ALLOWED_HOSTS,
    demo=COMMONWEAL_DEMO,
    demo_mfa_exempt=COMMONWEAL_DEMO_MFA_EXEMPT,
)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("COMMONWEAL_SSL_REDIRECT", "true").lower() != "false"  # noqa: F405
# SECURE_PROXY_SSL_HEADER is set in base.py only when COMMONWEAL_TRUSTED_PROXIES names the proxies in front.
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
