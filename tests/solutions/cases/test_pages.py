"""The council's pages for blockages, through the test client: the queue (filters, sorting, lateness, its cost
in queries) and the case page (who sees what, steps taken and refused, each department's own part)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.solutions.models import Blockage, Part
from tests.solutions import factories

pytestmark = pytest.mark.django_db
B = Blockage.Status


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def case_url(blockage: Blockage) -> str:
    return reverse("solutions:case", args=[blockage.uuid])


def step_url(blockage: Blockage, name: str) -> str:
    return reverse("solutions:case_step", args=[blockage.uuid, name])


def many(people: dict[str, Any], n: int, *, days_ago: int = 30) -> list[Blockage]:
    return [
        factories.blockage(
            category=people["category"],
            raised_by=people["raiser"],
            title=f"Blockage number {i}",
            now=timezone.now() - timedelta(days=days_ago + i),
        )
        for i in range(n)
    ]


# --- the queue ---------------------------------------------------------------------------------------------


def test_an_officer_sees_their_departments_blockages_late_ones_first_in_red(
    client: Client, people: dict[str, Any], mfa_exempt: None
) -> None:
    late = factories.blockage(
        category=people["category"], title="Overdue conifers", now=timezone.now() - timedelta(days=40)
    )
    fresh = factories.blockage(category=people["category"], title="New bench")
    elsewhere = factories.blockage(category=factories.category("Libraries", people["libraries"]), title="Books")
    page = signed_in(client, people["parks_officer"]).get(reverse("solutions:queue")).content.decode()
    assert "Overdue conifers" in page and "New bench" in page
    assert "Books" not in page
    assert page.index("Overdue conifers") < page.index("New bench")
    assert 'data-testid="late"' in page and "working days late" in page
    assert "Parks and green spaces</bdi>: to do" in page
    assert "Highways</bdi>" not in page  # their own department's part only
    # Late only, and closed ones on asking.
    late_only = client.get(reverse("solutions:queue"), {"late": "on"}).content.decode()
    assert "Overdue conifers" in late_only and "New bench" not in late_only
    assert late.pk and fresh.pk and elsewhere.pk


def test_the_queue_sorts_by_age_and_filters_by_status(client: Client, people: dict[str, Any], mfa_exempt: None) -> None:
    old = factories.blockage(category=people["category"], title="Oldest one", now=timezone.now() - timedelta(days=9))
    new = factories.blockage(category=people["category"], title="Newest one", now=timezone.now() - timedelta(days=1))
    client = signed_in(client, people["parks_officer"])
    page = client.get(reverse("solutions:queue"), {"sort": "age"}).content.decode()
    assert page.index("Oldest one") < page.index("Newest one")
    from commonweal.solutions.cases import services

    services.take_case_step(blockage=new, name="acknowledge", by=people["parks_officer"])
    acknowledged = client.get(reverse("solutions:queue"), {"status": "acknowledged"}).content.decode()
    assert "Newest one" in acknowledged and "Oldest one" not in acknowledged
    assert old.pk


def test_a_bad_filter_is_shown_beside_its_field_not_a_500(
    client: Client, people: dict[str, Any], mfa_exempt: None
) -> None:
    response = signed_in(client, people["parks_officer"]).get(
        reverse("solutions:queue"), {"status": "exploded", "category": "nope", "page": "999"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_champion_sees_cases_they_champion_across_departments(
    client: Client, people: dict[str, Any], mfa_exempt: None
) -> None:
    factories.blockage(category=people["category"], title="Championed one")
    factories.blockage(category=factories.category("Libraries", people["libraries"]), title="Not theirs")
    page = signed_in(client, people["champion"]).get(reverse("solutions:queue")).content.decode()
    assert "Cases you champion" in page
    assert "Championed one" in page and "Not theirs" not in page
    assert "Parks and green spaces</bdi>: to do" in page and "Highways</bdi>: to do" in page
    everything = client.get(reverse("solutions:queue"), {"scope": "all"}).content.decode()
    assert "Not theirs" in everything


def test_residents_and_groups_have_no_queue(client: Client, people: dict[str, Any], mfa_exempt: None) -> None:
    assert signed_in(client, people["raiser"]).get(reverse("solutions:queue")).status_code == 403


@pytest.mark.parametrize("who", ["parks_officer", "champion", "steward"])
def test_the_queue_costs_the_same_with_2_or_25_rows(
    client: Client, people: dict[str, Any], mfa_exempt: None, django_assert_max_num_queries: Any, who: str
) -> None:
    client = signed_in(client, people[who])
    many(people, 2)
    client.get(reverse("solutions:queue"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("solutions:queue")).status_code == 200
    many(people, 23, days_ago=60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("solutions:queue")).content.decode()
    assert page.count('data-testid="queue-row"') == 25


# --- the case page -----------------------------------------------------------------------------------------


def test_the_raiser_sees_their_case_without_officers_names_or_the_forms(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    from commonweal.solutions.cases import services

    services.take_case_step(blockage=blockage, name="acknowledge", by=people["parks_officer"], note="On it.")
    page = signed_in(client, people["raiser"]).get(case_url(blockage)).content.decode()
    assert "On it." in page and "The council" in page
    assert people["parks_officer"].full_name not in page
    assert 'data-testid="raiser"' not in page  # contact details are the council's
    assert 'data-testid="step-' not in page  # nothing to reply to yet
    assert "A named person to agree the species." in page


def test_the_council_sees_contact_details_names_and_every_part(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    page = signed_in(client, people["champion"]).get(case_url(blockage)).content.decode()
    assert people["raiser"].email in page
    assert page.count('data-testid="part"') == 2
    assert 'data-testid="part-form"' not in page  # the champion reads every part; its department edits it


def test_a_resident_reading_someone_elses_case_is_refused_with_a_reason(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    for who in ["resident", "other_officer"]:
        client.force_login(people[who])
        response = client.get(case_url(blockage))
        assert response.status_code == 403
        assert "open only to the person who raised it" in response.content.decode()
    client.logout()
    assert client.get(case_url(blockage)).status_code == 302


def test_an_officer_acknowledges_and_a_second_click_is_told_it_is_done(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    client = signed_in(client, people["parks_officer"])
    response = client.post(step_url(blockage, "acknowledge"), {"acknowledge-reason": "We will call you."})
    assert response.status_code == 302
    again = client.post(step_url(blockage, "acknowledge"), {"acknowledge-reason": "We will call you."})
    assert again.status_code == 200
    assert "This blockage has already been acknowledged." in again.content.decode()
    blockage.refresh_from_db()
    assert blockage.status == B.ACKNOWLEDGED


def test_agreeing_steps_without_them_keeps_the_page_and_says_why(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    client = signed_in(client, people["parks_officer"])
    client.post(step_url(blockage, "acknowledge"), {})
    response = client.post(step_url(blockage, "agree_steps"), {"agree_steps-reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Say what happens next" in page
    assert 'href="#id_agree_steps-reason"' in page


def test_an_officer_of_another_department_cannot_act(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    response = signed_in(client, people["other_officer"]).post(step_url(blockage, "acknowledge"), {})
    assert response.status_code == 403
    blockage.refresh_from_db()
    assert blockage.status == B.RAISED


def test_the_raiser_is_refused_the_councils_step_with_the_sentence(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    response = signed_in(client, people["raiser"]).post(step_url(blockage, "acknowledge"), {})
    assert response.status_code == 403
    assert "Only the departments this blockage is routed to" in response.content.decode()


def test_an_unknown_step_is_a_clear_400(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    response = signed_in(client, people["steward"]).post(step_url(blockage, "explode"), {})
    assert response.status_code == 400
    assert "is not a step you can take here" in response.content.decode()


def test_an_officer_saves_their_own_part_and_not_anothers(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    parks = blockage.parts.get(department=people["parks"])
    highways = blockage.parts.get(department=people["highways"])
    client = signed_in(client, people["parks_officer"])
    page = client.get(case_url(blockage)).content.decode()
    assert page.count('data-testid="part-form"') == 1
    url = reverse("solutions:case_part", args=[blockage.uuid, parks.pk])
    response = client.post(url, {f"part-{parks.pk}-status": "doing", f"part-{parks.pk}-note": "Site visit Friday."})
    assert response.status_code == 302
    parks.refresh_from_db()
    assert parks.note == "Site visit Friday."
    url = reverse("solutions:case_part", args=[blockage.uuid, highways.pk])
    assert client.post(url, {f"part-{highways.pk}-status": "done"}).status_code == 403
    assert Part.objects.get(pk=highways.pk).status == "to_do"


def test_the_champion_adds_a_department_and_a_bad_choice_is_explained(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    client = signed_in(client, people["champion"])
    url = reverse("solutions:case_department_add", args=[blockage.uuid])
    response = client.post(url, {"department-department": people["parks"].pk})
    assert "Choose a council department not already working on it." in response.content.decode()
    assert client.post(url, {"department-department": people["libraries"].pk}).status_code == 302
    assert blockage.parts.count() == 3


def test_sharing_the_learning_and_writing_the_case_study_from_the_pages(
    client: Client, people: dict[str, Any], blockage: Blockage, mfa_exempt: None
) -> None:
    from commonweal.solutions.cases import services

    for name, note in [("acknowledge", ""), ("agree_steps", "Plant them."), ("resolve", "Planted in March.")]:
        services.take_case_step(blockage=blockage, name=name, by=people["parks_officer"], note=note)
    client = signed_in(client, people["champion"])
    url = reverse("solutions:case_learning", args=[blockage.uuid])
    empty = client.post(url, {}).content.decode()
    assert "Choose what changed because of this blockage." in empty
    assert "Say what might have happened if it had been done differently." in empty
    kept = client.post(url, {"change_detail": "One named officer now."}).content.decode()
    assert "One named officer now." in kept  # nothing typed is lost
    done = client.post(
        url, {"change": "process", "change_detail": "One named officer now.", "reflection": "Months sooner."}
    )
    assert done.status_code == 302
    study_url = reverse("solutions:case_study", args=[blockage.uuid])
    form = client.get(study_url).content.decode()
    assert "Planted in March." in form and "Months sooner." in form
    blockage.refresh_from_db()
    values = services.case_study_draft(blockage)
    saved = client.post(study_url, {**values, "is_published": "on"})
    assert saved.status_code == 302
    assert blockage.case_study.is_published
