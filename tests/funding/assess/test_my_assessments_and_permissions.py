"""An assessor's own list, and who may open the officers' assessment pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.funding.models import Application, Assignment, Round
from tests.funding.assess.conftest import assign

pytestmark = pytest.mark.django_db


def test_an_assessor_with_nothing_to_do_is_told_so(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user("resident"))
    page = client.get("/funding/assess/").content.decode()
    assert "You have not been asked to assess any applications." in page


def test_an_assessor_sees_counts_by_status_and_links_to_the_next_step(
    client: Client, scoring_round: Round, submit: Callable[..., Application], assessors: list[User]
) -> None:
    me = assessors[0]
    to_declare = assign(submit(scoring_round, title="First"), me, Assignment.Status.AWAITING_DECLARATION)
    to_score = assign(submit(scoring_round, title="Second"), me, Assignment.Status.CLEAR)
    conflicted = assign(submit(scoring_round, title="Third"), me, Assignment.Status.CONFLICTED)
    assign(submit(scoring_round, title="Someone else's"), assessors[1])
    client.force_login(me)
    page = client.get("/funding/assess/").content.decode()
    assert "Conflict declaration needed: <strong>1</strong>" in page
    assert "No conflict: to score: <strong>1</strong>" in page
    assert "Conflict of interest declared: <strong>1</strong>" in page
    assert f"/funding/assess/{to_declare.pk}/declare/" in page
    assert f'/funding/assess/{to_score.pk}/"' in page
    assert f"/funding/assess/{conflicted.pk}/" not in page  # nothing to open
    assert "Someone else" not in page


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, scoring_round: Round) -> None:
    for url in ("/funding/assess/", "/funding/assess/1/", f"/funding/manage/rounds/{scoring_round.slug}/moderation/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["resident", "group_member", "champion", "steward", "admin"])
def test_only_officers_open_the_pool_moderation_and_panel_pages(
    client: Client, scoring_round: Round, submit: Callable[..., Application], make_user: Callable[..., User], role: str
) -> None:
    application = submit(scoring_round)
    client.force_login(make_user(role))
    for url in (
        f"/funding/manage/rounds/{scoring_round.slug}/assessors/",
        f"/funding/manage/rounds/{scoring_round.slug}/moderation/",
        f"/funding/manage/applications/{application.uuid}/decide/",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only council officers can run assessment." in response.content.decode()


def test_the_officer_removes_an_assessor_from_the_pool_page(
    client: Client, officer: User, scoring_round: Round, assessors: list[User]
) -> None:
    client.force_login(officer)
    url = reverse("funding:assessor_remove", args=[scoring_round.slug, assessors[0].pk])
    response = client.post(url, follow=True)
    assert "Assessor Number1 is no longer an assessor in this round." in response.content.decode()
    assert assessors[0] not in scoring_round.assessors.all()
    # Asked again (a second click, a stale page): the person has gone already.
    response = client.post(url)
    assert "That person is not an assessor in this round." in response.content.decode()


def test_hostile_names_are_shown_safely_on_the_pool_page(
    client: Client, officer: User, scoring_round: Round, make_user: Callable[..., User]
) -> None:
    person = make_user("resident")
    person.full_name = "<script>alert('x')</script>\u202eevil"
    person.save()
    scoring_round.assessors.add(person)
    client.force_login(officer)
    page = client.get(f"/funding/manage/rounds/{scoring_round.slug}/assessors/").content.decode()
    assert "<script>alert" not in page
    assert "<bdi>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\u202eevil</bdi>" in page
