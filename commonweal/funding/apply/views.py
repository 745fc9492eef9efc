"""The apply area: the eligibility checker, an applicant's form with autosave and files, submitting and
withdrawing, the status page, a group's applications and the officers' list of a round's applications.
Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors
from commonweal.core.money import pounds

from .. import pages
from ..assess.forms import ApplicationSearchForm
from ..errors import FundingError, WorkflowError
from ..models import Application, Attachment, Question, Round
from ..permissions import is_officer, manages, may_record_match_funding
from . import queries, services
from .eligibility import check_eligibility
from .forms import ApplicationForm, EligibilityForm, question_field

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
officers_only = role_required(
    Role.OFFICER, message="Only the council's funding officers can see a round's applications."
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _round_or_404(slug: str, user: Any) -> Round:
    found = queries.public_round(slug, user)
    if found is None:
        raise Http404("There is no funding round at this address.")
    return found


def _application_or_404(uuid: Any) -> Application:
    application = queries.application_by_uuid(uuid)
    if application is None:
        raise Http404("There is no application at this address.")
    return application


def _require_applicant(user: User, application: Application) -> None:
    if not manages(user, application.organisation):
        raise PermissionDenied(f"Only members of {application.organisation.name} can change or submit its application.")


def _crumbs(round: Round | None = None) -> list[tuple[str, str]]:
    if round is None:
        return pages.crumbs()
    return pages.crumbs(
        (round.fund.name, reverse("funding:fund", args=[round.fund.slug])),
        (round.name, reverse("funding:round", args=[round.slug])),
    )


# --- the eligibility checker ----------------------------------------------------------------------------


@get_or_post
def eligibility(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone may check whether their group can apply; a member of a group can start from the result."""
    user = _user(request)
    round = _round_or_404(slug, user)
    fund = round.fund
    area = queries.area_name()
    groups = queries.member_organisations(user)
    # The truth first: a group that has already applied to a round taking one each is told so here, with
    # a link to its application, rather than 'You can apply' followed by a refusal on the next page.
    applied = queries.standing_applications(round, groups)
    organisations = [group for group in groups if group.pk not in applied]
    initial: dict[str, Any] = {}
    if groups:
        initial["kind"] = (organisations or groups)[0].kind
    data = request.POST if request.method == "POST" and request.POST.get("check") != "change" else None
    if request.method == "POST" and data is None:
        # 'Change your answers' comes back with the answers given, as an unbound form's starting values.
        initial = dict(request.POST.items())
    form = EligibilityForm(data, initial=initial, fund=fund, area_name=area)
    result = None
    if data is not None and form.is_valid():
        result = check_eligibility(fund, form.answers(), area_name=area)
    context = {
        "round": round,
        "fund": fund,
        "form": form,
        "result": result,
        "closed": services.round_closed_message(round),
        "organisations": organisations,
        "applied": list(applied.values()),
        "kept": [(name, value) for name, value in request.POST.items() if name in form.fields]
        if result is not None
        else [],
        "pot_max": pounds(result.pot.max_amount) if result and result.pot else None,
        "crumbs": _crumbs(round),
    }
    return render(request, "funding/apply/eligibility.html", context)


@login_required
@require_POST
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    """A group member starts a draft from an eligible result (the checker's answers come with the button)."""
    user = _user(request)
    round = _round_or_404(slug, user)
    organisations = queries.member_organisations(user)
    if not organisations:
        raise PermissionDenied(
            "Only members of a group can apply. Ask to manage your group's listing in the directory first."
        )
    chosen = request.POST.get("organisation", "")
    organisation = next((o for o in organisations if o.slug == chosen), organisations[0])
    form = EligibilityForm(request.POST, fund=round.fund, area_name=queries.area_name())
    if not form.is_valid():
        messages.error(request, "Answer the questions below to check you can apply, then start your application.")
        return redirect("funding:eligibility", slug=round.slug)
    try:
        application = services.start_application(
            round=round, organisation=organisation, by=user, eligibility=form.answers()
        )
    except services.AlreadyApplied as error:
        messages.info(request, error.messages[0])
        return redirect("funding:application", uuid=error.application.uuid)
    except FundingError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("funding:eligibility", slug=round.slug)
    messages.success(request, f"You started application {application.reference}. Your answers are saved as you go.")
    return redirect("funding:application_edit", uuid=application.uuid)


# --- the form, autosave and submit ----------------------------------------------------------------------


def _form_for(application: Application, data: Any = None, files: Any = None) -> ApplicationForm:
    questions = queries.questions_of(application.round)
    initial: dict[str, Any] = {
        "title": application.title,
        "summary": application.summary,
        "amount_requested": application.amount_requested,
        "themes": list(application.themes.all()),
        "wards": list(application.wards.all()),
        "starts_on": application.starts_on,
        "ends_on": application.ends_on,
    }
    for question in questions:
        if question.kind != Question.Kind.ATTACHMENT:
            initial[question_field(question.pk)] = application.answers.get(str(question.pk), "")
    return ApplicationForm(data, files, initial=initial, application=application, questions=questions)


