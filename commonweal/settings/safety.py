"""The refusal production settings make when a setting would be unsafe in front of the public."""

from django.core.exceptions import ImproperlyConfigured

from .base import INSECURE_SECRET_KEY


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
        problems.append(
            "COMMONWEAL_DEMO is on; demo accounts skip two-factor sign-in and must never run in production."
        )
    if problems:
        raise ImproperlyConfigured("Commonweal refuses to start in production: " + " ".join(problems))
