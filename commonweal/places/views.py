"""The places pages: every one is public, for residents and officers alike."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

from . import queries, ward_links
from .forms import PostcodeForm
from .services import PostcodeError, look_up_postcode


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
