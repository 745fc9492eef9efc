"""The consultations area's pages. Officers (of the department running one) and stewards draft a consultation part
by part from its task list, complete its Gunning check and equality impact assessment, and publish it; everyone
reads the published ones. Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors

from .. import gunning
from ..models import Characteristic, Consultation, Document, ImpactAssessment, Question
from ..permissions import is_steward, runs_consultation
from . import queries, services
from .forms import (
    AffectedForm,
    DatesForm,
    DetailsForm,
    DocumentForm,
    GunningForm,
    ImpactsForm,
    ListFilterForm,
    PublishForm,
    QuestionForm,
    WithdrawForm,
)
from .parts import PART_LABELS, PARTS, part_of

C = Consultation.Status
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
runners = role_required(
    Role.OFFICER, Role.STEWARD, Role.ADMIN, message="Only council officers and the stewards run consultations."
)
NOT_YOURS = "Only officers of the department running this consultation, and the stewards, can change it."
PER_PAGE = 20


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Consultations you run", reverse("engagement:manage")), *more]


def _managed(request: HttpRequest, slug: str) -> Consultation:
    consultation = queries.one_managed(slug)
    if consultation is None:
        raise Http404("There is no consultation at this address.")
    if not runs_consultation(request.user, consultation):
        raise PermissionDenied(NOT_YOURS)
    return consultation


def _task_url(consultation: Consultation) -> str:
    return reverse("engagement:manage_consultation", args=[consultation.slug])


def part_url(consultation: Consultation, part: str, field: str = "") -> str:
    """The page where a part is changed, at the field a finding names."""
    url = reverse(f"engagement:manage_{part}", args=[consultation.slug])
    anchors = {"documents": "", "eqia": "", "wards": "#id_wards_0"}
    anchor = anchors.get(field, f"#id_{field}" if field else "")
    if field in ("opens_on", "closes_on", "decision_due_on"):
        anchor = f"#id_{field}_day"
    return url + anchor


def _linked(consultation: Consultation, found: list[gunning.Finding]) -> list[dict[str, str]]:
    return [{"message": f.message, "url": part_url(consultation, part_of(f.field), f.field)} for f in found]


def _part_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    form: Any,
    save: Any,
    heading: str,
    part: str,
    intro: str = "",
    fields: tuple[str, ...] = (),
    multipart: bool = False,
) -> HttpResponse:
    """One part of a draft: its form, its errors beside the fields, what was typed kept, and the check's
    findings about the part's own fields."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{PART_LABELS.get(part, heading)} saved.")
            return redirect(_task_url(consultation))
    found = queries.findings(consultation)
    context = {
        "consultation": consultation,
        "form": form,
        "heading": heading,
        "intro": intro,
        "locked": consultation.status != C.DRAFT,
        "findings": [f for f in found.items if f.field in fields],
        "multipart": multipart,
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    return render(request, "engagement/consultations/part.html", context, status=200)


# --- the officer's list and task list ------------------------------------------------------------------------------


@runners
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """The consultations of the officer's departments (every one for a steward), with what each still needs."""
    today = timezone.localdate()
    context = {
        "rows": queries.manage_rows(request.user, today=today),
        "crumbs": [("Home", reverse("home:home"))],
        "may_start": queries.departments_for(request.user).exists(),
        "is_steward": is_steward(request.user),
    }
    return render(request, "engagement/consultations/manage.html", context)


@runners
@get_or_post
def manage_new(request: HttpRequest) -> HttpResponse:
    """Start a draft: its department and details."""
    departments = queries.departments_for(request.user)
    form = DetailsForm(request.POST if request.method == "POST" else None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.start_consultation(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"‘{made.title}’ started as a draft. Work through each part below.")
            return redirect(_task_url(made))
    context = {
        "form": form,
        "heading": "Start a consultation",
        "intro": "Start with what is proposed and what is still open. You can change everything until it is published.",
        "findings": [],
        "crumbs": _crumbs(),
    }
    return render(request, "engagement/consultations/part.html", context)


def _statuses(consultation: Consultation, found: gunning.Findings) -> list[dict[str, Any]]:
    """The task list: each part with its status, and the warnings about it."""
    missing_parts = {part_of(f.field) for f in found.missing}
    warned: dict[str, list[str]] = {}
    for f in found.warnings:
        warned.setdefault(part_of(f.field), []).append(f.message)
    questions = consultation.question_count  # type: ignore[attr-defined]
    done = {
        "details": "details" not in missing_parts,
        "affected": consultation.wards.all().exists() or bool(consultation.affected_people),
        "questions": questions > 0,
        "documents": "documents" not in missing_parts,
        "dates": "dates" not in missing_parts,
        "gunning": consultation.gunning_completed_at is not None,
        "eqia": "eqia" not in missing_parts,
    }
    rows = []
    for part, label in PARTS:
        hint = ""
        if part == "questions":
            hint = f"{questions} question{'s' if questions != 1 else ''}"
        rows.append(
            {
                "part": part,
                "label": label,
                "url": reverse(f"engagement:manage_{part}", args=[consultation.slug]),
                "done": done[part],
                "hint": hint,
                "warnings": warned.get(part, []),
            }
        )
    return rows


@runners
@require_safe
def manage_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    """A consultation's task list: each part and its status, then publishing."""
    consultation = _managed(request, slug)
    today = timezone.localdate()
    found = queries.findings(consultation, today=today)
    blockers = services.blockers(consultation, found) if consultation.status == C.DRAFT else []
    context = {
        "consultation": consultation,
        "tasks": _statuses(consultation, found),
        "tag": queries.phase_tag(consultation, today),
        "blockers": blockers,
        "draft": consultation.status == C.DRAFT,
        "may_withdraw": consultation.status in (C.DRAFT, C.PUBLISHED),
        "crumbs": _crumbs(),
    }
    return render(request, "engagement/consultations/task_list.html", context)


@runners
@get_or_post
def manage_details(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed(request, slug)
    initial = {
        name: getattr(consultation, name)
        for name in ("title", "summary", "proposal", "options_open", "background", "contact_email")
    }
    form = DetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    return _part_page(
        request,
        consultation,
        form=form,
        save=lambda data: services.change_details(consultation=consultation, by=request.user, **data),
        heading="Details",
        part="details",
        fields=("title", "summary", "proposal", "options_open"),
    )


@runners
@get_or_post
def manage_affected(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed(request, slug)
    initial = {
        "wards": [w.pk for w in consultation.wards.all()],
        "groups": list(consultation.groups.values_list("pk", flat=True)),
        "themes": [t.pk for t in consultation.theme_list],  # type: ignore[attr-defined]
        "affected_people": consultation.affected_people,
    }
    form = AffectedForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        from commonweal.accounts.models import Organisation
        from commonweal.framework.models import Theme
        from commonweal.places.models import Ward

        return services.change_affected(
            consultation=consultation,
            by=request.user,
            wards=Ward.objects.filter(pk__in=data["wards"]),
            groups=Organisation.objects.filter(pk__in=data["groups"]),
            themes=Theme.objects.filter(pk__in=data["themes"]),
            affected_people=data["affected_people"],
        )

    return _part_page(
        request,
        consultation,
        form=form,
        save=save,
        heading="Who is affected",
        part="affected",
        intro="Each affected ward should have an event while the consultation is open, for people who do not go "
        "online: the Gunning check warns about wards without one.",
        fields=("wards",),
    )


@runners
@get_or_post
def manage_dates(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed(request, slug)
    settings = queries.rules()
    initial = {
        "opens_on": consultation.opens_on,
        "closes_on": consultation.closes_on,
        "short_period_reason": consultation.short_period_reason,
        "allows_many_responses": consultation.allows_many_responses,
    }
    form = DatesForm(request.POST if request.method == "POST" else None, initial=initial)
    return _part_page(
        request,
        consultation,
        form=form,
        save=lambda data: services.change_dates(consultation=consultation, by=request.user, **data),
        heading="Dates",
        part="dates",
        intro=f"A consultation usually runs for {settings.default_weeks} weeks; a shorter one needs a recorded "
        f"reason, and none may run for less than {settings.minimum_weeks} weeks. It opens at the start of its "
        "first day and closes at the end of its last.",
        fields=("opens_on", "closes_on", "short_period_reason"),
    )


# --- questions ---------------------------------------------------------------------------------------------------


def _question(consultation: Consultation, pk: int) -> Question:
    found = consultation.questions.filter(pk=pk).first()
    if found is None:
        raise Http404("This consultation has no such question.")
    return found


@runners
@require_safe
def manage_questions(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed(request, slug)
    context = {
        "consultation": consultation,
        "questions": queries.questions(consultation),
        "locked": consultation.status != C.DRAFT,
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    return render(request, "engagement/consultations/questions.html", context)


def _typed(data: dict[str, Any]) -> services.QuestionText:
    return services.QuestionText(
        kind=data["kind"],
        text=data["text"],
        hint=data["hint"],
        required=data["required"],
        options=tuple(line for line in data["options"].splitlines()),
        scale_points=data["scale_points"],
        scale_low=data["scale_low"],
        scale_high=data["scale_high"],
    )


def _question_page(
    request: HttpRequest, consultation: Consultation, form: QuestionForm, save: Any, heading: str
) -> HttpResponse:
    questions_url = reverse("engagement:manage_questions", args=[consultation.slug])
    if request.method == "POST" and form.is_valid():
        try:
            save(_typed(form.cleaned_data))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect(questions_url)
    context = {
        "consultation": consultation,
        "form": form,
        "heading": heading,
        "locked": consultation.status != C.DRAFT,
        "cancel_url": questions_url,
        "crumbs": _crumbs((consultation.title, _task_url(consultation)), ("Questions", questions_url)),
    }
    return render(request, "engagement/consultations/question.html", context)


@runners
@get_or_post
def manage_question_add(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed(request, slug)
    form = QuestionForm(request.POST if request.method == "POST" else None, initial={"scale_points": 5})
    return _question_page(
        request,
        consultation,
        form,
        lambda typed: services.add_question(consultation=consultation, by=request.user, typed=typed),
        "Add a question",
    )


@runners
@get_or_post
def manage_question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _managed(request, slug)
    question = _question(consultation, pk)
    initial = {
        "kind": question.kind,
        "text": question.text,
        "hint": question.hint,
        "required": question.required,
        "options": "\n".join(question.options or []),
        "scale_points": question.scale_points,
        "scale_low": question.scale_low,
        "scale_high": question.scale_high,
    }
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial)
    return _question_page(
        request,
        consultation,
        form,
        lambda typed: services.change_question(question=question, by=request.user, typed=typed),
        "Change the question",
    )


@runners
@require_POST
def manage_question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Up or down one place: plain buttons, so it works without JavaScript."""
    consultation = _managed(request, slug)
    question = _question(consultation, pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponse("Say whether to move the question up or down.", status=400, content_type="text/plain")
    try:
        services.move_question(question=question, by=request.user, up=direction == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("engagement:manage_questions", args=[consultation.slug]) + f"#question-{question.pk}")


@runners
@get_or_post
def manage_question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _managed(request, slug)
    question = _question(consultation, pk)
    questions_url = reverse("engagement:manage_questions", args=[consultation.slug])
    problem = ""
    if request.method == "POST":
        try:
            services.delete_question(question=question, by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, f"Question ‘{question.text}’ deleted.")
            return redirect(questions_url)
    context = {
        "consultation": consultation,
        "thing": f"the question ‘{question.text}’",
        "summary_errors": problem,
        "cancel_url": questions_url,
        "crumbs": _crumbs((consultation.title, _task_url(consultation)), ("Questions", questions_url)),
    }
    return render(request, "engagement/consultations/delete.html", context, status=400 if problem else 200)


# --- documents ---------------------------------------------------------------------------------------------------


@runners
@get_or_post
def manage_documents(request: HttpRequest, slug: str) -> HttpResponse:
    """The documents, and a form to upload another."""
    consultation = _managed(request, slug)
    posted = request.method == "POST"
    form = DocumentForm(
        request.POST if posted else None, request.FILES if posted else None, initial={"language": "English"}
    )
    if posted and form.is_valid():
        try:
            services.add_document(consultation=consultation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"‘{form.cleaned_data['title']}’ uploaded.")
            return redirect(reverse("engagement:manage_documents", args=[consultation.slug]))
    found = queries.findings(consultation)
    context = {
        "consultation": consultation,
        "documents": queries.ordered_documents(consultation),
        "form": form,
        "draft": consultation.status == C.DRAFT,
        "may_upload": consultation.status in (C.DRAFT, C.PUBLISHED),
        "findings": [f for f in found.items if f.field == "documents"],
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    return render(request, "engagement/consultations/documents.html", context)


@runners
@get_or_post
def manage_document_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _managed(request, slug)
    document = consultation.documents.filter(pk=pk).first()
    if document is None:
        raise Http404("This consultation has no such document.")
    documents_url = reverse("engagement:manage_documents", args=[consultation.slug])
    problem = ""
    if request.method == "POST":
        try:
            services.delete_document(document=document, by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, f"‘{document.title}’ deleted.")
            return redirect(documents_url)
    context = {
        "consultation": consultation,
        "thing": f"the document ‘{document.title}’",
        "summary_errors": problem,
        "cancel_url": documents_url,
        "crumbs": _crumbs((consultation.title, _task_url(consultation)), ("Documents", documents_url)),
    }
    return render(request, "engagement/consultations/delete.html", context, status=400 if problem else 200)


# --- the Gunning check and the equality impact assessment ----------------------------------------------------------

GUNNING_FIELDS = {
    gunning.FORMATIVE: ("decision_maker", "decision_due_on", "formative_statement"),
    gunning.INFORMATION: ("information_statement",),
    gunning.TIME: (),
    gunning.CONSIDERATION: ("consideration_plan", "considered_by"),
}


@runners
@get_or_post
def manage_gunning(request: HttpRequest, slug: str) -> HttpResponse:
    """The four principles, each with its statements and the check's findings; saving, and marking it complete
    (which saves first, so nothing typed is lost)."""
    consultation = _managed(request, slug)
    names = [name for fields in GUNNING_FIELDS.values() for name in fields]
    form = GunningForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(consultation, name) for name in names},
    )
    refused: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        completing = request.POST.get("action") == "complete"
        try:
            services.change_gunning(consultation=consultation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            try:
                if completing:
                    services.complete_gunning_check(consultation=consultation, by=request.user)
            except ValidationError:
                consultation = _managed(request, slug)
                refused = _linked(consultation, queries.findings(consultation).missing)
            else:
                done = "The Gunning check is complete. It will be shown with the consultation."
                messages.success(request, done if completing else "Gunning check saved.")
                return redirect(_task_url(consultation))
    consultation = _managed(request, slug)
    found = queries.findings(consultation)
    principles = []
    for number, title in gunning.PRINCIPLES.items():
        principles.append(
            {
                "number": number,
                "title": title,
                "fields": [form[name] for name in GUNNING_FIELDS[number]],
                "findings": [
                    {"finding": f, "url": part_url(consultation, part_of(f.field), f.field)}
                    for f in found.for_principle(number)
                ],
            }
        )
    context = {
        "consultation": consultation,
        "form": form,
        "principles": principles,
        "complete": found.complete,
        "completed": consultation.gunning_completed_at is not None,
        "refused": refused,
        "locked": consultation.status != C.DRAFT,
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    return render(request, "engagement/consultations/gunning.html", context, status=400 if refused else 200)


@runners
@get_or_post
def manage_eqia(request: HttpRequest, slug: str) -> HttpResponse:
    """The equality impact assessment at launch: one row for each of the ten characteristics."""
    consultation = _managed(request, slug)
    existing = queries.launch_impacts(consultation)
    initial: dict[str, Any] = {}
    for value in Characteristic.values:
        row = existing.get(value)
        if row is not None:
            initial.update(
                {
                    f"{value}-impact": row.impact,
                    f"{value}-evidence": row.evidence,
                    f"{value}-mitigations": row.mitigations,
                }
            )
    form = ImpactsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = {
            value: services.Impact(
                impact=data[f"{value}-impact"],
                evidence=data[f"{value}-evidence"],
                mitigations=data[f"{value}-mitigations"],
            )
            for value in Characteristic.values
            if data.get(f"{value}-impact")
        }
        try:
            services.assess_impacts(consultation=consultation, by=request.user, rows=rows)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Equality impact assessment saved.")
            return redirect(_task_url(consultation))
    context = {
        "consultation": consultation,
        "form": form,
        "rows": form.rows(),
        "locked": consultation.status != C.DRAFT,
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    return render(request, "engagement/consultations/eqia.html", context)


# --- publishing and withdrawing ----------------------------------------------------------------------------------


@runners
@get_or_post
def manage_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish: refused, with each missing thing linked to where it is put right, unless the check is complete;
    the warnings shown and acknowledged."""
    consultation = _managed(request, slug)
    form = PublishForm(request.POST if request.method == "POST" else None)
    found = queries.findings(consultation)
    blockers = services.blockers(consultation, found) if consultation.status == C.DRAFT else []
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_consultation(
                consultation=consultation, by=request.user, warnings_read=form.cleaned_data["warnings_read"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "warnings_read" in error.error_dict:
                show_errors(form, error)
            elif not blockers:
                problem = " ".join(error.messages)
        else:
            today = timezone.localdate()
            opens = "It is open now." if consultation.is_open(today) else "It will open on its opening date."
            messages.success(request, f"‘{consultation.title}’ is published. {opens}")
            return redirect(reverse("engagement:consultation", args=[consultation.slug]))
    links = [
        {"message": b.message, "url": reverse(f"engagement:manage_{b.part}", args=[consultation.slug])}
        for b in blockers
    ]
    context = {
        "consultation": consultation,
        "form": form,
        "blockers": links,
        "warnings": _linked(consultation, found.warnings),
        "draft": consultation.status == C.DRAFT,
        "summary_errors": problem,
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    status = 400 if request.method == "POST" and (blockers or problem or form.errors) else 200
    return render(request, "engagement/consultations/publish.html", context, status=status)


@runners
@get_or_post
def manage_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed(request, slug)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consultation(
                consultation=consultation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                show_errors(form, error)
            else:
                problem = " ".join(error.messages)
        else:
            messages.success(request, f"‘{consultation.title}’ has been withdrawn.")
            return redirect(_task_url(consultation))
    context = {
        "consultation": consultation,
        "form": form,
        "summary_errors": problem,
        "may_withdraw": consultation.status in (C.DRAFT, C.PUBLISHED),
        "crumbs": _crumbs((consultation.title, _task_url(consultation))),
    }
    return render(request, "engagement/consultations/withdraw.html", context)


# --- the public pages --------------------------------------------------------------------------------------------

PHASES = (("open", "Open"), ("forthcoming", "Forthcoming"), ("closed", "Closed"))


@require_safe
def consultations(request: HttpRequest) -> HttpResponse:
    """Open, forthcoming and closed consultations, filtered by ward and theme, paged."""
    today = timezone.localdate()
    form = ListFilterForm(request.GET or None)
    ward = theme = None
    phase = "open"
    if form.is_bound and form.is_valid():
        ward, theme = form.cleaned_data["ward"], form.cleaned_data["theme"]
        phase = form.cleaned_data["phase"] or "open"
    counts = queries.phase_counts(today=today, ward=ward, theme=theme)
    found = queries.for_list(queries.public_listed(today=today, phase_=phase, ward=ward, theme=theme))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"consultation": c, "tag": queries.phase_tag(c, today), "days_left": queries.days_left(c, today)}
        for c in page.object_list
    ]
    query = request.GET.copy()
    tabs = []
    for value, label in PHASES:
        query["phase"] = value
        query.pop("page", None)
        tabs.append({"value": value, "label": label, "count": counts[value], "url": f"?{query.urlencode()}"})
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "phase": phase,
        "phase_label": dict(PHASES)[phase],
        "tabs": tabs,
        "crumbs": [("Home", reverse("home:home"))],
    }
    return render(request, "engagement/consultations/list.html", context, status=400 if form.errors else 200)


@require_safe
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    """A published consultation (or a decided or withdrawn one): what is proposed, its dates and phase, who is
    affected, its documents, its Gunning check, its equality impact assessment and events, and where to respond."""
    found = queries.public_one(slug)
    if found is None:
        raise Http404("There is no published consultation at this address.")
    today = timezone.localdate()
    check = queries.findings(found, today=today)
    events = list(getattr(found, "published_events", []))
    context = {
        "consultation": found,
        "tag": queries.phase_tag(found, today),
        "is_open": found.is_open(today),
        "days_left": queries.days_left(found, today),
        "documents": queries.ordered_documents(found),
        "launch": queries.impact_table(found, ImpactAssessment.Stage.LAUNCH),
        "closing": queries.impact_table(found, ImpactAssessment.Stage.CLOSING),
        "events": events,
        "weeks": _weeks(found),
        "warnings": check.warnings,
        "runs_it": runs_consultation(request.user, found),
        "crumbs": [("Home", reverse("home:home")), ("Consultations", reverse("engagement:consultations"))],
    }
    return render(request, "engagement/consultations/detail.html", context)


def _weeks(consultation: Consultation) -> str:
    if consultation.opens_on is None or consultation.closes_on is None:
        return ""
    days = gunning.running_days(consultation.opens_on, consultation.closes_on)
    weeks, rest = divmod(days, 7)
    text = f"{weeks} week{'s' if weeks != 1 else ''}"
    return text + (f" and {rest} day{'s' if rest != 1 else ''}" if rest else "")


@require_safe
def consultation_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A consultation's document: for everyone once it is published, for those who run it while a draft."""
    record = Document.objects.select_related("consultation").filter(pk=pk, consultation__slug=slug).first()
    if record is None:
        raise Http404("This consultation has no such document.")
    if record.consultation.status == C.DRAFT and not runs_consultation(request.user, record.consultation):
        raise Http404("This consultation has no such document.")
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("This document's file could not be found.") from missing
    name = record.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
