"""The results page: who may see it, what it shows (counts, percentages, suppression), and its filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from commonweal.engagement.models import Councillor, Monitoring
from commonweal.places.models import Ward
from tests.engagement import factories

pytestmark = pytest.mark.django_db


def many(consultation: Any, n: int, *, ward: Any = None, answer: int = 0, sex: str = "", text: str = "") -> None:
    for _ in range(n):
        made = factories.response(
            consultation, ward=ward, answers={1: {"choices": [answer]}, **({4: {"text": text}} if text else {})}
        )
        if sex:
            # Monitoring is given before submitting: add it and count the response again from scratch.
            Monitoring.objects.create(response=made, sex=sex)
    if sex:
        from commonweal.engagement.tallies import rebuild

        rebuild(consultation)


def url(consultation: Any, query: str = "") -> str:
    return reverse("engagement:results", args=[consultation.slug]) + query


@pytest.fixture
def officer_of(make_user: Any) -> Any:
    def make(consultation: Any) -> Any:
        return make_user("officer", organisation=consultation.department)

    return make


def test_an_officer_of_the_department_sees_counts_and_percentages_and_small_counts_are_hidden(
    client: Any, merton: Any, officer_of: Any, mfa_exempt: None
) -> None:
    consultation = factories.consultation()
    many(consultation, 30, answer=0)
    many(consultation, 12, answer=1)
    many(consultation, 4, answer=2)
    client.force_login(officer_of(consultation))
    page = client.get(url(consultation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "46 people answered." in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">30</td>' in html
    assert "65%" in html  # 30 of 46
    assert "fewer than 10" in html  # 'Not sure': 4
    assert 'numeric">4<' not in html
    assert "<svg" in html and 'role="img"' in html


def test_a_ward_councillor_sees_results_but_a_councillor_of_another_ward_and_another_departments_officer_do_not(
    client: Any, merton: Any, make_user: Any, mfa_exempt: None
) -> None:
    consultation = factories.consultation()
    ward, other = Ward.objects.order_by("code")[:2]
    consultation.wards.add(ward)
    ours = make_user("councillor")
    Councillor.objects.get(user=ours).wards.add(ward)
    theirs = make_user("councillor")
    Councillor.objects.get(user=theirs).wards.add(other)
    client.force_login(ours)
    assert client.get(url(consultation)).status_code == 200
    client.force_login(theirs)
    assert client.get(url(consultation)).status_code == 403
    client.force_login(make_user("officer"))
    refused = client.get(url(consultation))
    assert refused.status_code == 403
    client.force_login(make_user("resident"))
    assert client.get(url(consultation)).status_code == 403


def test_filtering_by_a_ward_shows_that_ward_alone_and_a_small_ward_is_offered_only_combined(
    client: Any, merton: Any, officer_of: Any, mfa_exempt: None
) -> None:
    consultation = factories.consultation()
    big, small, smaller = Ward.objects.order_by("code")[:3]
    many(consultation, 20, ward=big, answer=0)
    many(consultation, 6, ward=small, answer=1)
    many(consultation, 5, ward=smaller, answer=1)
    client.force_login(officer_of(consultation))
    page = client.get(url(consultation, f"?ward={big.pk}"))
    html = page.content.decode()
    assert f"<strong>{big.name}</strong>: 20 responses" in html
    assert f'<option value="{small.pk}"' not in html
    assert 'value="other"' in html
    combined = client.get(url(consultation, "?ward=other")).content.decode()
    assert "<strong>Other (combined)</strong>: 11 responses" in combined
    crafted = client.get(url(consultation, f"?ward={small.pk}"))
    assert crafted.status_code == 200
    assert "Choose a ward from the list. Wards with fewer than 10 responses" in crafted.content.decode()
    assert 'data-testid="question-result"' not in crafted.content.decode()


def test_crafted_filters_get_a_clear_message_not_an_error(
    client: Any, merton: Any, officer_of: Any, mfa_exempt: None
) -> None:
    consultation = factories.consultation()
    ward = Ward.objects.order_by("code").first()
    many(consultation, 12, ward=ward, answer=0)
    client.force_login(officer_of(consultation))
    for query, message in [
        (f"?ward={ward.pk}&ward=other", "Choose one ward and one equality monitoring answer at most"),
        ("?answer=sex:female&answer=sex:male", "Choose one ward and one equality monitoring answer at most"),
        ("?answer=shoe_size:9", "Choose an equality monitoring answer from the list"),
        ("?ward=999999", "Choose a ward from the list"),
        ("?ward=%00", "Choose a ward from the list"),
    ]:
        page = client.get(url(consultation, query))
        assert page.status_code == 200, query
        assert message in page.content.decode(), query


def test_a_ward_with_a_small_monitoring_cell_cannot_be_combined_nor_can_one_that_would_give_it_away(
    client: Any, merton: Any, officer_of: Any, mfa_exempt: None
) -> None:
    consultation = factories.consultation()
    one, two, three = Ward.objects.order_by("code")[:3]
    many(consultation, 20, ward=one, sex="female")
    many(consultation, 4, ward=one, sex="male")
    for ward in (two, three):
        many(consultation, 20, ward=ward, sex="female")
        many(consultation, 20, ward=ward, sex="male")
    client.force_login(officer_of(consultation))
    refused = client.get(url(consultation, f"?ward={one.pk}&answer=sex:female")).content.decode()
    assert "some of its answers were given by fewer than 10 people" in refused
    assert "govuk-error-message" in refused and "govuk-error-summary" in refused
    # With ward one left out, showing both other wards' men would give away ward one's 4 (44 - 20 - 20): one of
    # them is withdrawn too, and says so.
    pages = [client.get(url(consultation, f"?ward={w.pk}&answer=sex:female")).content.decode() for w in (two, three)]
    shown = [p for p in pages if "Sex: Female</strong>: 20 responses" in p]
    withdrawn = [p for p in pages if "it would let a group of fewer than 10 people be worked out" in p]
    assert len(shown) == 1 and len(withdrawn) == 1


def test_the_page_reads_the_kept_tallies_so_its_queries_do_not_grow_with_responses(
    client: Any, merton: Any, officer_of: Any, mfa_exempt: None, django_assert_max_num_queries: Any
) -> None:
    consultation = factories.consultation()
    officer = officer_of(consultation)
    client.force_login(officer)
    many(consultation, 2)
    with django_assert_max_num_queries(25) as few:
        client.get(url(consultation))
    many(consultation, 30, ward=Ward.objects.order_by("code").first(), text="More trees please")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(consultation)).status_code == 200
