"""Nobody is added to an assessor pool, nor given applications, before confirming their email address: an
officer adds assessors by email alone, and anyone can sign up with someone else's address."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.accounts.services import confirm_email
from commonweal.funding.assess.services import add_assessor, assign_assessors
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application, Assignment, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(make_user: Callable[..., User]) -> User:
    """Signed up as kind.neighbour@example.org, but has not followed the link we emailed."""
    user = make_user("resident", email="kind.neighbour@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


def test_an_officer_cannot_add_someone_who_has_not_confirmed_their_email(
    client: Client, officer: User, scoring_round: Round, newcomer: User
) -> None:
    client.force_login(officer)
    response = client.post(reverse("funding:assessor_add", args=[scoring_round.slug]), {"email": newcomer.email})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_email">' in page
    assert "has not confirmed their email address (kind.neighbour@example.org) yet" in page
    assert not scoring_round.assessors.exists()
    with pytest.raises(FundingError) as refused:
        add_assessor(round=scoring_round, email=newcomer.email, by=officer)
    assert "has not confirmed their email address" in refused.value.message_dict["email"][0]

    confirm_email(newcomer)
    assert add_assessor(round=scoring_round, email=newcomer.email, by=officer) == newcomer


def test_the_pool_page_shows_who_has_confirmed_and_only_they_are_assigned(
    client: Client,
    officer: User,
    scoring_round: Round,
    newcomer: User,
    make_user: Callable[..., User],
    submit: Callable[..., Application],
) -> None:
    confirmed = make_user("resident", email="confirmed@example.org")
    scoring_round.assessors.add(newcomer, confirmed)  # the newcomer joined before addresses were checked
    client.force_login(officer)
    page = client.get(reverse("funding:assessors", args=[scoring_round.slug])).content.decode()
    assert page.count("Email not verified") == 1 and page.count("Email verified") == 1

    application = submit(scoring_round)
    assign_assessors(round=scoring_round, by=officer)
    assert list(Assignment.objects.filter(application=application).values_list("assessor", flat=True)) == [confirmed.pk]


def test_assigning_with_only_unconfirmed_assessors_says_why_nobody_was_given_anything(
    client: Client, officer: User, scoring_round: Round, newcomer: User, submit: Callable[..., Application]
) -> None:
    scoring_round.assessors.add(newcomer)
    submit(scoring_round)
    with pytest.raises(FundingError, match="Nobody in the pool has confirmed their email address"):
        assign_assessors(round=scoring_round, by=officer)
    client.force_login(officer)
    page = client.post(reverse("funding:assessors_assign", args=[scoring_round.slug])).content.decode()
    assert "Nobody in the pool has confirmed their email address" in page
    assert not Assignment.objects.exists()


def test_an_unconfirmed_assessor_is_told_why_and_can_send_the_link_again(
    client: Client, scoring_round: Round, newcomer: User
) -> None:
    scoring_round.assessors.add(newcomer)
    client.force_login(newcomer)
    page = client.get(reverse("funding:my_assessments")).content.decode()
    assert 'data-testid="confirm-email"' in page and "Send the link again" in page
    mail.outbox.clear()
    client.post("/accounts/email/", {"email": newcomer.email, "action_send": ""})
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    confirm_email(newcomer)
    assert 'data-testid="confirm-email"' not in client.get(reverse("funding:my_assessments")).content.decode()
