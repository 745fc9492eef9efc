"""Awards pages: the officer's offer, the grant (offer letter, payments, reports) with the group's answer, the
officers' payments and completion, monitoring reports and their review, and the officers' list of grants.
Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.core.forms import show_errors
from commonweal.core.money import pounds

from .. import pages
from ..models import Application, Decision, Grant, MonitoringReport, Tranche
from ..permissions import conflict_with, is_applicant, is_officer, may_see_grant
from . import queries, services
from .forms import (
    AcceptForm,
    OfferForm,
    PayForm,
    ReasonForm,
    ReportForm,
    ReportRowForm,
    ResultRowForm,
    ReviewForm,
    Rows,
    TrancheRowForm,
)

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
M = TypeVar("M", Tranche, MonitoringReport)
OFFICERS_ONLY = "Only council officers can {what}."


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_officer(request: HttpRequest, what: str) -> None:
    if not is_officer(request.user):
        raise PermissionDenied(OFFICERS_ONLY.format(what=what))


def _show_errors(form: forms.Form, error: ValidationError, rows: dict[str, Rows[Any]] | None = None) -> None:
    """Put a service's messages beside the fields they are about; schedule problems above their rows."""

    def above(group: Rows[Any]) -> Any:
        return lambda problems: setattr(group, "problem", problems[0])

    show_errors(form, error, {name: above(group) for name, group in (rows or {}).items()})


def _is_field_error(error: ValidationError) -> bool:
    return hasattr(error, "error_dict")


def _refuse(request: HttpRequest, error: ValidationError, to: str) -> HttpResponse:
    """A step the record's status no longer allows (a double click, a stale page): say why on the page."""
    messages.warning(request, " ".join(error.messages))
    return redirect(to)


def _crumbs(request: HttpRequest, grant: Grant | None = None) -> list[tuple[str, str]]:
    more: list[tuple[str, str]] = []
    if is_officer(request.user):
        more.append(("Grants", reverse("funding:grants_manage")))
    if grant is not None:
        more.append((f"Grant {grant.reference}", reverse("funding:grant", args=[grant.reference])))
    return pages.crumbs(*more)


# --- the offer ------------------------------------------------------------------------------------------


def _offer_defaults(application: Application, decision: Decision | None) -> dict[str, Any]:
    amount = (decision.amount if decision else None) or application.amount_requested
    return {
        "amount": amount,
        "award_date": timezone.localdate(),
        "starts_on": application.starts_on,
        "ends_on": application.ends_on,
        "report_every": "6",
        "split_count": 2,
    }


def _first_due(data: dict[str, Any]) -> date:
    return cast(date, data.get("starts_on") or data.get("award_date") or timezone.localdate())


