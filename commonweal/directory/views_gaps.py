"""The gaps page and its CSV: for council officers, champions, stewards and administrators."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.csvsafe import csv_lines

from . import gaps
from .gaps import MEASURES, SORTS, Category, GapsReport, WardGaps
from .models import Asset

GAPS_ROLES = (Role.OFFICER, Role.CHAMPION, Role.STEWARD, Role.ADMIN)
REFUSED = (
    "Only council officers, champions, stewards and administrators can see the gaps in the directory. "
    "Ask an administrator if you need this."
)


class GapsFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Category of service",
        required=False,
        error_messages={"invalid_choice": "Choose a category from the list."},
    )
    asset_kind = forms.ChoiceField(
        label="Kind of asset",
        required=False,
        choices=[("", "All kinds of asset"), *Asset.Kind.choices],
        error_messages={"invalid_choice": "Choose a kind of asset from the list."},
    )
    measure = forms.ChoiceField(
        label="Shade the map by",
        required=False,
        choices=list(MEASURES.items()),
        error_messages={"invalid_choice": "Choose what to shade the map by from the list."},
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All categories"), *((c.code, c.name) for c in categories)]

    def choice(self, name: str) -> str:
        """The cleaned value of a field, or '' when it was left out or could not be used."""
        cleaned: dict[str, Any] = getattr(self, "cleaned_data", {})
        return str(cleaned.get(name) or "")


def _read_filters(request: HttpRequest) -> tuple[GapsFilterForm, GapsReport, str]:
    categories = gaps.top_level_categories(gaps.gaps_taxonomy())
    data = request.GET if any(k in request.GET for k in ("category", "asset_kind", "measure")) else None
    form = GapsFilterForm(data, categories=categories)
    form.is_valid()
    report = gaps.ward_gaps(category_code=form.choice("category") or None, asset_kind=form.choice("asset_kind") or None)
    return form, report, form.choice("measure") or gaps.DEFAULT_MEASURE


def _query(**params: str) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


def _columns(filters: dict[str, str], sort: str, descending: bool) -> list[dict[str, Any]]:
    """Each heading of the table with the link that sorts by it (again to reverse) and its aria-sort state."""
    columns = []
    for key, label in SORTS.items():
        current = key == sort
        # Counts and rates read best largest first; names and deciles from the top.
        first_descending = key not in {"ward", "decile"}
        next_descending = (not descending) if current else first_descending
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": key != "ward",
                "url": _query(**filters, sort=key, order="desc" if next_descending else "asc"),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@role_required(*GAPS_ROLES, message=REFUSED)
@require_GET
def gaps_page(request: HttpRequest) -> HttpResponse:
    """Per ward: organisations, services and assets, per 1,000 residents, beside deprivation; map and table."""
    form, report, measure = _read_filters(request)
    sort = request.GET.get("sort", "ward")
    sort = sort if sort in SORTS else "ward"
    descending = request.GET.get("order") == "desc"
    filters = {
        "category": report.category.code if report.category else "",
        "asset_kind": report.asset_kind or "",
        "measure": measure if measure != gaps.DEFAULT_MEASURE else "",
    }
    map_data = gaps.gaps_map(report, measure)
    wards = gaps.sort_wards(report.wards, sort, descending=descending)
    context = {
        "form": form,
        "report": report,
        "wards": wards,
        "category_rows": [(w.name, [w.services_by_category.get(c.id, 0) for c in report.categories]) for w in wards],
        "kind_rows": [(w.name, [w.assets_by_kind.get(kind, 0) for kind in Asset.Kind.values]) for w in wards],
        "columns": _columns(filters, sort, descending),
        "category_columns": report.categories,
        "asset_kinds": Asset.Kind.choices,
        "asset_kind_label": Asset.Kind(report.asset_kind).label if report.asset_kind else "",
        "measure_label": MEASURES[measure],
        "map_collection": map_data["collection"],
        "map_key": map_data["key"],
        "csv_url": reverse("directory:gaps_csv") + _query(**filters),
        "crumbs": [("Home", reverse("home:home")), ("Find help", reverse("directory:search"))],
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
    }
    return render(request, "directory/gaps/gaps.html", context)


CSV_HEADER = [
    "Ward code",
    "Ward",
    "Population (mid 2015)",
    "Small areas (LSOAs)",
    "Median IMD 2019 decile",
    "Most deprived IMD 2019 decile",
    "Organisations",
    "Organisations per 1,000 residents",
    "Services",
    "Services per 1,000 residents",
    "Assets",
    "Assets per 1,000 residents",
]


def _csv_row(row: WardGaps, report: GapsReport) -> list[Any]:
    return [
        row.code,
        row.name,
        row.population,
        row.lsoa_count,
        row.median_decile,
        row.most_deprived_decile,
        row.organisations,
        row.organisations_per_1000,
        row.services,
        row.services_per_1000,
        row.assets,
        row.assets_per_1000,
        *(row.services_by_category.get(c.id, 0) for c in report.categories),
        *(row.assets_by_kind.get(kind, 0) for kind in Asset.Kind.values),
    ]


@role_required(*GAPS_ROLES, message=REFUSED)
@require_GET
def gaps_csv(request: HttpRequest) -> HttpResponse:
    """The page's figures as a CSV file, every cell safe to open in a spreadsheet."""
    form, report, _ = _read_filters(request)
    if form.errors:
        # A hand-made link with a filter we cannot use: show the page, which says what is wrong beside the field.
        return redirect(reverse("directory:gaps") + "?" + request.GET.urlencode())
    header = [
        *CSV_HEADER,
        *(f"Services: {c.name}" for c in report.categories),
        *(f"Assets: {label}" for label in Asset.Kind.labels),
    ]
    if report.category:
        header[6] = f"Organisations running {report.category.name} services"
        header[8] = f"Services: {report.category.name} only"
        header[7] = f"{header[6]} per 1,000 residents"
        header[9] = f"{header[8]} per 1,000 residents"
    if report.asset_kind:
        label = Asset.Kind(report.asset_kind).label
        header[10], header[11] = f"Assets: {label} only", f"Assets: {label} only, per 1,000 residents"
    rows = (_csv_row(row, report) for row in report.wards)
    parts = ["ward-gaps", slugify(report.category.code) if report.category else "", report.asset_kind or ""]
    filename = "-".join(p for p in parts if p) + ".csv"
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response  # type: ignore[return-value]  # role_required wraps views typed as returning HttpResponse
