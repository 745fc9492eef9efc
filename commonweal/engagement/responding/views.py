"""Responding to a consultation, as GOV.UK question pages: a start page, one page per question (each answer kept
in a draft as soon as it is given), about you, the optional equality questions, check your answers, and the
confirmation. Someone without an account confirms by an emailed link, and may save a draft to come back to by
another. Also: a person's own responses, and asking for the consultation in another format.

Whose draft it is never comes from the page: someone signed in has their own; someone without an account has the
one their session holds (set when they start, or when they follow their emailed link).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.accounts.models import Organisation
from commonweal.core import ratelimit
from commonweal.core.forms import show_errors

from ..errors import EngagementError
from ..models import Consultation, Question, Response
from ..permissions import group_ids, signed_in
from . import queries, services
from .forms import AboutYouForm, FormatRequestForm, MonitoringForm, QuestionForm, ResumeForm

get_or_post = require_http_methods(["GET", "HEAD", "POST"])

DRAFTS = "engagement_drafts"  # consultation slug -> the uuid of the draft this session holds (no account)
SENT = "engagement_responded"  # consultation slug -> the uuid of the response just sent
# Anyone may respond without an account, so sending a response, or a link, is limited per address and per
# email address.
SENDS_PER_ADDRESS = ratelimit.Limit("consultation-send-address", 20, 60 * 60)
SENDS_PER_EMAIL = ratelimit.Limit("consultation-send-email", 5, 60 * 60)
FORMATS_PER_ADDRESS = ratelimit.Limit("consultation-format-address", 10, 60 * 60)


def consultation_url(consultation: Consultation) -> str:
    """The consultation's public page (the consultations area's); the respond page until that is installed."""
    try:
        return reverse("engagement:consultation", args=[consultation.slug])
    except NoReverseMatch:
        return reverse("engagement:respond", args=[consultation.slug])


def _consultation(slug: str) -> Consultation:
    found = queries.published(slug)
    if found is None:
        raise Http404("There is no consultation at this address.")
    return found


def _session_draft_uuid(request: HttpRequest, slug: str) -> str | None:
    drafts = request.session.get(DRAFTS)
    value = drafts.get(slug) if isinstance(drafts, dict) else None
    return str(value) if value else None


def _hold_draft(request: HttpRequest, response: Response) -> None:
    if signed_in(request.user):
        return
    drafts = request.session.get(DRAFTS)
    drafts = dict(drafts) if isinstance(drafts, dict) else {}
    drafts[response.consultation.slug] = str(response.uuid)
    request.session[DRAFTS] = drafts


def _drop_draft(request: HttpRequest, slug: str) -> None:
    drafts = request.session.get(DRAFTS)
    if isinstance(drafts, dict) and slug in drafts:
        drafts = dict(drafts)
        drafts.pop(slug)
        request.session[DRAFTS] = drafts


def _draft(request: HttpRequest, consultation: Consultation) -> Response | None:
    held = _session_draft_uuid(request, consultation.slug)
    found = queries.draft_of(consultation, by=request.user, uuid=held)
    if found is None and held and signed_in(request.user):
        # Started without an account, then signed in: the draft this browser holds becomes theirs.
        anonymous = queries.draft_of(consultation, by=None, uuid=held)
        _drop_draft(request, consultation.slug)
        if anonymous is not None:
            found = services.claim_draft(response=anonymous, by=request.user)
    return found


def _refuse_crafted(request: HttpRequest, draft: Response | None) -> None:
    """A form naming a response that is not this person's own draft is refused outright, whoever's it is."""
    named = request.POST.get("response", "")
    if not named or (draft is not None and named == str(draft.uuid)):
        return
    raise Http404("There is no draft response of yours here.")


def _crumbs(consultation: Consultation) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), (consultation.title, consultation_url(consultation))]


def _base(consultation: Consultation, **extra: Any) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "consultation_url": consultation_url(consultation),
        "formats_url": reverse("engagement:alternative_formats", args=[consultation.slug]),
        "closes_on": services.long_date(consultation.closes_on) if consultation.closes_on else "",
        **extra,
    }


def _not_open(consultation: Consultation) -> str:
    try:
        services.check_open(consultation)
    except EngagementError as error:
        return str(error.messages[0])
    return ""


@require_safe
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    """The start page: what the consultation asks, how long it takes, and Start (or Continue)."""
    consultation = _consultation(slug)
    items = queries.questions(consultation)
    earlier = services.earlier_response(consultation, by=request.user) if signed_in(request.user) else None
    draft = _draft(request, consultation)
    context = _base(
        consultation,
        questions=items,
        problem=_not_open(consultation),
        already=services.already_message(earlier) if earlier is not None else "",
        draft=draft,
        first_url=reverse("engagement:respond_question", args=[slug, 1]),
        check_url=reverse("engagement:respond_check", args=[slug]),
        login_url=f"{reverse('account_login')}?next={request.path}",
        breadcrumbs=_crumbs(consultation),
    )
    return render(request, "engagement/responding/start.html", context)


def _next_url(slug: str, number: int, total: int, change: bool) -> str:
    if change:
        return reverse("engagement:respond_check", args=[slug])
    if number < total:
        return reverse("engagement:respond_question", args=[slug, number + 1])
    return reverse("engagement:respond_about", args=[slug])


def _map_context() -> dict[str, Any]:
    return {
        "map_tile_url": settings.COMMONWEAL_MAP_TILE_URL,
        "map_tile_attribution": settings.COMMONWEAL_MAP_TILE_ATTRIBUTION,
    }


def _save_later(request: HttpRequest, slug: str) -> HttpResponse:
    return redirect("engagement:respond_save", slug=slug)


@get_or_post
def question(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One question: its answer is kept in the draft as soon as it is given, then on to the next."""
    consultation = _consultation(slug)
    items = queries.questions(consultation)
    if not 1 <= number <= len(items):
        raise Http404("There is no such question.")
    if _not_open(consultation):
        return redirect("engagement:respond", slug=slug)
    asked = items[number - 1]
    draft = _draft(request, consultation)
    change = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    if request.method == "POST":
        _refuse_crafted(request, draft)
        form = QuestionForm(request.POST, question=asked)
        if form.is_valid():
            try:
                if draft is None:
                    services.check_given(asked, form.given())  # a draft is started only by a good answer
                    try:
                        draft = services.start_draft(consultation=consultation, by=request.user)
                    except ValidationError:  # could not start: the start page says why
                        return redirect("engagement:respond", slug=slug)
                    _hold_draft(request, draft)
                services.save_answer(response=draft, question=asked, given=form.given())
            except ValidationError as error:
                show_errors(form, error)
            else:
                if "save_later" in request.POST:
                    return _save_later(request, slug)
                return redirect(_next_url(slug, number, len(items), change))
    else:
        if draft is None and signed_in(request.user) and services.earlier_response(consultation, by=request.user):
            return redirect("engagement:respond", slug=slug)
        answer = queries.answers_by_question(draft).get(asked.pk) if draft is not None else None
        form = QuestionForm(initial=QuestionForm.initial_for(asked, answer), question=asked)
    back = (
        reverse("engagement:respond_check", args=[slug])
        if change
        else reverse("engagement:respond_question", args=[slug, number - 1])
        if number > 1
        else reverse("engagement:respond", args=[slug])
    )
    context = _base(
        consultation,
        form=form,
        question=asked,
        number=number,
        total=len(items),
        draft=draft,
        change=change,
        back_url=back,
        kinds=Question.Kind,
        text_limit=services.TEXT_LIMIT,
        **_map_context(),
    )
    return render(request, "engagement/responding/question.html", context)


