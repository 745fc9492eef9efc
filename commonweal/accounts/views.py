"""Your account, your organisation, and the audit log."""

from __future__ import annotations

from typing import cast

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import queries, services
from .forms import AuditFilterForm, OrganisationForm
from .models import Organisation, User
from .permissions import require_organisation_manager, role_required
from .roles import Role


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": queries.memberships_of(user),
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    require_organisation_manager(cast(User, request.user), organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": queries.members_of(organisation)},
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    require_organisation_manager(cast(User, request.user), organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{organisation.name}: your changes are saved.")
            return redirect("accounts:organisation", slug=organisation.slug)
    return render(request, "accounts/organisation_edit.html", {"organisation": organisation, "form": form})


@role_required(Role.ADMIN, message="Only platform administrators can see the audit log.")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    form.fields["record_type"].choices = [("", "All records"), *queries.audit_record_types()]  # type: ignore[attr-defined]
    filters = form.cleaned_data if form.is_valid() else {}
    entries = queries.audit_entries(record_type=filters.get("record_type", ""), actor=filters.get("actor", ""))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})