@login_required
@get_or_post
def offer(request: HttpRequest, uuid: Any) -> HttpResponse:
    """An officer offers an approved application its grant, with the payments and reports it will have."""
    _require_officer(request, "offer grants")
    application = queries.application_for_offer(uuid)
    conflict = conflict_with(request.user, application)
    if conflict is not None:
        raise PermissionDenied(conflict)
    decision = Decision.objects.filter(application=application).first()
    existing = queries.existing_grant(application)
    context: dict[str, Any] = {"application": application, "decision": decision, "crumbs": _crumbs(request)}
    if queries.offer_refusal(application) is not None:
        context["existing"] = existing
        return render(request, "funding/awards/offer_refused.html", context)

    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "offer") if posted is not None else ""
    defaults = _offer_defaults(application, decision)
    form = OfferForm(posted, initial=defaults)
    tranches: Rows[TrancheRowForm] = Rows(
        TrancheRowForm,
        "tranche",
        posted,
        initial=[{"due_on": _first_due(defaults), "amount": defaults["amount"]}] if defaults["amount"] else [],
        add=action == "add_tranche",
    )
    reports: Rows[ReportRowForm] = Rows(ReportRowForm, "report", posted, add=action == "add_report", blank=2)
    if posted is not None:
        form_ok = form.is_valid()
        tranches_ok = tranches.is_valid()
        reports_ok = reports.is_valid()
        data = form.cleaned_data if form_ok else {}
        if action == "split" and form_ok:
            if data.get("amount") is None or data["amount"] <= 0:
                form.add_error("amount", "Enter the amount of the grant before splitting it into payments.")
            elif not data.get("split_count"):
                form.add_error("split_count", "Enter how many equal payments to split the grant into.")
            else:
                planned = services.equal_tranches(
                    data["amount"], data["split_count"], first_due=_first_due(data), last_due=data.get("ends_on")
                )
                tranches = Rows(TrancheRowForm, "tranche", initial=[vars(p) for p in planned], blank=0, minimum=1)
        elif action == "schedule" and form_ok:
            if data.get("starts_on") is None or data.get("ends_on") is None:
                for name in ("starts_on", "ends_on"):
                    if data.get(name) is None:
                        form.add_error(name, "Enter the planned start and end to plan the reports.")
            elif data["ends_on"] < data["starts_on"]:
                form.add_error("ends_on", "The planned end must be on or after the planned start.")
            else:
                planned_reports = services.report_schedule(
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    every_months=int(data.get("report_every") or 6),
                )
                reports = Rows(ReportRowForm, "report", initial=[vars(p) for p in planned_reports], blank=0, minimum=1)
        elif action == "offer" and form_ok and tranches_ok and reports_ok:
            try:
                grant = services.offer_grant(
                    application=application,
                    amount=data.get("amount"),
                    award_date=data.get("award_date"),
                    conditions=data.get("conditions") or "",
                    starts_on=data.get("starts_on"),
                    ends_on=data.get("ends_on"),
                    tranches=tranches.values(),
                    reports=reports.values(),
                    by=_user(request),
                )
            except ValidationError as error:
                if not _is_field_error(error):
                    return _refuse(request, error, reverse("funding:offer", args=[application.uuid]))
                _show_errors(form, error, {"tranches": tranches, "reports": reports})
            else:
                messages.success(
                    request,
                    f"You offered {application.organisation.name} a grant of {pounds(grant.amount)}, reference "
                    f"{grant.reference}. We have emailed them the offer; they can now accept it.",
                )
                return redirect("funding:grant", reference=grant.reference)
    context.update(
        {
            "form": form,
            "tranches": tranches,
            "reports": reports,
            "has_errors": bool(form.errors) or tranches.errors or reports.errors,
            "error_forms": [form],
            "row_sets": [tranches, reports],
        }
    )
    return render(request, "funding/awards/offer.html", context)


# --- the grant ------------------------------------------------------------------------------------------


def _grant_or_403(request: HttpRequest, reference: str) -> Grant:
    grant = queries.grant_by_reference(reference)
    if not may_see_grant(request.user, grant):
        raise PermissionDenied(
            "Only council officers and members of the organisation that was awarded this grant can see it."
        )
    return grant


def _decline_form(data: Any = None) -> ReasonForm:
    return ReasonForm(data, prefix="decline", label="Why are you declining the offer?")


def _withdraw_form(data: Any = None) -> ReasonForm:
    hint = "The group sees this. Payments not yet made are cancelled."
    return ReasonForm(data, prefix="withdraw", label="Why is the grant being withdrawn?", hint=hint)


def _grant_page(
    request: HttpRequest,
    grant: Grant,
    *,
    accept_form: AcceptForm | None = None,
    decline_form: ReasonForm | None = None,
    pay_form: tuple[int, PayForm] | None = None,
    withdraw_form: ReasonForm | None = None,
) -> HttpResponse:
    context = queries.grant_page(grant, request.user)
    organisation = grant.application.organisation
    today = context["today"]
    context.update(
        {
            "accept_form": accept_form or AcceptForm(organisation_name=organisation.name),
            "decline_form": decline_form or _decline_form(),
            "withdraw_form": withdraw_form or _withdraw_form(),
            "crumbs": _crumbs(request),
        }
    )
    pay_forms = []
    for tranche in context["tranches"]:
        if tranche.status != Tranche.Status.SCHEDULED:
            continue
        if pay_form is not None and pay_form[0] == tranche.pk:
            pay_forms.append((tranche, pay_form[1]))
        else:
            pay_forms.append((tranche, PayForm(prefix=f"pay-{tranche.pk}", initial={"paid_on": today})))
    context["pay_forms"] = pay_forms
    bound: list[forms.Form] = [f for f in (accept_form, decline_form, withdraw_form) if f is not None]
    if pay_form is not None:
        bound.append(pay_form[1])
    context["error_forms"] = [f for f in bound if f.errors]
    context["has_errors"] = bool(context["error_forms"])
    return render(request, "funding/awards/grant.html", context)


