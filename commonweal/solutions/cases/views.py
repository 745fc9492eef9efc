"""The council's side of a blockage: the queues, the case page and its forms (steps, parts, champion,
departments), sharing the learning and writing the case study. Views parse, authorise, call a service or a
query, and render; a refusal is a 403 page with its reason, a step that cannot be taken the case page again
with an error summary saying why."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors

from ..models import CLOSED_STATUSES, Blockage, Part
from ..permissions import (
    department_ids,
    is_case_champion,
    is_case_department,
    is_champion,
    is_raiser,
    is_steward,
    may_see_case,
    sees_every_case,
)
from ..workflows import BLOCKAGE
from . import queries, services
from .forms import (
    AddDepartmentForm,
    CaseStudyForm,
    ChampionForm,
    LearningForm,
    PartForm,
    QueueFilterForm,
    StepForm,
)

council_only = role_required(
    Role.OFFICER,
    Role.CHAMPION,
    Role.STEWARD,
    message="The blockages queue is for council officers, champions and stewards.",
)
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
PRIVATE = (
    "This blockage's case is open only to the person who raised it, their group and the council people working "
    "on it. Its public page on the blockages log shows what can be shared."
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _crumbs(blockage: Blockage | None = None) -> list[tuple[str, str]]:
    found = [("Home", reverse("home:home")), ("Blockages", reverse("solutions:queue"))]
    if blockage is not None:
        found.append((blockage.reference, reverse("solutions:case", args=[blockage.uuid])))
    return found


# --- the queue ---------------------------------------------------------------------------------------------


@council_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """A department's blockages (or a champion's, or every one), open ones most overdue first, with filters."""
    user = _user(request)
    scopes = queries.scopes_for(user)
    if not scopes:
        raise PermissionDenied("You are not an officer of a council department, so you have no blockages queue.")
    form = QueueFilterForm(request.GET or None, scopes=scopes)
    filters = form.filters(scopes)
    page = Paginator(queries.queue(user, filters), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "solutions/cases/queue.html",
        {
            "form": form,
            "pages": page,
            "rows": queries.rows(list(page.object_list)),
            "heading": queries.SCOPE_LABELS[filters.scope],
            "filters": filters,
            "crumbs": _crumbs()[:1],
        },
    )


# --- the case page -----------------------------------------------------------------------------------------


def _case(request: HttpRequest, uuid: Any) -> Blockage:
    """The blockage, if this person may see its case; a 403 with the reason otherwise."""
    blockage = queries.case(uuid)
    if blockage is None or blockage.status == Blockage.Status.UNCONFIRMED and not is_raiser(request.user, blockage):
        raise Http404("There is no blockage at this address.")
    if not may_see_case(request.user, blockage):
        raise PermissionDenied(PRIVATE)
    return blockage


def signed_in_only(view: Any) -> Any:
    """Send anonymous visitors to sign in, keeping where they were going."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return cast(HttpResponseBase, view(request, *args, **kwargs))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# What each entry in a case's history says it was: a workflow step ('Acknowledged'), or a change to the case.
CHANGES = {
    "name_champion": "Champion named",
    "add_department": "Department added",
    "remove_department": "Department taken off",
}


def _what(event: Any) -> str:
    if event.transition in CHANGES:
        return CHANGES[event.transition]
    named = BLOCKAGE.named(event.transition)
    past = named[0].past if named else event.transition.replace("_", " ")
    statuses = dict(Blockage.Status.choices)
    before = statuses.get(event.from_status, event.from_status)
    after = statuses.get(event.to_status, event.to_status)
    if event.from_status == event.to_status:
        return f"{past[0].upper()}{past[1:]}"
    moved = f"{before} to {after}" if before else f"to {after}"
    return f"{past[0].upper()}{past[1:]}: {moved.lower()}"


def _who(event: Any, blockage: Blockage, council: bool, user: User) -> str:
    """Who took a step, as this reader sees it: the council sees names; the raiser sees 'You' for their own steps
    and 'The council' for the council's, as officers' names are theirs to keep."""
    if event.by is None:
        return "The person who raised it" if event.transition in {"confirm", "reply"} else "The council"
    if council:
        return str(event.by.full_name or event.by.email)
    if event.by_id == user.pk:
        return "You"
    return "The person who raised it" if event.transition == "reply" else "The council"


