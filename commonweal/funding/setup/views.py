"""Funds and rounds: the public list of funds, a fund's page and a round's prospectus; the officers' set-up of
funds, pots, eligibility questions, rounds, application forms, criteria and prospectuses, and their answers to
groups' comments. Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors
from commonweal.core.money import pounds

from .. import pages
from ..models import Criterion, EligibilityQuestion, Fund, Pot, ProspectusComment, Question, Round
from ..permissions import is_officer
from . import queries, services
from .forms import (
    AnswerForm,
    CommentForm,
    CriterionForm,
    EligibilityForm,
    FundForm,
    PotForm,
    ProspectusForm,
    QuestionForm,
    RoundForm,
    ThemeBudgetsForm,
    fund_initial,
    initial_values,
    round_initial,
)

officers_only = role_required(Role.OFFICER, message="Only council officers can set up funds and rounds.")
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
FORM_PAGE = "funding/setup/form.html"
QUESTION_SCRIPT = "funding/setup_question.mjs"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _manage_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return pages.crumbs(("Set up funding", reverse("funding:manage")), *more)


def _fund_crumbs(fund: Fund) -> list[tuple[str, str]]:
    return _manage_crumbs((fund.name, reverse("funding:fund_edit", args=[fund.slug])))


def _round_crumbs(round_: Round) -> list[tuple[str, str]]:
    return [*_fund_crumbs(round_.fund), (round_.name, reverse("funding:round_manage", args=[round_.slug]))]


def _form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    save: Callable[[forms.Form], Any],
    success: Callable[[Any], str],
    heading: str,
    within: Fund | Round | None,
    section: str = "",
    done: Callable[[Any], str] | None = None,
    button: str = "Save",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Every add and change page of the set-up: one form, its errors beside the fields, what was typed kept.

    `within` is the fund or round the page is part of (None: the set-up itself): the page is captioned and
    crumbed with it, Cancel goes back to its page and a save to its `section` there, unless `done` says where.
    """
    caption, page, crumbs = _set_up_page(within)
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, success(record))
            return redirect(done(record) if done else page + section)
    context = {
        "form": form,
        "heading": heading,
        "caption": caption,
        "crumbs": crumbs,
        "cancel_url": page,
        "button": button,
        **(extra or {}),
    }
    return render(request, FORM_PAGE, context)


def _set_up_url(within: Fund | Round | None) -> str:
    """The officers' page of a fund or a round, or the set-up's dashboard."""
    if within is None:
        return reverse("funding:manage")
    return reverse("funding:fund_edit" if isinstance(within, Fund) else "funding:round_manage", args=[within.slug])


def _set_up_page(within: Fund | Round | None) -> tuple[str, str, list[tuple[str, str]]]:
    """That page's name, address and crumbs, for the pages of its parts."""
    if within is None:
        return "Set up funding", _set_up_url(within), _manage_crumbs()
    crumbs = _fund_crumbs(within) if isinstance(within, Fund) else _round_crumbs(within)
    return within.name, _set_up_url(within), crumbs


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- public pages ------------------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Funding: rounds open now first, then those coming up and those closed; links to the rest of funding."""
    user = request.user
    context = queries.index_page(user)
    context.update(
        {
            "crumbs": [("Home", reverse("home:home"))],
            "is_assessor": user.is_authenticated and Round.objects.filter(assessors=user).exists(),
            "is_group_member": queries.is_group_member(user),
            "is_officer": is_officer(user),
        }
    )
    return render(request, "funding/setup/index.html", context)


@require_safe
def fund(request: HttpRequest, slug: str) -> HttpResponse:
    """A fund's page: what it is for, its themes and their budgets, its pots, who may apply and its rounds."""
    record = get_object_or_404(Fund, slug=slug)
    context = queries.fund_page(record, request.user)
    context["crumbs"] = pages.crumbs()
    context["manage_url"] = reverse("funding:fund_edit", args=[record.slug]) if is_officer(request.user) else ""
    return render(request, "funding/setup/fund.html", context)


