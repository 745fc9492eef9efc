"""Community asset transfer's pages: a group's expression of interest, the council's list, the case page, each
step's page, documents, and a group's own transfers. Views parse, authorise, call a service or a query, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors

from ..errors import SolutionsError
from ..models import AssetTransfer, SignOff
from ..permissions import department_ids, is_steward, may_see_transfer
from ..workflows import TRANSFER
from . import queries, services
from .forms import (
    ChampionForm,
    DecisionForm,
    DocumentForm,
    InterestForm,
    LeaseForm,
    ListForm,
    NoteForm,
    ReasonForm,
    SignOffDecisionForm,
    SignOffsForm,
    SupportForm,
)

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
T = AssetTransfer.Status


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), *more]


def _transfer(request: HttpRequest, uuid: UUID) -> AssetTransfer:
    """The transfer, for those who may see it: its group, support body, champion, signing departments, stewards."""
    transfer = queries.transfer_by_uuid(uuid)
    if transfer is None:
        raise Http404("There is no asset transfer at this address.")
    if not may_see_transfer(request.user, transfer):
        raise PermissionDenied(
            "Only the group, its support body, the champion, the departments signing it off and the stewards can "
            "see this asset transfer."
        )
    return transfer


def _case_url(transfer: AssetTransfer) -> str:
    return reverse("solutions:transfer", args=[transfer.uuid])


# --- lists ------------------------------------------------------------------------------------------------


@require_safe
@login_required
def transfers(request: HttpRequest) -> HttpResponse:
    """The council's list: every transfer for champions and stewards; an officer's own and those they sign off."""
    if not queries.sees_transfers_list(request.user):
        raise PermissionDenied("Only council officers, champions and the stewards can see the council's transfers.")
    form = ListForm(
        request.GET or None,
        stages=[(s, str(T(s).label)) for s in queries.STAGES + [T.TRANSFERRED, T.DECLINED, T.WITHDRAWN]],
    )
    stage = sort = ""
    if form.is_bound and form.is_valid():
        stage, sort = form.cleaned_data["stage"], form.cleaned_data["sort"]
    rows = queries.council_transfers(request.user, stage=stage, sort=sort or "oldest")
    context = {
        "form": form,
        "rows": rows,
        "caption": f"{len(rows)} asset transfer{'' if len(rows) == 1 else 's'}",
        "crumbs": _crumbs(),
        "target": queries.transfer_target(),
    }
    return render(request, "solutions/transfers/list.html", context)


@require_safe
@login_required
def transfers_mine(request: HttpRequest) -> HttpResponse:
    """A group member's own: the transfers of every group they belong to."""
    context = {
        "rows": queries.group_transfers(request.user),
        "crumbs": _crumbs(),
        "is_group_member": _user(request).has_role(Role.GROUP_MEMBER),
        "target": queries.transfer_target(),
    }
    return render(request, "solutions/transfers/mine.html", context)


# --- an expression of interest -----------------------------------------------------------------------------


@get_or_post
@login_required
def interest(request: HttpRequest) -> HttpResponse:
    """A group member chooses a council building or space and says what the group would do with it."""
    user = _user(request)
    groups = list(
        Organisation.objects.filter(pk__in=user.organisation_ids_for(Role.GROUP_MEMBER)).order_by("name", "pk")
    )
    if not groups:
        raise PermissionDenied("Only members of a community group can express an interest in a council building.")
    assets = list(queries.council_spaces())
    initial = {"asset": request.GET.get("asset", "")}
    if initial["asset"]:
        chosen = next((a for a in assets if str(a.uuid) == initial["asset"]), None)
        initial["asset"] = str(chosen.pk) if chosen else ""
    form = InterestForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        assets=assets,
        groups=groups,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            transfer = services.express_interest(
                asset=data["asset"],
                organisation=data.get("group") or groups[0],
                by=user,
                proposed_use=data["proposed_use"],
                community_benefit=data["community_benefit"],
                uploads=[services.Upload(upload, data.get("file_title", ""))] if upload else [],
            )
        except SolutionsError as problem:
            show_errors(form, problem)
        else:
            messages.success(request, "Your expression of interest has been sent. Its champion will be in touch.")
            return redirect(_case_url(transfer))
    context = {"form": form, "crumbs": _crumbs(), "group": groups[0] if len(groups) == 1 else None}
    return render(request, "solutions/transfers/interest.html", context)


# --- the case page ---------------------------------------------------------------------------------------


