"""Forums, events and councillors: the public calendar, an event's page, its .ics and sign-up, giving up a place
by the emailed link; the officers' event pages; the stewards' councillor pages; a councillor's wards.

Views parse, authorise, call a service or a query, and render; a refusal is a 403 page with its reason, bad input
the form again with an error summary and each message beside its field."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core import ratelimit
from commonweal.core.csvsafe import csv_lines
from commonweal.core.forms import show_errors

from ..models import Consultation, Councillor, Event
from ..permissions import department_ids, is_steward, runs_event, signed_in
from . import ics, queries, services
from .forms import CalendarFilterForm, CancelEventForm, CouncillorForm, EventForm, NotesForm, SignupForm

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
# Anyone may sign up without an account, so sign-ups without one are limited per address.
SIGNUPS_PER_ADDRESS = ratelimit.Limit("event-signup-address", 10, 60 * 60)
SIGNED_UP = "engagement_signed_up"

runs_events = role_required(
    Role.OFFICER,
    Role.STEWARD,
    Role.ADMIN,
    message="The events pages are for council officers and stewards.",
)
appoints_councillors = role_required(
    Role.STEWARD, Role.ADMIN, message="Only stewards and administrators appoint ward councillors."
)
councillors_only = role_required(Role.COUNCILLOR, message="This page is for ward councillors.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _agreed_url(name: str, args: list[Any], fallback: str) -> str:
    """A page another area of engagement builds, by its agreed name; its agreed address until it is installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def consultation_url(consultation: Consultation) -> str:
    return _agreed_url(
        "engagement:consultation", [consultation.slug], f"/engagement/consultations/{consultation.slug}/"
    )


def results_url(consultation: Consultation) -> str:
    return _agreed_url(
        "engagement:results", [consultation.slug], f"/engagement/manage/consultations/{consultation.slug}/results/"
    )


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Events", reverse("engagement:events")), *more]


def _manage_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Your events", reverse("engagement:manage_events")), *more]


# --- the public calendar and an event ------------------------------------------------------------------------


