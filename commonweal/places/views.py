"""The places pages: public, for residents and officers alike, but for importing the borough's profile (stewards
and administrators)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_http_methods, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.csvsafe import csv_lines

from . import queries, ward_links
from .forms import PostcodeForm, ProfileImportForm
from .profile_csv import SIMPLE_COLUMNS
from .services import PostcodeError, ProfileImportError, RowError, import_profile, look_up_postcode

stewards_and_admins = role_required(
    Role.STEWARD, Role.ADMIN, message="Only stewards and administrators can import the borough's profile."
)


def _map_settings() -> dict[str, str]:
    return {
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
    }


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Wards and places", reverse("places:index")), *more]


def index(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {**queries.places_index(), **_map_settings(), "form": PostcodeForm()}
    return render(request, "places/index.html", context)


def postcode(request: HttpRequest) -> HttpResponse:
    """Find a ward from a postcode; a postcode that cannot be found is explained beside the field."""
    if "postcode" not in request.GET:
        return render(request, "places/postcode.html", {"form": PostcodeForm(), "crumbs": _crumbs()})
    form = PostcodeForm(request.GET)
    if form.is_valid():
        found = form.found
        url = reverse("places:ward", args=[found.ward.code])
        return redirect(f"{url}?{urlencode({'postcode': found.postcode})}")
    return render(request, "places/postcode.html", {"form": form, "crumbs": _crumbs()})


def ward(request: HttpRequest, code: str) -> HttpResponse:
    context = queries.ward_page(code)
    if context is None:
        raise Http404("There is no ward with that code.")
    context.update(_map_settings(), crumbs=_crumbs(), in_ward=ward_links.links_for(context["ward"]))
    # Only say 'your postcode is in this ward' when it really is; the text is ours, not the query string's.
    typed = request.GET.get("postcode", "")
    if typed:
        try:
            found = look_up_postcode(typed[:20])
        except PostcodeError:
            found = None
        if found is not None and found.ward_id == context["ward"].pk:
            context["found_postcode"] = found.postcode
    return render(request, "places/ward.html", context)


def locality(request: HttpRequest, slug: str) -> HttpResponse:
    context = queries.locality_page(slug)
    if context is None:
        raise Http404("There is no locality at that address.")
    context.update(_map_settings(), crumbs=_crumbs())
    return render(request, "places/locality.html", context)


@require_safe
@gzip_page
@condition(etag_func=lambda request: queries.boundary_layer().etag)
def boundaries(request: HttpRequest) -> HttpResponse:
    """The council's boundary and wards as GeoJSON, the base layer under every map; browsers keep it a day and
    then ask again with its ETag, so an unchanged layer costs them a '304 Not Modified'."""
    response = HttpResponse(queries.boundary_layer().body, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=queries.BOUNDARY_CACHE_SECONDS)
    return response


@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    """The borough's profile: residents aged 16 and over by ward and by category, for quotas and weighting."""
    context = queries.profile_page()
    user = request.user
    context["crumbs"] = _crumbs()
    context["can_import"] = user.is_authenticated and cast(User, user).has_role(Role.STEWARD, Role.ADMIN)
    return render(request, "places/profile.html", context)


@require_safe
def profile_csv(request: HttpRequest) -> HttpResponse:
    """The profile in the simple layout the import reads, so it can be checked, edited and imported again."""
    response = StreamingHttpResponse(csv_lines(SIMPLE_COLUMNS, queries.profile_rows()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="borough-profile.csv"'
    return response  # type: ignore[return-value]  # a streamed file is what a browser gets here


@stewards_and_admins
@require_http_methods(["GET", "HEAD", "POST"])
def profile_import(request: HttpRequest) -> HttpResponse:
    """Upload a Census ward table; all or nothing, with every bad row listed by line."""
    posted = request.method == "POST"
    form = ProfileImportForm(request.POST, request.FILES) if posted else ProfileImportForm()
    problems: list[RowError] = []
    if posted and form.is_valid():
        try:
            report = import_profile(file=form.cleaned_data["file"], by=request.user, source=form.cleaned_data["source"])
        except ProfileImportError as error:
            form.add_error("file", error.message)
            problems = error.errors
        else:
            messages.success(request, report.summary)
            for note in report.notes:
                messages.info(request, note)
            return redirect("places:profile")
    crumbs = _crumbs(("The borough's profile", reverse("places:profile")))
    context = {"form": form, "problems": problems, "crumbs": crumbs}
    return render(request, "places/profile_import.html", context)
