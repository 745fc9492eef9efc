"""The vocabularies of service categories: administrators change them, officers look."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role

from ..imports import start_import
from ..imports.views import _csv_download, _upload_view, _user, get_or_post, officers_and_admins
from ..models import ImportRun, Taxonomy, TaxonomyTerm
from . import queries as vocabulary_queries
from . import services as vocabulary_services
from .forms import TermForm, VocabularyImportForm

vocabulary_editors = role_required(Role.ADMIN, message="Only administrators can change the vocabularies.")


def _vocabulary_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home:home")), ("Vocabularies", reverse("directory:taxonomy")), *more]


def _can_edit(request: HttpRequest) -> bool:
    return _user(request).has_role(Role.ADMIN)


@officers_and_admins
@require_safe
def taxonomy(request: HttpRequest) -> HttpResponse:
    context = {
        "vocabularies": vocabulary_queries.vocabularies(),
        "can_edit": _can_edit(request),
        "crumbs": _vocabulary_crumbs()[:1],
    }
    return render(request, "directory/vocabulary/index.html", context)


@officers_and_admins
@require_safe
def taxonomy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vocabulary = get_object_or_404(Taxonomy, pk=pk)
    context = {
        "vocabulary": vocabulary,
        "tree": vocabulary_queries.term_tree(vocabulary),
        "can_edit": _can_edit(request),
        "crumbs": _vocabulary_crumbs(),
    }
    return render(request, "directory/vocabulary/taxonomy.html", context)


@officers_and_admins
@require_safe
def taxonomy_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """A vocabulary in the same CSV form the import reads, so it can be edited and imported again."""
    vocabulary = get_object_or_404(Taxonomy, pk=pk)
    terms = vocabulary.terms.select_related("parent").order_by("position", "name")
    rows = ((t.code, t.name, t.description, t.parent.code if t.parent else "") for t in terms)
    return _csv_download(("code", "name", "description", "parent_code"), rows, f"vocabulary-{vocabulary.pk}.csv")


def _vocabulary_import_page(request: HttpRequest, form: forms.Form, status: int) -> HttpResponse:
    context = {"form": form, "crumbs": _vocabulary_crumbs()}
    return render(request, "directory/vocabulary/import.html", context, status=status)


def _accept_vocabulary(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    run = start_import(kind=ImportRun.Kind.TAXONOMY_CSV, upload=data["file"], by=_user(request), name=data["name"])
    return redirect("directory:import_run", pk=run.pk)


_vocabulary_import = _upload_view(_vocabulary_import_page, VocabularyImportForm, _accept_vocabulary)


@csrf_exempt  # the CSRF check is made in _upload_view, once the body is known to be small enough to read
@vocabulary_editors
@get_or_post
def taxonomy_import(request: HttpRequest) -> HttpResponse:
    return _vocabulary_import(request)


def _term_page(
    request: HttpRequest, form: TermForm, *, vocabulary: Taxonomy, heading: str, submit: str
) -> HttpResponse:
    context = {
        "form": form,
        "vocabulary": vocabulary,
        "heading": heading,
        "submit": submit,
        "crumbs": _vocabulary_crumbs((vocabulary.name, reverse("directory:taxonomy_detail", args=[vocabulary.pk]))),
    }
    return render(request, "directory/vocabulary/term_form.html", context)


def _saved(form: TermForm, write: Callable[[dict[str, Any]], None]) -> bool:
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@vocabulary_editors
@get_or_post
def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    vocabulary = get_object_or_404(Taxonomy, pk=pk)
    parents = vocabulary_queries.parent_choices(vocabulary)
    form = TermForm(request.POST if request.method == "POST" else None, parents=parents)

    def write(data: dict[str, Any]) -> None:
        term = vocabulary_services.create_term(taxonomy=vocabulary, by=request.user, **data)
        messages.success(request, f"You added the term “{term.name}”.")

    if request.method == "POST" and _saved(form, write):
        return redirect("directory:taxonomy_detail", pk=vocabulary.pk)
    return _term_page(request, form, vocabulary=vocabulary, heading="Add a term", submit="Add term")


@vocabulary_editors
@get_or_post
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy"), pk=pk)
    below = vocabulary_services.descendant_ids(term) | {term.pk}
    parents = vocabulary_queries.parent_choices(term.taxonomy, leaving_out=below)
    initial = {
        "name": term.name,
        "code": term.code,
        "description": term.description,
        "parent": term.parent_id,
        "term_uri": term.term_uri,
    }
    form = TermForm(request.POST if request.method == "POST" else None, initial=initial, parents=parents)

    def write(data: dict[str, Any]) -> None:
        vocabulary_services.update_term(term=term, by=request.user, **data)
        messages.success(request, f"Your changes to “{term.name}” are saved.")

    if request.method == "POST" and _saved(form, write):
        return redirect("directory:taxonomy_detail", pk=term.taxonomy_id)
    return _term_page(request, form, vocabulary=term.taxonomy, heading="Change a term", submit="Save changes")


@vocabulary_editors
@get_or_post
def term_delete(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy", "parent"), pk=pk)
    if request.method == "POST":
        used = vocabulary_services.delete_term(term=term, by=request.user)
        note = f" {used:,} {'service no longer has' if used == 1 else 'services no longer have'} it." if used else ""
        messages.success(request, f"You deleted the term “{term.name}”.{note}")
        return redirect("directory:taxonomy_detail", pk=term.taxonomy_id)
    context = {
        "term": term,
        "services": len(vocabulary_services.services_using(term)),
        "children": list(term.children.order_by("position", "name")),
        "crumbs": _vocabulary_crumbs(
            (term.taxonomy.name, reverse("directory:taxonomy_detail", args=[term.taxonomy_id]))
        ),
    }
    return render(request, "directory/vocabulary/term_delete.html", context)
