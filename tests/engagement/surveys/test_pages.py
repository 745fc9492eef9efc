"""The surveys area's pages through the test client: answering, the results (published ones for everyone),
the spreadsheet, and the officers' pages."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.engagement.models_surveys import Survey, SurveyResponse, Wave
from commonweal.places import categories
from commonweal.places.models import Ward

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _officers_without_mfa(mfa_exempt: None) -> None:
    """Officers and stewards here skip the authenticator app (tests/accounts covers it)."""


@pytest.fixture
def survey(merton: Any, make_user: Any) -> Survey:
    return helpers.survey(make_user("steward"))


def test_a_resident_answers_an_open_wave_on_one_page(client: Client, survey: Survey) -> None:
    wave = helpers.wave(survey)
    url = reverse("engagement:survey_answer", args=[survey.slug, wave.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "Data Protection Act 2018, Schedule 1, paragraph 8" in page.content.decode()
    ward = Ward.objects.order_by("code").first()
    sent = client.post(
        url,
        {
            "council": "0",
            "local_area": "5",
            "ward": str(ward.pk),
            "age": "67",
            "sex": "Female",
            "tenure": categories.PREFER_NOT_TO_SAY,
        },
    )
    assert sent.status_code == 302 and sent["Location"].endswith("/thanks/")
    kept = SurveyResponse.objects.get(wave=wave)
    assert kept.answers == {"council": 0, "local_area": 5} and kept.ward == ward and kept.age == 67
    assert client.get(sent["Location"]).status_code == 200
    assert "Someone has already answered this survey from this browser" in client.get(url).content.decode()


def test_bad_answers_are_shown_again_beside_their_question(client: Client, survey: Survey) -> None:
    wave = helpers.wave(survey)
    url = reverse("engagement:survey_answer", args=[survey.slug, wave.slug])
    page = client.post(url, {"council": "77", "age": "seven"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text and "Choose from the list." in text
    empty = client.post(url, {})
    assert "Answer at least one question" in empty.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_closed_wave_says_so_and_keeps_nothing(client: Client, survey: Survey) -> None:
    wave = helpers.wave(survey, status=Wave.Status.CLOSED)
    url = reverse("engagement:survey_answer", args=[survey.slug, wave.slug])
    page = client.post(url, {"council": "0"})
    assert page.status_code == 200 and "has closed" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_invited_wave_needs_the_link(client: Client, survey: Survey) -> None:
    from commonweal.engagement.surveys import services

    wave = helpers.wave(survey, sample=Wave.Sample.INVITED)
    assert client.get(reverse("engagement:survey_answer", args=[survey.slug, wave.slug])).status_code == 403
    token = services.make_invitation(wave=wave)
    url = reverse("engagement:survey_invited", args=[token])
    assert client.get(url).status_code == 200
    assert client.post(url, {"trust": "1"}).status_code == 302
    assert client.get(url).status_code == 410
    assert client.get(reverse("engagement:survey_invited", args=["nothing-like-it"])).status_code == 404


def test_published_results_are_for_everyone_and_others_only_for_those_running_it(
    client: Client, survey: Survey, make_user: Any
) -> None:
    helpers.profile()
    published = helpers.wave(survey, "Autumn 2025", status=Wave.Status.PUBLISHED, days=-200)
    closed = helpers.wave(survey, "Spring 2026", status=Wave.Status.CLOSED)
    helpers.responses(published, 120, seed=1)
    helpers.responses(closed, 150, seed=2)
    public = client.get(reverse("engagement:survey_results", args=[survey.slug, published.slug]))
    text = public.content.decode()
    assert public.status_code == 200
    assert "How these figures were weighted" in text and "Design effect" in text
    assert "95% interval" in text and 'id="chart-headlines"' in text
    assert "fewer than 10 responses" in text  # the questions hardly anyone answered
    assert client.get(reverse("engagement:survey_results", args=[survey.slug, closed.slug])).status_code == 404
    client.force_login(make_user("steward"))
    running = client.get(reverse("engagement:survey_results", args=[survey.slug, closed.slug]))
    assert running.status_code == 200
    assert "Trends across waves" in running.content.decode() and 'id="chart-trends"' in running.content.decode()


def test_a_margin_nobody_answered_is_explained_on_the_page(client: Client, survey: Survey) -> None:
    helpers.profile()
    wave = helpers.wave(survey, status=Wave.Status.PUBLISHED)
    helpers.responses(wave, 80, tenure=False)
    page = client.get(reverse("engagement:survey_results", args=[survey.slug, wave.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "weighted to fewer of the borough&#x27;s characteristics" in text
        or "weighted to fewer of the borough's" in text
    )
    assert "No respondent answered the housing tenure question" in text


def test_a_published_wave_with_no_profile_and_no_responses_still_shows_a_page(client: Client, survey: Survey) -> None:
    wave = helpers.wave(survey, status=Wave.Status.PUBLISHED)
    page = client.get(reverse("engagement:survey_results", args=[survey.slug, wave.slug]))
    assert page.status_code == 200 and "Nobody has answered this wave yet" in page.content.decode()


def test_the_spreadsheet_holds_the_weighted_figures_not_the_responses(client: Client, survey: Survey) -> None:
    helpers.profile()
    wave = helpers.wave(survey, status=Wave.Status.PUBLISHED)
    helpers.responses(wave, 100)
    download = client.get(reverse("engagement:survey_results_csv", args=[survey.slug, wave.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][3] == "Per cent positive (weighted)"
    everyone = [row for row in rows if row[2] == "Everyone"]
    assert len(everyone) == survey.questions.count()
    assert any(row[3] == "fewer than 10 responses" for row in rows)


def test_the_ward_that_would_give_away_a_small_ward_is_hidden_too_and_says_why(client: Client, survey: Survey) -> None:
    helpers.profile()
    wave = helpers.wave(survey, status=Wave.Status.PUBLISHED)
    first, second, third, fourth = Ward.objects.order_by("code")[:4]
    for n, ward, seed in ((30, first, 2), (25, second, 3), (15, third, 4), (5, fourth, 5)):
        helpers.responses(wave, n, wards=[ward], seed=seed)
    page = client.get(
        reverse("engagement:survey_results", args=[survey.slug, wave.slug]), {"question": "council"}
    ).content.decode()
    table = page[page.index('data-testid="ward-table"') :]
    why = "not shown, so that a smaller ward&#x27;s figure cannot be worked out from the total"
    assert table.index(third.name) < table.index(why) < table.index(fourth.name)
    download = client.get(reverse("engagement:survey_results_csv", args=[survey.slug, wave.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    council = {row[2]: row[3] for row in rows if row[1] == rows[1][1]}
    assert council[f"Ward: {third.name}"].startswith("not shown, so that a smaller ward")
    assert council[f"Ward: {fourth.name}"] == "fewer than 10 responses"
    assert 0 <= float(council[f"Ward: {first.name}"]) <= 100  # the biggest wards keep their figures


def test_an_officer_starts_a_survey_adds_a_wave_and_opens_it(client: Client, merton: Any, make_user: Any) -> None:
    department = helpers.department("Insight team")
    officer = make_user("officer", organisation=department)
    client.force_login(officer)
    assert client.get(reverse("engagement:survey_new")).status_code == 200
    made = client.post(
        reverse("engagement:survey_new"),
        {"title": "Residents' perception survey", "summary": "How you feel.", "department": str(department.pk)},
    )
    assert made.status_code == 302
    survey = Survey.objects.get()
    added = client.post(
        reverse("engagement:wave_new", args=[survey.slug]),
        {
            "name": "Spring 2026",
            "opens_on_day": "1",
            "opens_on_month": "3",
            "opens_on_year": "2026",
            "closes_on_day": "31",
            "closes_on_month": "3",
            "closes_on_year": "2026",
            "sample": "open",
        },
    )
    assert added.status_code == 302
    wave = Wave.objects.get()
    client.post(reverse("engagement:wave_step", args=[survey.slug, wave.slug, "open"]))
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN
    page = client.get(reverse("engagement:manage_wave", args=[survey.slug, wave.slug]))
    assert "Close the wave" in page.content.decode()
    listed = client.get(reverse("engagement:manage_surveys"))
    assert "Residents&#x27; perception survey" in listed.content.decode()


def _queries(client: Client, url: str) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_the_results_page_takes_the_same_queries_for_more_waves_and_responses(client: Client, survey: Survey) -> None:
    helpers.profile()
    waves = [helpers.wave(survey, f"Wave {n}", status=Wave.Status.PUBLISHED, days=-300 + 10 * n) for n in range(6)]
    latest = waves[-1]
    url = reverse("engagement:survey_results", args=[survey.slug, latest.slug])
    for n, wave in enumerate(waves[-2:]):
        helpers.responses(wave, 20, seed=n)
    _queries(client, url)
    few = _queries(client, url)
    for n, wave in enumerate(waves[:-2]):
        helpers.responses(wave, 20, seed=10 + n)
    helpers.responses(latest, 200, seed=99)
    assert _queries(client, url) <= few


def test_the_spreadsheet_takes_the_same_queries_for_more_responses(client: Client, survey: Survey) -> None:
    helpers.profile()
    wave = helpers.wave(survey, status=Wave.Status.PUBLISHED)
    helpers.responses(wave, 20)
    url = reverse("engagement:survey_results_csv", args=[survey.slug, wave.slug])
    few = _queries(client, url)
    helpers.responses(wave, 200, seed=3)
    assert _queries(client, url) <= few
