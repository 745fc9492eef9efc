"""The perception survey's pages: answering a wave (open to anyone, or by an invitation's link), its weighted
results (published ones for everyone), and the officers' pages to start a survey, add waves, take their steps
and invite people. Views parse, authorise, call and render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import Organisation
from commonweal.core import ratelimit
from commonweal.core.csvsafe import csv_lines
from commonweal.core.forms import show_errors
from commonweal.framework.models import Element, Framework
from commonweal.places.models import CouncilArea, Ward

from .. import workflows
from ..errors import EngagementError
from ..models_surveys import Survey, Wave
from ..permissions import department_ids, is_steward, runs_engagement
from . import charts, figures, queries, results, services
from .figures import Figure, change
from .forms import AnswerForm, InviteForm, SurveyForm, WaveForm
from .permissions import runs_survey, sees_results

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
SENDS_PER_ADDRESS = ratelimit.Limit("survey-send-address", 20, 60 * 60)
ANSWERED = "engagement_surveys_answered"  # wave uuid -> True, once this browser has answered it
NOT_RUNNING = "Only officers of the department running this survey, and the stewards, can do that."
HEADLINE_KEY = "council"


def _home() -> tuple[str, str]:
    return ("Home", reverse("home:home"))


def _survey(slug: str) -> Survey:
    found = queries.survey(slug)
    if found is None:
        raise Http404("There is no survey at this address.")
    return found


def _wave(survey: Survey, slug: str) -> Wave:
    found = queries.wave(survey, slug)
    if found is None:
        raise Http404("There is no wave of this survey at this address.")
    return found


def _wards() -> list[Ward]:
    council = CouncilArea.current()
    return list(Ward.objects.filter(council=council).order_by("name")) if council else []


# --- residents ------------------------------------------------------------------------------------------


@require_safe
def surveys(request: HttpRequest) -> HttpResponse:
    """Surveys anyone may answer now, and the published results of earlier waves."""
    found = queries.public_waves()
    return render(request, "engagement/surveys/list.html", {**found, "breadcrumbs": [_home()]})


def _answer(request: HttpRequest, wave: Wave, *, token: str = "") -> HttpResponse:
    """The answering page for a wave (GET shows it, POST sends it): shared by the open and the invited paths."""
    survey = wave.survey
    asked = queries.questions(survey)
    wards = _wards()
    refusal = services.answering_refusal(wave)
    answered = request.session.get(ANSWERED)
    thanks = reverse("engagement:survey_thanks", args=[survey.slug, wave.slug])
    if request.method == "POST" and not refusal:
        form = AnswerForm(request.POST, questions=asked, wards=wards)
        if form.is_bot():
            return redirect(thanks)
        if form.is_valid():
            wait = ratelimit.hit([(SENDS_PER_ADDRESS, ratelimit.client_address(request))]) if not token else None
            if wait is not None:
                form.add_error(
                    None,
                    "Too many answers have been sent from here in the last hour. "
                    f"Try again in {ratelimit.wait_in_words(wait)}.",
                )
            else:
                try:
                    services.submit_response(
                        wave=wave, answers=form.answers(), about=form.about(), by=request.user, token=token
                    )
                except ValidationError as error:
                    show_errors(form, error)
                else:
                    done = dict(answered) if isinstance(answered, dict) else {}
                    done[str(wave.uuid)] = True
                    request.session[ANSWERED] = done
                    return redirect(thanks)
        status = 429 if any("Too many answers" in str(e) for e in form.non_field_errors()) else 200
    else:
        form = AnswerForm(questions=asked, wards=wards)
        status = 200
    context = {
        "survey": survey,
        "wave": wave,
        "form": form,
        "refusal": refusal,
        "already": isinstance(answered, dict) and bool(answered.get(str(wave.uuid))),
        "closes_on": wave.closes_on,
        "breadcrumbs": [_home(), ("Surveys", reverse("engagement:surveys"))],
    }
    return render(request, "engagement/surveys/answer.html", context, status=status)


@get_or_post
def survey_answer(request: HttpRequest, slug: str, wave_slug: str) -> HttpResponse:
    """A wave open to any resident: its questions on one page."""
    survey = _survey(slug)
    wave = _wave(survey, wave_slug)
    if wave.status == Wave.Status.DRAFT and not runs_survey(request.user, survey):
        raise Http404("There is no wave of this survey at this address.")
    if wave.sample == Wave.Sample.INVITED:
        context = {
            "survey": survey,
            "wave": wave,
            "problem": "This survey is only for the people invited: use the link in your invitation.",
        }
        return render(request, "engagement/surveys/link_problem.html", context, status=403)
    return _answer(request, wave)


@get_or_post
def survey_invited(request: HttpRequest, token: str) -> HttpResponse:
    """A wave answered through one person's invitation link (which works once)."""
    try:
        invitation = services.invitation_for_token(token)
    except services.LinkUnknown as error:
        return render(request, "engagement/surveys/link_problem.html", {"problem": error.messages[0]}, status=404)
    wave = invitation.wave
    if invitation.used_at is not None:
        problem = (
            "This link has already been used to answer the survey. Each link works once. Thank you for taking part."
        )
        return render(
            request,
            "engagement/surveys/link_problem.html",
            {"wave": wave, "survey": wave.survey, "problem": problem},
            status=410,
        )
    return _answer(request, wave, token=token)


