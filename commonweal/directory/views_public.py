"""The public directory: find help, organisation and service pages, and the community asset map.

Everyone may use these pages. Records waiting for approval are shown only to the people who manage
them and to officers and administrators, with a banner that says the public cannot see them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from commonweal.core.http import came_from
from commonweal.places.models import Ward
from commonweal.places.queries import named_places, place_in_words

from . import changes, queries, search_text
from .forms_public import DEFAULT_DISTANCE, DISTANCES, MILE, AssetFilterForm, FindHelpForm, GroupFilterForm
from .models import Schedule
from .search import SearchQuery, search_services
from .search_text import MAX_QUERY_WORDS

MAX_PAGE = 10_000


def _map_settings() -> dict[str, str]:
    return {
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
    }


def _page_number(request: HttpRequest) -> int:
    """The page asked for, at most MAX_PAGE (the search shows its last page for any page past it); anything that
    is not a page number means the first page."""
    raw = request.GET.get("page", "")
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return 1
    return MAX_PAGE if len(raw) > 5 else min(int(raw), MAX_PAGE)


def _asked(request: HttpRequest) -> bool:
    """Whether the visitor searched or filtered (a page number alone is not a question)."""
    return any(str(value).strip() for key, value in request.GET.items() if key != "page")


FILTERS = ("category", "ward", "open_now", "free", "delivery")


def _filters_chosen(request: HttpRequest) -> int:
    """How many of Find help's filters the visitor chose, for the folded filters' summary."""
    return sum(1 for name in FILTERS if request.GET.get(name, "").strip())


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Find help", reverse("directory:search")), *more]


# Stands for the request's CSP nonce in a kept page (a nonce is random base64, so it cannot occur in a page).
NONCE_MARK = "{{find-help-nonce}}"


def _shared_page(request: HttpRequest) -> bool:
    """Whether this visitor sees the page everyone sees for the same question: signed out, with no message
    waiting to be shown (a sign-out's 'You have signed out', say)."""
    return not request.user.is_authenticated and not len(get_messages(request))


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Find help, as shared or as this visitor's own page.

    Most visitors are signed out, in a hurry, and ask what others asked: for them the whole page is kept for the
    question, minute ('Open now' is as of the minute) and version of the directory, with the request's CSP nonce
    put in on each request. Anyone signed in, a page with a message to show and a question with something wrong in
    it get the page made for them (search_page)."""
    if not _shared_page(request):
        return search_page(request)
    nonce = str(request.csp_nonce)  # type: ignore[attr-defined]  # django-csp's middleware sets it
    minute = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    question = sorted((key, sorted(values)) for key, values in request.GET.lists())

    made: list[HttpResponse] = []

    def make() -> tuple[bool, str]:
        response = search_page(request)
        made.append(response)
        shared = response.status_code == 200 and not getattr(response, "has_errors", False)
        return shared, response.content.decode().replace(nonce, NONCE_MARK) if shared else ""

    shared, html = changes.kept("find-help-page", (question, minute, get_language()), make, timeout=120)
    if not shared:  # something in the question was wrong: say so afresh, beside the boxes
        return made[0] if made else search_page(request)
    return HttpResponse(html.replace(NONCE_MARK, nonce))


def search_page(request: HttpRequest) -> HttpResponse:
    """Find help: words, filters and a postcode; a list of services with a map beside it.

    The page around them is the visitor's own, made on every request. The boxes and filters (unless something in
    them is wrong) and the results (the list, the paging and the map's points) are the same for everyone who asks
    the same thing, so they are rendered once and that HTML reused (changes.kept): the form for each question
    and set of choices, the results for each question, day and version of the directory, with 'open now' put in
    on each request. Nothing personal goes into either.
    """
    choices = changes.kept("find-help-choices", (), queries.search_choices)
    asked = _asked(request)
    asked_for = request.GET.copy()
    # A search from elsewhere (the home page's 'Find help near you') sends no distance: the box shows the one used.
    asked_for.setdefault("distance", DEFAULT_DISTANCE)
    form = FindHelpForm(asked_for if asked else None, **choices)
    if asked:
        # Over a page of results the examples have done their job: the results come higher up a phone's screen.
        form.fields["q"].help_text = form.fields["postcode"].help_text = ""
    context: dict[str, Any] = {
        "form": form,
        "asked": asked,
        "filters_chosen": _filters_chosen(request),
        "results_html": None,
        "form_html": None,
    }
    if asked and not form.is_valid():
        response = render(request, "directory/public/search.html", context)
        response.has_errors = True  # type: ignore[attr-defined]  # never kept as the shared page (search)
        return response
    question = sorted((key, sorted(values)) for key, values in request.GET.lists() if key != "page")
    # The boxes and filters, filled in: rendering a form field by field is most of the page's work.
    context["form_html"] = mark_safe(  # noqa: S308 - rendered by our own template, which escapes what it shows
        changes.kept(
            "find-help-form",
            (question, get_language(), choices),  # the choices, not the version: kept while services change
            lambda: render_to_string("directory/public/_find_help_form.html", context),
            timeout=24 * 60 * 60,
            by_version=False,
        )
    )
    now = timezone.now()
    page = _page_number(request)
    # The results read the clock: 'not checked for over a year' by the day, the 'open now' filter by the minute.
    local = timezone.localtime(now)
    clock = local.strftime("%Y-%m-%d %H:%M" if asked and form.cleaned_data.get("open_now") else "%Y-%m-%d")
    html, hours = changes.kept(
        "find-help-results",
        (question, page, clock, get_language()),
        lambda: _results_html(request, form, page=page, now=now),
        timeout=24 * 60 * 60,
    )
    context["results_html"] = mark_safe(_open_or_closed(html, hours, now))  # noqa: S308 - escaped as rendered
    return render(request, "directory/public/search.html", context)


OPEN_NOW_MARK = "<!--open-now:{}-->"


def _open_or_closed(html: str, hours: dict[int, list[Schedule]], now: datetime) -> str:
    """The kept results with 'Open now' or 'Closed now' put in for each one that has opening times, as of now."""
    if not hours:
        return html
    is_open = format_html('<li><strong class="govuk-tag govuk-tag--green">{}</strong></li>', gettext("Open now"))
    is_closed = format_html("<li>{}</li>", gettext("Closed now"))
    for number, schedules in hours.items():
        html = html.replace(
            OPEN_NOW_MARK.format(number), is_open if queries.is_open_at(schedules, now) else is_closed, 1
        )
    return html


def _results_html(
    request: HttpRequest, form: FindHelpForm, *, page: int, now: datetime
) -> tuple[str, dict[int, list[Schedule]]]:
    """The results for the question the (valid) form holds, as HTML shared by everyone who asks it, and the
    opening times of those that have them (numbered as in the list) for _open_or_closed. Rendered with no
    request, so nothing about the visitor can find its way in; only the question is passed on, for the links to
    other pages of results."""
    asked = form.is_bound
    if asked:
        data = form.cleaned_data
        query = form.search_query(
            now=now,
            term_ids=queries.terms_for(data.get("category") or ""),
            ward_id=queries.ward_id_for(data.get("ward") or ""),
        )
    else:
        query = SearchQuery()
    found = queries.find_help(query, page=page, now=now)
    near_place = None
    if asked and not found["total"] and query.words and query.near is None and query.ward_id is None:
        # Nothing has all the words, and no postcode or ward was given: a place named in the words ('food bank
        # mitcham') is where to look, not a word a service must use.
        named = place_in_words(query.words, named_places())
        if named is not None:
            words, near_place = named
            distance = form.cleaned_data.get("distance") or DEFAULT_DISTANCE
            query = replace(
                query,
                words=words,
                near=(near_place.latitude, near_place.longitude),
                within_metres=None if distance == "any" else float(distance) * MILE,
            )
            found = queries.find_help(query, page=page, now=now)
    without = ""
    if asked and not found["total"] and len(search_text.query_words(query.words)) > 1:
        fewer = _fewer_words(query)
        if fewer is not None:
            query, without = fewer
            found = queries.find_help(query, page=page, now=now)
    context: dict[str, Any] = {
        **found,
        **_map_settings(),
        "request": SimpleNamespace(GET=request.GET),
        "near_place": near_place.name if near_place else "",
        "words_not_used": without,
        "words_searched": MAX_QUERY_WORDS,
        "words_left_out": " ".join(search_text.words_left_out(query.words)),
        "near_postcode": form.found.postcode if asked and form.found else (near_place.name if near_place else ""),
        "map_centre": query.near,
        "distance_label": dict(DISTANCES).get(form.cleaned_data.get("distance") or DEFAULT_DISTANCE, "")
        if asked
        else "",
    }
    hours = {result.number: result.schedules for result in found["results"] if result.has_hours}
    return render_to_string("directory/public/_search_results.html", context), hours


def _fewer_words(query: SearchQuery) -> tuple[SearchQuery, str] | None:
    """Nothing has every word typed ('somewhere warm'): the search without one of the words that finds something,
    the narrowest one (the fewest results: the most particular words left), and the word left out; None if
    leaving out any one word still finds nothing. Only counted here: the page is built once, for the one chosen."""
    typed = search_text.query_words(query.words)
    best: tuple[int, SearchQuery, str] | None = None
    for left_out in typed:
        fewer = replace(query, words=" ".join(word for word in typed if word != left_out))
        total = search_services(fewer, per_page=1, one_per_name=True).total
        if total and (best is None or total < best[0]):
            best = (total, fewer, left_out)
    return (best[1], best[2]) if best else None


def _record_page(
    request: HttpRequest, template: str, what: str, context: dict[str, Any] | None, *trail: tuple[str, str]
) -> HttpResponse:
    """One record's public page with its map, or 'not found' where the public may not see the record."""
    if context is None:
        raise Http404(f"There is no {what} at this address.")
    context.update(_map_settings(), crumbs=_crumbs(*trail))
    return render(request, f"directory/public/{template}.html", context)


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    return _record_page(request, "organisation", "organisation", queries.organisation_page(slug, request.user))


@require_safe
def service(request: HttpRequest, uuid: UUID) -> HttpResponse:
    context = queries.service_page(uuid, request.user)
    owner = context["organisation"] if context else None
    trail = [(owner.name, reverse("directory:organisation", args=[owner.slug]))] if owner else []
    if context is not None:
        # Opened from a page of results: 'Back to results' returns to that search, words, postcode and page.
        context["back_to_results"] = came_from(request, reverse("directory:search"))
    return _record_page(request, "service", "service", context, *trail)


@require_safe
def assets(request: HttpRequest) -> HttpResponse:
    """The community asset map: what each ward has to build on, by kind, on a map and in a list."""
    choices = queries.asset_filter_choices()
    asked = _asked(request)
    form = AssetFilterForm(request.GET if asked else None, **choices)
    context: dict[str, Any] = {"form": form, **_map_settings(), "crumbs": _crumbs()}
    if asked and not form.is_valid():
        context.update(assets=None)
        return render(request, "directory/public/assets.html", context)
    data = form.cleaned_data if asked else {}
    context.update(
        queries.assets_page(
            ward_code=data.get("ward") or "",
            locality_slug=data.get("locality") or "",
            kind=data.get("kind") or "",
            page=_page_number(request),
        )
    )
    return render(request, "directory/public/assets.html", context)


@require_safe
def asset(request: HttpRequest, uuid: UUID) -> HttpResponse:
    context = queries.asset_page(uuid, request.user)
    trail = ("Community assets", reverse("directory:assets"))
    return _record_page(request, "asset", "community asset", context, trail)


@require_safe
def groups(request: HttpRequest) -> HttpResponse:
    """Groups and organisations, A to Z, all of them or those in one ward (as a ward's page links here)."""
    wards = list(Ward.objects.order_by("name").values_list("code", "name"))
    asked = _asked(request)
    form = GroupFilterForm(request.GET if asked else None, wards=wards)
    context: dict[str, Any] = {"form": form, "crumbs": _crumbs()}
    if asked and not form.is_valid():
        context.update(groups=None)
        return render(request, "directory/public/groups.html", context)
    ward_code = form.cleaned_data.get("ward") or "" if asked else ""
    context.update(queries.groups_page(ward_code=ward_code, page=_page_number(request)))
    return render(request, "directory/public/groups.html", context)
