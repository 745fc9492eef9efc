"""Participatory budgets' pages: the public list, a budget with its proposals, proposing, voting through an
emailed link, the open result with its CSV of anonymised ballots, and the officers' pages that run it.

Views parse, authorise, call a service and render; the rules are in services.py and count.py.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import Organisation, User
from commonweal.core import ratelimit
from commonweal.core.csvsafe import csv_lines
from commonweal.core.forms import show_errors

from ..models import Budget
from ..permissions import signed_in
from . import charts, queries, services
from .count import RULE
from .forms import BudgetForm, FeasibilityForm, ProposalForm, VoteRequestForm
from .permissions import edits_proposal, runs_budget, runs_engagement

get_or_post = require_http_methods(["GET", "HEAD", "POST"])

# Anyone may ask for a ballot link, so requests are limited per address asked for and per IP address.
LINKS_PER_IP = ratelimit.Limit("budget-link-ip", 20, 60 * 60)
LINKS_PER_EMAIL = ratelimit.Limit("budget-link-email", 3, 60 * 60)
VOTED = "engagement_budget_voted"
B = Budget.Status

STEPS = {
    "open-proposals": (services.open_proposals, "Proposals are open."),
    "close-proposals": (services.close_proposals, "Proposals are closed: check each one's feasibility."),
    "open-voting": (services.open_voting, "Voting is open."),
    "count": (services.count_votes, "The votes are counted and the result is published."),
    "close": (services.close_budget, "The budget is closed and its funded projects are handed over."),
}
NEXT_STEP = {
    B.DRAFT: ("open-proposals", "Open for proposals"),
    B.PROPOSALS: ("close-proposals", "Close proposals and check feasibility"),
    B.CHECKING: ("open-voting", "Open voting"),
    B.VOTING: ("count", "Close voting and count"),
    B.COUNTED: ("close", "Close and hand funded projects to funding"),
}


def _person(request: HttpRequest) -> User:
    """The signed-in person (the views that call this require sign-in)."""
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    """The form's data on a POST, even an empty one (so it shows what is missing); None on a GET."""
    return request.POST if request.method == "POST" else None


