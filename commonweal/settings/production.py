"""Production: everything from the environment, and a refusal to start when that is unsafe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    COMMONWEAL_DEMO,
    COMMONWEAL_DEMO_MFA_EXEMPT,
    DEBUG,
    INSECURE_SECRET_KEY,
    SECRET_KEY,
)


def refuse_unsafe_settings(
    *, debug: bool, secret_key: str, allowed_hosts: list[str], demo: bool, demo_mfa_exempt: bool
) -> None:
    """Raise ImproperlyConfigured naming every setting that makes a production start unsafe."""
    problems = []
    if debug:
        problems.append("COMMONWEAL_DEBUG is on; debug pages would show secrets to the public.")
    if not secret_key or secret_key == INSECURE_SECRET_KEY or len(secret_key) < 40:
        problems.append("COMMONWEAL_SECRET_KEY is missing, the development default, or under 40 characters.")
    if not allowed_hosts:
        problems.append("COMMONWEAL_ALLOWED_HOSTS is empty; name the host names this service answers to.")
    if demo or demo_mfa_exempt:
        problems.append("COMMONWEAL_DEMO is on; demo accounts skip two-factor sign-in and must never run in production.")
    if problems:
        raise ImproperlyConfigured("Commonweal refuses to start in production: " + " ".join(problems))


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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