@require_safe
def events(request: HttpRequest) -> HttpResponse:
    """Published events still to come, by month (or past ones, with their notes), filtered by ward, area and
    kind; paged."""
    past = request.GET.get("when") == "past"
    form = CalendarFilterForm(request.GET or None, wards=queries.wards(), localities=queries.localities())
    filters = form.filters(past=past)
    page = Paginator(queries.calendar(filters), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("when", None)
    return render(
        request,
        "engagement/forums/events.html",
        {
            "form": form,
            "past": past,
            "pages": page,
            "rows": [(event, services.places_left(event, event.taken)) for event in page.object_list],
            "filter_query": query.urlencode(),
            "crumbs": [("Home", reverse("home:home"))],
        },
    )


def _public_event(request: HttpRequest, uuid: Any) -> Event:
    found = queries.event(uuid)
    if found is None:
        raise Http404("There is no event at this address.")
    if not queries.is_public(found) and not runs_event(request.user, found):
        raise Http404("There is no event at this address.")
    return found


def _event_context(request: HttpRequest, found: Event) -> dict[str, Any]:
    now = timezone.now()
    taken = getattr(found, "taken", 0)
    return {
        "event": found,
        "when": services.when(found),
        "places_left": services.places_left(found, taken),
        "started": found.starts_at <= now,
        "is_over": found.ends_at < now,
        "invited": queries.is_invited(request.user, found),
        "own_signup": queries.own_signup(request.user, found),
        "runs_it": runs_event(request.user, found),
        "consultation_url": consultation_url(found.consultation) if found.consultation else "",
        "cancellation": getattr(found, "cancellation", None) if found.status == Event.Status.CANCELLED else None,
        "crumbs": _crumbs(),
    }


@require_safe
def event(request: HttpRequest, uuid: Any) -> HttpResponse:
    """What, when, where, access at the venue, places left, sign-up, the .ics, and the notes once published."""
    found = _public_event(request, uuid)
    return render(request, "engagement/forums/event.html", _event_context(request, found))


@require_safe
def event_ics(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The event as a calendar file, to add to any calendar."""
    found = _public_event(request, uuid)
    response = HttpResponse(ics.event_calendar(found), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics.FILENAME}"'
    return response


def _signup_form(request: HttpRequest, data: Any = None) -> SignupForm:
    user = request.user
    initial = {"name": _user(request).full_name} if signed_in(user) else {}
    return SignupForm(data, initial=initial, account_email=_user(request).email if signed_in(user) else "")


@get_or_post
def event_signup(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Take a place: a name, an email address (their account's, if signed in) and any access needs."""
    found = _public_event(request, uuid)
    context = _event_context(request, found)
    form = _signup_form(request, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_bot():
            return redirect("engagement:event", uuid=found.uuid)  # store nothing, say nothing
        if form.is_valid():
            wait = None
            if not signed_in(request.user):
                wait = ratelimit.hit([(SIGNUPS_PER_ADDRESS, ratelimit.client_address(request))])
            if wait is not None:
                form.add_error(
                    None,
                    "Too many sign-ups have been sent from here in the last hour. "
                    f"Try again in {ratelimit.wait_in_words(wait)}; what you typed is kept.",
                )
                status = 429
            else:
                data = form.cleaned_data
                try:
                    signup = services.sign_up(
                        event=found,
                        name=data["name"],
                        email=_user(request).email if signed_in(request.user) else data["email"],
                        access_needs=data["access_needs"],
                        by=request.user,
                    )
                except ValidationError as error:
                    show_errors(form, error)
                else:
                    request.session[SIGNED_UP] = signup.pk
                    return redirect("engagement:event_signed_up", uuid=found.uuid)
    context.update(form=form, crumbs=_crumbs((found.title, reverse("engagement:event", args=[found.uuid]))))
    response = render(request, "engagement/forums/signup.html", context, status=status)
    if status == 429:
        response["Retry-After"] = "3600"
    return response


@require_safe
def event_signed_up(request: HttpRequest, uuid: Any) -> HttpResponse:
    """'You are signed up': what happens next."""
    found = _public_event(request, uuid)
    signup = found.signups.filter(pk=request.session.get(SIGNED_UP) or 0, cancelled_at__isnull=True).first()
    if signup is None:
        return redirect("engagement:event", uuid=found.uuid)
    context = _event_context(request, found)
    context["signup"] = signup
    return render(request, "engagement/forums/signed_up.html", context)


@get_or_post
def signup_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Give up a place by the emailed link, once the person presses the button (mail scanners open links)."""
    try:
        signup = services.signup_for_token(token)
    except services.LinkUnknown as error:
        return render(request, "engagement/forums/signup_problem.html", {"problem": error.messages[0]}, status=404)
    if request.method == "POST":
        signup = services.cancel_signup(token=token)
    return render(
        request,
        "engagement/forums/signup_cancel.html",
        {"signup": signup, "event": signup.event, "when": services.when(signup.event)},
    )


# --- officers: their events ----------------------------------------------------------------------------------


@runs_events
@require_safe
def manage_events(request: HttpRequest) -> HttpResponse:
    """Their departments' events (every event for a steward), newest first."""
    page = Paginator(queries.managed_events(request.user), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/forums/manage_events.html",
        {"pages": page, "events": list(page.object_list), "crumbs": [("Home", reverse("home:home"))]},
    )


def _event_form(request: HttpRequest, data: Any = None, initial: Any = None) -> EventForm:
    user = _user(request)
    departments = services.departments_for(user)
    return EventForm(
        data,
        initial=initial,
        departments=departments,
        wards=queries.wards(),
        localities=queries.localities(),
        consultations=queries.consultations_for(None if is_steward(user) else department_ids(user)),
    )


@runs_events
@get_or_post
def event_new(request: HttpRequest) -> HttpResponse:
    """Draft an event: it goes on the calendar once published."""
    if not services.departments_for(request.user):
        raise PermissionDenied("You are not an officer of a council department, so you cannot run events.")
    form = _event_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.save_event(answers=form.answers(), by=request.user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Event saved as a draft. Publish it to put it on the calendar.")
            return redirect("engagement:manage_event", uuid=made.uuid)
    return render(
        request,
        "engagement/forums/event_form.html",
        {"form": form, "heading": "New event", "crumbs": _manage_crumbs()},
    )


def _run_event(request: HttpRequest, uuid: Any) -> Event:
    found = queries.event(uuid)
    if found is None:
        raise Http404("There is no event at this address.")
    if not runs_event(request.user, found):
        raise PermissionDenied("Only the council officers running this event, and the stewards, can manage it.")
    return found


def _manage_context(request: HttpRequest, found: Event, **more: Any) -> dict[str, Any]:
    return {
        **_event_context(request, found),
        "signups": list(queries.signups(found)),
        "crumbs": _manage_crumbs(),
        **more,
    }


@runs_events
@require_safe
def manage_event(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The event as its officers see it: its state, what they can do next, and who signed up."""
    found = _run_event(request, uuid)
    return render(request, "engagement/forums/manage_event.html", _manage_context(request, found))


@runs_events
@get_or_post
def event_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    found = _run_event(request, uuid)
    if found.status == Event.Status.CANCELLED:
        raise PermissionDenied("This event has been cancelled, so it can no longer be changed.")
    posted = request.method == "POST"
    form = _event_form(request, request.POST if posted else None, initial=EventForm.initial_for(found))
    if posted and form.is_valid():
        try:
            services.save_event(answers=form.answers(), by=request.user, event=found)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Event changed.")
            return redirect("engagement:manage_event", uuid=found.uuid)
    crumbs = _manage_crumbs((found.title, reverse("engagement:manage_event", args=[found.uuid])))
    return render(
        request,
        "engagement/forums/event_form.html",
        {"form": form, "heading": "Change the event", "event": found, "crumbs": crumbs},
    )


@runs_events
@require_POST
def event_publish(request: HttpRequest, uuid: Any) -> HttpResponse:
    found = _run_event(request, uuid)
    try:
        services.publish_event(event=found, by=request.user)
    except ValidationError as error:
        return render(
            request,
            "engagement/forums/manage_event.html",
            _manage_context(request, found, problems=error.messages),
            status=400,
        )
    messages.success(request, "Event published. Its ward's councillors have been invited.")
    return redirect("engagement:manage_event", uuid=found.uuid)


@runs_events
@get_or_post
def event_cancel(request: HttpRequest, uuid: Any) -> HttpResponse:
    found = _run_event(request, uuid)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(event=found, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Event cancelled. Everyone signed up has been emailed.")
            return redirect("engagement:manage_event", uuid=found.uuid)
    crumbs = _manage_crumbs((found.title, reverse("engagement:manage_event", args=[found.uuid])))
    return render(
        request,
        "engagement/forums/event_cancel.html",
        {"form": form, "event": found, "when": services.when(found), "crumbs": crumbs},
    )


@runs_events
@require_safe
def event_signups_csv(request: HttpRequest, uuid: Any) -> StreamingHttpResponse:
    """Who signed up, with their access needs, as CSV (personal data: for those running the event only)."""
    found = _run_event(request, uuid)
    rows = (
        (s.name, s.email, s.access_needs, timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"))
        for s in queries.signups(found).iterator()
    )
    response = StreamingHttpResponse(
        csv_lines(["Name", "Email address", "Access needs", "Signed up"], rows), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="sign-ups.csv"'
    return response


@runs_events
@get_or_post
def event_notes(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Write and publish the notes of an event, once it has started."""
    found = _run_event(request, uuid)
    posted = request.method == "POST"
    form = NotesForm(request.POST if posted else None, initial={"notes": found.notes})
    if posted and form.is_valid():
        try:
            services.publish_notes(event=found, notes=form.cleaned_data["notes"], by=request.user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Notes published on the event's page.")
            return redirect("engagement:manage_event", uuid=found.uuid)
    crumbs = _manage_crumbs((found.title, reverse("engagement:manage_event", args=[found.uuid])))
    return render(
        request,
        "engagement/forums/event_notes.html",
        {"form": form, "event": found, "when": services.when(found), "crumbs": crumbs},
    )


# --- ward councillors ---------------------------------------------------------------------------------------


@appoints_councillors
@get_or_post
def councillors(request: HttpRequest) -> HttpResponse:
    """The ward councillors and their wards; appoint one from an existing account."""
    form = CouncillorForm(request.POST if request.method == "POST" else None, wards=queries.wards())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.appoint_councillor(
                email=data["email"], ward_ids=list(data["wards"]), party=data["party"], by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{made.user.full_name or made.user.email} is now a ward councillor.")
            return redirect("engagement:councillors")
    return render(
        request,
        "engagement/forums/councillors.html",
        {"form": form, "councillors": list(queries.councillors()), "crumbs": [("Home", reverse("home:home"))]},
    )


def _councillor(pk: int) -> Councillor:
    return get_object_or_404(queries.councillors(), pk=pk)


@appoints_councillors
@get_or_post
def councillor(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the wards a councillor represents, and their party."""
    found = _councillor(pk)
    initial = {"wards": [w.pk for w in found.wards.all()], "party": found.party}
    form = CouncillorForm(
        request.POST if request.method == "POST" else None, initial=initial, wards=queries.wards(), appointing=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_councillor(
                councillor=found,
                ward_ids=list(form.cleaned_data["wards"]),
                party=form.cleaned_data["party"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Their wards have been changed.")
            return redirect("engagement:councillors")
    crumbs = [("Home", reverse("home:home")), ("Ward councillors", reverse("engagement:councillors"))]
    return render(request, "engagement/forums/councillor.html", {"form": form, "councillor": found, "crumbs": crumbs})


@appoints_councillors
@get_or_post
def councillor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the councillor role away, after asking."""
    found = _councillor(pk)
    if request.method == "POST":
        services.remove_councillor(councillor=found, by=request.user)
        messages.success(request, f"{found.user.full_name or found.user.email} is no longer a ward councillor.")
        return redirect("engagement:councillors")
    crumbs = [("Home", reverse("home:home")), ("Ward councillors", reverse("engagement:councillors"))]
    return render(request, "engagement/forums/councillor_remove.html", {"councillor": found, "crumbs": crumbs})


@councillors_only
@require_safe
def ward_engagement(request: HttpRequest) -> HttpResponse:
    """A councillor's wards: the consultations affecting them (with a count of responses and the results they
    may see) and the events in them."""
    found = queries.ward_engagement(request.user)
    rows = [
        {
            "consultation": c,
            "url": consultation_url(c),
            # Every one affects their wards, so its results are theirs to see (permissions.sees_results).
            "results_url": results_url(c),
        }
        for c in found.consultations
    ]
    return render(
        request,
        "engagement/forums/ward_engagement.html",
        {
            "wards": found.wards,
            "rows": rows,
            "events": [(e, services.places_left(e, getattr(e, "taken", 0))) for e in found.events],
            "crumbs": [("Home", reverse("home:home"))],
        },
    )