def _readable_round(request: HttpRequest, slug: str) -> Round | HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    refusal = queries.prospectus_refusal(round_, request.user)
    if refusal:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(refusal)
    return round_


def _round_page(request: HttpRequest, round_: Round, comment_form: CommentForm | None = None) -> HttpResponse:
    user = request.user
    context = queries.round_page(round_, user)
    refusal = services.comment_refusal(round_, user)
    context.update(
        {
            "crumbs": pages.crumbs((round_.fund.name, reverse("funding:fund", args=[round_.fund.slug]))),
            "comment_form": comment_form or (CommentForm() if not refusal else None),
            "comment_refusal": refusal,
            "is_open": round_.is_open(),
            "manage_url": reverse("funding:round_manage", args=[round_.slug]) if is_officer(user) else "",
            "form": comment_form,
        }
    )
    return render(request, "funding/setup/round.html", context)


@require_safe
def round(request: HttpRequest, slug: str) -> HttpResponse:
    """A round's prospectus: what it funds, its dates, pots, themes, scoring criteria and application questions."""
    found = _readable_round(request, slug)
    if isinstance(found, HttpResponse):
        return found
    return _round_page(request, found)


@require_POST
def prospectus_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """A group member comments on a prospectus open for comment."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("funding:round", args=[slug]))
    found = _readable_round(request, slug)
    if isinstance(found, HttpResponse):
        return found
    if not queries.is_group_member(request.user):
        raise PermissionDenied("Only members of community groups can comment on a draft prospectus.")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_prospectus(round=found, body=form.cleaned_data["body"], by=_user(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Thank you: your comment is saved. Officers will answer it on this page.")
            return redirect(reverse("funding:round", args=[found.slug]) + "#comments")
    return _round_page(request, found, form)


# --- officers: the dashboard and funds ---------------------------------------------------------------------


@officers_only
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """Officers' dashboard: every fund and its rounds with their applications, and comments to answer."""
    context = queries.manage_page()
    context["crumbs"] = pages.crumbs()
    context["work"] = [
        ("Grants, payments and reports", reverse("funding:grants_manage")),
        ("Add an external funding source", reverse("funding:source_add")),
        ("Leverage: external money per council pound", reverse("funding:leverage")),
    ]
    return render(request, "funding/setup/manage.html", context)


@officers_only
@get_or_post
def fund_create(request: HttpRequest) -> HttpResponse:
    form = FundForm(_posted(request), initial={"must_serve_area": True})
    return _form_page(
        request,
        form=form,
        save=lambda f: services.create_fund(values=f.cleaned_data, by=_user(request)),
        success=lambda record: f"You created the fund {record.name}. Now add its pots, budgets and a round.",
        heading="Create a fund",
        within=None,
        done=lambda record: reverse("funding:fund_edit", args=[record.slug]),
        button="Create the fund",
    )


