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
