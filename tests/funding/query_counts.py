"""Query-count cases for funding's lists (see tests/test_query_counts.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonweal.framework.models import Element
from commonweal.funding.models import Application, Assignment, Score, Tranche
from tests.funding.factories import ApplicationFactory, CriterionFactory, FundFactory, RoundFactory
from tests.funding.sources.factories import NeedFactory, SourceFactory, make_grant
from tests.query_counts import Context, ListCase, label


def _themes() -> list[Element]:
    return list(Element.objects.filter(kind=Element.Kind.THEME)[:2])


def _a_round(context: Context) -> None:
    """A round with two criteria, run by the signed-in officer's council."""
    context["round"] = RoundFactory()
    context["criteria"] = [CriterionFactory(round=context["round"]) for _ in range(2)]
    context["fund"] = context["round"].fund


def _wards(context: Context) -> list[Any]:
    return list(context["merton"].wards.order_by("code")[:2])


def application(context: Context, n: int, **fields: Any) -> Application:
    """A submitted application with its themes and wards, made by the signed-in person unless told otherwise."""
    fields.setdefault("created_by", context["user"] or context["make_user"]("group_member"))
    made = ApplicationFactory(
        title=label("project", n),
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
        **fields,
    )
    made.themes.set(_themes())
    made.wards.set(_wards(context))
    return made


def own_application(context: Context, n: int) -> str:
    from commonweal.accounts.services import grant_membership

    made = application(context, n)
    grant_membership(user=context["user"], role="group_member", organisation=made.organisation)
    return made.title


def round_application(context: Context, n: int) -> str:
    """An application to the round, assessed by someone who scored both criteria."""
    made = application(context, n, round=context["round"], created_by=context["make_user"]("group_member"))
    assessor = context.setdefault("assessor", context["make_user"]("resident"))
    assignment = Assignment.objects.create(
        application=made, assessor=assessor, status=Assignment.Status.SCORED, scored_at=timezone.now()
    )
    for criterion in context["criteria"]:
        Score.objects.create(assignment=assignment, criterion=criterion, score=3, comment="Good.")
    return made.title


def assignment(context: Context, n: int) -> str:
    """An application the signed-in person is asked to assess."""
    made = application(context, n, round=context["round"], created_by=context["make_user"]("group_member"))
    Assignment.objects.create(application=made, assessor=context["user"])
    return made.title


def grant(context: Context, n: int) -> str:
    """An accepted grant from a fund of its own, with its two tranches, one paid."""
    made = make_grant(
        amount="2000",
        by=context["make_user"]("officer"),
        themes=tuple(_themes()),
        wards=tuple(_wards(context)),
        round=RoundFactory(fund=FundFactory(name=label("fund", n))),
    )
    for offset, status in enumerate((Tranche.Status.PAID, Tranche.Status.SCHEDULED)):
        Tranche.objects.create(
            grant=made,
            due_on=date(2026, 4, 1) + timedelta(days=90 * offset),
            amount=Decimal("1000"),
            status=status,
        )
    return made.application.round.fund.name


def fund_round(context: Context, n: int) -> str:
    made = RoundFactory(fund=context["fund"], name=label("round", n))
    CriterionFactory(round=made)
    return made.name


def open_round(context: Context, n: int) -> str:
    """A round open now in a fund of its own, with a criterion."""
    made = RoundFactory(name=label("round", n), fund=FundFactory(name=label("fund", n)))
    CriterionFactory(round=made)
    return made.fund.name


def source(context: Context, n: int) -> str:
    made = SourceFactory(name=label("programme", n))
    made.themes.set(_themes())
    return made.name


def need(context: Context, n: int) -> str:
    from tests.funding.factories import ApplicantFactory

    group = ApplicantFactory()
    made = NeedFactory(title=label("need", n), organisation=group, created_by=context["make_user"]("group_member"))
    return made.title


def _assessors(context: Context) -> None:
    _a_round(context)


