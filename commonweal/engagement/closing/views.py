"""Closing the loop's pages: the close form (officers who run the consultation and the stewards), its preview
and publishing, the public 'we asked, you said, we did' page and its index, and the list of 'we did' due.
Views parse, authorise, call a service or a query, and render."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.framework.models import Theme
from commonweal.places.models import Ward

from .. import permissions
from ..errors import EngagementError
from ..models import Characteristic, Consultation, Document, EngagementSettings
from . import queries, services
from .forms import ImpactForm, WeDidForm

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
NOT_YOURS = services.NOT_YOURS


def signed_in_only(view: Any) -> Any:
    """Send anonymous visitors to sign in, keeping where they were going."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return cast(HttpResponseBase, view(request, *args, **kwargs))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _run(request: HttpRequest, slug: str) -> Consultation:
    """The consultation, if this person runs it; 403 with the reason otherwise."""
    consultation = get_object_or_404(Consultation.objects.select_related("department"), slug=slug)
    if not permissions.runs_consultation(request.user, consultation):
        raise PermissionDenied(NOT_YOURS)
    return consultation


def _other_area(name: str, slug: str) -> str:
    """The address of another area's page of a consultation (the consultations area's), or '' without it."""
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return ""


def _crumbs(consultation: Consultation) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home:home"))]
    managed = _other_area("engagement:manage_consultation", consultation.slug)
    crumbs.append((consultation.title, managed or reverse("engagement:we_did_due")))
    return crumbs


def _state(consultation: Consultation) -> str:
    """Where the close page stands: not published, not closed yet, closed (the form), or decided."""
    if consultation.status == Consultation.Status.DECIDED:
        return "decided"
    if consultation.status != Consultation.Status.PUBLISHED:
        return "not_published"
    if consultation.phase(timezone.localdate()) != Consultation.Phase.CLOSED:
        return "not_closed"
    return "closed"


def _saved_data(consultation: Consultation) -> dict[str, Any]:
    """The form's data as last saved: the draft, else 'you said' drafted from the results and the assessment
    after the responses started from the one at launch."""
    rows = queries.impacts(consultation)
    data: dict[str, Any] = {
        "you_said": consultation.you_said or queries.draft_you_said(consultation),
        "decision": consultation.decision,
        "how_changed": consultation.how_changed,
        "decision_paper_url": consultation.decision_paper_url,
    }
    for value in Characteristic.values:
        row = rows["closing"].get(value) or rows["launch"].get(value)
        data[f"{value}-impact"] = row.impact if row else ""
        data[f"{value}-evidence"] = row.evidence if row else ""
        data[f"{value}-mitigations"] = row.mitigations if row else ""
    return data


def _show(error: ValidationError, form: forms.Form, impacts: dict[str, ImpactForm]) -> None:
    """Each of a service's messages beside its field: the form's own, or an assessment row's."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, problems in error.message_dict.items():
        characteristic, _, field = key.partition("-")
        if key in form.fields:
            form.add_error(key, problems)
        elif characteristic in impacts and field in impacts[characteristic].fields:
            impacts[characteristic].add_error(field, problems)
        else:
            form.add_error(None, problems)


def _close_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    form: WeDidForm | None = None,
    impacts: dict[str, ImpactForm] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    state = _state(consultation)
    launch = queries.impacts(consultation)["launch"] if impacts else {}
    context: dict[str, Any] = {
        "consultation": consultation,
        "state": state,
        "form": form,
        "impact_rows": [(impacts[v], launch.get(v)) for v in Characteristic.values] if impacts else [],
        "summary_forms": [form, *impacts.values()] if form is not None and impacts else None,
        "summary_errors": errors or [],
        "due_on": queries.due_on(consultation),
        "outcome_weeks": EngagementSettings.current().outcome_weeks,
        "today": timezone.localdate(),
        "papers": queries.decision_papers(consultation),
        "crumbs": _crumbs(consultation),
    }
    if state == "decided":
        context["told"] = queries.told_count(consultation)
        context["to_tell"] = consultation.hear_back_total or 0
    return render(request, "engagement/closing/close.html", context)


def _forms(data: Any = None, files: Any = None) -> tuple[WeDidForm, dict[str, ImpactForm]]:
    return WeDidForm(data, files), {v: ImpactForm(data, characteristic=v) for v in Characteristic.values}


@signed_in_only
@get_or_post
def close(request: HttpRequest, slug: str) -> HttpResponse:
    """Write 'we did' for a closed consultation: a draft kept as typed, then previewed and published."""
    consultation = _run(request, slug)
    if _state(consultation) != "closed":
        errors = []
        if request.method == "POST":
            try:
                services.check_closed(consultation, by=request.user, today=timezone.localdate())
            except EngagementError as refused:
                errors = refused.messages
        return _close_page(request, consultation, errors=errors)
    if request.method != "POST":
        form, impacts = _forms(_saved_data(consultation))
        return _close_page(request, consultation, form=form, impacts=impacts)
    form, impacts = _forms(request.POST, request.FILES)
    if all([form.is_valid(), *[f.is_valid() for f in impacts.values()]]):
        try:
            services.save_we_did(
                consultation=consultation,
                by=request.user,
                you_said=form.cleaned_data["you_said"],
                decision=form.cleaned_data["decision"],
                how_changed=form.cleaned_data["how_changed"],
                decision_paper_url=form.cleaned_data["decision_paper_url"],
                impacts={v: f.draft() for v, f in impacts.items()},
                paper=form.cleaned_data.get("decision_paper"),
            )
        except EngagementError as refused:
            _show(refused, form, impacts)
        else:
            if request.POST.get("action") == "preview":
                return redirect("engagement:close_preview", slug=consultation.slug)
            messages.success(request, "Your draft of 'we did' is saved. Nothing is public until you publish it.")
            return redirect("engagement:close", slug=consultation.slug)
    return _close_page(request, consultation, form=form, impacts=impacts)


def _we_did_context(consultation: Consultation, *, figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "figures": figures,
        "questions": list(consultation.questions.all()),
        "changes": queries.impact_changes(consultation),
        "papers": queries.decision_papers(consultation),
    }


@signed_in_only
@require_safe
def close_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """'We did' as the public will see it, from the saved draft, with the button that publishes it."""
    consultation = _run(request, slug)
    if _state(consultation) != "closed":
        return redirect("engagement:close", slug=consultation.slug)
    context = _we_did_context(consultation, figures=queries.figures(consultation))
    context["problems"] = services.problems(consultation)
    context["crumbs"] = [*_crumbs(consultation), ("Close the consultation", reverse("engagement:close", args=[slug]))]
    return render(request, "engagement/closing/preview.html", context)


@signed_in_only
@require_POST
def close_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish 'we did': refused, with each problem beside its field, while anything is missing."""
    consultation = _run(request, slug)
    try:
        decided = services.publish_we_did(consultation=consultation, by=request.user)
    except EngagementError as refused:
        if _state(consultation) != "closed":
            return _close_page(request, consultation, errors=refused.messages)
        form, impacts = _forms(_saved_data(consultation))
        for bound in [form, *impacts.values()]:
            bound.is_valid()
        _show(refused, form, impacts)
        return _close_page(request, consultation, form=form, impacts=impacts)
    total = decided.hear_back_total or 0
    told = (
        f"Emails are being sent to {total:,} {'person' if total == 1 else 'people'} who asked to hear back."
        if total
        else "Nobody who responded asked to hear back, so no emails are being sent."
    )
    messages.success(request, f"'We did' is published. {told}")
    return redirect("engagement:close", slug=decided.slug)