def _case_page(
    request: HttpRequest,
    blockage: Blockage,
    *,
    step_forms: dict[str, StepForm] | None = None,
    part_form: PartForm | None = None,
    champion_form: ChampionForm | None = None,
    department_form: AddDepartmentForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    context = queries.case_page(blockage)
    council = sees_every_case(user) or is_case_champion(user, blockage) or is_case_department(user, blockage)
    available = [
        t for t in BLOCKAGE.available(blockage.status, user, blockage) if t.name not in services.NOT_ON_THE_CASE_PAGE
    ]
    step_forms = step_forms or {}
    forms = [step_forms.get(t.name) or StepForm(transition=t) for t in available]
    # A step that can no longer be taken (someone got there first) has no form to show its error beside.
    errors = list(errors or [])
    for name, form in step_forms.items():
        if name not in {t.name for t in available}:
            errors += [str(message) for problems in form.errors.values() for message in problems]
    mine = department_ids(user) if blockage.is_open else set()
    part_forms = []
    for part in context["parts"]:
        if part.department_id in mine:
            again = part_form is not None and part_form.part.pk == part.pk
            part_forms.append(part_form if again and part_form is not None else PartForm(part=part))
    names_champion = blockage.status not in {Blockage.Status.UNCONFIRMED, Blockage.Status.JOINED} and (
        is_steward(user) or is_champion(user)
    )
    routes = blockage.is_open and (is_case_champion(user, blockage) or is_steward(user))
    champion_form = champion_form or (ChampionForm() if names_champion else None)
    department_form = department_form or (AddDepartmentForm(blockage=blockage) if routes else None)
    learns = services.may_write_case_study(user, blockage)
    for event in context["events"]:
        event.who = _who(event, blockage, council, user)
        event.what = _what(event)
    context.update(
        council=council,
        step_forms=forms,
        part_forms={form.part.pk: form for form in part_forms},
        champion_form=champion_form,
        department_form=department_form,
        routes=routes,
        shares_learning=learns and blockage.status in {Blockage.Status.RESOLVED, Blockage.Status.NOT_RESOLVABLE},
        writes_case_study=learns and blockage.status in CLOSED_STATUSES,
        summary_forms=[*forms, *part_forms, champion_form, department_form],
        summary_errors=errors,
        crumbs=_crumbs() if council else [("Home", reverse("home:home"))],
        is_raiser_view=not council,
    )
    return render(request, "solutions/cases/case.html", context, status=status)


@signed_in_only
@require_safe
def case(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Everything about a blockage, for the council people on it and the person who raised it."""
    return _case_page(request, _case(request, uuid))


@signed_in_only
@require_POST
def case_step(request: HttpRequest, uuid: Any, step: str) -> HttpResponse:
    """Take one step on a blockage (acknowledge, agree the steps, ...), with its note."""
    blockage = _case(request, uuid)
    transition = next((t for t in BLOCKAGE.named(step)), None)
    if transition is None or step in services.NOT_ON_THE_CASE_PAGE:
        return _case_page(request, blockage, errors=[f'"{step}" is not a step you can take here.'], status=400)
    form = StepForm(request.POST, transition=transition)
    form.is_valid()
    try:
        moved = services.take_case_step(
            blockage=blockage, name=step, by=_user(request), note=form.cleaned_data.get("reason") or ""
        )
    except ValidationError as error:
        show_errors(form, error)
        return _case_page(request, queries.case(uuid) or blockage, step_forms={step: form})
    told = "We have emailed the person who raised it." if not is_raiser(request.user, moved) else ""
    messages.success(request, f"{moved.reference} is now {moved.get_status_display().lower()}. {told}".strip())
    return redirect("solutions:case", uuid=moved.uuid)


@signed_in_only
@require_POST
def case_part(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    """A department's officer says where its part stands and what it is doing."""
    blockage = _case(request, uuid)
    part = get_object_or_404(Part.objects.select_related("department"), pk=pk, blockage=blockage)
    if part.department_id not in department_ids(request.user):
        raise PermissionDenied(services.NOT_THE_DEPARTMENT)
    form = PartForm(request.POST, part=part)
    if form.is_valid():
        try:
            services.update_part(
                part=part, status=form.cleaned_data["status"], note=form.cleaned_data["note"], by=_user(request)
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{part.department.name}'s part is saved.")
            return redirect("solutions:case", uuid=blockage.uuid)
    return _case_page(request, blockage, part_form=form)


@signed_in_only
@require_POST
def case_champion(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A steward or a champion names the champion of a blockage."""
    blockage = _case(request, uuid)
    if not (is_steward(request.user) or is_champion(request.user)):
        raise PermissionDenied(services.NOT_CHAMPION_OR_STEWARD)
    form = ChampionForm(request.POST)
    if form.is_valid():
        try:
            services.name_champion(blockage=blockage, champion=form.cleaned_data["champion"], by=_user(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            named = form.cleaned_data["champion"]
            messages.success(request, f"{named.full_name or named.email} is now the champion of {blockage.reference}.")
            return redirect("solutions:case", uuid=blockage.uuid)
    return _case_page(request, blockage, champion_form=form)


@signed_in_only
@require_POST
def case_department_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The champion sends the blockage to another department too."""
    blockage = _case(request, uuid)
    if not (is_case_champion(request.user, blockage) or is_steward(request.user)):
        raise PermissionDenied(services.NOT_THE_CASE_CHAMPION)
    form = AddDepartmentForm(request.POST, blockage=blockage)
    if form.is_valid():
        try:
            part = services.add_department(
                blockage=blockage, department=form.cleaned_data["department"], by=_user(request)
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{part.department.name} is now working on it too, and has been emailed.")
            return redirect("solutions:case", uuid=blockage.uuid)
    return _case_page(request, blockage, department_form=form)


@signed_in_only
@require_POST
def case_department_remove(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    """The champion takes a department off the blockage (one always remains)."""
    blockage = _case(request, uuid)
    if not (is_case_champion(request.user, blockage) or is_steward(request.user)):
        raise PermissionDenied(services.NOT_THE_CASE_CHAMPION)
    part = get_object_or_404(Part.objects.select_related("department"), pk=pk, blockage=blockage)
    try:
        services.remove_department(blockage=blockage, part=part, by=_user(request))
    except ValidationError as error:
        return _case_page(request, blockage, errors=list(error.messages))
    messages.success(request, f"{part.department.name} no longer works on {blockage.reference}.")
    return redirect("solutions:case", uuid=blockage.uuid)


@signed_in_only
@require_safe
def case_document(request: HttpRequest, uuid: Any, pk: int) -> FileResponse:
    """A document attached to a blockage, for those who may see its case."""
    blockage = _case(request, uuid)
    document = get_object_or_404(blockage.documents, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("That document's file is missing.") from missing
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


# --- learning ----------------------------------------------------------------------------------------------


def _learning_case(request: HttpRequest, uuid: Any) -> Blockage:
    blockage = _case(request, uuid)
    if not services.may_write_case_study(request.user, blockage):
        raise PermissionDenied(services.NOT_FOR_LEARNING)
    return blockage


@signed_in_only
@get_or_post
def case_learning(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Close a resolved (or unresolvable) blockage with what changed and what might have been done differently."""
    blockage = _learning_case(request, uuid)
    form = LearningForm(request.POST if request.method == "POST" else None)
    ready = blockage.status in {Blockage.Status.RESOLVED, Blockage.Status.NOT_RESOLVABLE}
    if request.method == "POST" and form.is_valid():
        try:
            services.share_learning(
                blockage=blockage,
                change=form.cleaned_data["change"],
                change_detail=form.cleaned_data["change_detail"],
                reflection=form.cleaned_data["reflection"],
                by=_user(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"The learning from {blockage.reference} is shared, and the case is closed.")
            return redirect("solutions:case", uuid=blockage.uuid)
    return render(
        request,
        "solutions/cases/learning.html",
        {"blockage": blockage, "form": form, "ready": ready, "crumbs": _crumbs(blockage)},
    )


@signed_in_only
@get_or_post
def case_study(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Write up a closed blockage as a case study in Sefton's structure, as a draft or published."""
    blockage = _learning_case(request, uuid)
    existing = getattr(blockage, "case_study", None)
    if existing is not None:
        initial: dict[str, Any] = {name: getattr(existing, name) for name in services.CASE_STUDY_FIELDS}
        initial["is_published"] = existing.is_published
    else:
        initial = services.case_study_draft(blockage)
    form = CaseStudyForm(request.POST if request.method == "POST" else None, initial=initial)
    ready = blockage.status in CLOSED_STATUSES
    if request.method == "POST" and form.is_valid():
        try:
            study = services.save_case_study(
                blockage=blockage,
                values=form.cleaned_data,
                is_published=form.cleaned_data["is_published"],
                by=_user(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            state = "published" if study.is_published else "saved as a draft"
            messages.success(request, f"The case study '{study.title}' is {state}.")
            return redirect("solutions:case", uuid=blockage.uuid)
    return render(
        request,
        "solutions/cases/case_study.html",
        {"blockage": blockage, "form": form, "ready": ready, "existing": existing, "crumbs": _crumbs(blockage)},
    )
