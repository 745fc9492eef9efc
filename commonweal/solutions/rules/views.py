"""The rules pages, for stewards and administrators: categories and their routing to departments and a champion,
service standards per stage, the council's settings, and every change to them. Views parse, authorise, call a
service or a query, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.forms import show_errors

from ..models import Category
from . import queries, services
from .forms import CategoryForm, SettingsForm, StandardsForm

rule_setters = role_required(
    Role.STEWARD, Role.ADMIN, message="Only stewards and administrators can change the Solutions Framework's rules."
)
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
FORM_PAGE = "solutions/rules/form.html"


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Solutions Framework rules", reverse("solutions:rules")), *more]


def _form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    save: Callable[[forms.Form], Any],
    success: Callable[[Any], str],
    heading: str,
    intro: str = "",
    section: str = "",
    button: str = "Save",
) -> HttpResponse:
    """Every add and change page of the rules: one form, its errors beside the fields, what was typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, success(record))
            return redirect(reverse("solutions:rules") + section)
    context = {
        "form": form,
        "heading": heading,
        "intro": intro,
        "crumbs": _crumbs(),
        "cancel_url": reverse("solutions:rules") + section,
        "button": button,
    }
    return render(request, FORM_PAGE, context)


@rule_setters
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Categories and where they go, the service standards, the settings and the bank holidays the clock keeps."""
    context = {
        "categories": queries.categories(),
        "standards": queries.standards(),
        "settings": queries.settings(),
        "holidays": queries.bank_holidays(),
        "late_now": queries.late_now(),
        "crumbs": [("Home", reverse("home:home"))],
    }
    return render(request, "solutions/rules/overview.html", context)


@rule_setters
@get_or_post
def category_add(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        form=form,
        save=lambda f: services.add_category(by=request.user, **f.cleaned_data),
        success=lambda c: f"‘{c.name}’ added. New blockages of this kind go to {_names(c)}.",
        heading="Add a category",
        intro="A category is a kind of blockage and the rule for where it goes: the departments it is sent to, "
        "and the champion named when it needs more than one.",
        section="#categories",
        button="Add the category",
    )


def _names(category: Category) -> str:
    names = [d.name for d in category.departments.order_by("name")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@rule_setters
@get_or_post
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    initial = {
        "name": category.name,
        "description": category.description,
        "departments": list(category.departments.all()),
        "champion": category.champion,
        "is_active": category.is_active,
    }
    form = CategoryForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        form=form,
        save=lambda f: services.change_category(category=category, by=request.user, **f.cleaned_data),
        success=lambda c: (
            f"‘{c.name}’ saved. New blockages of this kind go to {_names(c)}."
            + ("" if c.is_active else " It is retired: nobody can raise a new one under it.")
        ),
        heading=f"Change ‘{category.name}’",
        intro="Blockages already raised keep the departments they were sent to; new ones follow the rule as "
        "you save it.",
        section="#categories",
    )


@rule_setters
@get_or_post
def category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a category added by mistake; one in use can only be retired."""
    category = get_object_or_404(Category, pk=pk)
    in_use = category.blockages.exists()
    refused = ""
    if request.method == "POST":
        try:
            services.delete_category(category=category, by=request.user)
        except ValidationError as error:
            refused = " ".join(error.messages)
        else:
            messages.success(request, f"‘{category.name}’ deleted.")
            return redirect(reverse("solutions:rules") + "#categories")
    context = {
        "category": category,
        "in_use": in_use,
        "summary_errors": refused,
        "crumbs": _crumbs(),
    }
    return render(request, "solutions/rules/delete.html", context, status=400 if refused else 200)


@rule_setters
@get_or_post
def standards(request: HttpRequest) -> HttpResponse:
    initial = {row.stage: row.working_days for row in queries.standards()}
    form = StandardsForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        form=form,
        save=lambda f: services.set_service_standards(working_days=dict(f.cleaned_data), by=request.user),
        success=lambda _saved: "Service standards saved. Each applies from the next time its stage starts.",
        heading="Service standards",
        intro="How many working days the council gives itself for each stage. Weekends and the bank holidays "
        "of the council's nation are not counted. A stage already running keeps its due date.",
        section="#standards",
    )


@rule_setters
@get_or_post
def settings(request: HttpRequest) -> HttpResponse:
    current = queries.settings()
    initial = {
        "transfer_target_months": current.transfer_target_months,
        "escalate_to_stewards_after": current.escalate_to_stewards_after,
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        form=form,
        save=lambda f: services.change_settings(by=request.user, **f.cleaned_data),
        success=lambda _row: "Settings saved.",
        heading="Targets and escalation",
        section="#settings",
    )


@rule_setters
@require_safe
def changes(request: HttpRequest) -> HttpResponse:
    """Who changed which rule, when, before and after."""
    page = Paginator(queries.rules_history(), 25).get_page(request.GET.get("page"))
    entries = queries.history_entries(list(page.object_list))
    context = {"page": page, "entries": entries, "crumbs": _crumbs()}
    return render(request, "solutions/rules/changes.html", context)