def _on_grant(
    request: HttpRequest,
    grant: Grant,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    *,
    done: str,
    **shown: Any,
) -> HttpResponse:
    """A form of the grant's page, posted: act on what it says. A refusal is shown at the top of the page and a
    problem with a field beside it; otherwise back to the grant, saying what was done."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            if not _is_field_error(error):
                return _refuse(request, error, reverse("funding:grant", args=[grant.reference]))
            _show_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("funding:grant", reference=grant.reference)
    return _grant_page(request, grant, **shown)


@login_required
@require_safe
def grant(request: HttpRequest, reference: str) -> HttpResponse:
    """The grant: the offer letter, its status, payments and reports; the group answers the offer here."""
    return _grant_page(request, _grant_or_403(request, reference))


def _require_applicant(request: HttpRequest, grant: Grant) -> None:
    organisation = grant.application.organisation
    if not is_applicant(_user(request), grant):
        raise PermissionDenied(f"Only members of {organisation.name} can accept or decline this offer.")


@login_required
@require_POST
def grant_accept(request: HttpRequest, reference: str) -> HttpResponse:
    grant = _grant_or_403(request, reference)
    _require_applicant(request, grant)
    form = AcceptForm(request.POST, organisation_name=grant.application.organisation.name)
    return _on_grant(
        request,
        grant,
        form,
        lambda data: services.accept_grant(grant=grant, confirmed=bool(data["confirm"]), by=_user(request)),
        done=f"You accepted the grant of {pounds(grant.amount)}.",
        accept_form=form,
    )


@login_required
@require_POST
def grant_decline(request: HttpRequest, reference: str) -> HttpResponse:
    grant = _grant_or_403(request, reference)
    _require_applicant(request, grant)
    form = _decline_form(request.POST)
    return _on_grant(
        request,
        grant,
        form,
        lambda data: services.decline_grant(grant=grant, reason=data["reason"], by=_user(request)),
        done="You declined the offer. The council has been told why.",
        decline_form=form,
    )


def _officers_part_of_grant(request: HttpRequest, model: type[M], pk: int, doing: str) -> tuple[M, Grant]:
    """A payment or a report, for an officer to act on, and its grant."""
    _require_officer(request, doing)
    part = get_object_or_404(model._default_manager.select_related("grant"), pk=pk)
    return part, queries.grant_by_reference(part.grant.reference)


@login_required
@require_POST
def tranche_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer records a scheduled payment as paid."""
    tranche, grant = _officers_part_of_grant(request, Tranche, pk, "record payments")
    form = PayForm(request.POST, prefix=f"pay-{tranche.pk}")
    return _on_grant(
        request,
        grant,
        form,
        lambda data: services.pay_tranche(
            tranche=tranche,
            paid_on=data["paid_on"],
            payment_reference=data["payment_reference"],
            by=_user(request),
        ),
        done=f"You recorded the payment of {pounds(tranche.amount)} due {tranche.due_on:%-d %B %Y}.",
        pay_form=(tranche.pk, form),
    )


@login_required
@require_POST
def grant_complete(request: HttpRequest, reference: str) -> HttpResponse:
    """An officer closes a grant whose payments are all made and reports all accepted."""
    _require_officer(request, "complete grants")
    grant = queries.grant_by_reference(reference)
    try:
        services.complete_grant(grant=grant, by=_user(request))
    except ValidationError as error:
        return _refuse(request, error, reverse("funding:grant", args=[grant.reference]))
    messages.success(request, f"Grant {grant.reference} is completed.")
    return redirect("funding:grant", reference=grant.reference)


@login_required
@require_POST
def grant_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """An officer withdraws an offer or a running grant, saying why."""
    _require_officer(request, "withdraw grants")
    grant = queries.grant_by_reference(reference)
    form = _withdraw_form(request.POST)
    return _on_grant(
        request,
        grant,
        form,
        lambda data: services.withdraw_grant(grant=grant, reason=data["reason"], by=_user(request)),
        done=f"You withdrew grant {grant.reference}.",
        withdraw_form=form,
    )


# --- monitoring reports ---------------------------------------------------------------------------------


def _result_rows(report: MonitoringReport) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "description": r.description,
            "quantity": r.quantity,
            "unit": r.unit,
            "outcome": r.outcome_id,
        }
        for r in report.results.all()
    ]


