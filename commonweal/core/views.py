"""Pages that belong to the platform as a whole: health, accessibility, data sources, errors."""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not: what a load balancer needs to know."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def data_sources(request: HttpRequest) -> HttpResponse:
    return render(request, "core/data_sources.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses before any view sees it: most often more than DATA_UPLOAD_MAX_MEMORY_SIZE typed into
    a form (a pasted document), or too many fields. Say so in words, not 'Bad Request'."""
    if not hasattr(request, "user"):
        # Refused before the middleware finished (a host the site does not answer to): no page to render it in.
        return HttpResponse("Bad request.", status=400, content_type="text/plain; charset=utf-8")
    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)
    return render(request, "400.html", {"too_big": too_big}, status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


# Seconds a client is asked to wait before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exception: BaseException | None) -> bool:
    """True for the errors of a database that cannot be reached (stopped, restarting, connection dropped)."""
    return isinstance(exception, OperationalError | InterfaceError)


def service_unavailable() -> HttpResponse:
    """The GOV.UK 'service unavailable' page, 503 with Retry-After; rendered without the database."""
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Called inside Django's exception handling, so the error is still sys.exc_info(): whether it was raised by a
    # view or by a middleware (a session or user loaded from the database), a database that cannot be reached
    # is a 503 the user can retry, not a 500.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    # Rendered without the request's context processors: the fault may be the database itself.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