@require_safe
def survey_thanks(request: HttpRequest, slug: str, wave_slug: str) -> HttpResponse:
    survey = _survey(slug)
    wave = _wave(survey, wave_slug)
    return render(
        request,
        "engagement/surveys/thanks.html",
        {"survey": survey, "wave": wave, "breadcrumbs": [_home(), ("Surveys", reverse("engagement:surveys"))]},
    )


# --- results --------------------------------------------------------------------------------------------


def _visible(request: HttpRequest, slug: str, wave_slug: str) -> tuple[Survey, Wave, bool]:
    survey = _survey(slug)
    wave = _wave(survey, wave_slug)
    runs = runs_survey(request.user, survey)
    if not sees_results(request.user, wave) or wave.status == Wave.Status.DRAFT:
        raise Http404("The results of this wave are not published yet.")
    return survey, wave, runs


def hidden_because(figure: Any) -> str:
    """Why a figure is not shown, in words."""
    if getattr(figure, "why", "") == figures.PROTECTS_SMALL:
        return gettext("not shown, so that a smaller ward's figure cannot be worked out from the total")
    return gettext("fewer than 10 responses")


def shown(figure: Any) -> dict[str, Any]:
    """A figure as a table shows it: the per cent, its 95% interval and bases, or why it is not shown."""
    estimate = getattr(figure, "estimate", None)
    if estimate is None:
        return {"hidden": True, "why": hidden_because(figure)}
    return {
        "hidden": False,
        "percent": f"{100 * estimate.proportion:.0f}%",
        "interval": f"{100 * estimate.low:.0f}% to {100 * estimate.high:.0f}%",
        "base": estimate.base,
        "effective": f"{estimate.effective_base:,.0f}",
    }


def _moved(difference: Any) -> str:
    if difference is None:
        return ""
    points = 100 * difference.difference
    words = f"{points:+.0f} points"
    return f"{words}, a real change" if difference.significant else f"{words}, within the margin of error"


def _when(wave: Wave) -> tuple[date, int]:
    return (wave.opens_on or date.min, wave.pk)


def _trends(survey: Survey, wave: Wave, runs: bool) -> dict[str, Any]:
    """Every question's figure in each wave up to this one, with the change from the wave before."""
    waves = [w for w in queries.visible_waves(survey, runs=runs) if _when(w) <= _when(wave)]
    everyone = results.results_for(waves)
    kept = [everyone[w.pk] for w in waves]
    rows: list[dict[str, Any]] = []
    latest = kept[-1].questions if kept else []
    headlines = [q.headline for q in latest]
    for index, headline in enumerate(headlines):
        cells: list[dict[str, Any]] = []
        previous: Figure | None = None
        for found in kept:
            item = found.questions[index] if index < len(found.questions) else None
            figure = item.everyone if item is not None else None
            moved = change(previous, figure) if previous is not None and figure is not None else None
            cells.append({"figure": figure, "shown": shown(figure), "change": _moved(moved)})
            previous = figure
        rows.append({"headline": headline, "cells": cells})
    percents = [[c["figure"].percent if c["figure"] else None for c in row["cells"]] for row in rows]
    chart = charts.trend_chart(
        [services.questions.short(q.key, q.headline) for q in latest],
        [w.name for w in waves],
        percents,
        title="Per cent positive in each wave, as the table shows",
    )
    return {"waves": waves, "rows": rows, "chart": chart}


