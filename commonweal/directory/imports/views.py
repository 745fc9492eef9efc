"""Imports into the directory (administrators) and the vocabulary of service categories.

Views parse, authorise, call an importer or a service, and render. Uploads are refused before the body is
read when the request says it is bigger than the limit: that is why the upload views check CSRF themselves,
after that test, instead of leaving it to the middleware (which would read the whole body first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core import jobs
from commonweal.core.csvsafe import csv_lines

from ..models import ImportRun
from ..vocabulary.forms import VocabularyImportForm
from . import queries, start_import
from .forms import ImportForm
from .groups import EXAMPLE_ROWS, HEADER
from .runner import can_retry, max_bytes, retry_import

admins_only = role_required(Role.ADMIN, message="Only administrators can import into the directory.")
officers_and_admins = role_required(
    Role.OFFICER, Role.ADMIN, message="Only officers and administrators can see this page."
)
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
RUNS_PER_PAGE = 25
# Room in a request's body for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


def _csv_download(header: tuple[str, ...], rows: Any, filename: str) -> HttpResponse:
    """A CSV file sent as it is written, every cell made safe for spreadsheets."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response  # type: ignore[return-value]  # role_required wraps views typed as returning HttpResponse


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _imports_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Imports", reverse("directory:imports")), *more]


def _declared_oversize(request: HttpRequest) -> int | None:
    """The size the request says its body is, if that is more than an import can take (None: it is fine)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length > max_bytes() + FORM_OVERHEAD else None


def _upload_view(
    page: Callable[[HttpRequest, forms.Form, int], HttpResponse],
    form_class: type[ImportForm] | type[VocabularyImportForm],
    accept: Callable[[HttpRequest, Any], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A GET shows the form; a POST too big to read is refused unread; otherwise CSRF, then the form."""

    @csrf_protect
    def checked(request: HttpRequest) -> HttpResponse:
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            return accept(request, form.cleaned_data)
        return page(request, form, 200)

    def view(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return page(request, form_class(initial={"kind": request.GET.get("kind", "")}), 200)
        oversize = _declared_oversize(request)
        if oversize is not None:
            # Nothing was read, so nothing is stored or changed: showing the form again is safe without CSRF.
            refused = form_class(oversize=oversize)
            refused.is_valid()
            return page(request, refused, 413)
        return cast(HttpResponse, checked(request))

    return view


# --- imports -------------------------------------------------------------------------------------------


def _imports_page(request: HttpRequest, form: forms.Form, status: int) -> HttpResponse:
    from django.core.paginator import Paginator

    runs = Paginator(queries.past_runs(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": runs,
        "crumbs": _imports_crumbs()[:1],
    }
    return render(request, "directory/imports/index.html", context, status=status)


def _accept_import(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    run = start_import(
        kind=data["kind"], upload=data["file"], by=_user(request), name=data["name"], publish=not data["hold"]
    )
    return redirect("directory:import_run", pk=run.pk)


_imports = _upload_view(_imports_page, ImportForm, _accept_import)


@csrf_exempt  # the CSRF check is made in _upload_view, once the body is known to be small enough to read
@admins_only
@get_or_post
def imports(request: HttpRequest) -> HttpResponse:
    """Choose a kind of file and upload it; below, every import so far."""
    return _imports(request)


@admins_only
@require_safe
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _current(pk)
    context = queries.run_page(run, page=request.GET.get("page"))
    context["can_retry"] = can_retry(run)
    context["crumbs"] = _imports_crumbs()
    return render(request, "directory/imports/run.html", context)


@admins_only
@require_safe
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = _current(pk)
    response = JsonResponse(queries.run_status(run))
    response["Cache-Control"] = "no-store"
    return response


def _current(pk: int) -> ImportRun:
    """The run, after noticing whether the worker running it has died (then the run says it failed)."""
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    if run.status == ImportRun.Status.RUNNING:
        jobs.fail_abandoned_jobs()
        run.refresh_from_db()
    return run


@admins_only
@require_http_methods(["POST"])
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed import again from its kept upload; if that cannot be, the run's page says why."""
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        retry_import(run)
    except jobs.JobNotRetryable as refusal:
        context = queries.run_page(run, page=None)
        context.update(crumbs=_imports_crumbs(), can_retry=False, retry_error=refusal.message)
        return render(request, "directory/imports/run.html", context, status=409)
    return redirect("directory:import_run", pk=run.pk)


@admins_only
@require_safe
def import_rejections(request: HttpRequest, pk: int) -> HttpResponse:
    """Every rejected row of a run, as CSV."""
    run = get_object_or_404(ImportRun, pk=pk)
    return _csv_download(("line", "reason"), queries.rejection_rows(run), f"import-{run.pk}-rejected-rows.csv")


@officers_and_admins
@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    """The community groups template, with one example row to copy and then delete."""
    return _csv_download(HEADER, EXAMPLE_ROWS, "community-groups-template.csv")