@officers_only
@get_or_post
def fund_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The officers' page of a fund: its theme budgets, pots, eligibility questions and rounds; its details form."""
    record = get_object_or_404(Fund, slug=slug)
    form = FundForm(_posted(request), initial=fund_initial(record))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.update_fund(fund=record, values=form.cleaned_data, by=_user(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Your changes to {record.name} are saved.")
            return redirect("funding:fund_edit", slug=record.slug)
        record.refresh_from_db()
    context = queries.fund_manage_page(record)
    context.update({"form": form, "crumbs": _manage_crumbs()})
    return render(request, "funding/setup/fund_manage.html", context)


@officers_only
@get_or_post
def theme_budgets(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Fund, slug=slug)
    themes = list(record.themes.order_by("position", "pk"))
    budgets = {budget.theme_id: budget.amount for budget in record.theme_budgets.all()}
    form = ThemeBudgetsForm(_posted(request), themes=themes, budgets=budgets)
    return _form_page(
        request,
        form=form,
        save=lambda _: services.set_theme_budgets(fund=record, amounts=form.amounts(), by=_user(request)),
        success=lambda _: f"The theme budgets of {record.name} are saved.",
        heading="Budget per theme",
        within=record,
        extra={
            "intro": f"The fund's total budget is {pounds(record.total_budget)}. "
            "The themes' budgets may not add up to more.",
            "no_themes": not themes,
        },
    )


@officers_only
@get_or_post
def pot_add(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Fund, slug=slug)
    return _form_page(
        request,
        form=PotForm(_posted(request)),
        save=lambda f: services.add_pot(fund=record, values=f.cleaned_data, by=_user(request)),
        success=lambda pot: f"You added the pot {pot.name}.",
        heading="Add a pot",
        within=record,
        section="#pots",
        button="Add the pot",
    )


@officers_only
@get_or_post
def pot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pot = get_object_or_404(Pot.objects.select_related("fund"), pk=pk)
    initial = initial_values(pot, services.POT_FIELDS)
    return _form_page(
        request,
        form=PotForm(_posted(request), initial=initial),
        save=lambda f: services.update_pot(pot=pot, values=f.cleaned_data, by=_user(request)),
        success=lambda saved: f"Your changes to the pot {saved.name} are saved.",
        heading="Change a pot",
        within=pot.fund,
        section="#pots",
    )


def _delete(
    request: HttpRequest, *, delete: Callable[[], None], within: Fund | Round, section: str, what: str
) -> HttpResponse:
    """Delete a part of a fund or round (a pot, a question, a criterion), or say why not, back on its page."""
    try:
        delete()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You deleted {what}.")
    return redirect(_set_up_url(within) + section)


@officers_only
@require_POST
def pot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pot = get_object_or_404(Pot.objects.select_related("fund"), pk=pk)
    return _delete(
        request,
        delete=lambda: services.delete_pot(pot=pot, by=_user(request)),
        within=pot.fund,
        section="#pots",
        what=f"the pot {pot.name}",
    )


@officers_only
@get_or_post
def eligibility_add(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Fund, slug=slug)
    return _form_page(
        request,
        form=EligibilityForm(_posted(request), initial={"required_answer": "yes"}),
        save=lambda f: services.add_eligibility_question(fund=record, values=f.cleaned_data, by=_user(request)),
        success=lambda _: "You added a question to the eligibility checker.",
        heading="Add an eligibility question",
        within=record,
        section="#eligibility",
        button="Add the question",
    )


@officers_only
@get_or_post
def eligibility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(EligibilityQuestion.objects.select_related("fund"), pk=pk)
    initial = {
        "question": question.question,
        "required_answer": "yes" if question.required_answer else "no",
        "reason": question.reason,
    }
    return _form_page(
        request,
        form=EligibilityForm(_posted(request), initial=initial),
        save=lambda f: services.update_eligibility_question(
            question=question, values=f.cleaned_data, by=_user(request)
        ),
        success=lambda _: "Your changes to the eligibility question are saved.",
        heading="Change an eligibility question",
        within=question.fund,
        section="#eligibility",
    )


@officers_only
@require_POST
def eligibility_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(EligibilityQuestion.objects.select_related("fund"), pk=pk)
    return _delete(
        request,
        delete=lambda: services.delete_eligibility_question(question=question, by=_user(request)),
        within=question.fund,
        section="#eligibility",
        what="the eligibility question",
    )


# --- officers: rounds --------------------------------------------------------------------------------------


@officers_only
@get_or_post
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Fund, slug=slug)
    form = RoundForm(
        _posted(request), initial={"assessors_per_application": 2, "score_max": 5, "one_per_organisation": True}
    )
    return _form_page(
        request,
        form=form,
        save=lambda f: services.create_round(fund=record, values=f.cleaned_data, by=_user(request)),
        success=lambda created: (
            f"You created {created.name}. Add its questions and criteria, then write the prospectus."
        ),
        heading="Add a round",
        within=record,
        done=lambda created: reverse("funding:round_manage", args=[created.slug]),
        button="Add the round",
    )


def _fix_score_max(form: RoundForm) -> None:
    """Once assessors have started scoring, the highest score is shown but cannot be changed (nor is it posted)."""
    field = form.fields["score_max"]
    field.disabled = True
    field.help_text = "Fixed: assessors have started scoring this round."


def _round_manage_page(request: HttpRequest, round_: Round, form: RoundForm, *, refusals: list[str]) -> HttpResponse:
    context = queries.round_manage_page(round_)
    if context["criteria_locked"]:
        _fix_score_max(form)
    context.update({"form": form, "crumbs": _fund_crumbs(round_.fund), "refusals": refusals})
    context["work"] = [
        ("Applications", reverse("funding:round_applications", args=[round_.slug])),
        ("Assessors", reverse("funding:assessors", args=[round_.slug])),
        ("Moderation and decisions", reverse("funding:moderation", args=[round_.slug])),
    ]
    return render(request, "funding/setup/round_manage.html", context)


@officers_only
@get_or_post
def round_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The officers' page of a round: its prospectus and its status, form, criteria, comments and settings."""
    round_ = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    form = RoundForm(_posted(request), initial=round_initial(round_))
    if queries.scoring_started(round_):
        _fix_score_max(form)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.update_round(round=round_, values=form.cleaned_data, by=_user(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Your changes to {round_.name} are saved.")
            return redirect("funding:round_manage", slug=round_.slug)
        round_.refresh_from_db()
    return _round_manage_page(request, round_, form, refusals=[])


@officers_only
@get_or_post
def prospectus_edit(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    initial = initial_values(round_, ("prospectus", "methodology", "comments_close_at"))
    return _form_page(
        request,
        form=ProspectusForm(_posted(request), initial=initial),
        save=lambda f: services.update_prospectus(round=round_, by=_user(request), **f.cleaned_data),
        success=lambda _: "The prospectus is saved.",
        heading="Write the prospectus",
        within=round_,
        button="Save the prospectus",
    )


def _prospectus_step(request: HttpRequest, slug: str, step: Callable[..., Round], done: str) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    try:
        step(round=round_, by=_user(request))
    except ValidationError as error:
        form = RoundForm(initial=round_initial(round_))
        return _round_manage_page(request, round_, form, refusals=list(error.messages))
    messages.success(request, done)
    return redirect("funding:round_manage", slug=round_.slug)


@officers_only
@require_POST
def prospectus_open(request: HttpRequest, slug: str) -> HttpResponse:
    return _prospectus_step(
        request,
        slug,
        services.open_prospectus_for_comment,
        "The prospectus is open for comment: group members can read it and comment.",
    )


@officers_only
@require_POST
def prospectus_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _prospectus_step(
        request, slug, services.publish_prospectus, "The prospectus is published: everyone can read it now."
    )


@officers_only
@get_or_post
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(ProspectusComment.objects.select_related("round__fund", "organisation"), pk=pk)
    return _form_page(
        request,
        form=AnswerForm(_posted(request), initial={"answer": comment.answer}),
        save=lambda f: services.answer_prospectus_comment(
            comment=comment, answer=f.cleaned_data["answer"], by=_user(request)
        ),
        success=lambda _: "Your answer is saved and shown beside the comment.",
        heading="Answer a comment",
        within=comment.round,
        section="#comments",
        button="Save the answer",
        extra={"comment": comment},
    )


# --- officers: the application form and the criteria -------------------------------------------------------


def _question_initial(question: Question) -> dict[str, Any]:
    return initial_values(question, services.QUESTION_FIELDS)


@officers_only
@get_or_post
def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    initial = {"kind": Question.Kind.LONG_TEXT, "required": True, "max_file_mb": 10}
    form = QuestionForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form=form,
        save=lambda _: services.add_question(round=round_, values=form.values(), by=_user(request)),
        success=lambda _: "You added a question to the application form.",
        heading="Add a question to the application form",
        within=round_,
        section="#questions",
        button="Add the question",
        extra={"script": QUESTION_SCRIPT},
    )


@officers_only
@get_or_post
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("round__fund"), pk=pk)
    round_ = question.round
    form = QuestionForm(_posted(request), initial=_question_initial(question))
    return _form_page(
        request,
        form=form,
        save=lambda _: services.update_question(question=question, values=form.values(), by=_user(request)),
        success=lambda _: "Your changes to the question are saved.",
        heading="Change a question",
        within=round_,
        section="#questions",
        extra={"script": QUESTION_SCRIPT},
    )


def _confirm_delete(
    request: HttpRequest, *, within: Round, section: str, thing: str, name: str, warning: str = ""
) -> HttpResponse:
    """GOV.UK's 'Are you sure?' page before something is deleted: the thing, what it affects, Delete or Cancel."""
    title, url, crumbs = _set_up_page(within)
    context = {
        "thing": thing,
        "name": name,
        "warning": warning,
        "within": within,
        "cancel": url + section,
        "crumbs": [*crumbs, (title, url)],
    }
    return render(request, "funding/setup/delete.html", context)


@officers_only
@get_or_post
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("round__fund"), pk=pk)
    if request.method != "POST":
        return _confirm_delete(
            request,
            within=question.round,
            section="#questions",
            thing="question",
            name=question.label,
            warning=queries.open_round_warning(question.round),
        )
    return _delete(
        request,
        delete=lambda: services.delete_question(question=question, by=_user(request)),
        within=question.round,
        section="#questions",
        what="the question",
    )


@officers_only
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("round"), pk=pk)
    try:
        services.move_question(question=question, direction=request.POST.get("direction", ""), by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("funding:round_manage", args=[question.round.slug]) + "#questions")


