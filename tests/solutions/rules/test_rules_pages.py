"""Stewards and administrators set where blockages go, how long each stage may take, and when a late case goes
to the stewards; every change is checked, kept in the audit log and shown on the changes page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.solutions.models import Category, ServiceStandard, SolutionsSettings, Stage
from commonweal.solutions.rules import queries, services
from tests.solutions import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward_client(client: Client, make_user: Any, mfa_exempt: None) -> Client:
    client.force_login(make_user("steward"))
    return client


@pytest.fixture
def routing(make_user: Any) -> dict[str, Any]:
    parks = factories.department("Parks and Green Spaces")
    highways = factories.department("Highways")
    return {
        "parks": parks,
        "highways": highways,
        "champion": make_user("champion"),
        "category": factories.category("Trees and planting", parks),
    }


def test_a_steward_adds_a_category_routed_to_two_departments_with_a_champion(
    steward_client: Client, routing: dict[str, Any]
) -> None:
    response = steward_client.post(
        reverse("solutions:rules_category_add"),
        {
            "name": "Street parties",
            "description": "Closing a road for a party",
            "departments": [routing["highways"].pk, routing["parks"].pk],
            "champion": routing["champion"].pk,
            "is_active": "on",
        },
        follow=True,
    )
    category = Category.objects.get(name="Street parties")
    assert set(category.departments.all()) == {routing["highways"], routing["parks"]}
    assert category.champion == routing["champion"]
    assert category.slug == "street-parties"
    assert "New blockages of this kind go to Highways and Parks and Green Spaces." in response.content.decode()


def test_a_category_needs_a_name_and_a_department_and_keeps_what_was_typed(
    steward_client: Client, routing: dict[str, Any]
) -> None:
    response = steward_client.post(
        reverse("solutions:rules_category_add"), {"name": "", "description": "Hall hire rules"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the category&#x27;s name" in page or "Enter the category's name" in page
    assert "Choose at least one department that blockages of this kind go to." in page
    assert "Hall hire rules" in page
    assert not Category.objects.filter(description="Hall hire rules").exists()


def test_two_categories_cannot_share_a_name(steward_client: Client, routing: dict[str, Any]) -> None:
    response = steward_client.post(
        reverse("solutions:rules_category_add"), {"name": "trees and planting", "departments": [routing["parks"].pk]}
    )
    assert "There is already a category called ‘trees and planting’" in response.content.decode()
    assert Category.objects.count() == 1


def test_only_council_departments_and_champions_can_be_chosen(routing: dict[str, Any], make_user: Any) -> None:
    from commonweal.solutions.errors import SolutionsError

    group = make_user("group_member").memberships.first().organisation
    with pytest.raises(SolutionsError, match="only go to council departments"):
        services.add_category(name="Hall hire", departments=[group])
    officer = make_user("officer")
    with pytest.raises(SolutionsError, match="is not a champion"):
        services.add_category(name="Hall hire", departments=[routing["parks"]], champion=officer)


def test_a_crafted_department_is_refused_beside_the_field(steward_client: Client, routing: dict[str, Any]) -> None:
    response = steward_client.post(
        reverse("solutions:rules_category_add"), {"name": "Hall hire", "departments": ["999999"]}
    )
    assert "Choose departments from the list." in response.content.decode()


def test_retiring_a_category_keeps_it_and_its_cases(steward_client: Client, routing: dict[str, Any]) -> None:
    category = routing["category"]
    factories.blockage(category=category)
    steward_client.post(
        reverse("solutions:rules_category_edit", args=[category.pk]),
        {"name": category.name, "departments": [routing["parks"].pk, routing["highways"].pk]},
    )
    category.refresh_from_db()
    assert category.is_active is False
    assert set(category.departments.all()) == {routing["parks"], routing["highways"]}
    assert category.blockages.count() == 1


def test_a_category_in_use_cannot_be_deleted(steward_client: Client, routing: dict[str, Any]) -> None:
    category = routing["category"]
    factories.blockage(category=category)
    page = steward_client.get(reverse("solutions:rules_category_delete", args=[category.pk])).content.decode()
    assert "cannot be deleted" in page
    response = steward_client.post(reverse("solutions:rules_category_delete", args=[category.pk]))
    assert response.status_code == 400
    assert "Retire it instead" in response.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()


def test_an_unused_category_can_be_deleted(steward_client: Client, routing: dict[str, Any]) -> None:
    category = routing["category"]
    response = steward_client.post(reverse("solutions:rules_category_delete", args=[category.pk]))
    assert response.status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()


def test_service_standards_are_set_within_1_to_500_working_days(steward_client: Client) -> None:
    days = dict.fromkeys(Stage.values, 5)
    response = steward_client.post(
        reverse("solutions:rules_standards"), {**days, "acknowledge": "0", "resolve": "lots"}
    )
    page = response.content.decode()
    assert "‘Acknowledge’ must be at least 1." in page
    assert "Enter the working days for ‘Resolve’ as a whole number, like 5." in page
    assert not ServiceStandard.objects.exists()
    response = steward_client.post(reverse("solutions:rules_standards"), {**days, "acknowledge": "3"})
    assert response.status_code == 302
    assert ServiceStandard.objects.get(stage="acknowledge").working_days == 3


def test_a_new_standard_times_the_next_blockage(routing: dict[str, Any]) -> None:
    services.set_service_standards(working_days={"acknowledge": 2})
    from datetime import datetime
    from zoneinfo import ZoneInfo

    blockage = factories.blockage(
        category=routing["category"], now=datetime(2027, 1, 4, 10, tzinfo=ZoneInfo("Europe/London"))
    )
    assert blockage.due_on == date(2027, 1, 6)


def test_settings_are_checked_and_saved(steward_client: Client) -> None:
    response = steward_client.post(
        reverse("solutions:rules_settings"), {"transfer_target_months": "61", "escalate_to_stewards_after": "3"}
    )
    assert "must be 60 or fewer" in response.content.decode()
    response = steward_client.post(
        reverse("solutions:rules_settings"), {"transfer_target_months": "12", "escalate_to_stewards_after": "3"}
    )
    assert response.status_code == 302
    row = SolutionsSettings.current()
    assert (row.transfer_target_months, row.escalate_to_stewards_after) == (12, 3)


def test_each_change_is_shown_with_who_made_it(steward_client: Client, routing: dict[str, Any], make_user: Any) -> None:
    steward_client.post(
        reverse("solutions:rules_category_edit", args=[routing["category"].pk]),
        {"name": "Trees and hedges", "departments": [routing["parks"].pk], "is_active": "on"},
    )
    steward_client.post(reverse("solutions:rules_standards"), dict.fromkeys(Stage.values, 7))
    page = steward_client.get(reverse("solutions:rules_changes")).content.decode()
    assert "Trees and hedges" in page
    assert "Trees and planting" in page
    assert "Test steward" in page or "steward" in page.lower()
    assert "Service standard" in page or "service standard" in page


def test_the_overview_shows_routing_standards_and_the_nations_bank_holidays(
    steward_client: Client, routing: dict[str, Any]
) -> None:
    page = steward_client.get(reverse("solutions:rules")).content.decode()
    assert "Trees and planting" in page and "Parks and Green Spaces" in page
    assert "5 working days" in page
    assert "bank holidays of England" in page
    holidays = queries.bank_holidays(date(2027, 12, 20))
    assert [name for _, name in holidays.upcoming[:2]] == ["Christmas Day", "Boxing Day"]


def test_scotland_keeps_its_own_bank_holidays(merton: Any) -> None:
    from commonweal.places.models import CouncilArea

    CouncilArea.objects.filter(pk=merton.pk).update(gss_code="S12000033")
    holidays = queries.bank_holidays(date(2027, 11, 1))
    assert holidays.nation == "Scotland"
    assert holidays.upcoming[0][1] == "St Andrew's Day" or "Andrew" in holidays.upcoming[0][1]


def test_the_overview_does_not_do_more_queries_as_categories_grow(
    steward_client: Client, routing: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert steward_client.get(reverse("solutions:rules")).status_code == 200
        return len(ctx.captured_queries)

    few = measure()
    for n in range(25):
        factories.category(f"Kind {n}", routing["parks"], routing["highways"], champion=routing["champion"])
    with django_assert_max_num_queries(few):
        steward_client.get(reverse("solutions:rules"))


def test_people_who_do_not_set_the_rules_are_told_why(client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("officer"))
    response = client.get(reverse("solutions:rules"))
    assert response.status_code == 403
    assert "Only stewards and administrators" in response.content.decode()
