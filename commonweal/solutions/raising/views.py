"""Raising a blockage: the question page, the check page (with similar open blockages to join instead), the
page after sending, the resident's confirmation link, and the raiser's own list.

What someone types is kept in their session as a draft from their first 'Continue', so an error, a reload or
signing in part-way loses nothing; it is cleared once the blockage is sent.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.core import ratelimit
from commonweal.core.forms import show_errors

from ..models import Blockage, Category
from ..permissions import signed_in
from . import queries, services
from .forms import JoinForm, RaiseForm, SendForm

get_or_post = require_http_methods(["GET", "HEAD", "POST"])

DRAFT = "solutions_raise_draft"
SENT = "solutions_raised"
# Anyone may raise a blockage without signing in, so sending one is limited per address.
RAISES_PER_ADDRESS = ratelimit.Limit("blockage-raise-address", 5, 60 * 60)
TEXT_FIELDS = (
    "organisation",
    "title",
    "description",
    "category",
    "ward",
    "postcode",
    "latitude",
    "longitude",
    "council_process",
    "tried",
    "would_help",
    "asset",
    "show_raiser",
    "raiser_name",
    "raiser_email",
    "raiser_phone",
)


def _crumbs() -> list[tuple[str, str]]:
    return [("Home", reverse("home:home"))]


def _raise_form(request: HttpRequest, data: Any = None) -> RaiseForm:
    return RaiseForm(
        data,
        signed_in=signed_in(request.user),
        categories=queries.categories(),
        wards=queries.wards(),
        assets=queries.assets(),
        groups=queries.groups_of(request.user),
    )


def _draft(request: HttpRequest) -> dict[str, str]:
    draft = request.session.get(DRAFT)
    return draft if isinstance(draft, dict) else {}


def _checked_form(request: HttpRequest) -> RaiseForm | None:
    """The draft's form, valid and meeting every rule of the service; None if anything needs changing."""
    draft = _draft(request)
    if not draft:
        return None
    form = _raise_form(request, draft)
    if not form.is_valid():
        return None
    try:
        services.check_answers(form.answers(), by=request.user)
    except ValidationError:
        return None
    return form


def _map_context() -> dict[str, Any]:
    return {
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
    }