def _criteria_locked(request: HttpRequest, round_: Round) -> HttpResponse | None:
    """Back to the round's criteria, saying why, once assessors have started scoring it (the services refuse too)."""
    if not queries.scoring_started(round_):
        return None
    messages.error(request, queries.CRITERIA_LOCKED)
    return redirect(reverse("funding:round_manage", args=[round_.slug]) + "#criteria")


@officers_only
@get_or_post
def criterion_add(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    if locked := _criteria_locked(request, round_):
        return locked
    return _form_page(
        request,
        form=CriterionForm(_posted(request), initial={"descriptors": Criterion().score_descriptors(round_.score_max)}),
        save=lambda f: services.add_criterion(round=round_, values=f.cleaned_data, by=_user(request)),
        success=lambda criterion: f"You added the criterion {criterion.name}.",
        heading="Add a scoring criterion",
        within=round_,
        section="#criteria",
        button="Add the criterion",
        extra={"intro": f"The weights of this round's criteria add up to {queries.criteria_weight(round_)}% so far."},
    )


@officers_only
@get_or_post
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion.objects.select_related("round__fund"), pk=pk)
    round_ = criterion.round
    if locked := _criteria_locked(request, round_):
        return locked
    initial = initial_values(criterion, services.CRITERION_FIELDS)
    initial["descriptors"] = criterion.score_descriptors(round_.score_max)
    return _form_page(
        request,
        form=CriterionForm(_posted(request), initial=initial),
        save=lambda f: services.update_criterion(criterion=criterion, values=f.cleaned_data, by=_user(request)),
        success=lambda saved: f"Your changes to the criterion {saved.name} are saved.",
        heading="Change a scoring criterion",
        within=round_,
        section="#criteria",
    )


@officers_only
@get_or_post
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion.objects.select_related("round__fund"), pk=pk)
    if request.method != "POST":
        if locked := _criteria_locked(request, criterion.round):
            return locked
        return _confirm_delete(
            request,
            within=criterion.round,
            section="#criteria",
            thing="criterion",
            name=criterion.name,
            warning=queries.open_round_warning(criterion.round),
        )
    return _delete(
        request,
        delete=lambda: services.delete_criterion(criterion=criterion, by=_user(request)),
        within=criterion.round,
        section="#criteria",
        what=f"the criterion {criterion.name}",
    )
