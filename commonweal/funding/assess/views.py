"""Assessment pages: the officers' assessor pool and moderation, the assessors' declarations and scoring, and
the panel's decision. Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core import jobs
from commonweal.core.csvsafe import csv_lines
from commonweal.core.forms import show_errors
from commonweal.core.http import waiting_page

from .. import moderation as moderation_stats
from .. import pages
from ..models import Application, Assignment, Criterion, Round
from ..permissions import conflict_with
from . import pack, queries, services
from .forms import (
    AddAssessorForm,
    ApplicationSearchForm,
    AssignByHandForm,
    DecisionForm,
    DeclareForm,
    EarlyForm,
    ScoreForm,
)

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
    request: HttpRequest,
    round: Round,
    form: AddAssessorForm | None = None,
    action_error: str = "",
    early_form: EarlyForm | None = None,
) -> HttpResponse:
    context = queries.assessors_page(round)
    form = form or AddAssessorForm()
    early_form = (early_form or EarlyForm(prefix="assign")) if services.round_still_open(round) else None
    context.update(
        form=form,
        early_form=early_form,
        summary_forms=[form, early_form],
        action_error=action_error,
        crumbs=_round_crumbs(round),
    )
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
    early_form = EarlyForm(request.POST, prefix="assign")
    early_form.is_valid()
    reason = early_form.reason()
    if early_form.errors:
        return _assessors_page(request, round, early_form=early_form)
    try:
        made = services.assign_assessors(round=round, by=_user(request), early_reason=reason)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            show_errors(early_form, error)
            return _assessors_page(request, round, early_form=early_form)
        return _assessors_page(request, round, action_error=" ".join(error.messages))
    messages.success(
        request,
        f"{made} new assignment{'s' if made != 1 else ''} made."
        if made
        else "Every application already has its assessors; there was nothing to assign.",
    )
    return redirect("funding:assessors", slug=round.slug)


def _assignable(uuid: Any, user: User) -> Application:
    """The application to choose assessors for; an officer with a conflict in it is refused, saying why."""
    application = get_object_or_404(Application.objects.select_related("round__fund", "organisation"), uuid=uuid)
    conflict = conflict_with(user, application)
    if conflict is not None:
        raise PermissionDenied(conflict)
    return application


@officers_only
@get_or_post
def assign_by_hand(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The officer picks assessors for one application from the round's pool; those who may not assess it are
    listed with the reason."""
    user = _user(request)
    application = _assignable(uuid, user)
    round = application.round
    candidates = services.candidates_for(application)
    choices = [
        (str(c.user.pk), f"{c.user.full_name or c.user.email} ({c.user.email}): {c.load} in this round")
        for c in candidates
        if not c.refusal
    ]
    early = services.round_still_open(round)
    form = AssignByHandForm(request.POST if request.method == "POST" else None, choices=choices, early=early)
    if request.method == "POST" and form.is_valid():
        reason = form.reason()
        if not form.errors:
            try:
                made = services.assign_by_hand(
                    application=application, assessors=form.cleaned_data["assessors"], by=user, early_reason=reason
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                names = ", ".join(str(a.assessor) for a in made)
                verb = "is" if len(made) == 1 else "are"
                messages.success(request, f"{names} {verb} now assessing this application.")
                return redirect("funding:assign_by_hand", uuid=application.uuid)
    context = {
        "application": application,
        "round": round,
        "form": form,
        "assigned": Assignment.objects.filter(application=application).select_related("assessor").order_by("pk"),
        "refused": [c for c in candidates if c.refusal],
        "assignable": application.status in queries.ASSIGNABLE,
        "early": early,
        "crumbs": _round_crumbs(round) + [("Assessors", reverse("funding:assessors", args=[round.slug]))],
    }
    return render(request, "funding/assess/assign_by_hand.html", context)


# --- the round's applications as a CSV file and a PDF panel pack (officers) --------------------------


def _searched(request: HttpRequest, slug: str) -> tuple[Round, queries.ApplicationSearch]:
    round = _pool_round(slug)
    form = ApplicationSearchForm(request.GET or None, round=round)
    form.is_valid()
    return round, form.search()


@officers_only
@require_safe
def round_applications_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The applications the officer searched for, one row each with their scores' summary and any decision;
    an application they have a conflict with has no scores in it."""
    round, search = _searched(request, slug)
    rows = queries.applications_csv_rows(queries.panel_pack(round, search, request.user))
    response = StreamingHttpResponse(csv_lines(queries.CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-applications.csv"'
    return response


@officers_only
@require_http_methods(["GET", "HEAD", "POST"])
def panel_pack(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The panel pack: every searched-for application's summary, each assessor's scores and comments and the
    moderation figures, as a PDF for the panel meeting. The worker builds it; meanwhile a page says so and looks
    again by itself, and if the build failed, says that and offers to try again (a POST)."""
    round, search = _searched(request, slug)
    user = _user(request)
    if request.method == "POST":
        pack.retry_panel_pack(round=round, user=user, search=search)
        return redirect(request.get_full_path())
    outcome = pack.request_panel_pack(round=round, user=user, search=search)
    if isinstance(outcome, jobs.JobState):
        context = {"round": round, "state": outcome, "crumbs": _applications_crumbs(round)}
        if outcome.failed:
            return render(request, "funding/assess/panel_pack_failed.html", context, status=503)
        return waiting_page(request, "funding/assess/panel_pack_preparing.html", context)
    return FileResponse(outcome.open("rb"), as_attachment=True, filename=f"{round.slug}-panel-pack.pdf")


def _applications_crumbs(round: Round) -> list[tuple[str, str]]:
    return _round_crumbs(round) + [("Applications", reverse("funding:round_applications", args=[round.slug]))]


# --- an assessor's own work --------------------------------------------------------------------------


@login_required
@require_safe
def my_assessments(request: HttpRequest) -> HttpResponse:
    context = queries.my_assessments(_user(request), show=request.GET.get("show", ""))
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
