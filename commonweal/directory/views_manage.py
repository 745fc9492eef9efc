"""Keeping the directory true: claims, group members' own listings, reports from the public and the officers'
moderation. Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.queries import email_verified
from commonweal.accounts.roles import Role
from commonweal.core import ratelimit
from commonweal.core.forms import show_errors
from commonweal.core.http import next_or

from . import queries_manage as queries
from . import reminders, services
from .forms import (
    AssetForm,
    ClaimForm,
    DecisionForm,
    LocationForm,
    OrganisationListingForm,
    ReportForm,
    ResolveForm,
    ScheduleRows,
    ServiceForm,
    ValuesForm,
)
from .models import ChangeRequest, Claim, Report
from .registers import RegisterLink, register_links
from .workflows import is_moderator, may_edit

moderators_only = role_required(
    Role.OFFICER, Role.ADMIN, message="Only officers and administrators can moderate the directory."
)
get_or_post = require_http_methods(["GET", "HEAD", "POST"])

REPORTABLE = ("organisation", "service", "asset")
EDITABLE = ("organisation", "service", "location", "asset")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _record_or_404(kind: str, uuid: Any, allowed: tuple[str, ...]) -> Any:
    record = queries.record_for(kind, uuid) if kind in allowed else None
    if record is None:
        raise Http404("There is no listing at this address.")
    return record


def _require_editor(user: User, record: Any) -> None:
    if not may_edit(user, record):
        organisation = services.workflows.organisation_of(record)
        name = organisation.name if organisation else "the council"
        raise PermissionDenied(
            f"You can only manage listings of organisations you are a member of. You are not a member of {name}."
        )


def _manage_crumbs(organisation: Organisation | None = None) -> list[tuple[str, str]]:
    crumbs = [("Find help", reverse("directory:search")), ("Your listings", reverse("directory:my_listings"))]
    if organisation is not None:
        crumbs.append((organisation.name, reverse("directory:manage_organisation", args=[organisation.slug])))
    return crumbs


def _moderation_crumbs() -> list[tuple[str, str]]:
    return [("Find help", reverse("directory:search")), ("Directory work", reverse("directory:moderation"))]


# --- reports from the public ---------------------------------------------------------------------------

# Anyone may report a listing without signing in, so reports are limited per address and per listing.
REPORTS_PER_ADDRESS = ratelimit.Limit("listing-report-address", 5, 60 * 60)
REPORTS_PER_LISTING = ratelimit.Limit("listing-report-listing", 20, 60 * 60)


@get_or_post
def report(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    """Anyone, signed in or not, tells us a listing is wrong."""
    record = _record_or_404(kind, uuid, REPORTABLE)
    if not services.is_public(record):
        raise Http404("There is no listing at this address.")
    form = ReportForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "record": record, "kind": kind, "public_url": queries.public_url(record)}
    if request.method == "POST" and form.is_bot():
        return redirect("directory:report_sent", kind=kind, uuid=record.uuid)  # store nothing, say nothing
    if request.method == "POST" and form.is_valid():
        wait = ratelimit.hit(
            [
                (REPORTS_PER_ADDRESS, ratelimit.client_address(request)),
                (REPORTS_PER_LISTING, f"{kind}:{record.uuid}"),
            ]
        )
        if wait is not None:
            form.add_error(
                None,
                f"Too many reports have been sent from here or about this listing. "
                f"Try again in {ratelimit.wait_in_words(wait)}; what you typed is kept below.",
            )
            response = render(request, "directory/manage/report.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            sent = services.submit_listing_report(
                record=record,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                reporter_email=form.cleaned_data["reporter_email"],
                by=_user(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            # The thank-you page quotes the reference; only this browser, which sent the report, is shown it.
            request.session["listing_report"] = sent.reference
            return redirect("directory:report_sent", kind=kind, uuid=record.uuid)
    return render(request, "directory/manage/report.html", context)


@require_safe
def report_sent(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    record = _record_or_404(kind, uuid, REPORTABLE)
    if not services.is_public(record):
        raise Http404("There is no listing at this address.")
    context = {
        "record": record,
        "public_url": queries.public_url(record),
        "reference": request.session.get("listing_report", ""),
        "working_days": services.REPORT_WORKING_DAYS,
    }
    return render(request, "directory/manage/report_sent.html", context)


# --- claims ----------------------------------------------------------------------------------------------


@login_required
@get_or_post
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed-in person asks to manage an organisation's listing, saying how they are connected."""
    organisation = get_object_or_404(Organisation, slug=slug, listing_status=ListingStatus.PUBLISHED)
    user = _user(request)
    refusal = services.claim_refusal(organisation=organisation, user=user)
    form = ClaimForm(request.POST if request.method == "POST" and not refusal else None)
    if not refusal and request.method == "POST" and form.is_valid():
        try:
            services.submit_claim(organisation=organisation, user=user, message=form.cleaned_data["message"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                f"You asked to manage {organisation.name}. An officer will check and decide; you will get an email.",
            )
            return redirect("directory:my_listings")
    context = {
        "organisation": organisation,
        "form": form,
        "refusal": refusal,
        "unverified": refusal == services.UNVERIFIED_CLAIMANT,
        "manages": may_edit(user, organisation),
        "public_url": queries.public_url(organisation),
    }
    return render(request, "directory/manage/claim.html", context)


# --- an owner's listings ---------------------------------------------------------------------------------


@login_required
@require_safe
def my_listings(request: HttpRequest) -> HttpResponse:
    context = queries.my_listings_page(_user(request))
    context["crumbs"] = [("Find help", reverse("directory:search"))]
    return render(request, "directory/manage/my_listings.html", context)


@login_required
@require_safe
def manage_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    _require_editor(_user(request), organisation)
    context = queries.organisation_page(organisation)
    context["crumbs"] = _manage_crumbs()
    context["is_moderator"] = is_moderator(_user(request))
    return render(request, "directory/manage/organisation.html", context)


EDIT_MESSAGES = {
    "published": "You added {name}. It is in the directory now.",
    "waiting": "You added {name}. An officer will check it before the public can see it.",
    "applied": "Your changes to {name} are published.",
    "held": "Your changes to {name} have been sent to an officer. The public will see them once they are approved.",
    "resubmitted": "Your changes to {name} are saved and it has been sent to an officer to approve again.",
    "saved": "Your changes to {name} are saved.",
    "unchanged": "You did not change anything in {name}.",
    "change_withdrawn": "Your changes waiting for approval are withdrawn; {name} stays as it was.",
}


def _edit_page(
    request: HttpRequest,
    *,
    form_class: type[ValuesForm],
    organisation: Organisation | None,
    record: Any | None,
    save: Callable[[dict[str, Any]], services.EditResult],
    kind: str,
) -> HttpResponse:
    """The add and change pages of every kind of record: one form (and 'when it runs' for a service)."""
    user = _user(request)
    extra: dict[str, Any] = {"organisation": organisation} if form_class in (ServiceForm, AssetForm) else {}
    start: Mapping[str, Any] = services.wanted_values(record, by=user) if record is not None else {}
    posted = request.POST if request.method == "POST" else None
    form = form_class(posted, initial=form_class.initial_from(start) if start else None, **extra)
    rows = ScheduleRows(posted, initial=start.get("schedules", [])) if kind == "service" else None
    if posted is not None:
        rows_ok = rows.is_valid() if rows is not None else True
        if form.is_valid() and not rows_ok:
            # Say everything that needs putting right at once, not the times first and the rest after.
            try:
                services.check_values(kind=kind, organisation=organisation, values=form.values(), record=record)
            except ValidationError as error:
                show_errors(form, error)
        if form.is_valid() and rows_ok:
            values = form.values()
            if rows is not None:
                values["schedules"] = rows.values()
            try:
                result = save(values)
            except ValidationError as error:
                show_errors(form, error)
            else:
                level = messages.INFO if result.outcome == "unchanged" else messages.SUCCESS
                messages.add_message(request, level, EDIT_MESSAGES[result.outcome].format(name=result.record))
                owner = services.workflows.organisation_of(result.record)
                if owner is None:
                    return redirect("directory:history", kind=kind, uuid=result.record.uuid)
                return redirect("directory:manage_organisation", slug=owner.slug)
    waiting = services.pending_change(record) if record is not None else None
    label = queries.KIND_LABELS[kind].lower()
    heading = f"Change the {label}" if record is not None else f"Add a {label}"
    if kind == "organisation":
        heading = "Change the organisation's details"
    context = {
        "form": form,
        "rows": rows,
        "record": record,
        "organisation": organisation,
        "kind": kind,
        "heading": heading,
        "waiting": waiting,
        "is_moderator": is_moderator(user),
        "crumbs": _manage_crumbs(organisation),
        "cancel_url": reverse("directory:manage_organisation", args=[organisation.slug])
        if organisation
        else reverse("directory:my_listings"),
        "has_errors": bool(form.errors) or bool(rows and rows.errors),
    }
    return render(request, "directory/manage/record_form.html", context)


def _change_page(request: HttpRequest, kind: str, form_class: type[ValuesForm], record: Any) -> HttpResponse:
    user = _user(request)
    _require_editor(user, record)
    return _edit_page(
        request,
        form_class=form_class,
        organisation=services.workflows.organisation_of(record),
        record=record,
        kind=kind,
        save=lambda values: services.update_listing(record=record, values=values, by=user),
    )


@login_required
@get_or_post
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _change_page(request, "organisation", OrganisationListingForm, get_object_or_404(Organisation, slug=slug))


def _add_view(kind: str, form_class: type[ValuesForm]) -> Callable[..., HttpResponse]:
    @login_required
    @get_or_post
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        organisation = get_object_or_404(Organisation, slug=slug)
        user = _user(request)
        _require_editor(user, organisation)
        return _edit_page(
            request,
            form_class=form_class,
            organisation=organisation,
            record=None,
            kind=kind,
            save=lambda values: services.add_listing(kind=kind, organisation=organisation, values=values, by=user),
        )

    view.__name__ = f"{kind}_add"
    view.__doc__ = f"Add a {kind} to an organisation's listing."
    return view


def _edit_view(kind: str, form_class: type[ValuesForm]) -> Callable[..., HttpResponse]:
    @login_required
    @get_or_post
    def view(request: HttpRequest, uuid: Any) -> HttpResponse:
        return _change_page(request, kind, form_class, _record_or_404(kind, uuid, EDITABLE))

    view.__name__ = f"{kind}_edit"
    view.__doc__ = f"Change a {kind}."
    return view


service_add = _add_view("service", ServiceForm)
service_edit = _edit_view("service", ServiceForm)
location_add = _add_view("location", LocationForm)
location_edit = _edit_view("location", LocationForm)
asset_add = _add_view("asset", AssetForm)
asset_edit = _edit_view("asset", AssetForm)


def _back_to(record: Any) -> str:
    organisation = services.workflows.organisation_of(record)
    if organisation is None:
        return reverse("directory:history", args=[services.kind_of(record).key, record.uuid])
    return reverse("directory:manage_organisation", args=[organisation.slug])


@login_required
@require_POST
def confirm(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    """'This is still correct': the record counts as checked today."""
    record = _record_or_404(kind, uuid, EDITABLE)
    user = _user(request)
    _require_editor(user, record)
    services.confirm_listing_checked(record=record, by=user)
    messages.success(request, f"Thank you. {record} is marked as checked today.")
    return redirect(next_or(request, _back_to(record)))


@login_required
@get_or_post
def withdraw(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    """Take a record out of the directory, after a page that says what that means."""
    record = _record_or_404(kind, uuid, EDITABLE)
    user = _user(request)
    _require_editor(user, record)
    error = ""
    if request.method == "POST":
        try:
            services.withdraw_listing(record=record, by=user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"{record} is withdrawn. The public can no longer see it.")
            return redirect(_back_to(record))
    context = {
        "record": record,
        "kind": kind,
        "kind_label": queries.KIND_LABELS[kind].lower(),
        "error": error,
        "back_url": _back_to(record),
        "crumbs": _manage_crumbs(services.workflows.organisation_of(record)),
    }
    return render(request, "directory/manage/withdraw.html", context)


@login_required
@require_POST
def restore(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    record = _record_or_404(kind, uuid, EDITABLE)
    user = _user(request)
    _require_editor(user, record)
    try:
        services.restore_listing(record=record, by=user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        if record.listing_status == ListingStatus.PUBLISHED:
            messages.success(request, f"{record} is back in the directory.")
        else:
            messages.success(request, f"{record} has been sent to an officer to approve before it is shown again.")
    return redirect(_back_to(record))


@login_required
@require_safe
def history(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    """Every change to a record: who, when, what; for its owners and the officers, never the public."""
    record = _record_or_404(kind, uuid, EDITABLE)
    user = _user(request)
    _require_editor(user, record)
    context = queries.history_page(record)
    context["crumbs"] = _manage_crumbs(services.workflows.organisation_of(record))
    context["public_url"] = queries.public_url(record) if services.is_public(record) else ""
    context["edit_url"] = queries.edit_url(record)
    return render(request, "directory/manage/history.html", context)


# --- moderation ---------------------------------------------------------------------------------------


@moderators_only
@require_safe
def moderation(request: HttpRequest) -> HttpResponse:
    context = queries.moderation_page()
    context["crumbs"] = [("Find help", reverse("directory:search"))]
    return render(request, "directory/manage/moderation.html", context)


@moderators_only
@require_safe
def stale(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "organisation")
    if kind not in queries.MODELS:
        kind = "organisation"
    page = Paginator(queries.stale_records(kind), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "kinds": [(key, label) for key, label in queries.KIND_LABELS.items()],
        "due": reminders.reminders_due(),
        "remind_again_days": reminders.REMIND_AGAIN_AFTER.days,
        "crumbs": _moderation_crumbs(),
    }
    return render(request, "directory/manage/stale.html", context)


# 'Send reminders now' emails every group due one; each group hears at most once a month whoever presses it, so
# this only keeps a double click or a second officer from sending the mail server the same batch twice.
REMINDERS_NOW = ratelimit.Limit("stale-reminders-now", 1, 5 * 60)


@moderators_only
@require_POST
def stale_remind(request: HttpRequest) -> HttpResponse:
    """Send the 'please check your listing' reminders now rather than waiting for the daily run."""
    wait = ratelimit.hit([(REMINDERS_NOW, "everyone")])
    if wait is not None:
        messages.error(
            request,
            f"Reminders were sent a few minutes ago. You can send them again in {ratelimit.wait_in_words(wait)}.",
        )
        return redirect("directory:stale")
    sent = reminders.send_stale_reminders()
    # Those still due had nobody to email (or their email failed): an officer checks them some other way.
    left = reminders.reminders_due()
    said = (
        f"Reminders sent to {sent} organisation{'s' if sent != 1 else ''} asking them to check their listing."
        if sent
        else "No reminders were sent."
    )
    if left:
        have = f"{left} organisations have" if left != 1 else "1 organisation has"
        said += f" {have} nobody we could email: check {'them' if left != 1 else 'it'} yourself."
    elif not sent:
        said += " Every group with listings to check was reminded recently."
    messages.success(request, said)
    return redirect("directory:stale")


def _decide(
    request: HttpRequest,
    *,
    approve: Callable[[], Any],
    reject: Callable[[str], Any],
    done: str,
) -> tuple[DecisionForm, HttpResponse | None]:
    """Approve, or reject with a reason; a missing reason re-shows the form with the error beside it."""
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "approve":
                approve()
            else:
                reject(form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            verb = "approved" if decision == "approve" else "rejected"
            messages.success(request, done.format(verb=verb))
            return form, redirect("directory:moderation")
    return form, None


def _registers(organisation: Organisation | None) -> list[RegisterLink]:
    """The Charity Commission and Companies House pages for the organisation's numbers, to check them by."""
    if organisation is None:
        return []
    return register_links(charity_number=organisation.charity_number, company_number=organisation.company_number)


@moderators_only
@get_or_post
def listing_decide(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    record = _record_or_404(kind, uuid, EDITABLE)
    user = _user(request)
    form, response = _decide(
        request,
        approve=lambda: services.approve_listing(record=record, by=user),
        reject=lambda reason: services.reject_listing(record=record, by=user, reason=reason),
        done=f"You {{verb}} the {queries.KIND_LABELS[kind].lower()} {record}.",
    )
    if response is not None:
        return response
    organisation = services.workflows.organisation_of(record)
    context = {
        "form": form,
        "record": record,
        "kind": kind,
        "kind_label": queries.KIND_LABELS[kind].lower(),
        "details": queries.record_details(record),
        "organisation": organisation,
        "registers": _registers(organisation),
        "crumbs": _moderation_crumbs(),
    }
    return render(request, "directory/manage/decide_listing.html", context)


@moderators_only
@get_or_post
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(ChangeRequest.objects.select_related("submitted_by", "decided_by"), pk=pk)
    record = change.target
    if record is None:
        raise Http404("The record this change was for no longer exists.")
    user = _user(request)
    form, response = _decide(
        request,
        approve=lambda: services.approve_change(change=change, by=user),
        reject=lambda reason: services.reject_change(change=change, by=user, reason=reason),
        done=f"You {{verb}} the change to {record}.",
    )
    if response is not None:
        return response
    kind = services.kind_of(record).key
    comparison = (
        queries.compare_change(change)
        if change.status == ChangeRequest.Status.PENDING
        else queries.compare_change_stored(change, kind)
    )
    context = {
        "form": form,
        "change": change,
        "record": record,
        "kind": kind,
        "kind_label": queries.KIND_LABELS[kind].lower(),
        "comparison": comparison,
        "organisation": services.workflows.organisation_of(record),
        "crumbs": _moderation_crumbs(),
    }
    return render(request, "directory/manage/decide_change.html", context)


@moderators_only
@get_or_post
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("user", "organisation", "decided_by"), pk=pk)
    user = _user(request)
    form, response = _decide(
        request,
        approve=lambda: services.approve_claim(claim=claim, by=user),
        reject=lambda reason: services.reject_claim(claim=claim, by=user, reason=reason),
        done=f"You {{verb}} the request from {claim.user} to manage {claim.organisation}.",
    )
    if response is not None:
        return response
    other_claims = claim.organisation.claims.exclude(pk=claim.pk).select_related("user").order_by("-created_at")
    context = {
        "form": form,
        "claim": claim,
        "claimant_verified": email_verified(claim.user),
        "other_claims": other_claims,
        "members": claim.organisation.memberships.filter(role=Role.GROUP_MEMBER).select_related("user"),
        "registers": _registers(claim.organisation),
        "crumbs": _moderation_crumbs(),
    }
    return render(request, "directory/manage/decide_claim.html", context)


@moderators_only
@get_or_post
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Report.objects.select_related("reported_by", "resolved_by"), pk=pk)
    user = _user(request)
    form = ResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_listing_report(report=found, by=user, resolution=form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The report is resolved.")
            return redirect("directory:moderation")
    record = found.target
    context = {
        "form": form,
        "report": found,
        "record": record,
        "kind": services.kind_of(record).key if record is not None else "",
        "edit_url": queries.edit_url(record) if record is not None else "",
        "public_url": queries.public_url(record) if record is not None and services.is_public(record) else "",
        "crumbs": _moderation_crumbs(),
    }
    return render(request, "directory/manage/resolve_report.html", context)
