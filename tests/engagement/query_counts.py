"""Query-count cases for engagement's lists (see tests/test_query_counts.py). Most of its lists have their own
query-count tests beside their pages, named in ELSEWHERE."""

from __future__ import annotations

from django.utils.text import slugify

from tests.engagement import factories
from tests.query_counts import Context, ListCase, label


def consultation(context: Context, n: int) -> str:
    title = label("consultation", n)
    return factories.consultation(title, slug=slugify(title)).title


def _a_consultation(context: Context) -> None:
    """A draft consultation of the signed-in officer's department."""
    from commonweal.engagement.models import Consultation

    context["consultation"] = factories.consultation(
        "Counted consultation",
        slug="counted-consultation",
        department_=context["user"].memberships.first().organisation,
        status=Consultation.Status.DRAFT,
    )


def officers_question(context: Context, n: int) -> str:
    from commonweal.engagement.models import Question

    return Question.objects.create(
        consultation=context["consultation"],
        position=10 + n,
        kind=Question.Kind.SINGLE,
        text=label("question", n),
        options=["Yes", "No"],
    ).text


def _an_event(context: Context) -> None:
    from tests.engagement.forums.factories import event

    context["event"] = event("Counted forum")


def signup(context: Context, n: int) -> str:
    from tests.engagement.forums.factories import signup as sign_up

    return sign_up(context["event"], n, name=label("resident", n)).name


def _a_counted_budget(context: Context) -> None:
    from commonweal.engagement.models import Budget
    from tests.engagement.budgets.factories import budget

    context["budget"] = budget("Counted chest", status=Budget.Status.COUNTED)


def ballot(context: Context, n: int) -> str:
    """A project and one ballot for it."""
    from django.utils import timezone

    from commonweal.engagement.models_budgets import Ballot, BallotChoice
    from tests.engagement.budgets.factories import proposal

    project = proposal(context["budget"], label("project", n), by=context["make_user"]())
    cast = Ballot.objects.create(budget=context["budget"], email_hash=f"{n:064d}", cast_at=timezone.now())
    BallotChoice.objects.create(ballot=cast, proposal=project)
    return project.title


def _department(context: Context) -> None:
    """The signed-in officer's department, which runs the rows."""
    context["department"] = context["user"].memberships.first().organisation


def consultation_of_department(context: Context, n: int) -> str:
    title = label("consultation", n)
    return factories.consultation(title, slug=slugify(title), department_=context.get("department")).title


def event(context: Context, n: int) -> str:
    from tests.engagement.forums.factories import event as make_event

    return make_event(label("forum", n), department_=context.get("department")).title


def budget(context: Context, n: int) -> str:
    from tests.engagement.budgets.factories import budget as make_budget

    title = label("chest", n)
    return make_budget(title, wards=list(context["merton"].wards.order_by("code")[:2])).title


def _a_budget(context: Context) -> None:
    from tests.engagement.budgets.factories import budget as make_budget

    context["budget"] = make_budget("Counted chest")


def proposal(context: Context, n: int) -> str:
    """A project proposed to the budget, by the signed-in person if there is one."""
    from tests.engagement.budgets.factories import budget as make_budget
    from tests.engagement.budgets.factories import proposal as propose

    into = context.get("budget") or make_budget(label("chest", n))
    return propose(into, label("project", n), by=context["user"] or context["make_user"]()).title


def response(context: Context, n: int) -> str:
    """A response the signed-in resident sent, and every other one a draft."""
    from commonweal.engagement.models import Response

    title = label("consultation", n)
    made = factories.consultation(title, slug=slugify(title), questions=False)
    if n % 2:
        Response.objects.create(consultation=made, user=context["user"])
    else:
        factories.response(made, user=context["user"], answers={})
    return title


def councillor(context: Context, n: int) -> str:
    from tests.engagement.forums.factories import councillor as appoint

    made = appoint(context["make_user"], *context["merton"].wards.order_by("code")[n % 3 : n % 3 + 2])
    made.user.full_name = label("councillor", n)
    made.user.save(update_fields=["full_name"])
    return made.user.full_name


def closed_consultation(context: Context, n: int) -> str:
    """A consultation closed with no 'we did' published yet."""
    from tests.engagement.closing.helpers import closed

    title = label("consultation", n)
    return closed(title, slug=slugify(title), questions=False).title


def decided_consultation(context: Context, n: int) -> str:
    """A consultation closed, decided and its 'we did' published, in a ward."""
    from commonweal.engagement.closing import services
    from tests.engagement.closing.helpers import closed, save_complete

    title = label("consultation", n)
    made = closed(title, slug=slugify(title))
    made.wards.add(context["merton"].wards.order_by("code").first())
    steward = context.setdefault("steward", context["make_user"]("steward"))
    save_complete(made, steward)
    return services.publish_we_did(consultation=made, by=steward).title