def _needs_draft(request: HttpRequest, consultation: Consultation) -> Response | None:
    if _not_open(consultation):
        return None
    return _draft(request, consultation)


@get_or_post
def about(request: HttpRequest, slug: str) -> HttpResponse:
    """About you: a postcode for the ward, a group it is on behalf of, and (without an account) how to reach you."""
    consultation = _consultation(slug)
    draft = _needs_draft(request, consultation)
    if draft is None:
        return redirect("engagement:respond", slug=slug)
    groups = list(Organisation.objects.filter(pk__in=group_ids(request.user)).order_by("name"))
    change = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    if request.method == "POST":
        _refuse_crafted(request, draft)
        form = AboutYouForm(request.POST, signed_in=signed_in(request.user), groups=groups)
        if form.is_bot():
            return redirect("engagement:respond", slug=slug)
        if form.is_valid():
            try:
                services.save_about_you(response=draft, about=form.about(), by=request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                if "save_later" in request.POST:
                    return _save_later(request, slug)
                target = "engagement:respond_check" if change else "engagement:respond_equality"
                return redirect(target, slug=slug)
    else:
        initial = {
            "organisation": str(draft.organisation_id or ""),
            "name": draft.name,
            "email": draft.email,
            "hear_back": draft.hear_back,
        }
        form = AboutYouForm(initial=initial, signed_in=signed_in(request.user), groups=groups)
    items = queries.questions(consultation)
    back = (
        reverse("engagement:respond_check", args=[slug])
        if change
        else reverse("engagement:respond_question", args=[slug, len(items)])
        if items
        else reverse("engagement:respond", args=[slug])
    )
    context = _base(consultation, form=form, draft=draft, change=change, back_url=back, ward=draft.ward)
    return render(request, "engagement/responding/about.html", context)


@get_or_post
def equality(request: HttpRequest, slug: str) -> HttpResponse:
    """The optional equality monitoring questions, with why they are asked and how the answers are kept."""
    consultation = _consultation(slug)
    draft = _needs_draft(request, consultation)
    if draft is None:
        return redirect("engagement:respond", slug=slug)
    if request.method == "POST":
        _refuse_crafted(request, draft)
        form = MonitoringForm(request.POST)
        if form.is_valid():
            try:
                services.save_monitoring(response=draft, answers=form.answers())
            except ValidationError as error:
                show_errors(form, error)
            else:
                if "save_later" in request.POST:
                    return _save_later(request, slug)
                return redirect("engagement:respond_check", slug=slug)
    else:
        kept = getattr(draft, "monitoring", None) if hasattr(draft, "monitoring") else None
        initial = {field: getattr(kept, field) for field in MonitoringForm().fields} if kept is not None else {}
        form = MonitoringForm(initial=initial)
    context = _base(
        consultation,
        form=form,
        draft=draft,
        back_url=reverse("engagement:respond_about", args=[slug]),
        skip_url=reverse("engagement:respond_check", args=[slug]),
    )
    return render(request, "engagement/responding/equality.html", context)


def _check_context(request: HttpRequest, consultation: Consultation, draft: Response, **extra: Any) -> dict[str, Any]:
    items = queries.questions(consultation)
    kept = queries.answers_by_question(draft)
    rows = []
    for number, asked in enumerate(items, start=1):
        answer = kept.get(asked.pk)
        if answer is not None:
            answer.question = asked
        rows.append(
            {
                "question": asked,
                "answer": services.answer_words(answer) if answer is not None else "",
                "change_url": reverse("engagement:respond_question", args=[consultation.slug, number]) + "?change=1",
            }
        )
    monitoring_kept = getattr(draft, "monitoring", None) if hasattr(draft, "monitoring") else None
    return _base(
        consultation,
        draft=draft,
        rows=rows,
        missing=services.missing_answers(draft),
        monitoring_given=monitoring_kept is not None,
        about_url=reverse("engagement:respond_about", args=[consultation.slug]) + "?change=1",
        equality_url=reverse("engagement:respond_equality", args=[consultation.slug]),
        back_url=reverse("engagement:respond_equality", args=[consultation.slug]),
        **extra,
    )


@get_or_post
def check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check your answers, change any, then send."""
    consultation = _consultation(slug)
    draft = _needs_draft(request, consultation)
    if draft is None:
        sent = request.session.get(SENT)
        if request.method == "POST" and isinstance(sent, dict) and sent.get(slug):
            return redirect("engagement:responded", slug=slug)  # a second click on Send: already sent
        return redirect("engagement:respond", slug=slug)
    problems: list[str] = []
    if request.method == "POST":
        _refuse_crafted(request, draft)
        wait = None
        if not signed_in(request.user):
            checks = [(SENDS_PER_ADDRESS, ratelimit.client_address(request))]
            if draft.email:
                checks.append((SENDS_PER_EMAIL, draft.email.lower()))
            wait = ratelimit.hit(checks)
        if wait is not None:
            problems.append(
                "Too many responses have been sent from here in the last hour. "
                f"Try again in {ratelimit.wait_in_words(wait)}; your answers are kept."
            )
            result = render(
                request,
                "engagement/responding/check.html",
                _check_context(request, consultation, draft, summary_errors=problems),
                status=429,
            )
            result["Retry-After"] = str(wait)
            return result
        try:
            sent_response = services.submit_response(response=draft, by=request.user)
        except ValidationError as error:
            problems.extend(str(message) for message in error.messages)
        else:
            _drop_draft(request, slug)
            sent_map = request.session.get(SENT)
            sent_map = dict(sent_map) if isinstance(sent_map, dict) else {}
            sent_map[slug] = str(sent_response.response.uuid)
            request.session[SENT] = sent_map
            return redirect("engagement:responded", slug=slug)
    context = _check_context(request, consultation, draft, summary_errors=problems)
    return render(request, "engagement/responding/check.html", context)


@get_or_post
def save(request: HttpRequest, slug: str) -> HttpResponse:
    """Save and come back later: someone signed in finds the draft on 'Your responses'; someone without an
    account is emailed a link back to it."""
    consultation = _consultation(slug)
    draft = _needs_draft(request, consultation)
    if draft is None:
        return redirect("engagement:respond", slug=slug)
    context = _base(consultation, draft=draft, back_url=reverse("engagement:respond", args=[slug]))
    if signed_in(request.user):
        return render(request, "engagement/responding/saved.html", context)
    if request.method == "POST":
        _refuse_crafted(request, draft)
        form = ResumeForm(request.POST)
        if form.is_bot():
            return render(request, "engagement/responding/saved.html", {**context, "emailed": True})
        if form.is_valid():
            email = form.cleaned_data["email"]
            wait = ratelimit.hit(
                [(SENDS_PER_ADDRESS, ratelimit.client_address(request)), (SENDS_PER_EMAIL, email.lower())]
            )
            if wait is not None:
                form.add_error(
                    None,
                    "Too many links have been sent from here in the last hour. "
                    f"Try again in {ratelimit.wait_in_words(wait)}; your answers are kept.",
                )
            else:
                try:
                    services.send_resume_link(response=draft, email=email)
                except ValidationError as error:
                    show_errors(form, error)
                else:
                    return render(
                        request, "engagement/responding/saved.html", {**context, "emailed": True, "email": email}
                    )
    else:
        form = ResumeForm(initial={"email": draft.email})
    return render(request, "engagement/responding/save.html", {**context, "form": form})


@require_safe
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """Follow the emailed link back to a draft: this browser holds the draft again, and carries on."""
    try:
        draft = services.draft_for_resume_token(token)
    except services.LinkExpired as error:
        return render(request, "engagement/responding/link_problem.html", {"problem": error.messages[0]}, status=410)
    except services.LinkUnknown as error:
        return render(request, "engagement/responding/link_problem.html", {"problem": error.messages[0]}, status=404)
    _hold_draft(request, draft)
    slug = draft.consultation.slug
    if draft.answers.exists():
        return redirect("engagement:respond_check", slug=slug)
    return redirect("engagement:respond_question", slug=slug, number=1)


@require_safe
def responded(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: a reference and what happens next (or, without an account, 'check your email')."""
    consultation = _consultation(slug)
    sent = request.session.get(SENT)
    uuid = sent.get(slug) if isinstance(sent, dict) else None
    response = Response.objects.filter(consultation=consultation, uuid=uuid).first() if uuid else None
    if response is None:
        return redirect("engagement:respond", slug=slug)
    context = _base(
        consultation,
        response=response,
        reference=services.reference(response),
        confirm_days=services.CONFIRM_DAYS,
        breadcrumbs=_crumbs(consultation),
    )
    return render(request, "engagement/responding/responded.html", context)


@get_or_post
def confirm_response(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link's page: pressing the button (not just opening the link, which mail scanners do) sends
    the response and it is counted."""
    try:
        found = services.confirmation_for_token(token)
    except services.LinkUnknown as error:
        return render(request, "engagement/responding/link_problem.html", {"problem": error.messages[0]}, status=404)
    consultation = found.response.consultation
    problem = ""
    if request.method == "POST":
        try:
            confirmed = services.confirm_response(token=token)
        except services.LinkExpired as error:
            return render(
                request, "engagement/responding/link_problem.html", {"problem": error.messages[0]}, status=410
            )
        except ValidationError as error:
            problem = str(error.messages[0])
        else:
            sent_map = request.session.get(SENT)
            sent_map = dict(sent_map) if isinstance(sent_map, dict) else {}
            sent_map[consultation.slug] = str(confirmed.uuid)
            request.session[SENT] = sent_map
            return redirect("engagement:responded", slug=consultation.slug)
    elif found.response.status != Response.Status.SUBMITTED and timezone.now() > found.expires_at:
        problem = f"This link has expired. Links work for {services.CONFIRM_DAYS} days."
        return render(request, "engagement/responding/link_problem.html", {"problem": problem}, status=410)
    context = _base(consultation, confirmation=found, summary_errors=[problem] if problem else [])
    return render(request, "engagement/responding/confirm.html", context)


@get_or_post
def alternative_formats(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for the consultation in another format, or to respond another way: the department is emailed."""
    consultation = _consultation(slug)
    if request.method == "POST":
        form = FormatRequestForm(request.POST)
        if form.is_bot():
            return redirect("engagement:alternative_formats_sent", slug=slug)
        if form.is_valid():
            wait = (
                None
                if signed_in(request.user)
                else ratelimit.hit([(FORMATS_PER_ADDRESS, ratelimit.client_address(request))])
            )
            if wait is not None:
                form.add_error(
                    None,
                    "Too many requests have been sent from here in the last hour. "
                    f"Try again in {ratelimit.wait_in_words(wait)}.",
                )
            else:
                try:
                    services.request_alternative_format(consultation=consultation, asked=form.asked(), by=request.user)
                except ValidationError as error:
                    show_errors(form, error)
                else:
                    return redirect("engagement:alternative_formats_sent", slug=slug)
    else:
        person: Any = request.user
        initial = {"name": person.full_name, "email": person.email} if signed_in(person) else {}
        form = FormatRequestForm(initial=initial)
    context = _base(consultation, form=form, breadcrumbs=_crumbs(consultation))
    return render(request, "engagement/responding/formats.html", context)


@require_safe
def alternative_formats_sent(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    return render(
        request, "engagement/responding/formats_sent.html", _base(consultation, breadcrumbs=_crumbs(consultation))
    )


@login_required
@require_safe
def your_responses(request: HttpRequest) -> HttpResponse:
    """A signed-in person's drafts (to carry on) and the responses they sent (to read again)."""
    rows = list(queries.your_responses(request.user)[:500])
    today = timezone.localdate()
    for row in rows:
        row.reference = services.reference(row)  # type: ignore[attr-defined]
        row.is_open = row.consultation.is_open(today)  # type: ignore[attr-defined]
    drafts = [r for r in rows if r.status == Response.Status.DRAFT]
    sent = [r for r in rows if r.status == Response.Status.SUBMITTED]
    return render(
        request,
        "engagement/responding/your_responses.html",
        {"drafts": drafts, "sent": sent, "breadcrumbs": [("Home", reverse("home:home"))]},
    )


@login_required
@require_safe
def your_response(request: HttpRequest, uuid: str) -> HttpResponse:
    """One of this person's own responses, with their answers; anyone else's is not found."""
    response = queries.your_response(request.user, uuid)
    if response is None:
        raise Http404("There is no response of yours here.")
    consultation = response.consultation
    context = _check_context(
        request,
        consultation,
        response,
        reference=services.reference(response),
        breadcrumbs=[("Home", reverse("home:home")), ("Your responses", reverse("engagement:your_responses"))],
    )
    return render(request, "engagement/responding/your_response.html", context)
