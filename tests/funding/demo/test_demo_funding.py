"""The demo borough's Civic Pride Fund (demo): a closed round decided and paid, an open round open today, a
draft round open for comment, and the money beyond the council; all of it marked demo, and loading twice
changes nothing."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.funding.demo import CLOSED_SLUG, DRAFT_SLUG, FUND_SLUG, OPEN_SLUG
from commonweal.funding.models import (
    Application,
    ApplicationEvent,
    Assignment,
    CommunityNeed,
    Decision,
    Fulfilment,
    Fund,
    FundingSource,
    Grant,
    MatchFunding,
    MonitoringReport,
    Pledge,
    ProspectusComment,
    Round,
    Score,
    Tranche,
)
from commonweal.funding.overlap import overlaps
from commonweal.funding.setup.queries import eligibility_overlaps
from commonweal.funding.workflows import APPLICATION
from commonweal.home.demo import load_demo_borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_borough: Any) -> Any:
    return demo_borough


def counts() -> dict[str, int]:
    models: list[Any] = [
        User,
        Membership,
        Organisation,
        Fund,
        Round,
        Application,
        ApplicationEvent,
        Assignment,
        Score,
        Decision,
        Grant,
        Tranche,
        MonitoringReport,
        MatchFunding,
        FundingSource,
        ProspectusComment,
        CommunityNeed,
        Pledge,
        Fulfilment,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_the_fund_has_four_themes_with_budgets_pots_and_eligibility_questions(demo: Any) -> None:
    fund = Fund.objects.get(slug=FUND_SLUG)
    assert fund.name.endswith("(demo)") and fund.is_demo
    assert fund.total_budget == Decimal("5000000")
    assert (fund.ends_on - fund.starts_on).days >= 3 * 365
    assert fund.themes.count() == 4
    assert sum(b.amount for b in fund.theme_budgets.all()) == fund.total_budget
    pots = {pot.max_amount: pot.max_turnover for pot in fund.pots.all()}
    assert pots[Decimal("2500")] == Decimal("25000")
    assert pots[Decimal("10000")] == Decimal("50000")
    assert any(limit is None and amount > 10000 for amount, limit in pots.items())
    assert fund.eligibility_questions.count() >= 3
    # No question asks what another (or the checker's own question about the area) already asks.
    assert eligibility_overlaps(fund) == []
    for round in fund.rounds.all():
        assert overlaps([q.label for q in round.questions.all()]) == [], round.name


def test_every_round_publishes_five_criteria_whose_weights_add_up_to_100(demo: Any) -> None:
    for round in Round.objects.filter(fund__slug=FUND_SLUG):
        assert round.name.endswith("(demo)")
        assert round.criteria.count() == 5
        assert sum(round.criteria.values_list("weight", flat=True)) == 100
        assert round.questions.exists()


def test_every_demo_criterion_says_what_each_score_from_0_to_5_means_in_its_own_words(demo: Any) -> None:
    for round in Round.objects.filter(fund__slug=FUND_SLUG):
        for criterion in round.criteria.all():
            assert len(criterion.descriptors) == round.score_max + 1 == 6
            assert criterion.score_descriptors(round.score_max) == criterion.descriptors
    need = Round.objects.get(slug=CLOSED_SLUG).criteria.get(name="Need and evidence")
    assert need.descriptors[5].startswith("A compelling need")


def test_the_closed_round_has_about_thirty_applications_assessed_and_decided(demo: Any) -> None:
    round = Round.objects.get(slug=CLOSED_SLUG)
    assert round.is_closed()
    applications = Application.objects.filter(round=round)
    assert 25 <= applications.count() <= 35
    statuses = Counter(applications.values_list("status", flat=True))
    assert statuses[Application.Status.APPROVED] >= 10
    assert statuses[Application.Status.REJECTED] >= 10
    assert statuses[Application.Status.WITHDRAWN] == 1
    for application in applications:
        assert application.themes.exists(), application.reference
        assert application.wards.exists(), application.reference
        assert application.organisation.is_demo
    # One declared conflict, replaced so every assessed application still has two scores.
    conflicts = Assignment.objects.filter(application__round=round, status=Assignment.Status.CONFLICTED)
    assert conflicts.count() == 1
    assert conflicts.get().conflict_reason
    for application in applications.filter(status__in=[Application.Status.APPROVED, Application.Status.REJECTED]):
        if not hasattr(application, "decision") or application.decision.weighted_score is None:
            continue  # turned down as not eligible, before assessment
        scored = application.assignments.filter(status=Assignment.Status.SCORED)
        assert scored.count() == 2
        assert not scored.filter(assessor__in=[c.assessor for c in conflicts.filter(application=application)]).exists()
        for assignment in scored:
            assert assignment.scores.count() == 5
            assert all(score.comment for score in assignment.scores.all())
    assert set(round.assessors.all()) >= {a.assessor for a in Assignment.objects.filter(application__round=round)}


def test_the_closed_rounds_decisions_match_its_grants(demo: Any) -> None:
    round = Round.objects.get(slug=CLOSED_SLUG)
    for decision in Decision.objects.filter(application__round=round).select_related("application"):
        assert decision.reasons
        assert decision.feedback
        assert decision.application.status == decision.outcome
        if decision.outcome == Decision.Outcome.APPROVED:
            grant = Grant.objects.get(application=decision.application)
            assert grant.amount == decision.amount
            assert grant.amount <= decision.application.amount_requested
            assert grant.is_demo
            assert sum(t.amount for t in grant.tranches.all()) == grant.amount
        else:
            assert not Grant.objects.filter(application=decision.application).exists()
    assert (
        Grant.objects.filter(application__round=round).count()
        == Decision.objects.filter(application__round=round, outcome=Decision.Outcome.APPROVED).count()
    )


def test_grants_are_at_every_stage_with_payments_reports_and_match_funding(demo: Any) -> None:
    grants = Grant.objects.filter(application__round__slug=CLOSED_SLUG)
    statuses = set(grants.values_list("status", flat=True))
    assert {Grant.Status.OFFERED, Grant.Status.ACCEPTED, Grant.Status.DECLINED, Grant.Status.COMPLETED} <= statuses
    assert Tranche.objects.filter(grant__in=grants, status=Tranche.Status.PAID).exists()
    assert Tranche.objects.filter(grant__in=grants, status=Tranche.Status.SCHEDULED).exists()
    # The declined offer was declined through the service, which cancelled the payments it would have had.
    declined = Tranche.objects.filter(grant__in=grants, grant__status=Grant.Status.DECLINED)
    assert declined.exists() and set(declined.values_list("status", flat=True)) == {Tranche.Status.CANCELLED}
    for tranche in Tranche.objects.filter(status=Tranche.Status.PAID):
        assert tranche.paid_on and tranche.paid_by and tranche.grant.status in {"accepted", "completed"}
    reports = MonitoringReport.objects.filter(grant__in=grants)
    assert reports.filter(status=MonitoringReport.Status.ACCEPTED).exists()
    assert reports.filter(status=MonitoringReport.Status.SUBMITTED).exists()
    assert [r for r in reports if r.is_late] and len([r for r in reports if r.is_late]) == 1
    assert MatchFunding.objects.filter(application__round__slug=CLOSED_SLUG).count() >= 5


def test_every_application_status_was_reached_by_the_workflows_steps(demo: Any) -> None:
    steps = {(t.name, source, t.target) for t in APPLICATION.transitions for source in t.sources}
    steps.add(("start", "", Application.Status.DRAFT))  # as apply.services.start_application records it
    for application in Application.objects.filter(round__fund__slug=FUND_SLUG):
        status = ""
        for event in application.events.order_by("at", "pk"):
            assert (event.transition, event.from_status, event.to_status) in steps, event
            assert event.from_status == status, application.reference
            status = event.to_status
        assert status == application.status, application.reference


def test_the_open_round_is_open_now_with_drafts_and_the_food_shares_application(demo: Any) -> None:
    round = Round.objects.get(slug=OPEN_SLUG)
    assert round.is_open(timezone.now())
    applications = Application.objects.filter(round=round)
    assert applications.filter(status=Application.Status.DRAFT).count() >= 3
    group = User.objects.get(email="group@demo.commonweal.test")
    submitted = applications.get(status=Application.Status.SUBMITTED)
    assert submitted.organisation.name == "Wandle Valley Food Share (demo)"
    assert submitted.created_by == group
    # The informal group has not applied to the open round, so a demonstrator can start one as them.
    assert not applications.filter(organisation__name="Figge's Marsh Litter Pickers (demo)").exists()


def test_the_draft_round_is_open_for_comment_with_one_comment_answered(demo: Any) -> None:
    round = Round.objects.get(slug=DRAFT_SLUG)
    assert round.prospectus_status == Round.Prospectus.OPEN_FOR_COMMENT
    assert round.comments_close_at > timezone.now()
    comments = list(round.comments.all())
    assert len(comments) == 2
    assert sorted(bool(c.answer) for c in comments) == [False, True]


def test_funding_sources_needs_and_pledges_are_there_and_marked_demo(demo: Any) -> None:
    sources = FundingSource.objects.all()
    assert sources.count() >= 12
    assert all(s.is_demo and s.name.endswith("(demo)") for s in sources)
    assert sources.filter(funder="The National Lottery Community Fund").exists()
    assert CommunityNeed.objects.filter(is_demo=True).count() == 4
    pledges = Pledge.objects.filter(is_demo=True)
    assert pledges.count() == 3
    assert len(set(pledges.values_list("status", flat=True))) == 3
    assert {p.supplier.kind for p in pledges} == {Organisation.Kind.BUSINESS}
    assert pledges.values("supplier").distinct().count() == 2
    assert Fulfilment.objects.filter(pledge__in=pledges).count() >= 3


def test_everything_invented_is_marked_demo(demo: Any) -> None:
    assert not Organisation.objects.filter(is_demo=False).exists()
    assert not User.objects.filter(is_demo=False).exists()
    assert not Grant.objects.filter(is_demo=False).exists()
    assert all(title.endswith("(demo)") for title in Application.objects.values_list("title", flat=True))
    assert all(title.endswith("(demo)") for title in CommunityNeed.objects.values_list("title", flat=True))


def test_loading_the_demo_twice_changes_nothing(demo: Any) -> None:
    first = counts()
    load_demo_borough()
    assert counts() == first


def test_every_grant_report_and_pledge_status_was_reached_by_the_workflows_steps(demo: Any) -> None:
    from auditlog.models import LogEntry

    from commonweal.funding.workflows import GRANT, PLEDGE, REPORT

    for workflow, records, first in (
        (GRANT, Grant.objects.filter(is_demo=True), Grant.Status.OFFERED),
        (REPORT, MonitoringReport.objects.filter(grant__is_demo=True), MonitoringReport.Status.DUE),
        (PLEDGE, Pledge.objects.filter(is_demo=True), Pledge.Status.PLEDGED),
    ):
        steps = {(source, t.target) for t in workflow.transitions for source in t.sources}
        for record in records:
            status = first
            updates = LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.UPDATE).order_by("pk")
            for entry in updates:
                if "status" not in entry.changes_dict:
                    continue
                before, after = entry.changes_dict["status"]
                assert (before, after) in steps and before == status, (workflow.noun, record.pk, before, after)
                assert entry.actor is not None, (workflow.noun, record.pk)
                status = after
            assert status == record.status, (workflow.noun, record.pk)