@require_safe
def survey_results(request: HttpRequest, slug: str, wave_slug: str) -> HttpResponse:
    """The wave's weighted results: the headline per cents with their 95% confidence intervals, the trends
    across waves, one question by ward, and how the figures were weighted."""
    survey, wave, runs = _visible(request, slug, wave_slug)
    found = results.wave_results(wave)
    items = [(services.questions.short(q.key, q.headline), q.everyone.percent) for q in found.questions]
    chosen_key = request.GET.get("question", HEADLINE_KEY)
    chosen = next((q for q in found.questions if q.key == chosen_key), None) or next(iter(found.questions), None)
    ward_rows = []
    if chosen is not None:
        ward_rows = [(name, chosen.by_ward.get(name)) for name in found.wards]
    headline_rows = [{"headline": q.headline, "key": q.key, **shown(q.everyone)} for q in found.questions]
    context = {
        "survey": survey,
        "wave": wave,
        "runs": runs,
        "found": found,
        "about": found.weighting,
        "headline_chart": charts.headline_chart(items, title=f"{wave.name}: per cent positive, as the table shows"),
        "trends": _trends(survey, wave, runs),
        "chosen": chosen,
        "question_choices": [(q.key, q.headline) for q in found.questions],
        "headline_rows": headline_rows,
        "ward_rows": [{"ward": name, **shown(figure)} for name, figure in ward_rows],
        "ward_chart": charts.ward_chart(
            [(name, f.percent if f else None) for name, f in ward_rows],
            title=f"{chosen.headline if chosen else ''}: per cent by ward, as the table shows",
        ),
        "breadcrumbs": [_home(), ("Surveys", reverse("engagement:surveys"))],
    }
    return render(request, "engagement/surveys/results.html", context)