def _crumbs(budget: Budget | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home:home")), ("Participatory budgets", reverse("engagement:budgets"))]
    if budget is not None:
        crumbs.append((budget.title, reverse("engagement:budget", args=[budget.slug])))
    return crumbs


def _manage_crumbs(budget: Budget | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home:home")), ("Run budgets", reverse("engagement:manage_budgets"))]
    if budget is not None:
        crumbs.append((budget.title, reverse("engagement:manage_budget", args=[budget.slug])))
    return crumbs


def _stages(budget: Budget) -> list[tuple[str, Any, Any]]:
    """Each stage, when it began and the date planned for it, for the public page."""
    return [
        ("Proposals open", budget.proposals_opened_at, None),
        ("Proposals close, feasibility checked", budget.checking_at, budget.proposals_close_on),
        ("Voting opens", budget.voting_opened_at, budget.voting_opens_on),
        ("Result published", budget.counted_at, budget.voting_closes_on),
        ("Funded projects handed over", budget.closed_at, None),
    ]


# --- public pages ----------------------------------------------------------------------------------------


@require_safe
def budgets(request: HttpRequest) -> HttpResponse:
    """Every participatory budget past its draft, with its stage."""
    return render(
        request,
        "engagement/budgets/list.html",
        {"budgets": queries.public_budgets(), "breadcrumbs": _crumbs()[:1], "runs": runs_engagement(request.user)},
    )


@require_safe
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    """A budget: its pot, area, rules, stages with dates, and every proposal with its feasibility."""
    found = queries.budget_for(slug, request.user)
    return render(
        request,
        "engagement/budgets/budget.html",
        {
            "budget": found,
            "wards": services.area_names(found),
            "proposals": queries.proposals_of(found),
            "stages": _stages(found),
            "runs": runs_budget(request.user, found),
            "breadcrumbs": _crumbs(),
        },
    )


@require_safe
def result(request: HttpRequest, slug: str) -> HttpResponse:
    """The published count: each project's votes, rank, cost and whether it is funded, with a chart."""
    found = queries.budget_for(slug, request.user)
    if found.status not in {B.COUNTED, B.CLOSED}:
        return render(
            request, "engagement/budgets/no_result.html", {"budget": found, "breadcrumbs": _crumbs(found)}, status=404
        )
    rows = queries.result_rows(found)
    return render(
        request,
        "engagement/budgets/result.html",
        {
            "budget": found,
            "rows": rows,
            "chart": charts.result_chart(found, rows),
            "rule": RULE,
            "breadcrumbs": _crumbs(found),
        },
    )


@require_safe
def ballots_csv(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    """The anonymised ballots once counted, so anyone can recount."""
    found = queries.budget_for(slug, request.user)
    if found.status not in {B.COUNTED, B.CLOSED}:
        return render(
            request, "engagement/budgets/no_result.html", {"budget": found, "breadcrumbs": _crumbs(found)}, status=404
        )
    header = ["ballot_id", "project_id", "project", "points"]
    response = StreamingHttpResponse(csv_lines(header, queries.ballot_rows(found)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-ballots.csv"'
    return response


# --- proposing -------------------------------------------------------------------------------------------


@login_required
@get_or_post
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed-in resident or group member proposes a project while proposals are open."""
    found = queries.budget_for(slug, request.user)
    form = ProposalForm(_posted(request), budget=found, user=request.user)
    if found.status != B.PROPOSALS:
        form.add_error(None, "This budget is not taking proposals now.")
    elif request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose(budget=found, values=form.values(), by=_person(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect(reverse("engagement:your_proposals") + f"#proposal-{proposal.uuid}")
    return render(
        request,
        "engagement/budgets/propose.html",
        {"budget": found, "form": form, "open": found.status == B.PROPOSALS, "breadcrumbs": _crumbs(found)},
    )


@login_required
@get_or_post
def proposal_edit(request: HttpRequest, slug: str, uuid: Any) -> HttpResponse:
    """Whoever proposed a project, or its group, changes it while proposals are open."""
    found = queries.budget_for(slug, request.user)
    proposal = queries.proposal_for(found, uuid)
    if not edits_proposal(request.user, proposal):
        raise PermissionDenied("Only the person who proposed this project, or its group, can change it.")
    initial = {
        "title": proposal.title,
        "description": proposal.description,
        "beneficiaries": proposal.beneficiaries,
        "ward": proposal.ward_id,
        "place": proposal.place,
        "cost": proposal.cost,
        "group": proposal.group_id,
    }
    form = ProposalForm(_posted(request), initial=initial, budget=found, user=request.user)
    if proposal.group_id:
        form.fields["group"].queryset = (  # type: ignore[attr-defined]
            form.fields["group"].queryset | Organisation.objects.filter(pk=proposal.group_id)  # type: ignore[attr-defined]
        ).distinct()
    if found.status != B.PROPOSALS:
        form.add_error(None, "Proposals can only be changed while the budget is taking proposals.")
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(proposal=proposal, values=form.values(), by=_person(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect(reverse("engagement:your_proposals") + f"#proposal-{proposal.uuid}")
    return render(
        request,
        "engagement/budgets/propose.html",
        {
            "budget": found,
            "form": form,
            "proposal": proposal,
            "open": found.status == B.PROPOSALS,
            "breadcrumbs": _crumbs(found),
        },
    )


@login_required
@require_safe
def your_proposals(request: HttpRequest) -> HttpResponse:
    """The projects this person, or their groups, proposed, with where each stands."""
    return render(
        request,
        "engagement/budgets/your_proposals.html",
        {"proposals": queries.your_proposals(request.user), "breadcrumbs": _crumbs()},
    )


# --- voting ----------------------------------------------------------------------------------------------


@get_or_post
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a ballot: an email address and a postcode inside the area; the link comes by email."""
    found = queries.budget_for(slug, request.user)
    form = VoteRequestForm(_posted(request))
    refusal = services.voting_refusal(found)
    status = 200
    if refusal:
        form.add_error(None, refusal)
    elif request.method == "POST" and form.is_valid():
        email = _person(request).email if signed_in(request.user) else form.cleaned_data["email"]
        wait = ratelimit.hit(
            [
                (LINKS_PER_IP, ratelimit.client_address(request)),
                (LINKS_PER_EMAIL, f"{found.pk}:{services.normalised_email(email or '')}"),
            ]
        )
        if wait is not None:
            form.add_error(
                None,
                "Too many voting links have been asked for from here or for this address. "
                f"Try again in {ratelimit.wait_in_words(wait)}.",
            )
            status = 429
        else:
            try:
                sent = services.request_ballot(
                    budget=found, email=email or "", postcode=form.cleaned_data["postcode"], by=request.user
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                request.session[VOTED] = sent.email
                return redirect("engagement:vote_sent", slug=found.slug)
    response = render(
        request,
        "engagement/budgets/vote.html",
        {
            "budget": found,
            "form": form,
            "refusal": refusal,
            "wards": services.area_names(found),
            "breadcrumbs": _crumbs(found),
        },
        status=status,
    )
    return response


@require_safe
def vote_sent(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.budget_for(slug, request.user)
    return render(
        request,
        "engagement/budgets/vote_sent.html",
        {
            "budget": found,
            "email": request.session.get(VOTED, ""),
            "days": services.LINK_DAYS,
            "breadcrumbs": _crumbs(found),
        },
    )


def _marks(request: HttpRequest, budget: Budget) -> dict[str, str]:
    """The ballot as posted: ticked projects (approval) or each project's points (cumulative)."""
    if budget.method == Budget.Method.APPROVAL:
        return dict.fromkeys(request.POST.getlist("project"), "1")
    return {key.removeprefix("points-"): str(value) for key, value in request.POST.items() if key.startswith("points-")}


@get_or_post
def ballot(request: HttpRequest, token: str) -> HttpResponse:
    """The ballot an emailed link opens: cast once, with the choices checked against the budget's rules."""
    try:
        link = services.link_for_token(token)
    except services.LinkUnknown as error:
        return render(request, "engagement/budgets/ballot_problem.html", {"problem": error.messages[0]}, status=404)
    found = link.budget
    problem = services.link_problem(link)
    if problem is not None:
        context = {"problem": problem.messages[0], "budget": found}
        return render(request, "engagement/budgets/ballot_problem.html", context, status=410)
    projects = services.feasible_projects(found)
    errors: list[str] = []
    marks: dict[str, str] = {}
    if request.method == "POST":
        marks = _marks(request, found)
        try:
            services.cast_ballot(token=token, marks=marks, by=request.user)
        except services.AlreadyVoted as error:
            context = {"problem": error.messages[0], "budget": found}
            return render(request, "engagement/budgets/ballot_problem.html", context, status=409)
        except ValidationError as error:
            errors = [str(message) for message in error.messages]
        else:
            return redirect("engagement:voted", slug=found.slug)
    return render(
        request,
        "engagement/budgets/ballot.html",
        {
            "budget": found,
            "projects": [(p, marks.get(str(p.pk), "")) for p in projects],
            "summary_errors": errors,
            "approval": found.method == Budget.Method.APPROVAL,
        },
        status=400 if errors else 200,
    )


@require_safe
def voted(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.budget_for(slug, request.user)
    return render(request, "engagement/budgets/voted.html", {"budget": found, "breadcrumbs": _crumbs(found)})


# --- running a budget ------------------------------------------------------------------------------------


def _require_runs_engagement(request: HttpRequest) -> None:
    if not runs_engagement(request.user):
        raise PermissionDenied("Only council officers and the stewards run participatory budgets.")


@login_required
@require_safe
def manage_budgets(request: HttpRequest) -> HttpResponse:
    _require_runs_engagement(request)
    return render(
        request,
        "engagement/budgets/manage_list.html",
        {"budgets": queries.managed_budgets(request.user), "breadcrumbs": [("Home", reverse("home:home"))]},
    )


@login_required
@get_or_post
def budget_new(request: HttpRequest) -> HttpResponse:
    """Draft a budget: the pot, the area or theme, the voting rules and the planned dates."""
    _require_runs_engagement(request)
    form = BudgetForm(_posted(request), user=request.user, initial={"method": Budget.Method.APPROVAL})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_budget(values=form.values(), by=_person(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("engagement:manage_budget", slug=created.slug)
    return render(
        request,
        "engagement/budgets/budget_form.html",
        {"form": form, "title": "Start a participatory budget", "breadcrumbs": _manage_crumbs()},
    )


def _run(request: HttpRequest, slug: str) -> Budget:
    found = queries.budget_for(slug, request.user)
    if not runs_budget(request.user, found):
        raise PermissionDenied("Only officers of the department running this budget, and the stewards, can do that.")
    return found


@login_required
@get_or_post
def budget_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _run(request, slug)
    initial = {
        "title": found.title,
        "summary": found.summary,
        "amount": found.amount,
        "department": found.department_id,
        "wards": list(found.wards.values_list("pk", flat=True)),
        "theme": found.theme_id,
        "method": found.method,
        "max_choices": found.max_choices,
        "points": found.points,
        "max_points_per_project": found.max_points_per_project,
        "min_cost": found.min_cost,
        "max_cost": found.max_cost,
        "proposals_close_on": found.proposals_close_on,
        "voting_opens_on": found.voting_opens_on,
        "voting_closes_on": found.voting_closes_on,
    }
    form = BudgetForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_budget(budget=found, values=form.values(), by=_person(request))
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("engagement:manage_budget", slug=found.slug)
    return render(
        request,
        "engagement/budgets/budget_form.html",
        {"form": form, "title": f"Change {found.title}", "budget": found, "breadcrumbs": _manage_crumbs(found)},
    )


def _manage_context(request: HttpRequest, found: Budget, problems: list[str] | None = None) -> dict[str, Any]:
    proposals = queries.proposals_of(found)
    return {
        "budget": found,
        "proposals": proposals,
        "wards": services.area_names(found),
        "stages": _stages(found),
        "next_step": NEXT_STEP.get(found.status),  # type: ignore[call-overload]
        "unchecked": sum(1 for p in proposals if p.feasibility == p.Feasibility.UNCHECKED),
        "ballots": found.ballots.count() if found.status == B.VOTING else found.ballots_counted,
        "summary_errors": problems or [],
        "breadcrumbs": _manage_crumbs(),
    }


@login_required
@require_safe
def manage_budget(request: HttpRequest, slug: str) -> HttpResponse:
    """The budget as its officers run it: its stage, the next step, and each proposal's feasibility check."""
    found = _run(request, slug)
    context = _manage_context(request, found)
    context["done"] = request.session.pop("engagement_budget_done", "")
    return render(request, "engagement/budgets/manage.html", context)


@login_required
@require_POST
def budget_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """Take the budget's next step (a button on the manage page)."""
    found = _run(request, slug)
    if step not in STEPS:
        return render(
            request,
            "engagement/budgets/manage.html",
            _manage_context(request, found, ["There is no such step."]),
            status=404,
        )
    service, done = STEPS[step]
    try:
        service(budget=found, by=_person(request))
    except ValidationError as error:
        found.refresh_from_db()
        problems = [str(message) for message in error.messages]
        return render(request, "engagement/budgets/manage.html", _manage_context(request, found, problems), status=400)
    request.session["engagement_budget_done"] = done
    return redirect("engagement:manage_budget", slug=found.slug)


@login_required
@get_or_post
def feasibility(request: HttpRequest, slug: str, uuid: Any) -> HttpResponse:
    """An officer checks one proposal: feasible or not, with the reason shown publicly, and any adjusted cost."""
    found = _run(request, slug)
    proposal = queries.proposal_for(found, uuid)
    initial = {
        "feasible": {"feasible": "yes", "not_feasible": "no"}.get(proposal.feasibility, ""),
        "reason": proposal.feasibility_reason,
        "adjusted_cost": proposal.adjusted_cost,
        "adjusted_reason": proposal.adjusted_reason,
    }
    form = FeasibilityForm(_posted(request), initial=initial)
    if found.status not in {B.PROPOSALS, B.CHECKING}:
        form.add_error(None, "Feasibility can only be checked before voting opens.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_feasibility(
                proposal=proposal,
                feasible={"yes": True, "no": False}.get(data.get("feasible") or ""),
                reason=data.get("reason") or "",
                adjusted_cost=data.get("adjusted_cost"),
                adjusted_reason=data.get("adjusted_reason") or "",
                by=_person(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect(reverse("engagement:manage_budget", args=[found.slug]) + f"#proposal-{proposal.uuid}")
    return render(
        request,
        "engagement/budgets/feasibility.html",
        {
            "budget": found,
            "proposal": proposal,
            "form": form,
            "cancel": reverse("engagement:manage_budget", args=[found.slug]),
            "breadcrumbs": _manage_crumbs(found),
        },
    )
