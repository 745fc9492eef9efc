"""Small helpers for views that every area shares."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def next_or(request: HttpRequest, fallback: str) -> str:
    """The page a form said to go back to (its `next` field), if it is on this site; else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# How often a 'being prepared' page looks again: most background builds take under a minute.
REFRESH_SECONDS = 15


def waiting_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A 'being prepared' page (202) that looks again by itself every REFRESH_SECONDS, with no JavaScript,
    until the reader asks it to stop (?refresh=off: WCAG 2.2.1 lets them turn the timing off). The template
    includes "core/_refreshing.html", which says so and links to both.

    The HTTP Refresh header does what <meta http-equiv="refresh"> would; axe refuses a timed meta refresh even
    when it can be turned off, and the header does the same job with the same 'turn off' link.
    """
    refreshing = request.GET.get("refresh") != "off"
    query = request.GET.copy()
    query.pop("refresh", None)
    again = request.path + (f"?{query.urlencode()}" if query else "")
    query["refresh"] = "off"
    context = {
        **context,
        "refreshing": refreshing,
        "refresh_seconds": REFRESH_SECONDS,
        "again_url": again,
        "stop_url": f"{request.path}?{query.urlencode()}",
    }
    response = render(request, template, context, status=202)
    response["Retry-After"] = "60"
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
