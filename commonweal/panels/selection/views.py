"""A selection's pages: the officers' steps (quotas, check, run, results, lottery, draw, replacements) and the
public page of each published selection with the files anyone needs to check its draw.

Views parse, authorise, call a service and render; the rules are in services.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.core import charts, jobs
from commonweal.core.csvsafe import csv_lines
from commonweal.core.forms import show_errors
from commonweal.core.http import waiting_page

from .. import features as F
from ..models import Selection
from ..pool.views import crumbs, manage_crumbs, require_runner
from . import queries, services
from .forms import DrawForm, ReplaceForm, RunForm, SelectionForm, quota_values

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
S = Selection.Status
DONE = "panels_done"
RULE = "index = the published number mod m (the number of panels in the lottery)"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _csv(name: str, header: list[str], rows: Any) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- public ---------------------------------------------------------------------------------------------


@require_safe
def selections(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panels/selection/list.html",
        {"selections": queries.public_selections(), "breadcrumbs": crumbs()},
    )


@require_safe
def selection(request: HttpRequest, slug: str) -> HttpResponse:
    """A published selection: its quotas, size and method, the minimum chance and its certificate, the lottery's
    digest and files, the random number and the panel it drew, and the rule that turns one into the other."""
    found = queries.selection_for(slug, request.user)
    rows, size = queries.quota_rows(found)
    return render(
        request,
        "panels/selection/public.html",
        {
            "selection": found,
            "quota_rows": rows,
            "pool_size": size,
            "rule": RULE,
            "drawn": found.drawn_panel,
            "breadcrumbs": crumbs(("Published selections", reverse("panels:selections"))),
        },
    )


def _published(request: HttpRequest, slug: str) -> Selection:
    found = queries.selection_for(slug, request.user)
    if not found.lottery_size:
        raise Http404("This selection's lottery has not been published yet.")
    return found


@require_safe
def lottery_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    found = _published(request, slug)
    return _csv(f"{found.slug}-lottery.csv", ["panel", "volunteers"], queries.lottery_rows(found))


@require_safe
def people_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    found = _published(request, slug)
    header, rows = queries.people_rows(found)
    return _csv(f"{found.slug}-people.csv", header, rows)


@require_safe
def categories_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    found = _published(request, slug)
    return _csv(f"{found.slug}-categories.csv", ["feature", "value", "min", "max"], queries.category_rows(found))


# --- officers ------------------------------------------------------------------------------------------


def _run(request: HttpRequest, slug: str) -> Selection:
    require_runner(request)
    return queries.selection_for(slug, request.user)


def _selection_crumbs(found: Selection) -> list[tuple[str, str]]:
    return manage_crumbs((found.title, reverse("panels:manage_selection", args=[found.slug])))


@login_required
@require_safe
def manage_selections(request: HttpRequest) -> HttpResponse:
    require_runner(request)
    return render(
        request,
        "panels/selection/manage_list.html",
        {
            "selections": queries.managed_selections(),
            "done": request.session.pop(DONE, ""),
            "breadcrumbs": manage_crumbs()[:1],
        },
    )


@login_required
@get_or_post
def selection_new(request: HttpRequest) -> HttpResponse:
    require_runner(request)
    form = SelectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_selection(
                title=form.cleaned_data.get("title") or "", k=form.cleaned_data.get("k"), by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("panels:quotas", slug=made.slug)
    return render(
        request,
        "panels/selection/new.html",
        {"form": form, "breadcrumbs": manage_crumbs()},
    )


def _follow_job(found: Selection) -> Selection:
    """A running selection whose job failed outright (its worker died) goes back to its quotas, saying so."""
    if found.status == S.RUNNING and found.job_id:
        state = jobs.job_state(found.job_id)
        if state is not None and state.failed:
            services.fail_run(selection_id=found.pk, message=state.message)
            found.refresh_from_db()
    return found


@login_required
@require_safe
def manage_selection(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the selection stands and its next step; once run, its results: the minimum chance with its bound
    and gap, a chart of everyone's chances with its table, and who fits in no panel."""
    found = _follow_job(_run(request, slug))
    context: dict[str, Any] = {
        "selection": found,
        "done": request.session.pop(DONE, ""),
        "breadcrumbs": manage_crumbs(),
    }
    if found.status == S.RUNNING:
        return waiting_page(request, "panels/selection/running.html", context)
    if found.panel_count:
        rows = queries.histogram(found)
        spec = charts.bar_chart(
            rows, label="band", value="volunteers", label_title="Chance of selection", value_title="Volunteers"
        )
        context["histogram"] = rows
        context["chart"] = charts.svg(
            spec, title="How many volunteers have each chance of selection", chart_id="chances"
        )
        context["excluded"] = found.excluded
    if found.status == S.DRAWN:
        context["drawn"] = queries.drawn_members(found)
        context["replacements"] = list(found.replacements.all())
    return render(request, "panels/selection/manage.html", context)


