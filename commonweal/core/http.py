"""Small helpers for views that every area shares."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def _on_this_site(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_or(request: HttpRequest, fallback: str) -> str:
    """The page a form said to go back to (its `next` field), if it is on this site; else `fallback`."""
    target = request.POST.get("next", "")
    return target if _on_this_site(request, target) else fallback


def came_from(request: HttpRequest, path: str) -> str:
    """The address of the page this one was opened from, with its query string, if that page was `path` on this
    site (say, a page of search results); else ''. The browser says where it came from (the Referer header,
    sent within the site by our referrer policy)."""
    referer = request.headers.get("referer", "")
    if not _on_this_site(request, referer):
        return ""
    parts = urlsplit(referer)
    if parts.path != path:
        return ""
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


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
