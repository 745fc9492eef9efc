"""The pool's pages: 'Join the citizens' panel', a volunteer's own status and leaving, and the officers' pool
with its import.

Views parse, authorise, call a service and render; the rules are in services.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.core.forms import show_errors
from commonweal.places.models import CouncilArea

from ..permissions import runs_panel
from . import queries, services
from .forms import ImportForm, JoinForm, SearchForm

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
JOINED = "panels_joined"
LEFT = "panels_left"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _council_name() -> str:
    council = CouncilArea.current()
    return council.name if council else "the council"


def crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Citizens' panel", reverse("panels:join")), *more]


def manage_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Run the citizens' panel", reverse("panels:manage_selections")), *more]


def require_runner(request: HttpRequest) -> None:
    if not runs_panel(request.user):
        raise PermissionDenied("Only council officers and the stewards can run the citizens' panel.")


@get_or_post
def join(request: HttpRequest) -> HttpResponse:
    """What the panel is, who can join, how people are chosen, how details are kept; then the form."""
    months = services.retention_months()  # read once: the wording and the page's own sentence both say it
    wording = services.consent_wording(_council_name(), months)
    form = JoinForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            return redirect("panels:joined")
        data = form.cleaned_data
        try:
            services.volunteer(
                name=data.get("name") or "",
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                address_line=data.get("address_line") or "",
                postcode=data.get("postcode") or "",
                birth_year=data.get("birth_year"),
                sex=data.get("sex") or "",
                ethnicity=data.get("ethnicity") or "",
                tenure=data.get("tenure") or "",
                disability=data.get("disability") or "",
                consent=bool(data.get("consent")),
                consent_text=wording,
                user=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            request.session[JOINED] = True
            return redirect("panels:joined")
    return render(
        request,
        "panels/pool/join.html",
        {
            "form": form,
            "wording": wording,
            "months": months,
            "breadcrumbs": crumbs()[:1],
        },
    )


@require_safe
def joined(request: HttpRequest) -> HttpResponse:
    return render(request, "panels/pool/joined.html", {"breadcrumbs": crumbs()})


def _status(request: HttpRequest, volunteers: list[Any], *, by_link: bool) -> HttpResponse:
    return render(
        request,
        "panels/pool/status.html",
        {
            "entries": [(v, queries.outcomes_of(v)) for v in volunteers],
            "by_link": by_link,
            "breadcrumbs": crumbs(),
        },
    )


@login_required
@require_safe
def your_status(request: HttpRequest) -> HttpResponse:
    """A signed-in volunteer's status: in the pool, or selected or not in each drawn selection, with their chance."""
    return _status(request, queries.volunteers_of(request.user), by_link=False)


@require_safe
def status_link(request: HttpRequest, token: str) -> HttpResponse:
    """The same, through the link emailed to the volunteer (no account needed)."""
    return _status(request, [queries.volunteer_for_token(token)], by_link=True)


def _leave(request: HttpRequest, volunteer: Any, *, back: str) -> HttpResponse:
    if request.method == "POST":
        services.withdraw(volunteer=volunteer)
        request.session[LEFT] = True
        return redirect("panels:left")
    return render(
        request,
        "panels/pool/leave.html",
        {"volunteer": volunteer, "back": back, "breadcrumbs": crumbs(("Your panel status", back))},
    )


@login_required
@get_or_post
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in volunteer leaves the pool: asked to confirm, then their details are erased."""
    volunteer = next((v for v in queries.volunteers_of(request.user) if v.pk == pk), None)
    if volunteer is None:
        raise Http404("You have no volunteer record with this number.")
    return _leave(request, volunteer, back=reverse("panels:your_status"))


@get_or_post
def leave_link(request: HttpRequest, token: str) -> HttpResponse:
    """The same, through the link emailed to the volunteer."""
    volunteer = queries.volunteer_for_token(token)
    return _leave(request, volunteer, back=reverse("panels:status_link", args=[token]))


@require_safe
def left(request: HttpRequest) -> HttpResponse:
    """Said once a volunteer has left (and to anyone who comes back to the address: it names nobody)."""
    return render(
        request, "panels/pool/left.html", {"just_left": request.session.pop(LEFT, False), "breadcrumbs": crumbs()}
    )


# --- officers -------------------------------------------------------------------------------------------


@login_required
@require_safe
def pool(request: HttpRequest) -> HttpResponse:
    """The pool against the borough's profile, feature by feature, and the volunteers (searchable)."""
    require_runner(request)
    form = SearchForm(request.GET or None)
    search = form.cleaned_data.get("q", "") if form.is_valid() else ""
    tables, total, from_profile = queries.pool_against_profile()
    return render(
        request,
        "panels/pool/pool.html",
        {
            "form": form,
            "tables": tables,
            "total": total,
            "from_profile": from_profile,
            "page": queries.volunteers_page(search, request.GET.get("page")),
            "search": search,
            "breadcrumbs": manage_crumbs(),
        },
    )


@login_required
@get_or_post
def pool_import(request: HttpRequest) -> HttpResponse:
    """Add a council's list of volunteers from a CSV file: all of it, or none with each line's problem."""
    require_runner(request)
    form = ImportForm(_posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is None:
            form.add_error("file", "Choose a CSV file of volunteers.")
        elif upload.size > 20 * 1024 * 1024:
            form.add_error("file", "The file is larger than 20 MB. Split it into smaller files.")
        else:
            try:
                report = services.import_pool(data=upload.read(), by=request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                if report.ok:
                    request.session["panels_done"] = f"{report.added} volunteers were added to the pool."
                    return redirect("panels:pool")
    return render(
        request,
        "panels/pool/import.html",
        {
            "form": form,
            "report": report,
            "summary_errors": (report.errors if report else []),
            "columns": services.ANSWERS,
            "breadcrumbs": manage_crumbs(("The pool", reverse("panels:pool"))),
        },
    )