@require_safe
def survey_results_csv(request: HttpRequest, slug: str, wave_slug: str) -> StreamingHttpResponse:
    """The wave's weighted figures as a spreadsheet: every question for everyone and each ward (no responses)."""
    survey, wave, _runs = _visible(request, slug, wave_slug)
    found = results.wave_results(wave)
    header = [
        "Wave",
        "Question",
        "Group",
        "Per cent positive (weighted)",
        "95% interval, low",
        "95% interval, high",
        "Responses (unweighted base)",
        "Effective base",
    ]

    def rows() -> Any:
        for item in found.questions:
            for group, figure in [
                ("Everyone", item.everyone),
                *[(f"Ward: {w}", item.by_ward.get(w)) for w in found.wards],
            ]:
                estimate = figure.estimate if figure is not None else None
                if estimate is None:
                    yield [wave.name, item.headline, group, hidden_because(figure), "", "", "", ""]
                else:
                    yield [
                        wave.name,
                        item.headline,
                        group,
                        f"{100 * estimate.proportion:.1f}",
                        f"{100 * estimate.low:.1f}",
                        f"{100 * estimate.high:.1f}",
                        estimate.base,
                        f"{estimate.effective_base:.0f}",
                    ]

    response = StreamingHttpResponse(csv_lines(header, rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-{wave.slug}-results.csv"'
    return response


# --- officers -------------------------------------------------------------------------------------------


def _runs_engagement(request: HttpRequest) -> None:
    if not runs_engagement(request.user):
        raise PermissionDenied("Only officers and the stewards run surveys.")


def _managed(request: HttpRequest, slug: str) -> Survey:
    survey = _survey(slug)
    if not runs_survey(request.user, survey):
        raise PermissionDenied(NOT_RUNNING)
    return survey


def _manage_crumbs(survey: Survey | None = None) -> list[tuple[str, str]]:
    crumbs = [_home(), ("Run surveys", reverse("engagement:manage_surveys"))]
    if survey is not None:
        crumbs.append((survey.title, reverse("engagement:manage_survey", args=[survey.slug])))
    return crumbs


@login_required
@require_safe
def manage_surveys(request: HttpRequest) -> HttpResponse:
    _runs_engagement(request)
    rows = list(queries.managed_surveys(request.user)[:200])
    return render(request, "engagement/surveys/manage_list.html", {"surveys": rows, "breadcrumbs": [_home()]})


def _departments(user: Any) -> list[Organisation]:
    found = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    if not is_steward(user):
        found = found.filter(pk__in=department_ids(user))
    return list(found.order_by("name"))


def _outcomes() -> list[Element]:
    framework = Framework.current()
    return list(framework.elements.filter(kind=Element.Kind.OUTCOME).order_by("position", "pk")) if framework else []


@login_required
@get_or_post
def survey_new(request: HttpRequest) -> HttpResponse:
    """Start a survey: the standard question set, and a question for each of the outcomes chosen."""
    _runs_engagement(request)
    departments, outcomes = _departments(request.user), _outcomes()
    if request.method == "POST":
        form = SurveyForm(request.POST, departments=departments, outcomes=outcomes)
        if form.is_valid():
            data = form.cleaned_data
            department = next((d for d in departments if str(d.pk) == data.get("department")), None)
            try:
                made = services.create_survey(
                    title=data.get("title") or "",
                    summary=data.get("summary") or "",
                    department=department,
                    outcome_ids=data.get("outcomes") or [],
                    by=request.user,
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"‘{made.title}’ is ready. Add its first wave.")
                return redirect("engagement:manage_survey", slug=made.slug)
    else:
        initial = {"department": str(departments[0].pk)} if len(departments) == 1 else {}
        form = SurveyForm(initial=initial, departments=departments, outcomes=outcomes)
    return render(
        request,
        "engagement/surveys/survey_form.html",
        {
            "form": form,
            "questions": services.questions.STANDARD,
            "council": services.council_name(),
            "breadcrumbs": _manage_crumbs(),
        },
    )


@login_required
@require_safe
def manage_survey(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _managed(request, slug)
    return render(
        request,
        "engagement/surveys/manage.html",
        {
            "survey": survey,
            "waves": queries.waves_with_counts(survey),
            "questions": queries.questions(survey),
            "breadcrumbs": _manage_crumbs(),
        },
    )


@login_required
@get_or_post
def wave_new(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _managed(request, slug)
    if request.method == "POST":
        form = WaveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.add_wave(
                    survey=survey,
                    name=data.get("name") or "",
                    opens_on=data.get("opens_on"),
                    closes_on=data.get("closes_on"),
                    sample=data.get("sample") or "",
                    by=request.user,
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"The wave ‘{made.name}’ is added, as a draft.")
                return redirect("engagement:manage_wave", slug=survey.slug, wave_slug=made.slug)
    else:
        form = WaveForm()
    return render(
        request,
        "engagement/surveys/wave_form.html",
        {"form": form, "survey": survey, "breadcrumbs": _manage_crumbs(survey)},
    )


def _managed_wave(request: HttpRequest, slug: str, wave_slug: str) -> Wave:
    survey = _managed(request, slug)
    return _wave(survey, wave_slug)


@login_required
@require_safe
def manage_wave(request: HttpRequest, slug: str, wave_slug: str) -> HttpResponse:
    wave = _managed_wave(request, slug, wave_slug)
    counts = wave.responses.count(), wave.invitations.count(), wave.invitations.filter(used_at__isnull=False).count()
    steps = workflows.WAVE.available(wave.status, request.user, wave)
    return render(
        request,
        "engagement/surveys/manage_wave.html",
        {
            "survey": wave.survey,
            "wave": wave,
            "responses": counts[0],
            "invited": counts[1],
            "invited_answered": counts[2],
            "steps": steps,
            "answer_url": reverse("engagement:survey_answer", args=[wave.survey.slug, wave.slug]),
            "panel_ready": services.panel_members() is not None,
            "breadcrumbs": _manage_crumbs(wave.survey),
        },
    )


@login_required
@require_POST
def wave_step(request: HttpRequest, slug: str, wave_slug: str, step: str) -> HttpResponse:
    wave = _managed_wave(request, slug, wave_slug)
    try:
        moved = services.take_step(wave=wave, step=step, by=request.user)
    except EngagementError as error:
        messages.error(request, str(error.messages[0]))
    else:
        messages.success(request, f"The wave ‘{moved.name}’ is now {moved.get_status_display().lower()}.")
    return redirect("engagement:manage_wave", slug=slug, wave_slug=wave_slug)


@login_required
@get_or_post
def wave_invite(request: HttpRequest, slug: str, wave_slug: str) -> HttpResponse:
    """Invite people to a wave for the people invited: each address is emailed its own one-time link."""
    wave = _managed_wave(request, slug, wave_slug)
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                done = services.invite(wave=wave, addresses=form.cleaned_data.get("addresses") or "", by=request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                note = f" {done.already} had been invited already." if done.already else ""
                messages.success(request, f"{done.sent} invitation{'s' if done.sent != 1 else ''} sent.{note}")
                return redirect("engagement:manage_wave", slug=slug, wave_slug=wave_slug)
    else:
        form = InviteForm()
    return render(
        request,
        "engagement/surveys/invite.html",
        {"form": form, "survey": wave.survey, "wave": wave, "breadcrumbs": _manage_crumbs(wave.survey)},
    )


@login_required
@require_POST
def wave_invite_panel(request: HttpRequest, slug: str, wave_slug: str) -> HttpResponse:
    """Invite the citizens' panel's selected members to a wave for the people invited."""
    wave = _managed_wave(request, slug, wave_slug)
    try:
        done = services.invite_panel(wave=wave, by=request.user)
    except EngagementError as error:
        messages.error(request, str(error.messages[0]))
    else:
        note = f" {done.already} had been invited already." if done.already else ""
        messages.success(request, f"{done.sent} panel member{'s' if done.sent != 1 else ''} invited.{note}")
    return redirect("engagement:manage_wave", slug=slug, wave_slug=wave_slug)
