from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commonweal.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .signals import create_cache_table, membership_changed

        post_migrate.connect(create_cache_table, sender=self)

        from .models import Membership, Organisation, User

        post_save.connect(membership_changed, sender=Membership, dispatch_uid="accounts-membership-saved")
        post_delete.connect(membership_changed, sender=Membership, dispatch_uid="accounts-membership-deleted")

        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts-start-session-clock")

        from allauth.mfa.signals import authenticator_added

        from .signals import second_factor_added

        authenticator_added.connect(second_factor_added, dispatch_uid="accounts-second-factor-added")

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Organisation, m2m_fields={"wards_served", "themes"})
        auditlog.register(Membership)

        from allauth.mfa.models import Authenticator

        # An authenticator app or recovery codes added or removed is kept; the secret itself (`data`: the TOTP
        # key, the recovery codes' seed) never goes into the log, nor the time of each use (a sign-in, not a change).
        auditlog.register(Authenticator, exclude_fields=["data", "last_used_at"])
