"""The front door: what the platform is for, the council's framework, and a way into its places."""

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from commonweal.accounts.models import User
from commonweal.accounts.permissions import role_required
from commonweal.accounts.roles import Role
from commonweal.core.models import RETENTION_MINIMUM_MONTHS, RetentionPeriod
from commonweal.directory.forms_public import FindHelpForm
from commonweal.framework.queries import framework_summary
from commonweal.places.forms import PostcodeForm
from commonweal.places.queries import area_summary

from . import queries
from .forms import RetentionPeriodForm
from .services import set_retention_period
from .your_home import your_home_page


def home(request: HttpRequest) -> HttpResponse:
    """Help first: 'Find help near you' (words and a postcode, sent to the directory's search); then the framework
    and the way into the council's wards."""
    # Only its words and postcode fields are shown; their ids differ from the ward finder's postcode box.
    find_help = FindHelpForm(categories=[], wards=[], auto_id="find-help-%s")
    find_help.fields["postcode"].label = "Your postcode"
    find_help.fields["postcode"].help_text = "To see what is nearest first. For example, SW19 2HL"
    return render(
        request,
        "home/home.html",
        {
            "framework": framework_summary(),
            "area": area_summary(),
            "postcode_form": PostcodeForm(),
            "find_help_form": find_help,
        },
    )


@login_required
@require_safe
def your_home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person lands: a task list for each of their roles, with how much is waiting in each."""
    return render(request, "home/your_home.html", your_home_page(cast(User, request.user)))


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what is kept and for how long, written from the council's retention periods."""
    return render(request, "home/privacy.html", {"periods": queries.retention_periods()})


ADMINS_ONLY = "Only platform administrators can change how long records are kept."


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def retention(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home/retention.html",
        {
            "periods": queries.retention_periods(),
            "minimums": {kind: months for kind, (months, _) in RETENTION_MINIMUM_MONTHS.items()},
        },
    )


@role_required(Role.ADMIN, message=ADMINS_ONLY)
def retention_edit(request: HttpRequest, kind: str) -> HttpResponse:
    period = get_object_or_404(RetentionPeriod, kind=kind)
    form = RetentionPeriodForm(request.POST if request.method == "POST" else None, initial={"months": period.months})
    if request.method == "POST" and form.is_valid():
        try:
            set_retention_period(kind=kind, months=form.cleaned_data["months"], by=request.user)
        except ValidationError as error:
            form.add_error("months", error.messages[0])
        else:
            return redirect("home:retention")
    minimum, why = RETENTION_MINIMUM_MONTHS.get(kind, (0, ""))
    context: dict[str, Any] = {
        "period": period,
        "form": form,
        "minimum": minimum,
        "why": why,
        "crumbs": [("Home", reverse("home:home")), ("How long records are kept", reverse("home:retention"))],
        "cancel_url": reverse("home:retention"),
    }
    return render(request, "home/retention_edit.html", cast(dict[str, Any], context))
