"""The login throttle's database cache table is made with the schema, so `migrate` is the only set-up step.

Connected to this app because Django sends post_migrate only to apps that have models.
"""

from typing import Any

from django.core.management import call_command


def create_cache_table(**kwargs: Any) -> None:
    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
