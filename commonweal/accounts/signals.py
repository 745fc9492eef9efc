"""The login throttle's database cache table is made with the schema, so `migrate` is the only set-up step.

Connected to this app because Django sends post_migrate only to apps that have models.
"""

from typing import Any

from django.core.management import call_command


def create_cache_table(**kwargs: Any) -> None:
    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


def membership_changed(instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A role removed or changed anywhere (the Django admin's inline too) can take the admin flags away."""
    from .models import User
    from .services import sync_admin_flags

    if created or kwargs.get("raw"):
        return
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_admin_flags(user=user)


def second_factor_added(request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """Adding an authenticator app or passkey proves it there and then (a code, or the key's signature), so
    the session counts as having passed the second factor: no second prompt straight after setting one up."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
