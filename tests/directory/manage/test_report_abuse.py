"""Anonymous reports cannot be used to flood officers: a limit per address and per listing, and a honeypot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from commonweal.directory.models import Report, Service
from tests.directory.factories import ServiceFactory
from tests.directory.manage.test_reports import report_url


def _report(client: Client, service: Service, details: str = "Wrong phone number.", **extra: str) -> int:
    data = {"reason": "contact_wrong", "details": details, "reporter_email": "", **extra}
    return client.post(report_url("service", service), data).status_code


def test_a_flood_of_reports_from_one_address_stops_after_five(client: Client, service: Service) -> None:
    codes = [_report(client, service) for _ in range(50)]

    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert Report.objects.count() == 5


def test_a_refused_report_says_when_to_try_again_and_keeps_what_was_typed(client: Client, service: Service) -> None:
    for _ in range(5):
        _report(client, service)

    response = client.post(
        report_url("service", service), {"reason": "closed", "details": "Typed with care.", "reporter_email": ""}
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many reports have been sent from here or about this listing. Try again in" in page
    assert "Typed with care." in page
    assert int(response["Retry-After"]) > 0


def test_the_limit_is_per_address(client: Client, service: Service) -> None:
    for _ in range(5):
        _report(client, service)
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert _report(other, service) == 302
    assert Report.objects.count() == 6


def test_one_listing_cannot_be_flooded_from_many_addresses(service: Service) -> None:
    codes = [_report(Client(REMOTE_ADDR=f"192.0.2.{n}"), service) for n in range(1, 31)]
    assert codes.count(302) == 20
    assert Report.objects.count() == 20
    # Another listing is not held up by the flood about this one.
    assert _report(Client(REMOTE_ADDR="198.51.100.1"), ServiceFactory()) == 302


def test_a_bot_that_fills_the_honeypot_sees_success_and_stores_nothing(client: Client, service: Service) -> None:
    response = client.post(
        report_url("service", service),
        {"reason": "closed", "details": "Buy cheap pills", "website": "http://spam.example"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/directory/report/service/{service.uuid}/sent/"
    assert "Thank you for your report" in response.content.decode()
    assert not Report.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client: Client, service: Service) -> None:
    page = client.get(report_url("service", service)).content.decode()
    assert '<div class="govuk-visually-hidden" aria-hidden="true">' in page
    field = page[page.index('name="website"') - 200 : page.index('name="website"') + 200]
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


@pytest.fixture
def database_cache(db: None, settings: object) -> Iterator[None]:
    """The production cache: a table every server process shares."""
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "commonweal_cache_test"}
    }
    call_command("createcachetable", verbosity=0)
    yield
    caches["default"].clear()


def test_the_limit_holds_across_processes_through_the_database_cache(database_cache: None, service: Service) -> None:
    # Each request below reads the count from the database table, not this process's memory: clearing every
    # in-process cache object between requests (as a second server process would have none) changes nothing.
    codes = []
    for _ in range(8):
        for alias in list(caches):
            try:
                del caches[alias]
            except AttributeError:  # not made in this thread yet
                pass
        codes.append(_report(Client(), service))
    assert codes == [302] * 5 + [429] * 3
    assert Report.objects.count() == 5
