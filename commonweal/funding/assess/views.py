"""Assessment pages: the officers' assessor pool and moderation, the assessors' declarations and scoring, and
the panel's decision. Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors

from .. import moderation as moderation_stats
from .. import pages
from ..models import Application, Assignment, Criterion, Round
from ..permissions import conflict_with
from . import queries, services
from .forms import AddAssessorForm, DecisionForm, DeclareForm, ScoreForm

officers_only = role_required(Role.OFFICER, message=services.OFFICERS_ONLY)
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
S = Assignment.Status


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _round_crumbs(round: Round) -> list[tuple[str, str]]:
    return pages.crumbs(
        ("Set up funding", reverse("funding:manage")),
        (round.fund.name, reverse("funding:fund_edit", args=[round.fund.slug])),
        (round.name, reverse("funding:round_manage", args=[round.slug])),
    )


def _assess_crumbs() -> list[tuple[str, str]]:
    return pages.crumbs(("Your assessments", reverse("funding:my_assessments")))


# --- the assessor pool (officers) --------------------------------------------------------------------


def _assessors_page(
    request: HttpRequest, round: Round, form: AddAssessorForm | None = None, action_error: str = ""
) -> HttpResponse:
    context = queries.assessors_page(round)
    context.update(form=form or AddAssessorForm(), action_error=action_error, crumbs=_round_crumbs(round))
    return render(request, "funding/assess/assessors.html", context)


def _pool_round(slug: str) -> Round:
    return get_object_or_404(Round.objects.select_related("fund"), slug=slug)


@officers_only
@require_safe
def assessors(request: HttpRequest, slug: str) -> HttpResponse:
    """The round's assessor pool, each assessor's load, and the forms that add, remove and assign."""
    return _assessors_page(request, _pool_round(slug))


@officers_only
@require_POST
def assessor_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add someone to the round's assessor pool by email."""
    round = _pool_round(slug)
    form = AddAssessorForm(request.POST)
    if form.is_valid():
        try:
            person = services.add_assessor(round=round, email=form.cleaned_data["email"], by=_user(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{person} is now an assessor in this round.")
            return redirect("funding:assessors", slug=round.slug)
    return _assessors_page(request, round, form=form)


@officers_only
@require_POST
def assessor_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take someone out of the round's assessor pool."""
    round = _pool_round(slug)
    leaving = round.assessors.filter(pk=pk).first()
    if leaving is None:
        return _assessors_page(request, round, action_error="That person is not an assessor in this round.")
    try:
        services.remove_assessor(round=round, assessor=leaving, by=_user(request))
    except ValidationError as error:
        return _assessors_page(request, round, action_error=" ".join(error.messages))
    messages.success(request, f"{leaving} is no longer an assessor in this round.")
    return redirect("funding:assessors", slug=round.slug)


@officers_only
@require_POST
def assessors_assign(request: HttpRequest, slug: str) -> HttpResponse:
    """Give each application waiting for assessors the ones it still needs."""
    round = _pool_round(slug)
    try:
        made = services.assign_assessors(round=round, by=_user(request))
    except ValidationError as error:
        return _assessors_page(request, round, action_error=" ".join(error.messages))
    messages.success(
        request,
        f"{made} new assignment{'s' if made != 1 else ''} made."
        if made
        else "Every application already has its assessors; there was nothing to assign.",
    )
    return redirect("funding:assessors", slug=round.slug)


# --- an assessor's own work --------------------------------------------------------------------------


@login_required
@require_safe
def my_assessments(request: HttpRequest) -> HttpResponse:
    context = queries.my_assessments(_user(request))
    context["crumbs"] = pages.crumbs()
    return render(request, "funding/assess/my_assessments.html", context)


@login_required
@get_or_post
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Before anything of the application is shown: its organisation and title, and the declaration."""
    assignment = queries.assignment_for(_user(request), pk)
    if assignment.status in (S.CLEAR, S.SCORED):
        return redirect("funding:score", pk=assignment.pk)
    form = DeclareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.declare_interest(
                assignment=assignment,
                conflict=form.cleaned_data["conflict"] == "yes",
                reason=form.cleaned_data["conflict_reason"],
                by=_user(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if done.assignment.status == S.CONFLICTED:
                messages.success(
                    request,
                    "You declared a conflict of interest. The application has been taken off your list"
                    + (" and given to another assessor." if done.replacement else "; officers will find it another."),
                )
                return redirect("funding:my_assessments")
            return redirect("funding:score", pk=assignment.pk)
    application = assignment.application
    context = {
        "assignment": assignment,
        "organisation_name": application.organisation.name,
        "title": application.title,
        "round": application.round,
        "form": form,
        "crumbs": _assess_crumbs(),
    }
    return render(request, "funding/assess/declare.html", context)


@login_required
@get_or_post
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """The application and its criteria: a score and a comment each, saved as a draft or submitted."""
    assignment = queries.assignment_for(_user(request), pk)
    if assignment.status == S.AWAITING_DECLARATION:
        return redirect("funding:declare", pk=assignment.pk)
    context = queries.score_page(assignment)
    round = context["application"].round
    criteria = [mark.criterion for mark in context["marks"]]
    initial = {}
    for mark in context["marks"]:
        initial[f"score_{mark.criterion.pk}"] = "" if mark.score is None else str(mark.score)
        initial[f"comment_{mark.criterion.pk}"] = mark.comment
    data = request.POST if request.method == "POST" else None
    form = ScoreForm(data, initial=initial, criteria=criteria, score_max=round.score_max)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        marks = {
            c.pk: services.Marked(form.cleaned_data[f"score_{c.pk}"] or "", form.cleaned_data[f"comment_{c.pk}"])
            for c in criteria
        }
        try:
            services.save_scores(assignment=assignment, marks=marks, submit=submit, by=_user(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            if submit or assignment.status == S.SCORED:
                messages.success(request, "Your scores are submitted. You can change them until the panel decides.")
                return redirect("funding:my_assessments")
            messages.success(request, "Your draft scores are saved. Submit them when you have scored every criterion.")
            return redirect("funding:score", pk=assignment.pk)
    weights = {c.pk: c.weight for c in criteria}
    context.update(
        form=form,
        weights=weights,
        score_max=round.score_max,
        crumbs=_assess_crumbs(),
    )
    return render(request, "funding/assess/score.html", context)


# --- moderation and the panel (officers) -------------------------------------------------------------


@officers_only
@require_safe
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """Score spread per application, outliers flagged, and each assessor's leaning."""
    round = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    only_flagged = request.GET.get("flagged") == "1"
    context = queries.moderation_page(
        round,
        sort=request.GET.get("sort", "reference"),
        only_flagged=only_flagged,
        page=request.GET.get("page"),
        user=request.user,
    )
    context.update(
        crumbs=_round_crumbs(round),
        outlier_points=int(moderation_stats.OUTLIER_POINTS),
        criterion_gap=moderation_stats.CRITERION_GAP,
    )
    return render(request, "funding/assess/moderation.html", context)


@officers_only
@get_or_post
def decide(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The panel's decision: fund or not, how much, why, and the feedback the applicant reads."""
    application = get_object_or_404(Application.objects.select_related("round", "organisation"), uuid=uuid)
    conflict = conflict_with(request.user, application)
    if conflict is not None:
        raise PermissionDenied(conflict)
    context = queries.decide_page(application)
    initial = {"feedback": context["feedback"], "amount": context["application"].amount_requested or ""}
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.record_decision(
                application=application,
                outcome=form.cleaned_data["outcome"],
                amount=form.cleaned_data["amount"],
                reasons=form.cleaned_data["reasons"],
                feedback=form.cleaned_data["feedback"],
                by=_user(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                f"Decision recorded: {decision.get_outcome_display().lower()}. We have emailed "
                f"{application.organisation.name} the decision, quoting {application.reference}.",
            )
            return redirect("funding:decide", uuid=application.uuid)
    round = context["round"]
    context.update(
        form=form,
        crumbs=_round_crumbs(round) + [("Moderation", reverse("funding:moderation", args=[round.slug]))],
        criteria_count=Criterion.objects.filter(round=round).count(),
        decidable=context["application"].status in queries.ASSIGNABLE,
    )
    return render(request, "funding/assess/decide.html", context)
