"""Officers, champions, stewards and admins must add an authenticator app before they do anything else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a person must still reach while setting up two-factor sign-in.
# Public, read-only data (the ORUK API and the open-data downloads) needs no second factor to read.
_ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility/", "/api/", "/directory/export/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not settings.COMMONWEAL_DEMO_MFA_EXEMPT
            and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES)
            and user.needs_two_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                "Your role needs two-factor sign-in. Set up an authenticator app to carry on.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
