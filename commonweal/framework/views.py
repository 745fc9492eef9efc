"""The public framework page and the stewards' editor: views parse, authorise, call a service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role

from . import queries, services
from .forms import ElementForm, VisionForm
from .models import KIND_PLURALS, Element, Framework, kind_from_slug, kind_label, with_article
from .presets import get_preset, list_presets

stewards_only = role_required(Role.STEWARD, message="Only stewards can change the framework.")
get_or_post = require_http_methods(["GET", "HEAD", "POST"])
T = TypeVar("T")


def _edit_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Our framework", reverse("framework:detail")),
        ("Edit the framework", reverse("framework:edit")),
        *extra,
    ]


def _form_page(request: HttpRequest, form: forms.Form, *, heading: str, submit: str, caption: str = "") -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "submit": submit,
        "caption": caption,
        "crumbs": _edit_crumbs(),
    }
    return render(request, "framework/form.html", context)


def _or_404(found: T | None) -> T:
    if found is None:
        raise Http404("No such page.")
    return found


def _saved(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], str]) -> bool:
    """Run `write` with the form's data on a POST; on a refusal put its messages beside the fields instead."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        message = write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, message)
    return True


@require_safe
def detail(request: HttpRequest) -> HttpResponse:
    framework = Framework.current()
    user = request.user
    return render(
        request,
        "framework/detail.html",
        {
            "framework": framework,
            "sections": queries.framework_sections(framework),
            "can_edit": user.is_authenticated and cast(User, user).has_role(Role.STEWARD),
        },
    )


@stewards_only
@require_safe
def edit(request: HttpRequest) -> HttpResponse:
    framework = Framework.current()
    return render(
        request,
        "framework/edit.html",
        {
            "framework": framework,
            "sections": queries.framework_sections(framework),
            "crumbs": _edit_crumbs()[:1],
        },
    )


@stewards_only
@get_or_post
def vision_edit(request: HttpRequest) -> HttpResponse:
    framework = Framework.current()
    initial = {"name": framework.name, "vision": framework.vision} if framework else {}
    form = VisionForm(request.POST if request.method == "POST" else None, initial=initial)

    def write(data: dict[str, Any]) -> str:
        services.update_vision(name=data["name"], vision=data["vision"], by=request.user)
        return "The framework's name and vision are saved."

    if _saved(request, form, write):
        return redirect("framework:edit")
    return _form_page(request, form, heading="Name and vision of the framework", submit="Save")


@stewards_only
@get_or_post
def element_add(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = _or_404(kind_from_slug(kind_slug))
    if Framework.current() is None:
        messages.warning(request, "Give the framework a name and a vision first, or start from a council's preset.")
        return redirect("framework:vision")
    label = kind_label(kind)
    form = ElementForm(request.POST if request.method == "POST" else None, kind_label=label)

    def write(data: dict[str, Any]) -> str:
        element = services.create_element(
            kind=kind, name=data["name"], description=data["description"], by=request.user
        )
        return f'You added the {label} "{element.name}".'

    if _saved(request, form, write):
        return redirect(f"{reverse('framework:edit')}#{kind_slug}")
    heading = f"Add {with_article(label)}"
    return _form_page(request, form, heading=heading, submit=heading)


@stewards_only
@get_or_post
def element_edit(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_object_or_404(Element, pk=pk)
    label = element.kind_label
    initial = {"name": element.name, "description": element.description}
    form = ElementForm(request.POST if request.method == "POST" else None, initial=initial, kind_label=label)

    def write(data: dict[str, Any]) -> str:
        services.update_element(element=element, name=data["name"], description=data["description"], by=request.user)
        return f'Your changes to the {label} "{element.name}" are saved.'

    if _saved(request, form, write):
        return redirect("framework:edit")
    return _form_page(request, form, heading=f"Change the {label}", submit="Save changes", caption=element.name)


@stewards_only
@get_or_post
def element_delete(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_object_or_404(Element, pk=pk)
    if request.method == "POST":
        services.delete_element(element=element, by=request.user)
        messages.success(request, f'You deleted the {element.kind_label} "{element.name}".')
        return redirect("framework:edit")
    return render(request, "framework/element_delete.html", {"element": element, "crumbs": _edit_crumbs()})


@stewards_only
@require_POST
def element_move(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_object_or_404(Element, pk=pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Choose whether to move it up or down.")
    if services.move_element(element=element, direction=cast(services.Direction, direction), by=request.user):
        messages.success(request, f'You moved "{element.name}" {direction}.')
    else:
        where = "first" if direction == "up" else "last"
        messages.info(request, f'"{element.name}" is already {where} among the {KIND_PLURALS[element.kind].lower()}.')
    return redirect("framework:edit")


@stewards_only
@require_POST
def element_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_object_or_404(Element, pk=pk)
    services.confirm_element(element=element, by=request.user)
    messages.success(request, f'You confirmed the {element.kind_label} "{element.name}".')
    return redirect("framework:edit")


@stewards_only
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.framework_history(), 25).get_page(request.GET.get("page"))
    entries = queries.history_entries(page.object_list)
    # The newest change is the framework as it is now: there is nothing to go back to there.
    newest = entries[0].cid or entries[0].pk if entries and page.number == 1 else None
    context = {"page": page, "entries": entries, "newest": newest, "crumbs": _edit_crumbs()}
    return render(request, "framework/history.html", context)


@stewards_only
@get_or_post
def restore(request: HttpRequest, entry_pk: int) -> HttpResponse:
    """Going back to an earlier version: what would change, then (POSTed) the change, recorded as a new one."""
    found = _or_404(queries.framework_restore(entry_pk))
    refused = ""
    if request.method == "POST":
        try:
            services.restore_framework_version(entry_pk=entry_pk, by=request.user)
        except ValidationError as error:
            refused = " ".join(error.messages)
        else:
            messages.success(request, f"The framework is back as it was on {found.entry.when}.")
            return redirect("framework:history")
    crumbs = _edit_crumbs(("History of changes", reverse("framework:history")))
    context = {"restore": found, "crumbs": crumbs, "summary_errors": refused}
    return render(request, "framework/restore.html", context, status=400 if refused else 200)


@stewards_only
@require_safe
def presets(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "framework/presets.html",
        {"presets": list_presets(), "framework": Framework.current(), "crumbs": _edit_crumbs()},
    )


@stewards_only
@get_or_post
def preset_use(request: HttpRequest, slug: str) -> HttpResponse:
    preset = _or_404(get_preset(slug))
    framework = Framework.current()
    if request.method == "POST":
        services.load_framework_preset(slug=preset.slug, replace=True, by=request.user)
        messages.success(request, f"The framework now follows {preset.council}'s {preset.name}.")
        return redirect("framework:edit")
    crumbs = _edit_crumbs(("Start from a council's framework", reverse("framework:presets")))
    return render(
        request, "framework/preset_confirm.html", {"preset": preset, "framework": framework, "crumbs": crumbs}
    )
