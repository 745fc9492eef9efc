"""The directory's open data: a page for people who reuse it, and the two downloads. All public."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import export_files, exports
from .oruk_openapi import DEFAULT_PER_PAGE, MAX_PER_PAGE


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """What can be downloaded, and how developers use the Open Referral UK API."""
    context = {
        "counts": exports.open_data_counts(),
        "api_root": request.build_absolute_uri(reverse("oruk:api_details")),
        "docs_url": request.build_absolute_uri(reverse("oruk:docs")),
        "default_per_page": DEFAULT_PER_PAGE,
        "max_per_page": MAX_PER_PAGE,
        "csv_columns": exports.CSV_HEADER,
        "crumbs": [("Home", reverse("home:home")), ("Find help", reverse("directory:search"))],
    }
    return render(request, "directory/exports/open_data.html", context)


def _serve(
    request: HttpRequest, name: str, content_type: str, build: Callable[[str], Iterator[str]]
) -> HttpResponse | FileResponse:
    """The download for the current public data, from disk (built once per change of the data)."""
    base_url = request.build_absolute_uri("/")
    found = export_files.export_file(name, base_url, lambda: build(base_url))
    etag = f'"{found.version}"'
    response: HttpResponse | FileResponse
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(open(found.path, "rb"), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(found.path.stat().st_mtime)
    # The data is public and meant for reuse, by other sites' pages too; ask again each time (the ETag makes
    # that cheap) so nobody keeps an old copy.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse | FileResponse:
    """Every published service as a row of a spreadsheet."""
    return _serve(request, "directory.csv", "text/csv; charset=utf-8", lambda url: exports.directory_csv(base_url=url))


@require_safe
def export_oruk(request: HttpRequest) -> HttpResponse | FileResponse:
    """The whole published directory as Open Referral UK JSON."""
    return _serve(
        request,
        "directory-oruk.json",
        "application/json; charset=utf-8",
        lambda url: exports.directory_oruk_json(base_url=url),
    )