def _posted_values(request: HttpRequest, form: ApplicationForm) -> dict[str, Any]:
    """The valid values of the fields this page sent: a crafted or partial POST changes nothing else."""
    form.is_valid()
    present = set(request.POST.get("present", "").split())
    cleaned = getattr(form, "cleaned_data", {})
    return {name: cleaned[name] for name in present if name in cleaned and name in form.fields}


def _uploads(request: HttpRequest, form: ApplicationForm) -> dict[int, Any]:
    found = {}
    for question in form.questions:
        if question.kind == Question.Kind.ATTACHMENT:
            upload = request.FILES.get(question_field(question.pk))
            if upload is not None:
                found[question.pk] = upload
    return found


def _edit_page(request: HttpRequest, application: Application, form: ApplicationForm) -> HttpResponse:
    files = queries.attachments_by_question(application)
    context = {
        "application": application,
        "form": form,
        "fields": [
            (q, form[question_field(q.pk)], files.get(q.pk, []), _remaining(q, form[question_field(q.pk)]))
            for q in form.questions
        ],
        "present": " ".join(name for name, field in form.fields.items() if name not in _file_fields(form)),
        "deadline": services.when(application.round.closes_at),
        "crumbs": _crumbs(application.round),
    }
    return render(request, "funding/apply/edit.html", context)


def _remaining(question: Question, field: Any) -> int:
    if not question.word_limit:
        return 0
    return question.word_limit - services.count_words(str(field.value() or ""))


def _file_fields(form: ApplicationForm) -> set[str]:
    return {question_field(q.pk) for q in form.questions if q.kind == Question.Kind.ATTACHMENT}


def _editable(request: HttpRequest, uuid: Any) -> Application:
    application = _application_or_404(uuid)
    _require_applicant(_user(request), application)
    return application


def _no_longer_a_draft(request: HttpRequest, application: Application) -> HttpResponse:
    messages.info(request, "This application has been submitted, so it can no longer be changed.")
    return redirect("funding:application", uuid=application.uuid)


def _save(request: HttpRequest, application: Application, form: ApplicationForm) -> services.Saved:
    saved = services.save_draft(
        application=application, by=_user(request), values=_posted_values(request, form), files=_uploads(request, form)
    )
    for name, problem in saved.problems.items():
        if name in form.fields and not form.has_error(name):
            form.add_error(name, problem)
    return saved


@login_required
@get_or_post
def application_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The applicant's form; 'Save and come back later' keeps a draft without JavaScript."""
    application = _editable(request, uuid)
    if application.status != Application.Status.DRAFT:
        return _no_longer_a_draft(request, application)
    if request.method != "POST":
        return _edit_page(request, application, _form_for(application))
    form = _form_for(application, request.POST, request.FILES)
    try:
        _save(request, application, form)
    except FundingError as error:
        show_errors(form, error)
        return _edit_page(request, application, form)
    remove = request.POST.get("remove_file", "")
    attachment = Attachment.objects.filter(application=application, pk=remove).first() if remove.isdigit() else None
    if attachment is not None:
        services.remove_attachment(attachment=attachment, by=_user(request))
        messages.success(request, f"You removed {attachment.original_name}. Your other answers are saved.")
        return redirect("funding:application_edit", uuid=application.uuid)
    if form.errors:
        # Valid answers are saved; the rest are shown again as typed, with what to put right.
        return _edit_page(request, application, form)
    if request.POST.get("next") == "check":
        # 'Continue' goes to 'Check your answers' once nothing is missing; what is missing is shown here.
        application.refresh_from_db()
        problems = services.problems_before_submitting(application)
        if problems:
            show_errors(form, FundingError(problems))
            return _edit_page(request, application, form)
        return redirect("funding:application_check", uuid=application.uuid)
    messages.success(
        request,
        f"Your draft is saved. Come back and submit it before {services.when(application.round.closes_at)}.",
    )
    return redirect("funding:application", uuid=application.uuid)


@login_required
@require_POST
def application_autosave(request: HttpRequest, uuid: Any) -> JsonResponse:
    """Saves whatever the page sends that is valid, and says when; field problems come back to show."""
    application = _editable(request, uuid)
    form = _form_for(application, request.POST)
    try:
        saved = services.save_draft(application=application, by=_user(request), values=_posted_values(request, form))
    except FundingError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)
    errors = {name: problems[0] for name, problems in form.errors.items() if name in form.fields}
    errors.update({k: v for k, v in saved.problems.items() if k not in errors})
    saved_at = timezone.localtime(saved.application.updated_at).strftime("%H:%M")
    return JsonResponse({"saved_at": saved_at, "errors": errors})