@get_or_post
def raise_blockage(request: HttpRequest) -> HttpResponse:
    """Anyone says what is blocked and where; the answers are kept as a draft and checked before sending."""
    if request.method == "POST":
        form = _raise_form(request, request.POST)
        if form.is_bot():
            return redirect("solutions:raise_sent")  # store nothing, say nothing
        request.session[DRAFT] = {name: request.POST.get(name, "") for name in TEXT_FIELDS if name in request.POST}
        if form.is_valid():
            try:
                services.check_answers(form.answers(), by=request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                return redirect("solutions:raise_check")
    else:
        draft = _draft(request)
        form = _raise_form(request, draft or None)
        # A draft shows what still needs changing, beside each field.
        if draft and form.is_valid():
            try:
                services.check_answers(form.answers(), by=request.user)
            except ValidationError as error:
                show_errors(form, error)
    context = {
        "form": form,
        "categories": form.categories,
        "breadcrumbs": _crumbs(),
        "login_url": f"{reverse('account_login')}?next={reverse('solutions:raise')}",
        **_map_context(),
    }
    return render(request, "solutions/raising/raise.html", context)


def _check_context(
    request: HttpRequest, form: RaiseForm, send_form: SendForm, problems: list[str] | None = None
) -> dict[str, Any]:
    answers = form.answers()
    place = services.find_place(answers)
    similar = queries.similar_blockages(
        title=answers.title,
        description=answers.description,
        council_process=answers.council_process,
        category_id=answers.category_id,
        ward_id=place.ward.pk if place.ward else None,
        latitude=place.latitude,
        longitude=place.longitude,
    )
    data = form.cleaned_data
    return {
        "answers": answers,
        "place": place,
        "category": Category.objects.get(pk=answers.category_id or 0),
        "organisation": next((g for g in queries.groups_of(request.user) if g.pk == answers.organisation_id), None),
        "asset_name": dict(cast(list[tuple[str, str]], cast(forms.ChoiceField, form.fields["asset"]).choices)).get(
            data.get("asset") or "", ""
        ),
        "similar": similar,
        "form": send_form,
        "summary_errors": problems or [],
        "login_url": f"{reverse('account_login')}?next={reverse('solutions:raise_check')}",
        "breadcrumbs": _crumbs() + [("Raise a blockage", reverse("solutions:raise"))],
    }


@get_or_post
def check(request: HttpRequest) -> HttpResponse:
    """The answers to check, open blockages like this one to join instead, files to attach, and Send."""
    form = _checked_form(request)
    if form is None:
        return redirect("solutions:raise")
    posted = request.method == "POST"
    send_form = SendForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and send_form.is_valid():
        if not signed_in(request.user):
            wait = ratelimit.hit([(RAISES_PER_ADDRESS, ratelimit.client_address(request))])
            if wait is not None:
                send_form.add_error(
                    None,
                    "Too many blockages have been sent from here in the last hour. "
                    f"Try again in {ratelimit.wait_in_words(wait)}; what you typed is kept.",
                )
                response = render(
                    request, "solutions/raising/check.html", _check_context(request, form, send_form), status=429
                )
                response["Retry-After"] = str(wait)
                return response
        try:
            raised = services.raise_blockage(
                answers=form.answers(), by=request.user, files=send_form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            show_errors(send_form, error)
        else:
            request.session.pop(DRAFT, None)
            request.session[SENT] = str(raised.blockage.uuid)
            return redirect("solutions:raise_sent")
    return render(request, "solutions/raising/check.html", _check_context(request, form, send_form))


@login_required
@require_POST
def join(request: HttpRequest) -> HttpResponse:
    """Join an open blockage instead of raising another: the raiser's own words are kept, linked to it."""
    form = _checked_form(request)
    if form is None:
        return redirect("solutions:raise")
    join_form = JoinForm(request.POST)
    problems: list[str] = []
    if join_form.is_valid():
        try:
            joined = services.join_blockage(
                answers=form.answers(), target_uuid=join_form.cleaned_data["blockage"], by=request.user
            )
        except ValidationError as error:
            problems.extend(str(message) for message in error.messages)
        else:
            request.session.pop(DRAFT, None)
            request.session[SENT] = str(joined.uuid)
            return redirect("solutions:raise_sent")
    else:
        problems.extend(str(message) for messages in join_form.errors.values() for message in messages)
    return render(request, "solutions/raising/check.html", _check_context(request, form, SendForm(), problems))


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    """What happens next: a resident checks their email; anyone signed in sees where it went."""
    uuid = request.session.get(SENT)
    blockage = (
        Blockage.objects.select_related("category", "joined_to", "champion").filter(uuid=uuid).first() if uuid else None
    )
    departments = list(blockage.parts.select_related("department")) if blockage is not None else []
    return render(request, "solutions/raising/sent.html", {"blockage": blockage, "parts": departments})


@get_or_post
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A resident follows the emailed link and presses Confirm (a link alone, which mail scanners open, does
    nothing): the blockage is raised and routed."""
    context: dict[str, Any] = {"raise_url": reverse("solutions:raise")}
    try:
        blockage = services.blockage_for_token(token)
    except services.LinkUnknown as error:
        context["problem"] = error.messages[0]
        return render(request, "solutions/raising/confirm_problem.html", context, status=404)
    context["blockage"] = blockage
    if request.method == "POST":
        try:
            blockage = services.confirm_blockage(token=token)
        except services.LinkExpired as error:
            context["problem"] = error.messages[0]
            return render(request, "solutions/raising/confirm_problem.html", context, status=410)
        request.session[SENT] = str(blockage.uuid)
        return redirect("solutions:raise_sent")
    if services.link_expired(blockage, timezone.now()):
        context["problem"] = (
            f"This link has expired. Links work for {services.LINK_DAYS} days after the blockage is raised."
        )
        return render(request, "solutions/raising/confirm_problem.html", context, status=410)
    return render(request, "solutions/raising/confirm.html", context)


def case_url(uuid: Any) -> str:
    """The case page (the cases area's `solutions:case`); its agreed address until that area is installed."""
    try:
        return reverse("solutions:case", args=[uuid])
    except NoReverseMatch:
        return f"/solutions/cases/{uuid}/"


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """Every blockage this person raised, their groups raised, or they joined: its status and when it is due."""
    blockages = list(queries.your_blockages(request.user)[:500])
    for blockage in blockages:
        blockage.case_url = case_url(blockage.uuid)  # type: ignore[attr-defined]
        if blockage.joined_to is not None:
            blockage.joined_to.case_url = case_url(blockage.joined_to.uuid)  # type: ignore[attr-defined]
    return render(
        request,
        "solutions/raising/mine.html",
        {"blockages": blockages, "breadcrumbs": _crumbs()},
    )
