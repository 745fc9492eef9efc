"""The Solutions Framework in public: the log of blockages, a blockage's public page, the published case
studies, and the dashboard for stewards and champions (with its figures as a spreadsheet). Views parse,
authorise, call a query and render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.csvsafe import csv_lines

from ..models import Blockage
from . import charts, queries
from .forms import LogFilterForm

for_stewards_and_champions = role_required(
    Role.STEWARD, Role.CHAMPION, message="Only stewards and champions can see the Solutions Framework dashboard."
)
MAX_PAGE = 10_000


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return min(int(raw), MAX_PAGE) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Solutions Framework", reverse("solutions:log")), *more]


@require_safe
def log(request: HttpRequest) -> HttpResponse:
    """The public log: every blockage raised, what the council is doing about it, and how long it has taken."""
    asked = any(str(value).strip() for key, value in request.GET.items() if key != "page")
    form = LogFilterForm(
        request.GET if asked else None, categories=queries.category_choices(), wards=queries.ward_choices()
    )
    context: dict[str, Any] = {"form": form, "crumbs": _crumbs()[:1]}
    if asked and not form.is_valid():
        context["found"] = None
    else:
        data = form.cleaned_data if asked else {}
        context["found"] = queries.log_page(
            page=_page_number(request),
            category=data.get("category") or "",
            ward=data.get("ward") or "",
            status=data.get("status") or "",
            words=data.get("q") or "",
        )
    return render(request, "solutions/public/log.html", context)


def _uuid(value: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404("There is no blockage at this address.") from None


@require_safe
def public_blockage(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A blockage as the public sees it: what is blocked, where, who is on it, and each step the council took."""
    blockage = queries.public_blockage(uuid)
    if blockage is None:
        raise Http404("There is no blockage at this address.")
    point = None
    if blockage.latitude is not None and blockage.longitude is not None:
        point = [{"lat": blockage.latitude, "lon": blockage.longitude, "name": blockage.title}]
    age = queries.age_of(blockage, today=timezone.localdate(), country=queries.nation())
    context = {
        "blockage": blockage,
        "raised_by": queries.public_name(blockage),
        "departments": sorted(d.name for d in blockage.departments.all()),
        "age": age,
        "timeline": queries.timeline(blockage),
        "joined_here": queries.joined_here(blockage),
        "is_closed": blockage.status in queries.CLOSED_STATUSES,
        "is_joined": blockage.status == Blockage.Status.JOINED,
        "map_points": point,
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
        "crumbs": _crumbs(),
    }
    return render(request, "solutions/public/blockage.html", context)


@require_safe
def case_studies(request: HttpRequest) -> HttpResponse:
    """What the council and its partners learnt from blockages cleared and transfers made."""
    return render(
        request,
        "solutions/public/case_studies.html",
        {"case_studies": list(queries.published_case_studies()), "crumbs": _crumbs()},
    )


@require_safe
def case_study(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.published_case_studies().filter(pk=pk).first()
    if found is None:
        raise Http404("There is no published case study at this address.")
    crumbs = _crumbs(("Case studies", reverse("solutions:case_studies")))
    return render(request, "solutions/public/case_study.html", {"case_study": found, "crumbs": crumbs})


@require_safe
@for_stewards_and_champions
def dashboard(request: HttpRequest) -> HttpResponse:
    """How the council is doing: where blockages are, how long each stage takes, what was late, and the trend."""
    figures = queries.dashboard()
    return render(
        request,
        "solutions/public/dashboard.html",
        {"figures": figures, "charts": charts.dashboard_charts(figures), "crumbs": _crumbs()},
    )


@require_safe
@for_stewards_and_champions
def dashboard_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The dashboard's figures as a spreadsheet: one row per figure (every cell safe from formula injection)."""
    rows = charts.dashboard_rows(queries.dashboard())
    response = StreamingHttpResponse(csv_lines(charts.CSV_HEADER, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="solutions-dashboard.csv"'
    return response