def pool_assessor(context: Context, n: int) -> str:
    person = context["make_user"]("resident")
    person.full_name = label("assessor", n)
    person.save(update_fields=["full_name"])
    context["round"].assessors.add(person)
    made = application(context, n, round=context["round"], created_by=context["make_user"]("group_member"))
    Assignment.objects.create(application=made, assessor=person)
    return person.full_name


CASES = [
    ListCase("funding:index", "anonymous", open_round),
    ListCase("funding:manage", "officer", open_round),
    ListCase("funding:moderation", "officer", round_application, lambda c: [c["round"].slug], setup=_a_round),
    ListCase("funding:my_applications", "group_member", own_application),
    ListCase("funding:round_applications", "officer", round_application, lambda c: [c["round"].slug], setup=_a_round),
    ListCase(
        "funding:round_applications_csv", "officer", round_application, lambda c: [c["round"].slug], setup=_a_round
    ),
    ListCase("funding:sources_csv", "anonymous", source),
    ListCase("funding:my_assessments", "resident", assignment, setup=_a_round),
    ListCase("funding:grants_manage", "officer", grant),
    ListCase("funding:where_money_went", "anonymous", grant),
    ListCase(
        "funding:fund",
        "anonymous",
        fund_round,
        lambda c: [c["fund"].slug],
        setup=lambda c: c.update(fund=FundFactory()),
    ),
    ListCase("funding:sources", "anonymous", source, per_page=20),
    ListCase("funding:needs", "anonymous", need, per_page=20),
    ListCase("funding:assessors", "officer", pool_assessor, lambda c: [c["round"].slug], setup=_assessors),
]

ELSEWHERE = {
    "funding:leverage": (
        "tests.funding.sources.test_leverage",
        "test_the_leverage_page_reads_a_handful_of_queries_however_many_grants",
    ),
    "funding:open_data_json": (
        "tests.funding.opendata.test_giving360",
        "test_the_export_reads_a_fixed_number_of_queries_however_many_grants",
    ),
}

# Routes that list nothing that grows with the data.
NOT_LISTS: set[str] = {
    # Forms and the actions they post to.
    "funding:application_autosave",
    "funding:application_check",
    "funding:application_edit",
    "funding:application_start",
    "funding:application_submit",
    "funding:application_withdraw",
    "funding:assessor_add",
    "funding:assessor_remove",
    "funding:assessors_assign",
    "funding:assign_by_hand",
    "funding:comment_answer",
    "funding:criterion_add",
    "funding:criterion_delete",
    "funding:criterion_edit",
    "funding:decide",
    "funding:declare",
    "funding:eligibility",
    "funding:eligibility_add",
    "funding:eligibility_delete",
    "funding:eligibility_edit",
    "funding:fund_create",
    "funding:fund_edit",
    "funding:grant_accept",
    "funding:grant_complete",
    "funding:grant_decline",
    "funding:grant_withdraw",
    "funding:match_funding",
    "funding:need_add",
    "funding:offer",
    "funding:pledge_accept",
    "funding:pledge_add",
    "funding:pledge_consent_withdraw",
    "funding:pledge_deliver",
    "funding:pledge_fulfil",
    "funding:pledge_verify",
    "funding:pledge_withdraw",
    "funding:pot_add",
    "funding:pot_delete",
    "funding:pot_edit",
    "funding:prospectus_comment",
    "funding:prospectus_edit",
    "funding:prospectus_open",
    "funding:prospectus_publish",
    "funding:question_add",
    "funding:question_delete",
    "funding:question_edit",
    "funding:question_move",
    "funding:report",
    "funding:report_review",
    "funding:round_create",
    "funding:score",
    "funding:source_add",
    "funding:source_edit",
    "funding:tranche_pay",
    # One record and its own parts: an application, a grant, a round's set-up, a need, a pledge, a source.
    "funding:application",
    "funding:application_submitted",
    "funding:attachment",
    "funding:grant",
    "funding:need",
    "funding:pledge",
    "funding:report_received",
    "funding:round",
    "funding:round_manage",
    "funding:source",
    "funding:theme_budgets",
    # Built off the request, and read from what was built (tests/funding/opendata).
    "funding:open_data",
    "funding:open_data_xlsx",
    "funding:panel_pack",
}