@login_required
@require_POST
def application_submit(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Saves what the form sends, then submits once; a second click is told it is already submitted."""
    application = _editable(request, uuid)
    user = _user(request)
    form = _form_for(application, request.POST, request.FILES)
    if application.status == Application.Status.DRAFT and "present" in request.POST:
        try:
            _save(request, application, form)
        except FundingError as error:
            show_errors(form, error)
            return _edit_page(request, application, form)
    try:
        services.submit_application(application=application, by=user)
    except WorkflowError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("funding:application", uuid=application.uuid)
    except FundingError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect("funding:application", uuid=application.uuid)
        application.refresh_from_db()
        posted = "present" in request.POST
        shown = _form_for(application, request.POST if posted else None)
        if posted:
            shown.is_valid()
        else:
            shown.errors  # noqa: B018  # an unbound form's errors start empty; add the service's to them
            shown.cleaned_data = {}
        show_errors(shown, error)
        return _edit_page(request, application, shown)
    return redirect("funding:application_submitted", uuid=application.uuid)


@login_required
@require_safe
def application_check(request: HttpRequest, uuid: Any) -> HttpResponse:
    """'Check your answers': every answer with a link to change it, then the one button that submits."""
    application = _editable(request, uuid)
    if application.status != Application.Status.DRAFT:
        return _no_longer_a_draft(request, application)
    if services.problems_before_submitting(application):
        messages.error(request, "Answer every question before you check your answers. What is missing is shown.")
        return redirect("funding:application_edit", uuid=application.uuid)
    context = queries.application_page(application)
    context["crumbs"] = _crumbs(application.round)
    context["deadline"] = services.when(application.round.closes_at)
    return render(request, "funding/apply/check.html", context)


@login_required
@require_safe
def application_submitted(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The confirmation: the reference, what happens next and where the email went."""
    application = _editable(request, uuid)
    if application.submitted_at is None:
        return redirect("funding:application", uuid=application.uuid)
    context = {
        "application": application,
        "round": application.round,
        "closes": services.when(application.round.closes_at),
        "crumbs": _crumbs(application.round),
    }
    return render(request, "funding/apply/submitted.html", context)


@login_required
@get_or_post
def application_withdraw(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A confirmation page, then the withdrawal (drafts and submitted applications, before the deadline)."""
    application = _editable(request, uuid)
    error = None
    if request.method == "POST":
        try:
            services.withdraw_application(
                application=application, by=_user(request), reason=request.POST.get("reason", "")[:2000]
            )
        except WorkflowError as problem:
            messages.info(request, " ".join(problem.messages))
            return redirect("funding:application", uuid=application.uuid)
        except FundingError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"You withdrew application {application.reference}.")
            return redirect("funding:application", uuid=application.uuid)
    context = {"application": application, "error": error, "crumbs": _crumbs(application.round)}
    return render(request, "funding/apply/withdraw.html", context)


# --- the status page and lists --------------------------------------------------------------------------


@login_required
@require_safe
def application(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Where an application stands, its answers, and its decision and grant once there are any."""
    found = _application_or_404(uuid)
    user = _user(request)
    refused = queries.refusal(user, found)
    if refused:
        raise PermissionDenied(refused)
    context = queries.application_page(found)
    context["is_applicant"] = manages(user, found.organisation)
    context["may_record_match_funding"] = may_record_match_funding(user, found)
    if context["is_applicant"]:
        listed = ("Your applications", reverse("funding:my_applications"))
    elif is_officer(user):
        listed = ("Applications", reverse("funding:round_applications", args=[found.round.slug]))
    else:
        listed = ("Your assessments", reverse("funding:my_assessments"))
    context["crumbs"] = [*_crumbs(found.round), listed]
    return render(request, "funding/apply/application.html", context)


@login_required
@require_safe
def attachment(request: HttpRequest, uuid: Any, pk: int) -> FileResponse:
    """A file of an application, for those who may see it; always downloaded, never shown in the browser."""
    found = _application_or_404(uuid)
    refused = queries.refusal(_user(request), found)
    if refused:
        raise PermissionDenied(refused)
    record = get_object_or_404(Attachment, application=found, pk=pk)
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("This file is missing. Ask the funding team for help.") from error
    response = FileResponse(handle, as_attachment=True, filename=record.original_name, content_type=record.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    context = queries.my_applications_page(_user(request))
    context["crumbs"] = _crumbs()
    return render(request, "funding/apply/my_applications.html", context)


@officers_only
@require_safe
def round_applications(request: HttpRequest, slug: str) -> HttpResponse:
    """The officers' list of a round's applications, searched by name, reference, status, ward and theme, with
    the same search as a CSV file and a PDF panel pack."""
    round = get_object_or_404(Round.objects.select_related("fund"), slug=slug)
    form = ApplicationSearchForm(request.GET or None, round=round)
    form.is_valid()
    search = form.search()
    context = queries.round_applications_page(round, search, request.GET.get("page"))
    exports = request.GET.copy()
    exports.pop("page", None)
    context.update(form=form, search=search, export_query=exports.urlencode())
    context["crumbs"] = pages.crumbs(
        ("Set up funding", reverse("funding:manage")),
        (round.fund.name, reverse("funding:fund_edit", args=[round.fund.slug])),
        (round.name, reverse("funding:round_manage", args=[round.slug])),
    )
    return render(request, "funding/apply/round_applications.html", context)
