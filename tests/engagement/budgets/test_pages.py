"""Budgets' pages as people use them: lists that do not do more queries as rows grow, the result only once
counted, a proposal changed only by its proposer or group, and voting links limited per address."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonweal.engagement.models import Budget, Proposal
from commonweal.places.models import Ward
from tests.engagement.budgets.factories import budget, proposal
from tests.engagement.factories import department

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_exempt")]


def _budgets(n: int, by: Any, wards: list[Ward]) -> list[Budget]:
    made = []
    for i in range(n):
        found = budget(
            f"Chest {i}", wards=wards, status=Budget.Status.COUNTED, ballots_counted=3, money_left=Decimal(0)
        )
        for j in range(2):
            proposal(found, f"Project {i}-{j}", by=by, votes=j, rank=j + 1, funded=bool(j))
        made.append(found)
    return made


@pytest.mark.parametrize("rows", [2, 20])
def test_the_lists_do_not_do_more_queries_as_budgets_grow(
    rows: int, merton: Any, make_user: Any, client: Client, django_assert_max_num_queries: Any
) -> None:
    resident = make_user("resident")
    wards = list(Ward.objects.order_by("name")[:2])
    made = _budgets(rows, resident, wards)
    steward = make_user("steward")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("engagement:budgets")).status_code == 200
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("engagement:your_proposals")).status_code == 200
    client.force_login(steward)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("engagement:manage_budgets")).status_code == 200
    # One budget's pages, with many proposals.
    big = made[0]
    for k in range(rows):
        proposal(big, f"More {k}", by=resident, votes=k, rank=k + 3, funded=False)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("engagement:budget", args=[big.slug])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("engagement:manage_budget", args=[big.slug])).status_code == 200
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("engagement:budget_result", args=[big.slug])).status_code == 200


def test_there_is_no_result_or_ballot_file_before_the_count(merton: Any, client: Client) -> None:
    found = budget()
    response = client.get(reverse("engagement:budget_result", args=[found.slug]))
    assert response.status_code == 404
    assert "have not been counted yet" in response.content.decode()
    assert client.get(reverse("engagement:ballots_csv", args=[found.slug])).status_code == 404


def test_only_the_proposer_or_their_group_changes_a_proposal(merton: Any, make_user: Any, client: Client) -> None:
    proposer, other = make_user("resident"), make_user("resident")
    found = budget(status=Budget.Status.PROPOSALS)
    mine = proposal(found, "Benches", by=proposer, feasibility=Proposal.Feasibility.UNCHECKED)
    url = reverse("engagement:proposal_edit", args=[found.slug, mine.uuid])
    client.force_login(other)
    assert client.post(url, {"title": "Hijacked"}).status_code == 403
    client.force_login(proposer)
    response = client.post(
        url,
        {
            "title": "Benches by the pond",
            "description": "Four benches.",
            "beneficiaries": "Walkers.",
            "place": "Pond",
            "cost": "2,500",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.title, mine.cost) == ("Benches by the pond", Decimal("2500"))


def test_voting_links_are_limited_per_address(merton: Any, abbey_postcode: Any, client: Client) -> None:
    found = budget(wards=[abbey_postcode.ward])
    proposal(found, "Benches", by=_someone())
    url = reverse("engagement:vote", args=[found.slug])
    for _ in range(3):
        assert client.post(url, {"email": "same@example.org", "postcode": "SW19 2HL"}).status_code == 302
    refused = client.post(url, {"email": "same@example.org", "postcode": "SW19 2HL"})
    assert refused.status_code == 429
    assert "Too many voting links" in refused.content.decode()
    assert len(mail.outbox) <= 3


def test_an_officer_of_the_running_department_sees_the_manage_page(merton: Any, make_user: Any, client: Client) -> None:
    officer = make_user("officer", organisation=department())
    found = budget()
    client.force_login(officer)
    assert client.get(reverse("engagement:manage_budget", args=[found.slug])).status_code == 200
    client.force_login(make_user("officer"))
    assert client.get(reverse("engagement:manage_budget", args=[found.slug])).status_code == 403


def _someone() -> Any:
    from commonweal.accounts.models import User

    return User.objects.create_user("someone@example.org", "a-long-password-1", full_name="Someone")


def test_a_cumulative_ballot_keeps_what_was_typed_when_refused(
    merton: Any, abbey_postcode: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    found = budget(wards=[abbey_postcode.ward], method=Budget.Method.CUMULATIVE)
    someone = _someone()
    a = proposal(found, "Benches", by=someone)
    b = proposal(found, "Bulbs", by=someone)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("engagement:vote", args=[found.slug]), {"email": "v@example.org", "postcode": "SW19 2HL"})
    link = str(mail.outbox[-1].body).split("/engagement/budgets/ballot/")[1].split("/")[0]
    url = reverse("engagement:ballot", args=[link])
    refused = client.post(url, {f"points-{a.pk}": "5", f"points-{b.pk}": "7"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "You can give no more than 5 points to one project." in page
    assert f'name="points-{b.pk}" type="text" inputmode="numeric" spellcheck="false" value="7"' in page
    assert client.post(url, {f"points-{a.pk}": "5", f"points-{b.pk}": "4"}).status_code == 302
    assert client.post(url, {f"points-{a.pk}": "5"}).status_code == 410  # the link is used: counted once
