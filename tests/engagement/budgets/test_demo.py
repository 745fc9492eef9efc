"""The demo borough's participatory budgets: one in its voting stage with eight feasible and two not feasible
proposals and ballots cast, one counted and handed to funding, both on the public pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.engagement.models import Budget
from commonweal.funding.models import Grant

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_budget_in_its_voting_stage_and_a_counted_one(demo_borough: Any, client: Client) -> None:
    chest = Budget.objects.get(title="East Merton Community Chest (demo)")
    assert chest.status == Budget.Status.VOTING
    assert chest.proposals.filter(feasibility="feasible").count() == 8
    refused = chest.proposals.filter(feasibility="not_feasible")
    assert refused.count() == 2 and all(p.feasibility_reason for p in refused)
    assert chest.ballots.count() > 100
    past = Budget.objects.get(title="Wimbledon Green Spaces Budget (demo)")
    assert past.status == Budget.Status.CLOSED
    assert Grant.objects.filter(application__budget_proposal__budget=past).exists()
    page = client.get(reverse("engagement:budgets"))
    assert chest.title in page.content.decode() and past.title in page.content.decode()
    result = client.get(reverse("engagement:budget_result", args=[past.slug]))
    assert result.status_code == 200 and "Funded" in result.content.decode()
