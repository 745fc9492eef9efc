"""Small helpers for views that every area shares."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
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
