"""The consultations area's pages, as an officer and a resident use them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from commonweal.engagement.models import Characteristic, Consultation, ImpactAssessment, Question
from tests.engagement import factories

from .helpers import pdf, ready_draft

pytestmark = pytest.mark.django_db
C = Consultation.Status


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer_client(client: Client, make_user: Any, mfa_exempt: None) -> Client:
    client.force_login(make_user("officer", organisation=factories.department()))
    return client


def manage_url(name: str, consultation: Consultation, *more: Any) -> str:
    return reverse(f"engagement:{name}", args=[consultation.slug, *more])


# --- the officer's pages -----------------------------------------------------------------------------------------


def test_an_officer_starts_a_draft_and_sees_its_task_list(officer_client: Client) -> None:
    response = officer_client.post(
        reverse("engagement:manage_new"),
        {
            "department": factories.department().pk,
            "title": "Library opening hours",
            "summary": "Should libraries open later?",
            "proposal": "Open two libraries until 8pm.",
            "options_open": "Which two, and which evenings.",
        },
    )
    made = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == manage_url("manage_consultation", made)
    page = officer_client.get(response["Location"]).content.decode()
    assert "Library opening hours" in page and "Cannot start yet" in page
    listing = officer_client.get(reverse("engagement:manage")).content.decode()
    assert "Library opening hours" in listing and "Enter who makes the decision" in listing


def test_a_draft_missing_its_details_keeps_what_was_typed(officer_client: Client) -> None:
    response = officer_client.post(
        reverse("engagement:manage_new"),
        {"department": factories.department().pk, "title": "Library hours", "summary": "", "proposal": "Later."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a summary in plain English." in page and 'value="Library hours"' in page
    assert not Consultation.objects.exists()


def test_dates_typed_wrongly_are_named_beside_the_boxes(officer_client: Client) -> None:
    draft = ready_draft()
    response = officer_client.post(
        manage_url("manage_dates", draft),
        {"opens_on_day": "31", "opens_on_month": "2", "opens_on_year": "2027", "closes_on_day": "1"},
    )
    page = response.content.decode()
    assert "The date it opens must be a real date" in page
    assert "The date it closes must include a month and year" in page


def test_questions_are_added_and_moved_without_javascript(officer_client: Client) -> None:
    draft = ready_draft(questions=False)
    add = manage_url("manage_question_add", draft)
    refused = officer_client.post(add, {"kind": "ranking", "text": "Order these", "options": "Trees"})
    assert "A ranking needs at least 2 options, one on each line." in refused.content.decode()
    officer_client.post(add, {"kind": "text", "text": "Anything else?"})
    officer_client.post(add, {"kind": "ranking", "text": "Order these", "options": "Trees\nSeats\n"})
    ranking = draft.questions.get(kind=Question.Kind.RANKING)
    assert ranking.options == ["Trees", "Seats"]
    officer_client.post(manage_url("manage_question_move", draft, ranking.pk), {"direction": "up"})
    assert list(draft.questions.order_by("position").values_list("kind", flat=True)) == ["ranking", "text"]


def test_a_published_consultations_questions_say_they_cannot_change(officer_client: Client) -> None:
    published = factories.consultation()
    page = officer_client.get(manage_url("manage_questions", published)).content.decode()
    assert "its questions cannot be changed" in page and "Add a question" not in page


def test_a_document_is_uploaded_and_a_fake_one_refused(officer_client: Client) -> None:
    draft = ready_draft()
    url = manage_url("manage_documents", draft)
    ok = officer_client.post(
        url, {"kind": "background", "title": "Traffic study", "language": "English", "file": pdf()}
    )
    assert ok.status_code == 302 and draft.documents.filter(title="Traffic study").exists()
    fake = pdf("study.docx")
    refused = officer_client.post(url, {"kind": "background", "title": "Study", "language": "English", "file": fake})
    assert "Its content does not match its name" in refused.content.decode()


def test_the_equality_impact_assessment_needs_mitigations_where_negative(officer_client: Client) -> None:
    draft = ready_draft()
    data = {f"{value}-impact": "neutral" for value in Characteristic.values}
    data["age-impact"] = "negative"
    response = officer_client.post(manage_url("manage_eqia", draft), data)
    assert "Say how the negative impact on age will be reduced." in response.content.decode()
    data["age-mitigations"] = "Seats every 50 metres."
    assert officer_client.post(manage_url("manage_eqia", draft), data).status_code == 302
    assert draft.impacts.get(stage=ImpactAssessment.Stage.LAUNCH, characteristic="age").impact == "negative"


def test_publishing_an_unchecked_draft_lists_each_missing_thing_as_a_link(officer_client: Client) -> None:
    draft = ready_draft(considered_by="")
    Consultation.objects.filter(pk=draft.pk).update(gunning_completed_at=None)
    response = officer_client.post(manage_url("manage_publish", draft), {"warnings_read": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="{manage_url("manage_gunning", draft)}"' in page
    assert "Say who will consider the responses." in page
    draft.refresh_from_db()
    assert draft.status == C.DRAFT


def test_completing_the_check_then_publishing(officer_client: Client) -> None:
    draft = ready_draft()
    Consultation.objects.filter(pk=draft.pk).update(gunning_completed_at=None)
    fields = {
        "decision_maker": "Cabinet",
        "decision_due_on_day": str(draft.decision_due_on.day),  # type: ignore[union-attr]
        "decision_due_on_month": str(draft.decision_due_on.month),  # type: ignore[union-attr]
        "decision_due_on_year": str(draft.decision_due_on.year),  # type: ignore[union-attr]
        "formative_statement": "No decision has been made.",
        "information_statement": "The plan and its costs.",
        "consideration_plan": "Every response is read.",
        "considered_by": "",
    }
    refused = officer_client.post(manage_url("manage_gunning", draft), {**fields, "action": "complete"})
    assert refused.status_code == 400 and "Say who will consider the responses." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.gunning_completed_at is None and draft.consideration_plan == "Every response is read."
    fields["considered_by"] = "The team"
    done = officer_client.post(manage_url("manage_gunning", draft), {**fields, "action": "complete"})
    assert done.status_code == 302
    published = officer_client.post(manage_url("manage_publish", draft), {"warnings_read": "on"})
    assert published.status_code == 302 and published["Location"] == reverse(
        "engagement:consultation", args=[draft.slug]
    )
    draft.refresh_from_db()
    assert draft.status == C.PUBLISHED


# --- the public pages --------------------------------------------------------------------------------------------


def test_the_public_page_shows_the_gunning_check_the_assessment_and_easy_read_first(client: Client) -> None:
    opened = ready_draft()
    Consultation.objects.filter(pk=opened.pk).update(status=C.PUBLISHED, opens_on=timezone.localdate())
    opened.groups.add(factories.department("Mitcham Traders (test)"))
    page = client.get(reverse("engagement:consultation", args=[opened.slug])).content.decode()
    assert "Mitcham Traders (test)" in page
    assert "How this consultation meets the Gunning principles" in page
    assert "No decision has been made; all three options are open." in page
    assert page.index("The plan: easy read") < page.index(">The plan<")
    assert page.count('<th scope="row" class="govuk-table__header">') == 10
    try:
        respond = reverse("engagement:respond", args=[opened.slug])
    except NoReverseMatch:  # the responding area's page, where it is installed
        assert 'data-testid="respond"' not in page
    else:
        assert f'href="{respond}"' in page


def test_a_decided_consultation_links_to_we_did_and_a_withdrawn_one_keeps_its_reason(client: Client) -> None:
    decided = factories.consultation("Decided one", status=C.DECIDED)
    page = client.get(reverse("engagement:consultation", args=[decided.slug])).content.decode()
    try:
        assert f'href="{reverse("engagement:we_did", args=[decided.slug])}"' in page
    except NoReverseMatch:
        pass
    assert 'data-testid="respond"' not in page
    gone = factories.consultation("Gone one", status=C.WITHDRAWN, withdrawn_reason="The funding fell through.")
    page = client.get(reverse("engagement:consultation", args=[gone.slug])).content.decode()
    assert "The funding fell through." in page


def test_drafts_are_not_public(client: Client) -> None:
    draft = ready_draft()
    assert client.get(reverse("engagement:consultation", args=[draft.slug])).status_code == 404
    assert "Our plan" not in client.get(reverse("engagement:consultations") + "?phase=forthcoming").content.decode()


def test_the_list_shows_open_forthcoming_and_closed_with_counts(client: Client) -> None:
    today = timezone.localdate()
    factories.consultation("Open one")
    factories.consultation("Coming one", opens_on=today + timedelta(days=14))
    factories.consultation("Closed one", opens_on=today - timedelta(weeks=20), closes_on=today - timedelta(weeks=8))
    factories.consultation("Decided one", status=C.DECIDED, opens_on=today - timedelta(weeks=30))
    factories.consultation("Withdrawn one", status=C.WITHDRAWN)
    url = reverse("engagement:consultations")
    page = client.get(url).content.decode()
    assert "Open one" in page and "Coming one" not in page and "Open (1)" in page and "Closed (2)" in page
    closed = client.get(url + "?phase=closed").content.decode()
    assert "Closed one" in closed and "Decided one" in closed and "Withdrawn one" not in closed
    assert "Coming one" in client.get(url + "?phase=forthcoming").content.decode()


def test_the_list_filters_by_ward(client: Client, merton: Any) -> None:
    abbey, other = merton.wards.order_by("name")[:2]
    factories.consultation("In Abbey").wards.add(abbey)
    factories.consultation("Elsewhere").wards.add(other)
    page = client.get(reverse("engagement:consultations") + f"?ward={abbey.pk}").content.decode()
    assert "In Abbey" in page and "Elsewhere" not in page
    bad = client.get(reverse("engagement:consultations") + "?ward=nonsense")
    assert bad.status_code == 400 and "Choose a ward from the list." in bad.content.decode()


def test_the_list_costs_the_same_queries_for_2_and_25(client: Client, django_assert_max_num_queries: Any) -> None:
    for n in range(2):
        factories.consultation(f"Few {n}", questions=False)
    url = reverse("engagement:consultations")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(23):
        factories.consultation(f"Many {n}", questions=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_officers_list_costs_the_same_queries_for_2_and_25(
    officer_client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(2):
        factories.consultation(f"Few {n}", questions=False)
    url = reverse("engagement:manage")
    with django_assert_max_num_queries(40) as few:
        officer_client.get(url)
    for n in range(23):
        factories.consultation(f"Many {n}", questions=False, status=C.DRAFT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(url)


def test_residents_find_have_your_say_on_the_home_page(client: Client, merton: Any) -> None:
    page = client.get(reverse("home:home")).content.decode()
    assert f'href="{reverse("engagement:consultations")}"' in page and "Have your say" in page


def test_an_officers_home_counts_their_drafts_and_open_consultations(officer_client: Client) -> None:
    factories.consultation("Open one")
    ready_draft("A draft")
    page = officer_client.get(reverse("home:your_home")).content.decode()
    section = page[page.index('data-testid="consultations-tasks"') :]
    section = section[: section.index("</ul>")]
    assert section.count('data-count="1"') == 2  # one draft, one open
    assert "Draft consultations" in section and "Open consultations" in section