def _actions(user: Any, transfer: AssetTransfer) -> list[tuple[str, str, bool]]:
    """What this person may do now: (label, address, is it a warning) for each step open to them."""
    url = lambda name: reverse(f"solutions:{name}", args=[transfer.uuid])  # noqa: E731 - a short local helper
    steps = {t.name for t in TRANSFER.available(transfer.status, user, transfer)}
    found = []
    if "offer_support" in steps:
        found.append(("Pass the group to a support body", url("transfer_support"), False))
    if "ask_for_business_case" in steps:
        found.append(("Ask the group for its business case", url("transfer_business_case"), False))
    if "request_sign_offs" in steps:
        found.append(("Send the business case for sign-off", url("transfer_sign_offs"), False))
    if "approve" in steps:
        found.append(("Record the decision", url("transfer_decision"), False))
    if "sign_lease" in steps:
        found.append(("Record the lease", url("transfer_lease"), False))
    if transfer.status == T.SIGN_OFFS:
        mine = department_ids(user)
        for sign_off in transfer.sign_offs.filter(outcome=SignOff.Outcome.WAITING, department_id__in=mine):
            found.append(
                (
                    f"Give the {str(sign_off).lower()}",
                    reverse("solutions:transfer_sign_off", args=[transfer.uuid, sign_off.kind]),
                    False,
                )
            )
    if transfer.closed_at is None and services.may_attach(user, transfer):
        found.append(("Attach a document", url("transfer_documents"), False))
    if transfer.closed_at is None and is_steward(user):
        found.append(("Name the champion", url("transfer_champion"), False))
    if "withdraw" in steps:
        found.append(("Withdraw this asset transfer", url("transfer_withdraw"), True))
    return found


