"""/api/engagement/consultations: published consultations as open data, paged, CORS open, no personal data."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.engagement.models import Consultation, Document
from tests.engagement import factories

from .helpers import pdf, ready_draft

pytestmark = pytest.mark.django_db
C = Consultation.Status
URL = "/api/engagement/consultations"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def get(client: Client, url: str = URL) -> tuple[int, Any, Any]:
    response = client.get(url)
    return response.status_code, json.loads(response.content), response


def test_the_feed_is_where_the_contract_says() -> None:
    assert reverse("engagement_api:consultations") == URL
    assert reverse("engagement_api:consultation", args=["high-street-plan"]) == f"{URL}/high-street-plan"


def test_a_consultation_is_served_with_its_check_assessment_documents_and_counts(
    client: Client, merton: Any, make_user: Any
) -> None:
    officer = make_user("officer", organisation=factories.department())
    made = factories.consultation(contact_email="team@example.org", created_by=officer, published_by=officer)
    made.wards.add(merton.wards.order_by("name").first())
    upload = pdf()
    Document.objects.create(
        consultation=made, kind=Document.Kind.EASY_READ, title="Easy", file=upload, size=upload.size
    )
    factories.response(made, user=make_user("resident"), name="Ada Resident", email="ada@example.org")
    factories.response(made)
    status, body, response = get(client)
    assert status == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert {k: body[k] for k in ("total_items", "total_pages", "page_number", "first_page", "last_page")} == {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "first_page": True,
        "last_page": True,
    }
    item = body["contents"][0]
    assert item["id"] == made.slug and item["phase"] == "open" and item["response_count"] == 2
    assert item["url"].endswith(f"/engagement/consultations/{made.slug}/")
    assert item["department"] == "Regeneration (test)"
    assert item["wards"][0]["code"].startswith("E05")
    assert item["gunning"]["consideration"]["considered_by"] == "The regeneration team, then Cabinet"
    assert item["gunning"]["time"]["days"] == 85 and item["gunning"]["completed_on"] is not None
    assert len(item["equality_impact"]["launch"]) == 10 and item["equality_impact"]["closing"] == []
    assert item["documents"][0]["title"] == "Easy" and item["documents"][0]["kind"] == "easy_read"
    assert item["outcome"] is None
    text = json.dumps(body)
    for personal in (officer.email, "Ada Resident", "ada@example.org", "someone@example.org", "team@example.org"):
        assert personal not in text
    status, one, _ = get(client, f"{URL}/{made.slug}")
    assert status == 200 and one["id"] == made.slug


def test_drafts_are_never_served_and_withdrawn_and_decided_ones_are(client: Client) -> None:
    draft = ready_draft()
    decided = factories.consultation(
        "Decided", status=C.DECIDED, decision="We will plant 40 trees.", decided_at=timezone.now()
    )
    factories.consultation("Withdrawn", status=C.WITHDRAWN, withdrawn_reason="Funding ended.")
    _, body, _ = get(client)
    ids = {item["id"]: item for item in body["contents"]}
    assert set(ids) == {"decided", "withdrawn"}
    assert ids["decided"]["outcome"]["decision"] == "We will plant 40 trees."
    assert set(ids["decided"]["outcome"]) >= {"you_said", "decision", "how_changed", "decided_on", "url"}
    assert ids["withdrawn"]["phase"] == "withdrawn" and ids["withdrawn"]["withdrawn_reason"] == "Funding ended."
    status, _, _ = get(client, f"{URL}/{draft.slug}")
    assert status == 404
    assert decided.slug in ids.get("decided", {}).get("url", "")


def test_filters_by_phase_ward_and_theme(client: Client, merton: Any) -> None:
    today = timezone.localdate()
    abbey = merton.wards.order_by("name").first()
    factories.consultation("Open").wards.add(abbey)
    factories.consultation("Soon", opens_on=today + timedelta(days=10))
    _, body, _ = get(client, f"{URL}?phase=forthcoming")
    assert [c["id"] for c in body["contents"]] == ["soon"]
    _, body, _ = get(client, f"{URL}?ward={abbey.code.lower()}")
    assert [c["id"] for c in body["contents"]] == ["open"]
    from commonweal.framework.models import Theme

    first = Theme.objects.order_by("pk").first()
    assert first is not None
    Consultation.objects.get(slug="soon").themes.add(first)
    _, body, _ = get(client, f"{URL}?theme={first.pk}")
    assert [c["id"] for c in body["contents"]] == ["soon"]
    assert body["contents"][0]["themes"] == [{"id": first.pk, "name": first.name}]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("phase=someday", "phase"),
        ("ward=E05999999", "ward"),
        ("ward=" + "x" * 30, "ward"),
        ("theme=abc", "theme"),
        ("theme=99999999", "theme"),
        ("page=0", "page"),
        ("per_page=100000", "per_page"),
        ("page=%00", "page"),
    ],
)
def test_bad_parameters_get_a_400_saying_which_and_why(client: Client, query: str, parameter: str) -> None:
    status, body, response = get(client, f"{URL}?{query}")
    assert status == 400 and response["Access-Control-Allow-Origin"] == "*"
    assert body["problems"][0]["parameter"] == parameter and body["message"]


def test_paging(client: Client) -> None:
    for n in range(5):
        factories.consultation(f"Paged {n}", questions=False, opens_on=timezone.localdate() - timedelta(days=n))
    _, first, _ = get(client, f"{URL}?per_page=2")
    _, last, _ = get(client, f"{URL}?per_page=2&page=3")
    assert first["total_items"] == 5 and first["total_pages"] == 3 and first["size"] == 2 and not first["last_page"]
    assert last["size"] == 1 and last["last_page"] and not last["first_page"]
    seen = [c["id"] for c in first["contents"]] + [c["id"] for c in last["contents"]]
    assert len(set(seen)) == 3


def test_a_write_is_refused_and_a_preflight_answered(client: Client) -> None:
    response = client.post(URL, {})
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"
    assert client.options(URL).status_code == 204


def test_the_feed_costs_the_same_queries_for_2_and_25(client: Client, django_assert_max_num_queries: Any) -> None:
    for n in range(2):
        factories.consultation(f"Few {n}", questions=False)
    with django_assert_max_num_queries(20) as few:
        client.get(f"{URL}?per_page=50")
    for n in range(23):
        factories.consultation(f"Many {n}", questions=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(json.loads(client.get(f"{URL}?per_page=50").content)["contents"]) == 25


def test_the_feed_is_in_the_api_document(client: Client) -> None:
    response = client.get("/api/docs")
    document = json.loads(response.content)
    assert response.status_code == 200
    assert "/engagement/consultations" in document["paths"]
    assert "/engagement/consultations/{id}" in document["paths"]
    assert "EngagementConsultation" in document["components"]["schemas"]
