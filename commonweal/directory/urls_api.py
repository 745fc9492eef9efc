"""/api/oruk/... (the ORUK endpoints) and /api/docs (their OpenAPI document), all in the `oruk` namespace.

The API is public and meant for other people's web pages too, so every answer, errors included, says
`Access-Control-Allow-Origin: *`; a browser's preflight (OPTIONS) is answered here as well.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from .api import api, error_response, not_found, openapi_document, unavailable_response

logger = logging.getLogger(__name__)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def with_cors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Add the CORS headers to whatever the view answers, and answer a preflight without calling it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase
        head = request.method == "HEAD"
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            if head:  # HEAD is GET without the body (ninja would refuse it)
                request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            except (OperationalError, InterfaceError):
                # The database cannot be reached: a 503 the client can retry, not a 500.
                logger.exception("The API could not reach the database on %s", request.get_full_path())
                response = unavailable_response()
            except Exception:
                # Still JSON and still CORS, so a client's browser can read it; the traceback goes to the log.
                logger.exception("The API failed on %s", request.get_full_path())
                response = error_response(500, "Something went wrong on our side. Please try again later.")
            if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
                response = error_response(405, "This API is read-only: use GET.")
                response["Allow"] = "GET, HEAD, OPTIONS"
            if head and isinstance(response, HttpResponse):
                response.content = b""
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    return csrf_exempt(wrapped)


def _with_cors(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = with_cors(pattern.callback)
        else:
            _with_cors(pattern.url_patterns)
    return patterns


ninja_patterns, ninja_app, oruk_namespace = api.urls
# The root answers without its slash too (/api/oruk): clients join paths to the base either way.
root_view = next(p.callback for p in ninja_patterns if isinstance(p, URLPattern) and p.name == "api_details")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "",
        include(
            (
                [
                    path("oruk/", include(_with_cors(list(ninja_patterns)))),
                    path("oruk", with_cors(root_view)),
                    path("docs", with_cors(openapi_document), name="docs"),
                    re_path(r"^(?P<rest>.*)$", with_cors(not_found)),
                ],
                ninja_app,
            ),
            namespace=oruk_namespace,
        ),
    ),
]