@signed_in_only
@require_POST
def close_send(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the 'we did' emails to those not told yet, after a failure part-way (nobody is emailed twice)."""
    consultation = _run(request, slug)
    try:
        remaining = services.send_remaining_emails(consultation=consultation, by=request.user)
    except EngagementError as refused:
        return _close_page(request, consultation, errors=refused.messages)
    messages.success(
        request,
        f"The emails are being sent again to the {remaining:,} "
        f"{'person' if remaining == 1 else 'people'} not told yet.",
    )
    return redirect("engagement:close", slug=consultation.slug)


# --- the public pages ---------------------------------------------------------------------------------------


@require_safe
def we_did(request: HttpRequest, slug: str) -> HttpResponse:
    """We asked, you said, we did: public once the consultation is decided, not found before."""
    consultation = queries.decided(slug)
    if consultation is None:
        raise Http404("There is no 'we did' at this address yet.")
    context = _we_did_context(consultation, figures=consultation.you_said_figures or {})
    context["consultation_url"] = _other_area("engagement:consultation", consultation.slug)
    context["crumbs"] = [
        ("Home", reverse("home:home")),
        ("We asked, you said, we did", reverse("engagement:we_asked")),
    ]
    return render(request, "engagement/closing/we_did.html", context)


@require_safe
def we_did_paper(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A decision paper: public once 'we did' is published; before that, for those who run the consultation."""
    consultation = get_object_or_404(Consultation, slug=slug)
    decided = consultation.status == Consultation.Status.DECIDED
    if not decided and not permissions.runs_consultation(request.user, consultation):
        raise Http404("There is no decision paper at this address yet.")
    document = get_object_or_404(consultation.documents, pk=pk, kind=Document.Kind.DECISION)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("That document's file is missing.") from missing
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "pdf"
    return FileResponse(handle, as_attachment=True, filename=f"{document.title}.{extension}")


class WeAskedFilters(forms.Form):
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.none(),
        required=False,
        empty_label="All wards",
        error_messages={"invalid_choice": "Choose a ward from the list."},
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="All themes",
        error_messages={"invalid_choice": "Choose a theme from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.order_by("position", "name")  # type: ignore[attr-defined]


@require_safe
def we_asked(request: HttpRequest) -> HttpResponse:
    """Every consultation with its 'we did', the newest decision first, by ward or theme."""
    form = WeAskedFilters(request.GET or None)
    ward = theme = None
    if form.is_bound and form.is_valid():
        ward = form.cleaned_data["ward"].pk if form.cleaned_data["ward"] else None
        theme = form.cleaned_data["theme"].pk if form.cleaned_data["theme"] else None
    page = Paginator(queries.we_asked(ward=ward, theme=theme), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/closing/we_asked.html",
        {"form": form, "pages": page, "crumbs": [("Home", reverse("home:home"))], "filtered": bool(ward or theme)},
    )


@signed_in_only
@require_safe
def we_did_due(request: HttpRequest) -> HttpResponse:
    """Closed consultations still waiting for 'we did', with the date each is due: a department's officers see
    theirs, the stewards every one."""
    user = request.user
    if permissions.is_steward(user):
        rows = queries.awaiting_we_did()
    elif permissions.is_officer(user):
        rows = queries.awaiting_we_did(department_ids=permissions.department_ids(user))
    else:
        raise PermissionDenied("Only council officers and the stewards can see which consultations wait for 'we did'.")
    return render(
        request,
        "engagement/closing/due.html",
        {
            "rows": rows,
            "outcome_weeks": EngagementSettings.current().outcome_weeks,
            "crumbs": [("Home", reverse("home:home"))],
        },
    )
