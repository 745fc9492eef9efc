"""Proposing, checking, voting once from inside the area, the count and the hand-over to funding, as people would
meet them: each refusal says why, and nothing is half-written or counted twice."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase
from django.urls import reverse

from commonweal.accounts.services import create_organisation
from commonweal.engagement.budgets import services
from commonweal.engagement.budgets.count import tally
from commonweal.engagement.errors import EngagementError
from commonweal.engagement.models import Ballot, BallotChoice, Budget, Proposal
from commonweal.funding.awards.services import accept_grant
from commonweal.funding.models import Grant
from commonweal.funding.opendata.giving360 import build_package, validate_package
from commonweal.places.models import Ward
from tests.engagement.budgets.factories import budget, postcode_in, proposal
from tests.engagement.factories import department

pytestmark = pytest.mark.django_db


@pytest.fixture
def abbey(merton: Any) -> Ward:
    return Ward.objects.get(name="Abbey")


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer", organisation=department())


@pytest.fixture
def resident(make_user: Any) -> Any:
    return make_user("resident")


@pytest.fixture
def voting(abbey: Ward, resident: Any, abbey_postcode: Any) -> Budget:
    found = budget(wards=[abbey])
    proposal(found, "Benches on the green", cost="3000", by=resident)
    proposal(found, "Bulb planting", cost="1000", by=resident)
    proposal(found, "Play street", cost="6000", by=resident)
    proposal(found, "Pond on private land", cost="2000", by=resident, feasibility=Proposal.Feasibility.NOT_FEASIBLE)
    return found


def link_from_outbox() -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(r"/engagement/budgets/ballot/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def ask(found: Budget, *, email: str = "voter@example.org", postcode: str = "SW19 2HL", by: Any = None) -> str:
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_ballot(budget=found, email=email, postcode=postcode, by=by)
    return link_from_outbox()


def feasible_ids(found: Budget) -> list[int]:
    return list(found.proposals.filter(feasibility="feasible").order_by("pk").values_list("pk", flat=True))


def test_a_resident_votes_once_through_the_emailed_link(
    voting: Budget, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_ballot(budget=voting, email="Voter@Example.org ", postcode="sw19 2hl", by=None)
    token = link_from_outbox()
    first = feasible_ids(voting)[0]
    services.cast_ballot(token=token, marks={str(first): "1"})
    ballot = Ballot.objects.get(budget=voting)
    assert ballot.ward is not None and ballot.ward.name == "Abbey"
    assert "voter" not in ballot.email_hash  # only a keyed hash is kept
    # The same link again (a double click, a replay) counts once.
    with pytest.raises(services.AlreadyVoted):
        services.cast_ballot(token=token, marks={str(first): "1"})
    assert Ballot.objects.filter(budget=voting).count() == 1


def test_the_same_address_asking_again_is_told_by_email_and_gets_no_second_ballot(
    voting: Budget, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_ballot(budget=voting, email="voter@example.org", postcode="SW19 2HL", by=None)
    token = link_from_outbox()
    services.cast_ballot(token=token, marks={str(feasible_ids(voting)[0]): "1"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.request_ballot(budget=voting, email="VOTER@example.org", postcode="SW19 2HL", by=None)
    assert sent.already_voted
    assert "already voted" in str(mail.outbox[0].body)
    assert "/ballot/" not in str(mail.outbox[0].body)


def test_two_links_for_one_address_count_once(voting: Budget, django_capture_on_commit_callbacks: Any) -> None:
    first = ask(voting)
    second = ask(voting)
    services.cast_ballot(token=first, marks={str(feasible_ids(voting)[0]): "1"})
    with pytest.raises(services.AlreadyVoted, match="already voted"):
        services.cast_ballot(token=second, marks={str(feasible_ids(voting)[1]): "1"})
    assert Ballot.objects.count() == 1


def test_a_signed_in_person_cannot_vote_again_from_a_second_address(
    voting: Budget, resident: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = ask(voting, by=resident)
    assert mail.outbox[-1].to == [resident.email]
    services.cast_ballot(token=token, marks={str(feasible_ids(voting)[0]): "1"}, by=resident)
    with pytest.raises(EngagementError, match="already voted in this budget"):
        services.request_ballot(budget=voting, email="other@example.org", postcode="SW19 2HL", by=resident)
    # An anonymous link for another address, opened while signed in as the same person, counts once too.
    other = ask(voting, email="second-address@example.org")
    with pytest.raises(services.AlreadyVoted):
        services.cast_ballot(token=other, marks={str(feasible_ids(voting)[0]): "1"}, by=resident)
    assert Ballot.objects.count() == 1


def test_a_postcode_outside_the_area_is_refused_with_where_it_is(voting: Budget, merton: Any) -> None:
    cannon_hill = Ward.objects.get(name="Cannon Hill")
    postcode_in(cannon_hill, "SM4 5DX")
    with pytest.raises(EngagementError) as refused:
        services.request_ballot(budget=voting, email="far@example.org", postcode="SM4 5DX", by=None)
    assert refused.value.message_dict["postcode"] == [
        "SM4 5DX is in Cannon Hill, which is outside this budget's area (Abbey). Only people who live in the area "
        "can vote."
    ]
    with pytest.raises(EngagementError) as unknown:
        services.request_ballot(budget=voting, email="far@example.org", postcode="EH1 1AA", by=None)
    assert "is not a postcode in" in unknown.value.message_dict["postcode"][0]
    assert not mail.outbox


def test_voting_outside_the_voting_stage_is_refused(voting: Budget, django_capture_on_commit_callbacks: Any) -> None:
    token = ask(voting)
    Budget.objects.filter(pk=voting.pk).update(status=Budget.Status.COUNTED)
    with pytest.raises(EngagementError, match="Voting in this budget has closed"):
        services.cast_ballot(token=token, marks={str(feasible_ids(voting)[0]): "1"})
    with pytest.raises(EngagementError, match="has closed"):
        services.request_ballot(budget=voting, email="late@example.org", postcode="SW19 2HL", by=None)
    assert not Ballot.objects.exists()


def test_a_crafted_ballot_for_a_not_feasible_or_another_budgets_project_is_refused(
    voting: Budget, resident: Any, abbey: Ward, django_capture_on_commit_callbacks: Any
) -> None:
    other = proposal(budget(title="Another chest", wards=[abbey]), "Elsewhere", by=resident)
    not_feasible = voting.proposals.get(feasibility="not_feasible")
    token = ask(voting)
    for crafted in ({str(not_feasible.pk): "1"}, {str(other.pk): "1"}, {"1 OR 1=1": "1"}):
        with pytest.raises(EngagementError, match="cannot be voted for"):
            services.cast_ballot(token=token, marks=crafted)
    assert not Ballot.objects.exists()
    # The link is still good for a proper ballot.
    services.cast_ballot(token=token, marks={str(feasible_ids(voting)[0]): "1"})


def test_cumulative_points_over_the_allowance_or_a_megabyte_are_refused(
    voting: Budget, django_capture_on_commit_callbacks: Any
) -> None:
    Budget.objects.filter(pk=voting.pk).update(method=Budget.Method.CUMULATIVE)
    token = ask(voting)
    a, b, c = feasible_ids(voting)
    with pytest.raises(EngagementError, match="You gave 11 points"):
        services.cast_ballot(token=token, marks={str(a): "5", str(b): "5", str(c): "1"})
    with pytest.raises(EngagementError, match="whole number"):
        services.cast_ballot(token=token, marks={str(a): "1" * 1_000_000})
    services.cast_ballot(token=token, marks={str(a): "5", str(b): "3", str(c): ""})
    assert dict(BallotChoice.objects.values_list("proposal_id", "points")) == {a: 5, b: 3}


def test_proposals_must_fit_the_budgets_limits_and_a_megabyte_is_refused(
    abbey: Ward, resident: Any, make_user: Any
) -> None:
    found = budget(wards=[abbey], status=Budget.Status.PROPOSALS)
    values = services.ProposalValues(
        title="Community fridge",
        description="x" * 1_000_000,
        beneficiaries="Everyone",
        ward=abbey,
        place="",
        cost=Decimal("9000"),
        group=None,
    )
    with pytest.raises(EngagementError) as refused:
        services.propose(budget=found, values=values, by=resident)
    assert refused.value.message_dict == {
        "description": ["What the project does must be 5,000 characters or fewer."],
        "cost": ["The cost must be between £500 and £6,000 for this budget."],
    }
    group = create_organisation(name="Not mine", kind="informal_group")
    with pytest.raises(EngagementError) as not_theirs:
        services.propose(
            budget=found,
            values=services.ProposalValues(
                **{**vars(values), "description": "A fridge", "cost": Decimal("800"), "group": group}
            ),
            by=resident,
        )
    assert not_theirs.value.message_dict == {"group": ["Choose a group you are a member of, or no group."]}
    assert not Proposal.objects.exists()


def test_not_feasible_needs_a_public_reason_and_voting_waits_for_every_check(
    abbey: Ward, resident: Any, officer: Any
) -> None:
    found = budget(wards=[abbey], status=Budget.Status.CHECKING)
    fridge = proposal(found, "Community fridge", by=resident, feasibility=Proposal.Feasibility.UNCHECKED)
    with pytest.raises(EngagementError) as refused:
        services.check_feasibility(
            proposal=fridge, feasible=False, reason="", adjusted_cost=None, adjusted_reason="", by=officer
        )
    assert refused.value.message_dict == {
        "reason": ["Say why the project is not feasible: the reason is shown publicly."]
    }
    with pytest.raises(EngagementError, match="1 not checked yet"):
        services.open_voting(budget=found, by=officer)
    services.check_feasibility(
        proposal=fridge,
        feasible=True,
        reason="",
        adjusted_cost=Decimal("1200"),
        adjusted_reason="Includes wiring.",
        by=officer,
    )
    services.open_voting(budget=found, by=officer)
    found.refresh_from_db()
    assert found.status == Budget.Status.VOTING
    fridge.refresh_from_db()
    assert fridge.final_cost == Decimal("1200")


def test_an_officer_of_another_department_cannot_take_a_budgets_steps(voting: Budget, make_user: Any) -> None:
    stranger = make_user("officer")
    with pytest.raises(PermissionDenied):
        services.count_votes(budget=voting, by=stranger)
    voting.refresh_from_db()
    assert voting.status == Budget.Status.VOTING


def test_the_published_ballots_recount_to_the_same_result(voting: Budget, officer: Any, client: Client) -> None:
    a, b, c = feasible_ids(voting)
    services.bulk_ballots(voting, [{a: 1, b: 1}] * 7 + [{b: 1, c: 1}] * 5 + [{c: 1}] * 4)
    result = services.count_votes(budget=voting, by=officer)
    # Benches £3,000 (7), Bulbs £1,000 (12), Play street £6,000 (9): bulbs, play street, then benches fit.
    assert result.funded == [b, c, a]
    voting.refresh_from_db()
    assert voting.ballots_counted == 16
    assert voting.money_left == Decimal("0")
    response = client.get(reverse("engagement:ballots_csv", args=[voting.slug]))
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "email" not in text.lower()
    ballots: dict[str, dict[int, int]] = {}
    for row in rows:
        ballots.setdefault(row["ballot_id"], {})[int(row["project_id"])] = int(row["points"])
    assert len(ballots) == 16
    recounted = tally(ballots.values())
    assert {p.pk: p.votes for p in voting.proposals.filter(feasibility="feasible")} == dict(recounted)


def test_funded_projects_become_grants_through_funding(
    voting: Budget, officer: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    group = create_organisation(name="Abbey Gardeners", kind="informal_group")
    member = make_user("group_member", organisation=group)
    benches = voting.proposals.get(title="Benches on the green")
    Proposal.objects.filter(pk=benches.pk).update(group=group, proposed_by=member, adjusted_cost=Decimal("2500"))
    a, b, c = feasible_ids(voting)
    services.bulk_ballots(voting, [{a: 1, b: 1}] * 9 + [{c: 1}] * 2)
    services.count_votes(budget=voting, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        grants = services.close_budget(budget=voting, by=officer)
    assert len(grants) == 1
    grant = Grant.objects.select_related("application__organisation", "application__round__fund").get()
    assert grant.amount == Decimal("2500")
    assert grant.application.organisation == group
    assert grant.application.status == "approved"
    assert grant.application.round.fund.name == "Participatory budget: Abbey Community Chest"
    bulbs = voting.proposals.get(pk=b)
    assert bulbs.funded and bulbs.delivered_by_council and bulbs.application is None
    voting.refresh_from_db()
    assert voting.status == Budget.Status.CLOSED
    # The group sees its offer in funding's own pages, accepts it there, and it is published as 360Giving data.
    client = Client()
    client.force_login(member)
    assert client.get(reverse("funding:grant", args=[grant.reference])).status_code == 200
    accept_grant(grant=grant, confirmed=True, by=member)
    package = build_package()
    assert not validate_package(package)
    published = [g for g in package["grants"] if g["amountAwarded"] == 2500]
    assert published and published[0]["title"] == "Benches on the green"


def test_a_failed_hand_over_leaves_the_budget_counted_and_no_grant(
    voting: Budget, officer: Any, make_user: Any
) -> None:
    group = create_organisation(name="Officer's own group", kind="informal_group")
    from commonweal.accounts.services import grant_membership

    grant_membership(user=officer, role="group_member", organisation=group)
    Proposal.objects.filter(budget=voting, title="Bulb planting").update(group=group)
    services.bulk_ballots(voting, [{feasible_ids(voting)[1]: 1}] * 3)
    services.count_votes(budget=voting, by=officer)
    with pytest.raises(EngagementError, match="Bulb planting"):
        services.close_budget(budget=voting, by=officer)
    voting.refresh_from_db()
    assert voting.status == Budget.Status.COUNTED
    assert not Grant.objects.exists()