@login_required
@get_or_post
def quotas(request: HttpRequest, slug: str) -> HttpResponse:
    """The quotas, proposed from the profile and editable: each category's fewest and most, with the pool's count
    beside it; saving checks them, and any conflict is explained with the smallest change that would fix it."""
    found = _run(request, slug)
    errors: dict[str, list[str]] = {}
    summary: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "propose":
                services.propose_quotas(selection=found)
            else:
                ids = list(found.quotas.values_list("pk", flat=True))
                services.set_quotas(selection=found, values=quota_values(request.POST, ids), by=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = error.message_dict
            summary = [str(m) for m in error.messages]
        else:
            return redirect(reverse("panels:quotas", args=[found.slug]) + "?checked=1#check")
        found.refresh_from_db()
    rows, size = queries.quota_rows(found)
    posted = request.POST if request.method == "POST" else {}
    checked = services.check(selection=found) if request.GET.get("checked") or found.status != S.DRAFT else None
    return render(
        request,
        "panels/selection/quotas.html",
        {
            "selection": found,
            "rows": [
                (
                    row,
                    posted.get(f"min-{row.quota.pk}", row.quota.min),
                    posted.get(f"max-{row.quota.pk}", row.quota.max),
                    errors.get(f"quota-{row.quota.pk}"),
                )
                for row in rows
            ],
            "errors": errors,
            "summary_errors": summary,
            "pool_size": size,
            "check": checked,
            "names": F.FEATURE_NAMES,
            "editable": found.status in {S.DRAFT, S.QUOTAS_SET, S.READY},
            "breadcrumbs": _selection_crumbs(found),
        },
    )


@login_required
@require_POST
def relax(request: HttpRequest, slug: str) -> HttpResponse:
    """Take one of the check's suggested relaxations."""
    found = _run(request, slug)
    try:
        services.apply_relaxation(
            selection=found,
            feature=request.POST.get("feature", ""),
            value=request.POST.get("value", ""),
            bound=request.POST.get("bound", ""),
            suggested=int(request.POST.get("suggested", "x")) if request.POST.get("suggested", "").isdigit() else -1,
            by=request.user,
        )
    except ValidationError as error:
        request.session[DONE] = " ".join(str(m) for m in error.messages)
    return redirect(reverse("panels:quotas", args=[found.slug]) + "?checked=1#check")


@login_required
@get_or_post
def run(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose the method (leximin unless comparing) and start the run in the background."""
    found = _run(request, slug)
    form = RunForm(_posted(request), initial={"method": found.method or Selection.Method.LEXIMIN})
    if request.method == "POST" and form.is_valid():
        try:
            services.start_run(
                selection=found, method=form.cleaned_data.get("method") or Selection.Method.LEXIMIN, by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("panels:manage_selection", slug=found.slug)
    return render(
        request,
        "panels/selection/run.html",
        {"selection": found, "form": form, "breadcrumbs": _selection_crumbs(found)},
    )


def _step_failed(request: HttpRequest, found: Selection, error: ValidationError) -> HttpResponse:
    found.refresh_from_db()
    context = {
        "selection": found,
        "summary_errors": [str(m) for m in error.messages],
        "breadcrumbs": manage_crumbs(),
    }
    return render(request, "panels/selection/manage.html", context, status=400)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Fix the lottery's m panels and their digest, and make the selection public, before the draw."""
    found = _run(request, slug)
    try:
        services.publish_lottery(selection=found, by=request.user)
    except ValidationError as error:
        return _step_failed(request, found, error)
    request.session[DONE] = "The lottery is published. Share its digest before the random number is chosen."
    return redirect("panels:manage_selection", slug=found.slug)


@login_required
@get_or_post
def draw(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter the published random number: it picks the panel, whose people are told."""
    found = _run(request, slug)
    form = DrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_draw(
                selection=found, random_number=form.cleaned_data.get("random_number") or "", by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            request.session[DONE] = "The panel is drawn and its members have been emailed."
            return redirect("panels:manage_selection", slug=found.slug)
    return render(
        request,
        "panels/selection/draw.html",
        {"selection": found, "form": form, "rule": RULE, "breadcrumbs": _selection_crumbs(found)},
    )


@login_required
@get_or_post
def replace(request: HttpRequest, slug: str) -> HttpResponse:
    """Record who dropped out; their replacements are a selection of their own, run and drawn the same way."""
    found = _run(request, slug)
    members = [m for m in queries.drawn_members(found) if not m.dropped_out]
    form = ReplaceForm(
        _posted(request),
        people=[(m.number, m.volunteer.name if m.volunteer else None, m.get_erased_display()) for m in members],
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.replace(selection=found, dropped=form.cleaned_data.get("dropped") or [], by=request.user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            request.session[DONE] = (
                "The replacements' selection is ready to run: its quotas are what the panel still needs."
            )
            return redirect("panels:manage_selection", slug=made.slug)
    return render(
        request,
        "panels/selection/replace.html",
        {"selection": found, "form": form, "members": members, "breadcrumbs": _selection_crumbs(found)},
    )


@login_required
@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Every volunteer in the selection's pool with their chance, lowest first."""
    found = _run(request, slug)
    return render(
        request,
        "panels/selection/members.html",
        {
            "selection": found,
            "page": queries.members_page(found, request.GET.get("page")),
            "breadcrumbs": _selection_crumbs(found),
        },
    )
