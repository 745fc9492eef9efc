"""Funding's open pages, all public: the open data page, the 360Giving JSON and spreadsheet, where the money went.

Officers also see, on the open data page, whether the published file passes the schema and what the quality
checks found; nobody else needs that, and it may name grants with problems to fix.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.core import jobs
from commonweal.core.http import waiting_page

from .. import pages
from ..permissions import is_officer
from . import giving360, queries, services
from .queries import WARD_SORTS

WARNINGS_SHOWN = 50


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """What is published in the 360Giving Data Standard, under what licence, and the links to it."""
    context: dict[str, Any] = {
        "summary": queries.open_data_summary(),
        "json_url": request.build_absolute_uri(reverse("funding:open_data_json")),
        "xlsx_url": reverse("funding:open_data_xlsx"),
        "license_url": giving360.LICENSE_URL,
        "license_name": giving360.LICENSE_NAME,
        "prefix": settings.COMMONWEAL_360GIVING_PREFIX,
        "statuses": giving360.PUBLISHED_STATUSES,
        "crumbs": pages.crumbs(),
        "is_officer": is_officer(request.user),
    }
    if context["is_officer"]:
        report = queries.quality_report()
        context["quality"] = report
        context["warnings_shown"] = report.warnings[:WARNINGS_SHOWN]
    return render(request, "funding/open/open_data.html", context)


@require_safe
def open_data_json(request: HttpRequest) -> StreamingHttpResponse:
    """Every published grant as one 360Giving JSON package, written out grant by grant."""
    response = StreamingHttpResponse(giving360.package_chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    # The data is public and meant for reuse, by other sites' pages too.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def open_data_xlsx(request: HttpRequest) -> HttpResponse | FileResponse:
    """The same package as a 360Giving spreadsheet; while the worker builds it, a page says so, and if the build
    failed, the page says that and offers to try again (a POST, which queues a new build)."""
    if request.method == "POST":
        services.retry_spreadsheet()
        return redirect("funding:open_data_xlsx")
    outcome = services.request_spreadsheet()
    if isinstance(outcome, jobs.JobState):
        context = {
            "crumbs": pages.crumbs(("Open data", reverse("funding:open_data"))),
            "json_url": reverse("funding:open_data_json"),
            "state": outcome,
        }
        if outcome.failed:
            return render(request, "funding/open/xlsx_failed.html", context, status=503)
        return waiting_page(request, "funding/open/xlsx_preparing.html", context)
    response = FileResponse(outcome.open("rb"), as_attachment=True, filename="360giving.xlsx")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def _columns(sort: str, descending: bool) -> list[dict[str, Any]]:
    """Each heading of the ward table with the link that sorts by it (again to reverse) and its aria-sort."""
    columns = []
    for key, label in WARD_SORTS.items():
        current = key == sort
        first_descending = key in {"amount", "per_1000"}
        next_descending = (not descending) if current else first_descending
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": key != "ward",
                "url": "?" + urlencode({"sort": key, "order": "desc" if next_descending else "asc"}) + "#wards",
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@require_safe
def where_money_went(request: HttpRequest) -> HttpResponse:
    """Money awarded by fund, theme and ward, beside each ward's deprivation: a table, and a map with it."""
    report = queries.where_money_went()
    sort = request.GET.get("sort", "ward")
    sort = sort if sort in WARD_SORTS else "ward"
    descending = request.GET.get("order") == "desc"
    map_data = queries.money_map(report)
    # ?ward=<code>, as a ward's page links here: that ward's grants in place of the latest across the council.
    ward_code = request.GET.get("ward", "")
    ward_row = next((row for row in report.wards if row.code == ward_code), None)
    context = {
        "ward_row": ward_row,
        "ward_asked": bool(ward_code),
        "ward_grants": queries.latest_grants(queries.WARD_GRANTS, ward_id=ward_row.ward_id) if ward_row else [],
        "report": report,
        "wards": queries.sort_wards(report.wards, sort, descending=descending),
        "columns": _columns(sort, descending),
        "map_collection": map_data["collection"],
        "map_key": map_data["key"],
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
        "crumbs": pages.crumbs(),
    }
    return render(request, "funding/open/where_money_went.html", context)
