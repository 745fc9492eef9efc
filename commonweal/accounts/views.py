"""Your account, your organisation, and the audit log."""

from __future__ import annotations

import json
from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.core import history, jobs, ratelimit
from commonweal.core.csvsafe import csv_lines
from commonweal.core.history import readable
from commonweal.core.http import next_or

from . import queries
from .errors import AccountsError
from .forms import AuditFilterForm, EraseConfirmForm
from .models import Organisation, User
from .permissions import require_organisation_manager, role_required
from .roles import Role
from .services import address_to_confirm, erase_person


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": queries.memberships_of(user),
            "email_verified": queries.email_verified(user),
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        },
    )


# Enough for a link that went to spam and one more; not enough to flood someone's inbox from a hijacked session.
LINKS_PER_PERSON = ratelimit.Limit("send-confirmation-link", 3, 60 * 60)


@login_required
@require_http_methods(["POST"])
def send_confirmation_link(request: HttpRequest) -> HttpResponse:
    """'Send the link again' on every page that waits for a confirmed email address: back to that page after."""
    user = cast(User, request.user)
    back = next_or(request, reverse("accounts:dashboard"))
    if queries.email_verified(user):
        messages.info(request, "Your email address is already confirmed.")
        return redirect(back)
    wait = ratelimit.hit([(LINKS_PER_PERSON, str(user.pk))])
    if wait is not None:
        messages.error(
            request,
            f"We have sent the link {LINKS_PER_PERSON.limit} times in the last hour. Check your spam or junk folder,"
            f" or try again in {ratelimit.wait_in_words(wait)}.",
        )
        return redirect(back)
    address_to_confirm(user).send_confirmation(request)
    messages.success(request, f"We have sent a link to {user.email}. It can take a few minutes to arrive.")
    return redirect(back)


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    require_organisation_manager(cast(User, request.user), organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": queries.members_with_email_state(organisation)},
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's details are its directory listing: change them there, where a group member's
    change to a published listing waits for an officer (an edit here would skip moderation)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require_organisation_manager(cast(User, request.user), organisation)
    return redirect("directory:organisation_edit", slug=organisation.slug)


audit_readers_only = role_required(Role.ADMIN, message="Only platform administrators can see the audit log.")


def _audit_filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any] | None]:
    """The audit log's filters from the address, and what they ask for (None when something is wrong)."""
    form = AuditFilterForm(request.GET or None, record_types=queries.audit_record_types())
    if not form.is_bound:
        return form, {}
    return form, ({name: form.cleaned_data[name] for name in form.fields} if form.is_valid() else None)


@audit_readers_only
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    form, filters = _audit_filters(request)
    entries = queries.audit_entries(**filters) if filters is not None else LogEntry.objects.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "entries": readable(page.object_list),
            "filtered": filters is None or any(filters.values()),
            "query": query.urlencode(),
        },
    )


@audit_readers_only
@require_safe
def audit_log_csv(request: HttpRequest) -> HttpResponseBase:
    """The filtered audit log as a spreadsheet; filters that are wrong go back to the page that says why."""
    form, filters = _audit_filters(request)
    if filters is None:
        return redirect(f"{reverse('accounts:audit_log')}?{request.GET.urlencode()}")
    rows = history.csv_rows(queries.audit_entries(**filters))
    response = StreamingHttpResponse(csv_lines(history.CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the signed-in person, as a JSON file (UK GDPR right of access)."""
    user = cast(User, request.user)
    body = json.dumps(queries.personal_data_of(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="your-data-{user.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _confirmed_erasure(request: HttpRequest) -> bool:
    return request.method == "POST" and bool(request.POST.get("confirm"))


@login_required
# Once they have ticked the box, they enter their password again (allauth keeps the request and carries it out
# after), so a session left open on a shared computer cannot erase the account.
@reauthentication_required(allow_get=True, enabled=_confirmed_erasure)
def erase_account(request: HttpRequest) -> HttpResponse:
    """The person asks for their account and details to be erased, and confirms it."""
    user = cast(User, request.user)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            erase_person(user, by=user)
        except AccountsError as refusal:
            form.add_error(None, refusal)
        else:
            logout(request)
            messages.success(request, "Your account is closed and your details have been erased.")
            return redirect("home:home")
    crumbs = [("Home", reverse("home:home")), ("Your account", reverse("accounts:dashboard"))]
    return render(request, "accounts/erase.html", {"form": form, "crumbs": crumbs})


admins_only = role_required(Role.ADMIN, message="Only platform administrators can see failed background jobs.")


def _failed_jobs_page(request: HttpRequest, *, status: int = 200, refused: str = "") -> HttpResponse:
    rows = [
        {"id": str(result.id), "title": jobs.title_of(result), "result": result, "message": jobs.plain_message(result)}
        for result in jobs.failed_jobs()
    ]
    return render(request, "accounts/failed_jobs.html", {"rows": rows, "refused": refused}, status=status)


@admins_only
@require_safe
def failed_jobs(request: HttpRequest) -> HttpResponse:
    """Every background job that failed (including those whose worker died): what, when, why, and a retry."""
    return _failed_jobs_page(request)


@admins_only
@require_http_methods(["POST"])
def retry_job(request: HttpRequest, task_id: str) -> HttpResponse:
    """Queue a failed job again; if it cannot be, the list says why."""
    try:
        jobs.retry_job(task_id)
    except jobs.JobNotRetryable as refusal:
        return _failed_jobs_page(request, status=409, refused=refusal.message)
    return redirect("accounts:failed_jobs")


# How long allauth's limits (ACCOUNT_RATE_LIMITS) that answer 429 hold someone back, in words: sign-up's is counted
# by the hour, the rest (changing a password or email, asking again for a link) by the minute. Failed sign-ins and
# password resets are told on their own forms.
_WAITS = {"account_signup": "an hour"}


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """allauth's answer when a limit is reached (handler429): 429, with how long to wait. A refused sign-up is
    shown again with what the person typed (not the passwords), so nothing they wrote is lost."""
    name = request.resolver_match.url_name if request.resolver_match else ""
    wait = _WAITS.get(name or "", "a few minutes")
    if name == "account_signup" and request.method == "POST":
        from .forms import SignupForm

        form = SignupForm()
        hidden = {"password", "password1", "password2", settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD}
        form.initial = {key: request.POST[key] for key in form.fields if key not in hidden and key in request.POST}
        messages.error(
            request, f"Too many accounts have been made from here. Try again in {wait}; what you typed is kept below."
        )
        context = {"form": form, "login_url": reverse("account_login")}
        return render(request, "account/signup.html", context, status=429)
    return render(request, "429.html", {"wait": wait}, status=429)
