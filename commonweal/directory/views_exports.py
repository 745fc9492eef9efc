"""The directory's open data: a page for people who reuse it, and the two downloads. All public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import exports
from .oruk_openapi import DEFAULT_PER_PAGE, MAX_PER_PAGE


def _download(response: StreamingHttpResponse, filename: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The data is public and meant for reuse, by other sites' pages too.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


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


@require_safe
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every published service as a row of a spreadsheet, streamed."""
    lines = exports.directory_csv(base_url=request.build_absolute_uri("/"))
    return _download(StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8"), "directory.csv")


@require_safe
def export_oruk(request: HttpRequest) -> StreamingHttpResponse:
    """The whole published directory as Open Referral UK JSON, streamed."""
    chunks = exports.directory_oruk_json(base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
    return _download(response, "directory-oruk.json")
