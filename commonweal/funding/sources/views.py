"""Money beyond the council: the register of external funding sources, match funding, leverage, community
needs and suppliers' pledges. Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.csvsafe import csv_lines
from commonweal.core.forms import show_errors
from commonweal.core.money import pounds
from commonweal.framework.models import Element
from commonweal.places.models import Ward

from .. import pages
from ..models import Application, CommunityNeed, FundingSource, MatchFunding, Pledge
from ..permissions import is_officer, is_supplier, match_funding_refusal, may_act_on_pledge
from . import queries, services
from .forms import (
    FulfilmentForm,
    MatchFundingForm,
    NeedFilterForm,
    NeedForm,
    PledgeForm,
    ReasonForm,
    SourceFilterForm,
    SourceForm,
)

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
officers_only = role_required(Role.OFFICER, message="Only council officers can change the register of funding sources.")
MAX_PAGE = 10_000


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return min(int(raw), MAX_PAGE) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


def _asked(request: HttpRequest) -> bool:
    return any(str(value).strip() for key, value in request.GET.items() if key != "page")


def _int(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def _chosen(organisations: list[Organisation], value: Any) -> Organisation | None:
    """The organisation of theirs a person chose; their only one when there is no choice to make."""
    if not value and len(organisations) == 1:
        return organisations[0]
    return next((o for o in organisations if str(o.pk) == str(value)), None)


def _sources_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return pages.crumbs(("Other funding", reverse("funding:sources")), *more)


def _needs_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return pages.crumbs(("Community needs", reverse("funding:needs")), *more)


# --- the register of external funding -------------------------------------------------------------


def _source_filters(request: HttpRequest) -> tuple[SourceFilterForm, dict[str, Any] | None]:
    asked = _asked(request)
    form = SourceFilterForm(request.GET if asked else None, themes=queries.theme_choices())
    if asked and not form.is_valid():
        return form, None
    data = form.cleaned_data if asked else {}
    return form, {
        "words": data.get("q") or "",
        "theme_id": _int(data.get("theme")),
        "amount": data.get("amount"),
        "deadline": data.get("deadline") or "",
        "sort": data.get("sort") or "deadline",
        "include_inactive": is_officer(request.user),
    }


@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    """The register of external funding: search by words, filter by theme, grant size and deadline."""
    form, filters = _source_filters(request)
    context: dict[str, Any] = {"form": form, "crumbs": pages.crumbs(), "is_officer": is_officer(request.user)}
    if filters is None:
        context["sources"] = None
    else:
        context.update(queries.sources_page(page=_page_number(request), **filters))
    return render(request, "funding/sources/sources.html", context)


@require_safe
def sources_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The whole register as a spreadsheet (every cell safe from formula injection)."""
    rows = queries.sources_for_csv(include_inactive=is_officer(request.user))
    response = StreamingHttpResponse(csv_lines(queries.SOURCES_CSV_HEADER, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="funding-sources.csv"'
    return response


@require_safe
def source(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.source_page(pk, include_inactive=is_officer(request.user))
    if found is None:
        raise Http404("There is no funding source at this address.")
    context = {
        "source": found,
        "crumbs": _sources_crumbs(),
        "is_officer": is_officer(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "funding/sources/source.html", context)


def _source_values(form: SourceForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["themes"] = list(Element.objects.filter(pk__in=data.get("themes") or [], kind=Element.Kind.THEME))
    return data


def _source_form(request: HttpRequest, record: FundingSource | None) -> HttpResponse:
    themes = queries.theme_choices()
    if request.method == "POST":
        form = SourceForm(request.POST, themes=themes)
    elif record is not None:
        initial = {
            name: getattr(record, name)
            for name in (
                "funder",
                "funder_org_id",
                "name",
                "what_they_fund",
                "eligibility",
                "min_amount",
                "max_amount",
                "deadline",
                "url",
                "is_active",
            )
        }
        initial["themes"] = [str(pk) for pk in record.themes.values_list("pk", flat=True)]
        form = SourceForm(initial=initial, themes=themes)
    else:
        form = SourceForm(themes=themes)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                saved = services.create_source(values=_source_values(form), by=_user(request))
                messages.success(request, f"{saved.funder}: {saved.name} is in the register.")
            else:
                saved = services.update_source(source=record, values=_source_values(form), by=_user(request))
                messages.success(request, f"Your changes to {saved.funder}: {saved.name} are saved.")
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("funding:source", pk=saved.pk)
    context = {"form": form, "record": record, "crumbs": _sources_crumbs()}
    return render(request, "funding/sources/source_form.html", context)


@officers_only
@get_or_post
def source_add(request: HttpRequest) -> HttpResponse:
    return _source_form(request, None)


@officers_only
@get_or_post
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _source_form(request, get_object_or_404(FundingSource, pk=pk))


# --- match funding --------------------------------------------------------------------------------


@login_required
@get_or_post
def match_funding(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The application's managers and officers record money and support from beyond the council."""
    application = get_object_or_404(Application.objects.select_related("organisation", "round__fund"), uuid=uuid)
    user = _user(request)
    refused = match_funding_refusal(user, application)
    if refused is not None:
        raise PermissionDenied(refused)
    sources_choices = queries.source_choices()
    form = MatchFundingForm(request.POST if request.method == "POST" else None, sources=sources_choices)
    if request.method == "POST" and "remove" in request.POST:
        row = MatchFunding.objects.filter(application=application, pk=_int(request.POST["remove"]) or 0).first()
        if row is None:
            messages.info(request, "That row had already been removed.")
        else:
            services.remove_match_funding(row=row, by=user)
            messages.success(request, f"You removed {pounds(row.amount)} from {row.funder}.")
        return redirect("funding:match_funding", uuid=application.uuid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source_id = _int(data.get("source"))
        try:
            row = services.record_match_funding(
                application=application,
                kind=data.get("kind") or "",
                status=data.get("status") or "",
                funder=data.get("funder") or "",
                funder_org_id=data.get("funder_org_id") or "",
                source=FundingSource.objects.filter(pk=source_id).first() if source_id else None,
                amount=data.get("amount"),
                by=user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"You recorded {pounds(row.amount)} from {row.funder}.")
            return redirect("funding:match_funding", uuid=application.uuid)
    context = {
        "application": application,
        "form": form,
        "crumbs": pages.crumbs(),
        **queries.match_funding_page(application),
    }
    return render(request, "funding/sources/match_funding.html", context)


# --- leverage -------------------------------------------------------------------------------------


@require_safe
def leverage(request: HttpRequest) -> HttpResponse:
    """External pounds attracted per council pound: overall, by fund, by theme and by ward."""
    context = {"crumbs": pages.crumbs(), **queries.leverage_page()}
    return render(request, "funding/sources/leverage.html", context)


# --- community needs ------------------------------------------------------------------------------


@require_safe
def needs(request: HttpRequest) -> HttpResponse:
    """Needs posted by groups for suppliers' social-value pledges."""
    asked = _asked(request)
    form = NeedFilterForm(
        request.GET if asked else None,
        themes=queries.theme_choices(),
        wards=queries.ward_choices(),
        statuses=queries.NEED_STATUSES,
    )
    user = request.user
    context: dict[str, Any] = {
        "form": form,
        "crumbs": pages.crumbs(),
        "may_post": bool(services.organisations_posting_needs(user)),
        "is_supplier": bool(services.supplier_organisations(user)),
    }
    if asked and not form.is_valid():
        context["needs"] = None
        return render(request, "funding/sources/needs.html", context)
    data = form.cleaned_data if asked else {}
    context.update(
        queries.needs_page(
            kind=data.get("kind") or "",
            theme_id=_int(data.get("theme")),
            ward_id=_int(data.get("ward")),
            status=data.get("status") or "",
            page=_page_number(request),
        )
    )
    return render(request, "funding/sources/needs.html", context)


@require_safe
def need(request: HttpRequest, pk: int) -> HttpResponse:
    context = queries.need_page(pk)
    if context is None:
        raise Http404("There is no community need at this address.")
    user = request.user
    context.update(
        crumbs=_needs_crumbs(),
        is_supplier=bool(services.supplier_organisations(user)),
        # A giver is named in public only with their consent; those acting on the pledge always see who it is.
        named=[p.pk for p in context["pledges"] if p.named_publicly or may_act_on_pledge(user, p)],
    )
    return render(request, "funding/sources/need.html", context)


@login_required
@get_or_post
def need_add(request: HttpRequest) -> HttpResponse:
    """A group member posts a need for their own group."""
    user = _user(request)
    groups = services.organisations_posting_needs(user)
    if not groups:
        raise PermissionDenied(
            "Only members of a community group can post a need. Ask your group to add you as a member, or add your "
            "group to the directory first."
        )
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        organisations=[(str(g.pk), g.name) for g in groups],
        themes=queries.theme_choices(),
        wards=queries.ward_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = _chosen(groups, data.get("organisation"))
        if chosen is None:
            form.add_error("organisation", "Choose one of your groups.")
        else:
            try:
                created = services.post_need(
                    organisation=chosen,
                    title=data.get("title") or "",
                    description=data.get("description") or "",
                    kind=data.get("kind") or "",
                    quantity=data.get("quantity"),
                    unit=data.get("unit") or "",
                    theme=Element.objects.filter(pk=_int(data.get("theme")) or 0, kind=Element.Kind.THEME).first(),
                    ward=Ward.objects.filter(pk=_int(data.get("ward")) or 0).first(),
                    by=user,
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Your need “{created.title}” is posted. Suppliers can pledge to it now.")
                return redirect("funding:need", pk=created.pk)
    context = {"form": form, "crumbs": _needs_crumbs(), "groups": groups}
    return render(request, "funding/sources/need_form.html", context)


@login_required
@get_or_post
def pledge_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier's member pledges money, hours or goods to a need."""
    found = get_object_or_404(CommunityNeed.objects.select_related("organisation"), pk=pk)
    user = _user(request)
    refusal = services.supplier_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    suppliers = services.supplier_organisations(user)
    closed = found.status != CommunityNeed.Status.OPEN
    initial = {"kind": found.kind, "unit": found.unit, "framework": Pledge.Framework.TOMS}
    form = PledgeForm(
        request.POST if request.method == "POST" and not closed else None,
        initial=initial,
        suppliers=[(str(s.pk), s.name) for s in suppliers],
    )
    if request.method == "POST" and not closed and form.is_valid():
        data = form.cleaned_data
        supplier = _chosen(suppliers, data.get("supplier"))
        if supplier is None:
            form.add_error("supplier", "Choose one of your businesses.")
        else:
            try:
                made = services.make_pledge(
                    need=found,
                    supplier=supplier,
                    contract_reference=data.get("contract_reference") or "",
                    framework=data.get("framework") or "",
                    framework_version=data.get("framework_version") or "",
                    measure_code=data.get("measure_code") or "",
                    kind=data.get("kind") or "",
                    quantity=data.get("quantity"),
                    unit=data.get("unit") or "",
                    value=data.get("value"),
                    by=user,
                    consent_to_name=bool(data.get("name_publicly")),
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request, f"You pledged to “{found.title}”. {found.organisation.name} will be asked to accept it."
                )
                return redirect("funding:pledge", pk=made.pk)
    context = {
        "need": found,
        "form": form,
        "closed": closed,
        "crumbs": _needs_crumbs((found.title, reverse("funding:need", args=[found.pk]))),
    }
    return render(request, "funding/sources/pledge_form.html", context)


@require_safe
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    """A pledge, its deliveries and the steps the group, the supplier or an officer may take next."""
    return _pledge_page(request, pk)


def _pledge_page(
    request: HttpRequest,
    pk: int,
    *,
    fulfil_form: FulfilmentForm | None = None,
    reason_form: ReasonForm | None = None,
    error: str = "",
) -> HttpResponse:
    """The pledge page; a step that was refused shows it again with the reason (each step posts to its own URL)."""
    found = queries.pledge_page(pk)
    if found is None:
        raise Http404("There is no pledge at this address.")
    fulfil_form = fulfil_form or FulfilmentForm()
    reason_form = reason_form or ReasonForm()
    context = {
        "pledge": found,
        "need": found.need,
        "actions": services.pledge_actions(request.user, found),
        "show_supplier": found.named_publicly or may_act_on_pledge(request.user, found),
        "is_giver": is_supplier(request.user, found),
        "fulfil_form": fulfil_form,
        "reason_form": reason_form,
        "error_forms": [fulfil_form, reason_form],
        "error": error,
        "remaining": max(found.quantity - found.delivered, Decimal("0")),
        "crumbs": _needs_crumbs((found.need.title, reverse("funding:need", args=[found.need.pk]))),
    }
    return render(request, "funding/sources/pledge.html", context)


def _pledge_to_change(request: HttpRequest, pk: int) -> Pledge:
    found = get_object_or_404(Pledge.objects.select_related("need__organisation", "supplier"), pk=pk)
    if not may_act_on_pledge(request.user, found):
        raise PermissionDenied(
            "Only the group that posted the need, the supplier that made the pledge, or a council officer can "
            "change this pledge."
        )
    return found


def _pledge_step(request: HttpRequest, pk: int, step: Callable[..., Pledge], done: str) -> HttpResponse:
    """A workflow step with nothing to fill in: take it, or show the pledge again saying why it was refused."""
    found = _pledge_to_change(request, pk)
    try:
        step(pledge=found, by=_user(request))
    except ValidationError as problem:
        return _pledge_page(request, pk, error=" ".join(problem.messages))
    messages.success(request, done)
    return redirect("funding:pledge", pk=found.pk)


def _pledge_step_view(step: Callable[..., Pledge], done: str) -> Callable[[HttpRequest, int], HttpResponse]:
    """The view of one workflow step with nothing to fill in, at its own URL."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _pledge_step(request, pk, step, done)

    view.__name__ = view.__qualname__ = step.__name__
    return view


pledge_consent_withdraw = _pledge_step_view(
    services.withdraw_pledge_consent, "Your business is no longer named with this pledge on the public pages."
)
pledge_accept = _pledge_step_view(services.accept_pledge, "You accepted the pledge.")
pledge_deliver = _pledge_step_view(
    services.deliver_pledge, "You marked the pledge delivered. The group will be asked to verify it."
)
pledge_verify = _pledge_step_view(services.verify_pledge, "You verified the pledge.")


@login_required
@require_POST
def pledge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier or an officer withdraws the pledge, saying why."""
    found = _pledge_to_change(request, pk)
    reason_form = ReasonForm(request.POST)
    reason_form.is_valid()
    try:
        services.withdraw_pledge(pledge=found, reason=reason_form.cleaned_data.get("reason") or "", by=_user(request))
    except ValidationError as problem:
        show_errors(reason_form, problem)
        return _pledge_page(request, pk, reason_form=reason_form)
    messages.success(request, "You withdrew the pledge.")
    return redirect("funding:pledge", pk=found.pk)


@login_required
@require_POST
def pledge_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier records part of the pledge as delivered."""
    found = _pledge_to_change(request, pk)
    fulfil_form = FulfilmentForm(request.POST)
    if not fulfil_form.is_valid():
        return _pledge_page(request, pk, fulfil_form=fulfil_form)
    data = fulfil_form.cleaned_data
    try:
        services.record_fulfilment(
            pledge=found,
            delivered_on=data.get("delivered_on"),
            quantity=data.get("quantity"),
            note=data.get("note") or "",
            by=_user(request),
        )
    except ValidationError as problem:
        if hasattr(problem, "error_dict"):
            show_errors(fulfil_form, problem)
            return _pledge_page(request, pk, fulfil_form=fulfil_form)
        return _pledge_page(request, pk, error=" ".join(problem.messages))
    messages.success(request, "You recorded a delivery.")
    return redirect("funding:pledge", pk=found.pk)
