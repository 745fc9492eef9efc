from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commonweal.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .signals import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)

        from .models import Membership, Organisation, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Organisation, m2m_fields={"wards_served", "themes"})
        auditlog.register(Membership)

        from allauth.mfa.models import Authenticator

        # An authenticator app or recovery codes added or removed is kept; the secret itself (`data`: the TOTP
        # key, the recovery codes' seed) never goes into the log, nor the time of each use (a sign-in, not a change).
        auditlog.register(Authenticator, exclude_fields=["data", "last_used_at"])
