"""Issue 10 in a real browser: once an assessor has scored, the round's page says its criteria are fixed and
offers no way to change them; the administrators' audit log shows who joined a round's assessor pool. Both
pages pass axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from commonweal.funding.assess.services import add_assessor
from commonweal.funding.models import Assignment, Score
from tests.funding.factories import ApplicationFactory, CriterionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fixed_criteria_are_explained_and_the_pool_change_is_in_the_audit_log(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    round = RoundFactory(name="Spring round", slug="spring-round", score_max=5)
    need = CriterionFactory(round=round, name="Need for the project", weight=60)
    CriterionFactory(round=round, name="Value for money", weight=40)
    officer = make_user("officer", email="officer@example.org")
    assessor = make_user("resident", email="assessor@example.org")
    User.objects.filter(pk=assessor.pk).update(full_name="Fatima Ahmed")
    assessor.refresh_from_db()
    add_assessor(round=round, email=assessor.email, by=officer)
    member = make_user("group_member")
    assignment = Assignment.objects.create(
        application=ApplicationFactory(round=round, created_by=member), assessor=assessor
    )
    Score.objects.create(assignment=assignment, criterion=need, score=4)

    sign_in(page, officer)
    page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/")
    expect(page.get_by_test_id("criteria-locked")).to_contain_text("Assessors have started scoring this round")
    criteria = page.get_by_test_id("criteria")
    expect(criteria.get_by_role("link", name="Change")).to_have_count(0)
    expect(criteria.get_by_role("link", name="Delete")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a criterion")).to_have_count(0)
    expect(page.get_by_label("Highest score for a criterion")).to_be_disabled()
    assert_accessible(page)

    admin_page = page.context.browser.new_page()  # type: ignore[union-attr]
    sign_in(admin_page, make_user("admin", email="admin@example.org"))
    admin_page.goto(f"{live_server.url}/account/audit/")
    expect(admin_page.get_by_test_id("audit-table")).to_contain_text("Assessors: added Fatima Ahmed")
    assert_accessible(admin_page)