def _report_page(
    request: HttpRequest,
    grant: Grant,
    report: MonitoringReport,
    *,
    form: ReportForm | None = None,
    rows: Rows[ResultRowForm] | None = None,
    review_form: ReviewForm | None = None,
) -> HttpResponse:
    context = queries.report_page(grant, report, request.user)
    outcomes = services.framework_outcomes()
    if form is None:
        form = ReportForm(initial={"narrative": report.narrative, "spent": report.spent})
    if rows is None:
        rows = Rows(
            ResultRowForm,
            "result",
            initial=_result_rows(report),
            blank=2,
            minimum=3,
            maximum=services.MAX_RESULTS,
            row_kwargs={"outcomes": outcomes},
        )
    context.update(
        {
            "form": form,
            "rows": rows,
            "review_form": review_form or ReviewForm(),
            "outcomes": outcomes,
            "crumbs": _crumbs(request, grant),
            "has_errors": bool(form.errors) or rows.errors or bool(review_form and review_form.errors),
            "error_forms": [f for f in (form, review_form) if f is not None],
            "row_sets": [rows],
        }
    )
    return render(request, "funding/awards/report.html", context)


@login_required
@get_or_post
def report(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A monitoring report: the group fills it in, saves drafts and submits it; officers read it."""
    grant = _grant_or_403(request, reference)
    monitoring = queries.report_for(grant, pk)
    if request.method != "POST":
        return _report_page(request, grant, monitoring)
    organisation = grant.application.organisation
    if not is_applicant(_user(request), grant):
        raise PermissionDenied(f"Only members of {organisation.name} can fill in this report.")
    action = request.POST.get("action", "save")
    form = ReportForm(request.POST)
    rows: Rows[ResultRowForm] = Rows(
        ResultRowForm,
        "result",
        request.POST,
        add=action == "add_result",
        maximum=services.MAX_RESULTS,
        row_kwargs={"outcomes": services.framework_outcomes()},
    )
    form_ok, rows_ok = form.is_valid(), rows.is_valid()
    if action == "add_result" or not (form_ok and rows_ok):
        return _report_page(request, grant, monitoring, form=form, rows=rows)
    write = services.submit_report if action == "submit" else services.save_report_draft
    try:
        write(
            report=monitoring,
            narrative=form.cleaned_data["narrative"] or "",
            spent=form.cleaned_data["spent"],
            results=rows.values(),
            by=_user(request),
        )
    except ValidationError as error:
        if not _is_field_error(error):
            return _refuse(request, error, reverse("funding:report", args=[grant.reference, monitoring.pk]))
        _show_errors(form, error, {"results": rows})
        return _report_page(request, grant, monitoring, form=form, rows=rows)
    if action == "submit":
        return redirect("funding:report_received", reference=grant.reference, pk=monitoring.pk)
    messages.success(request, "Your draft is saved. You can come back and finish it later.")
    return redirect("funding:report", reference=grant.reference, pk=monitoring.pk)


@login_required
@require_safe
def report_received(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The confirmation a group sees when it has sent a report: the grant's reference and what happens next."""
    grant = _grant_or_403(request, reference)
    monitoring = queries.report_for(grant, pk)
    if not is_applicant(_user(request), grant) or monitoring.submitted_at is None:
        return redirect("funding:report", reference=grant.reference, pk=monitoring.pk)
    context = {"grant": grant, "report": monitoring, "crumbs": _crumbs(request, grant)}
    return render(request, "funding/awards/report_received.html", context)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer accepts a submitted report or asks the group for changes, saying what."""
    monitoring, grant = _officers_part_of_grant(request, MonitoringReport, pk, "review monitoring reports")
    monitoring = queries.report_for(grant, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "accept":
                services.accept_report(report=monitoring, by=_user(request))
                messages.success(request, f"You accepted '{monitoring.title}'.")
            elif decision == "changes":
                services.request_report_changes(
                    report=monitoring, reason=form.cleaned_data["reason"], by=_user(request)
                )
                messages.success(request, f"You asked for changes to '{monitoring.title}'. The group can see why.")
            else:
                form.add_error("decision", "Choose to accept the report or ask for changes.")
        except ValidationError as error:
            if not _is_field_error(error):
                return _refuse(request, error, reverse("funding:report", args=[grant.reference, monitoring.pk]))
            _show_errors(form, error)
        if not form.errors:
            return redirect("funding:grant", reference=grant.reference)
    return _report_page(request, grant, monitoring, review_form=form)


# --- the officers' list -----------------------------------------------------------------------------------


@login_required
@require_safe
def grants_manage(request: HttpRequest) -> HttpResponse:
    """Every grant with its payments and reports; late and missing reports flagged."""
    _require_officer(request, "see every grant")
    show = request.GET.get("show", "")
    context = queries.grants_manage_page(show=show)
    page = Paginator(context["grants"], 50).get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "awaiting_offer": queries.applications_awaiting_offer(),
            "crumbs": pages.crumbs(),
        }
    )
    return render(request, "funding/awards/grants_manage.html", context)
