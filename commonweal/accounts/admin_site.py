"""The Django admin is for platform administrators only, whatever a user's staff flag says, signed in as everyone is."""

from __future__ import annotations

from types import MethodType

from allauth.account.decorators import secure_admin_login
from django.contrib.admin import AdminSite
from django.http import HttpRequest

from .roles import Role


def restrict_admin_to_admins(site: AdminSite) -> None:
    def has_permission(self: AdminSite, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.has_role(Role.ADMIN))

    site.has_permission = MethodType(has_permission, site)  # type: ignore[method-assign]
    # Sign-in to the admin goes through allauth: the same throttle, and the second factor the middleware demands.
    site.login = secure_admin_login(site.login)  # type: ignore[method-assign]
    site.site_header = "Commonweal administration"
    site.site_title = "Commonweal administration"