@require_safe
@login_required
def transfer(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = _transfer(request, uuid)
    context = queries.transfer_page(found)
    context.update(
        actions=_actions(request.user, found),
        crumbs=_crumbs(("Asset transfers", reverse("solutions:transfers_mine"))),
    )
    return render(request, "solutions/transfers/case.html", context)


# --- each step's page ----------------------------------------------------------------------------------------


def _step_page(
    request: HttpRequest,
    uuid: UUID,
    *,
    transition: str,
    title: str,
    submit: str,
    make_form: Callable[[Any], Any],
    run: Callable[[AssetTransfer, dict[str, Any], User], Any],
    done: str,
    warning: bool = False,
    multipart: bool = False,
    intro: str = "",
) -> HttpResponse:
    """A step's page: refused to those the workflow does not name; sent back to the case when the transfer is not
    at a stage the step is taken from; otherwise the form, then the service."""
    user = _user(request)
    transfer = _transfer(request, uuid)
    named = TRANSFER.named(transition)
    if not any(TRANSFER.allows(user, t, transfer) for t in named):
        raise PermissionDenied(TRANSFER.refusal.format(noun=TRANSFER.noun))
    if not any(transfer.status in t.sources for t in named):
        messages.error(
            request,
            f"This asset transfer is at the stage '{transfer.get_status_display()}', so that cannot be done now.",
        )
        return redirect(_case_url(transfer))
    form = make_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run(transfer, form.cleaned_data, user)
        except SolutionsError as problem:
            show_errors(form, problem)
        else:
            messages.success(request, done)
            return redirect(_case_url(transfer))
    context = {
        "transfer": transfer,
        "form": form,
        "title": title,
        "submit": submit,
        "warning": warning,
        "multipart": multipart,
        "intro": intro,
        "crumbs": _crumbs(
            ("Asset transfers", reverse("solutions:transfers_mine")), (str(transfer.reference), _case_url(transfer))
        ),
    }
    return render(request, "solutions/transfers/step.html", context)


@get_or_post
@login_required
def support(request: HttpRequest, uuid: UUID) -> HttpResponse:
    bodies = list(queries.support_bodies())
    return _step_page(
        request,
        uuid,
        transition="offer_support",
        title="Pass the group to a support body",
        submit="Pass to the support body",
        make_form=lambda data: SupportForm(data, bodies=bodies),
        run=lambda t, d, by: services.offer_support(
            transfer=t, support_body=d["support_body"], note=d.get("reason", ""), by=by
        ),
        done="The support body can now see this transfer and attach documents to it.",
        intro="Its members will be able to see this transfer and attach documents to help the group.",
    )


@get_or_post
@login_required
def business_case(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _step_page(
        request,
        uuid,
        transition="ask_for_business_case",
        title="Ask the group for its business case",
        submit="Ask for the business case",
        make_form=lambda data: NoteForm(data),
        run=lambda t, d, by: services.ask_for_business_case(transfer=t, note=d.get("reason", ""), by=by),
        done="The group has been asked for its business case.",
    )


@get_or_post
@login_required
def sign_offs(request: HttpRequest, uuid: UUID) -> HttpResponse:
    departments = list(queries.departments())
    defaults = services.default_departments()
    return _step_page(
        request,
        uuid,
        transition="request_sign_offs",
        title="Send the business case for sign-off",
        submit="Send for sign-off",
        make_form=lambda data: SignOffsForm(data, departments=departments, defaults=defaults),
        run=lambda t, d, by: services.request_sign_offs(
            transfer=t, departments={k: d[k] for k in SignOff.Kind.values}, by=by
        ),
        done="The business case has been sent to estates, legal and finance for sign-off.",
        intro="Choose the department that gives each sign-off. Each is due on the council's service standard, "
        "counted in working days from today.",
    )


@get_or_post
@login_required
def decision(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _step_page(
        request,
        uuid,
        transition="approve",
        title="Record the decision",
        submit="Record the decision",
        make_form=lambda data: DecisionForm(data),
        run=lambda t, d, by: services.decide(
            transfer=t, approve=d["decision"] == "approve", reasons=d["reason"], by=by
        ),
        done="The decision has been recorded.",
    )


@get_or_post
@login_required
def lease(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _step_page(
        request,
        uuid,
        transition="sign_lease",
        title="Record the lease",
        submit="Record the lease",
        make_form=lambda data: LeaseForm(data),
        run=lambda t, d, by: services.record_lease(transfer=t, years=d["years"], starts_on=d["starts_on"], by=by),
        done="The lease has been recorded and the asset transferred.",
    )


@get_or_post
@login_required
def withdraw(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _step_page(
        request,
        uuid,
        transition="withdraw",
        title="Are you sure you want to withdraw this asset transfer?",
        submit="Withdraw the asset transfer",
        make_form=lambda data: ReasonForm(data, label="Why is it being withdrawn?"),
        run=lambda t, d, by: services.withdraw(transfer=t, reason=d["reason"], by=by),
        done="The asset transfer has been withdrawn.",
        warning=True,
        intro="You cannot undo this. The group can express an interest again later.",
    )


@get_or_post
@login_required
def sign_off(request: HttpRequest, uuid: UUID, kind: str) -> HttpResponse:
    """An officer of the department that owns the sign-off signs it or refuses it."""
    user = _user(request)
    transfer = _transfer(request, uuid)
    found = transfer.sign_offs.select_related("department").filter(kind=kind).first()
    if found is None:
        raise Http404("This asset transfer has no sign-off of that kind.")
    if found.department_id not in department_ids(user):
        raise PermissionDenied(f"Only an officer of {found.department.name} can give the {str(found).lower()}.")
    if transfer.status != T.SIGN_OFFS or found.outcome != SignOff.Outcome.WAITING:
        messages.error(request, f"The {str(found).lower()} is not waiting for you now.")
        return redirect(_case_url(transfer))
    form = SignOffDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_sign_off(
                sign_off=found,
                signed=form.cleaned_data["decision"] == "signed",
                note=form.cleaned_data["reason"],
                by=user,
            )
        except SolutionsError as problem:
            show_errors(form, problem)
        else:
            messages.success(request, f"The {str(found).lower()} has been recorded.")
            return redirect(_case_url(transfer))
    context = {
        "transfer": transfer,
        "sign_off": found,
        "form": form,
        "crumbs": _crumbs(
            ("Asset transfers", reverse("solutions:transfers")), (str(transfer.reference), _case_url(transfer))
        ),
    }
    return render(request, "solutions/transfers/sign_off.html", context)


@get_or_post
@login_required
def champion(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The stewards name the champion who owns a transfer."""
    user = _user(request)
    transfer = _transfer(request, uuid)
    if not is_steward(user):
        raise PermissionDenied("Only the stewards can name the champion of an asset transfer.")
    people = list(queries.champions())
    form = ChampionForm(
        request.POST if request.method == "POST" else None,
        champions=people,
        initial={"champion": str(transfer.champion_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.name_champion(transfer=transfer, champion=form.cleaned_data["champion"], by=user)
        except SolutionsError as problem:
            show_errors(form, problem)
        else:
            messages.success(request, "The champion has been named.")
            return redirect(_case_url(transfer))
    context = {
        "transfer": transfer,
        "form": form,
        "title": "Name the champion",
        "submit": "Name the champion",
        "crumbs": _crumbs((str(transfer.reference), _case_url(transfer))),
    }
    return render(request, "solutions/transfers/step.html", context)


# --- documents ------------------------------------------------------------------------------------------------


@get_or_post
@login_required
def documents(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Attach a document at the stage the transfer is at."""
    user = _user(request)
    transfer = _transfer(request, uuid)
    if not services.may_attach(user, transfer):
        raise PermissionDenied("Only the group, its support body, the champion and the stewards can attach files.")
    form = DocumentForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_documents(
                transfer=transfer,
                uploads=[services.Upload(form.cleaned_data["file"], form.cleaned_data["title"])],
                by=user,
            )
        except SolutionsError as problem:
            show_errors(form, problem)
        else:
            messages.success(request, "The document has been attached.")
            return redirect(_case_url(transfer))
    context = {
        "transfer": transfer,
        "form": form,
        "title": "Attach a document",
        "submit": "Attach the document",
        "multipart": True,
        "intro": f"It will be kept with the stage the transfer is at: {transfer.get_status_display().lower()}.",
        "crumbs": _crumbs((str(transfer.reference), _case_url(transfer))),
    }
    return render(request, "solutions/transfers/step.html", context)


@require_safe
@login_required
def document(request: HttpRequest, uuid: UUID, pk: int) -> FileResponse:
    """A transfer's file, for those who may see the transfer; always downloaded, never shown in the browser."""
    transfer = _transfer(request, uuid)
    record = queries.document_of(transfer, pk)
    if record is None:
        raise Http404("There is no such document on this asset transfer.")
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("This document's file could not be found.") from missing
    response = FileResponse(handle, as_attachment=True, filename=record.original_name, content_type=record.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