def _councillors_ward(context: Context) -> None:
    """The signed-in councillor represents the first ward."""
    from commonweal.engagement.models import Councillor

    context["ward"] = context["merton"].wards.order_by("code").first()
    Councillor.objects.get(user=context["user"]).wards.set([context["ward"]])


def in_the_ward(context: Context, n: int) -> str:
    """A consultation and a forum in the councillor's ward."""
    from tests.engagement.forums.factories import event as make_event

    title = label("consultation", n)
    factories.consultation(title, slug=slugify(title), questions=False).wards.set([context["ward"]])
    make_event(label("forum", n), ward=context["ward"])
    return title


CASES = [
    ListCase("engagement:ward_engagement", "councillor", in_the_ward, setup=_councillors_ward),
    ListCase("engagement:we_did_due", "steward", closed_consultation),
    ListCase("engagement:we_asked", "anonymous", decided_consultation, per_page=20),
    ListCase("engagement:consultations", "anonymous", consultation_of_department, per_page=20),
    ListCase("engagement:manage", "officer", consultation_of_department, setup=_department),
    ListCase("engagement:events", "anonymous", event, per_page=20),
    ListCase("engagement:manage_events", "officer", event, per_page=20, setup=_department),
    ListCase("engagement:budgets", "anonymous", budget),
    ListCase("engagement:manage_budgets", "steward", budget),
    ListCase("engagement:budget", "anonymous", proposal, lambda c: [c["budget"].slug], setup=_a_budget),
    ListCase("engagement:manage_budget", "steward", proposal, lambda c: [c["budget"].slug], setup=_a_budget),
    ListCase("engagement:your_proposals", "resident", proposal),
    ListCase("engagement:your_responses", "resident", response),
    ListCase("engagement:councillors", "steward", councillor),
    ListCase("engagement:ballots_csv", "anonymous", ballot, lambda c: [c["budget"].slug], setup=_a_counted_budget),
    ListCase("engagement:event_signups_csv", "steward", signup, lambda c: [c["event"].uuid], setup=_an_event),
    ListCase("engagement_api:consultations", "anonymous", consultation, per_page=20),
    ListCase(
        "engagement:manage_questions",
        "officer",
        officers_question,
        lambda c: [c["consultation"].slug],
        setup=_a_consultation,
    ),
]

ELSEWHERE = {
    "engagement:results": (
        "tests.engagement.analysis.test_results",
        "test_the_page_reads_the_kept_tallies_so_its_queries_do_not_grow_with_responses",
    ),
    "engagement:tagging": (
        "tests.engagement.analysis.test_tagging",
        "test_the_answers_page_takes_the_same_queries_for_5_and_30_answers",
    ),
    "engagement:responses_csv": (
        "tests.engagement.analysis.test_csv",
        "test_the_export_takes_the_same_queries_for_2_and_30_responses",
    ),
}

# Routes that list nothing that grows with the data.
NOT_LISTS: set[str] = {
    # Forms and the actions they post to, and what they answer with.
    "engagement:alternative_formats",
    "engagement:alternative_formats_sent",
    "engagement:ballot",
    "engagement:budget_edit",
    "engagement:budget_new",
    "engagement:budget_step",
    "engagement:close",
    "engagement:close_preview",
    "engagement:close_publish",
    "engagement:close_send",
    "engagement:confirm_response",
    "engagement:councillor",
    "engagement:councillor_remove",
    "engagement:event_cancel",
    "engagement:event_edit",
    "engagement:event_new",
    "engagement:event_notes",
    "engagement:event_publish",
    "engagement:event_signed_up",
    "engagement:event_signup",
    "engagement:feasibility",
    "engagement:manage_affected",
    "engagement:manage_dates",
    "engagement:manage_details",
    "engagement:manage_document_delete",
    "engagement:manage_eqia",
    "engagement:manage_gunning",
    "engagement:manage_new",
    "engagement:manage_publish",
    "engagement:manage_question_add",
    "engagement:manage_question_delete",
    "engagement:manage_question_edit",
    "engagement:manage_question_move",
    "engagement:manage_withdraw",
    "engagement:proposal_edit",
    "engagement:propose",
    "engagement:respond",
    "engagement:respond_about",
    "engagement:respond_check",
    "engagement:respond_equality",
    "engagement:respond_question",
    "engagement:respond_save",
    "engagement:responded",
    "engagement:resume",
    "engagement:signup_cancel",
    "engagement:theme",
    "engagement:vote",
    "engagement:vote_sent",
    "engagement:voted",
    # One record and its own parts: a consultation, an event, a budget's result, a response.
    "engagement:budget_result",
    "engagement:consultation",
    "engagement:consultation_document",
    "engagement:event",
    "engagement:event_ics",
    "engagement:manage_consultation",
    "engagement:manage_documents",
    "engagement:manage_event",
    "engagement:we_did",
    "engagement:we_did_paper",
    "engagement:your_response",
    "engagement_api:consultation",
}
