"""Every response as a spreadsheet: a column per question in words, themes, personal data only for those allowed,
formulas defused, and a number of queries that does not grow with the responses."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from commonweal.engagement.models import AnswerTag, AnswerTheme, Councillor, Monitoring
from commonweal.places.models import Ward
from tests.engagement import factories

pytestmark = pytest.mark.django_db

ANSWERS = {
    1: {"choices": [1]},
    2: {"choices": [0, 2]},
    3: {"scale": 4},
    4: {"text": '=HYPERLINK("http://evil")'},
    5: {"choices": [1, 0, 2]},
    6: {"lat": 51.4098, "lon": -0.1949},
}


def read(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def consultation(merton: Any) -> Any:
    made = factories.consultation()
    ward = Ward.objects.order_by("code").first()
    made.wards.add(ward)
    response = factories.response(made, ward=ward, answers=ANSWERS, name="Ada Lovelace", email="ada@example.org")
    Monitoring.objects.create(response=response, sex="female", ethnicity="white_irish")
    theme = AnswerTheme.objects.create(consultation=made, name="Links")
    AnswerTag.objects.create(answer=response.answers.get(question__kind="text"), theme=theme)
    return made


def test_an_officer_gets_every_answer_in_words_with_personal_data_and_formulas_defused(
    client: Any, consultation: Any, make_user: Any, mfa_exempt: None
) -> None:
    client.force_login(make_user("officer", organisation=consultation.department))
    response = client.get(reverse("engagement:responses_csv", args=[consultation.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    [row] = read(response)
    assert row["Q1. Do you support the plan?"] == "No"
    assert row["Q2. What would you use more?"] == "Shops; Library"
    assert row["Q3. How safe do you feel crossing?"] == "4"
    assert row["Q4. What else should we know?"] == '\'=HYPERLINK("http://evil")'
    assert row["Q4. What else should we know? (themes)"] == "Links"
    assert row["Q5. Put these in order of importance"] == "1. Crossing; 2. Trees; 3. Seating"
    assert row["Q6. Where is it hardest to cross? (latitude)"] == "51.4098"
    assert row["Q6. Where is it hardest to cross? (ward)"]
    assert row["Name"] == "Ada Lovelace" and row["Email address"] == "ada@example.org"
    assert row["Sex"] == "Female" and row["Ethnicity"] == "Irish"
    assert row["Ward"] == Ward.objects.order_by("code").first().name


def test_a_ward_councillor_is_refused_the_spreadsheet_whose_rows_would_undo_suppression(
    client: Any, consultation: Any, make_user: Any, mfa_exempt: None
) -> None:
    councillor = make_user("councillor")
    Councillor.objects.get(user=councillor).wards.add(consultation.wards.first())
    client.force_login(councillor)
    assert client.get(reverse("engagement:results", args=[consultation.slug])).status_code == 200
    response = client.get(reverse("engagement:responses_csv", args=[consultation.slug]))
    assert response.status_code == 403
    assert b"ada@example.org" not in response.content


def test_drafts_are_not_exported_and_a_resident_is_refused(
    client: Any, consultation: Any, make_user: Any, mfa_exempt: None
) -> None:
    from commonweal.engagement.models import Response

    Response.objects.create(consultation=consultation, email="draft@example.org")
    client.force_login(make_user("steward"))
    rows = read(client.get(reverse("engagement:responses_csv", args=[consultation.slug])))
    assert len(rows) == 1
    client.force_login(make_user("resident"))
    assert client.get(reverse("engagement:responses_csv", args=[consultation.slug])).status_code == 403


def test_the_export_takes_the_same_queries_for_2_and_30_responses(
    client: Any, consultation: Any, make_user: Any, mfa_exempt: None, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_user("steward"))
    factories.response(consultation, answers=ANSWERS)
    with django_assert_max_num_queries(30) as few:
        assert len(read(client.get(reverse("engagement:responses_csv", args=[consultation.slug])))) == 2
    for _ in range(28):
        factories.response(consultation, answers=ANSWERS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(read(client.get(reverse("engagement:responses_csv", args=[consultation.slug])))) == 30
