"""Officers and above, and assessors, sign in with a second factor every session, and their sessions are short."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Paths a person must still reach while setting up two-factor sign-in.
# Public, read-only data (the ORUK API and the open-data downloads) needs no second factor to read.
_ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility/", "/api/", "/directory/export/")

# Either kind of authenticator satisfies the rule; recovery codes only stand in for a lost one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Where the staff session clock is kept in the session.
_STARTED_KEY = "commonweal_staff_session_started"
_SEEN_KEY = "commonweal_staff_session_seen"


def used_second_factor(request: HttpRequest) -> bool:
    """Whether this session, not just this account, passed a second factor (at sign-in or since)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


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
        ):
            kinds = set(Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).values_list("type", flat=True))
            if not kinds:
                messages.warning(
                    request,
                    "Your role needs two-factor sign-in. Set up an authenticator app or a passkey to carry on.",
                )
                return redirect(reverse("mfa_activate_totp"))
            if not used_second_factor(request):
                # A session that began before the authenticator was added, or without it: prove it now.
                messages.warning(request, "Your role needs two-factor sign-in. Confirm it's you to carry on.")
                query = urlencode({"next": request.get_full_path()})
                step = "mfa_reauthenticate" if Authenticator.Type.TOTP in kinds else "mfa_reauthenticate_webauthn"
                return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)


def start_session_clock(request: HttpRequest | None, **kwargs: object) -> None:
    """On every sign-in (a user_logged_in receiver): the absolute and idle limits count from now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[_STARTED_KEY] = now
        request.session[_SEEN_KEY] = now


class StaffSessionLimitMiddleware:
    """Sessions of people who need two-factor sign-in end after a spell idle, or a working day, whichever first.

    Residents and group members keep Django's ordinary sessions.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.needs_two_factor:
            now = time.time()
            session = request.session
            started = session.get(_STARTED_KEY)
            seen = session.get(_SEEN_KEY)
            if started is None or seen is None:  # a session from before these limits: count from now
                session[_STARTED_KEY] = started = now
                session[_SEEN_KEY] = seen = now
            idle = now - seen > settings.COMMONWEAL_STAFF_SESSION_IDLE_SECONDS
            too_old = now - started > settings.COMMONWEAL_STAFF_SESSION_MAX_SECONDS
            if idle or too_old:
                logout(request)
                messages.info(request, "You were signed out to keep your account safe. Sign in again to carry on.")
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('account_login')}?{query}")
            if now - seen > 60:  # a minute's precision is plenty, and spares a session write per request
                session[_SEEN_KEY] = now
        return self.get_response(request)
