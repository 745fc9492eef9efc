"""Closing the loop's pages as their users meet them: the close form's states, a draft kept as typed, publishing
refused beside the fields, the public 'we did' page (not found until decided) and its index."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.engagement.closing import services
from commonweal.engagement.models import Characteristic, Consultation, ImpactAssessment
from tests.engagement import factories

from .helpers import closed, officer_of, save_complete

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_exempt")]


def _close(consultation: Consultation) -> str:
    return reverse("engagement:close", args=[consultation.slug])


def _form_data(**overrides: str) -> dict[str, str]:
    data = {
        "you_said": "Most people supported the plan.",
        "decision": "Cabinet agreed the plan.",
        "how_changed": "We added a crossing by the school.",
        "decision_paper_url": "",
        "action": "save",
    }
    for value in Characteristic.values:
        data[f"{value}-impact"] = "neutral"
        data[f"{value}-evidence"] = "No particular effect was raised."
        data[f"{value}-mitigations"] = ""
    data.update(overrides)
    return data


def test_before_closing_the_close_page_says_when_it_closes(client: Client, make_user: Any) -> None:
    consultation = factories.consultation()
    client.force_login(officer_of(make_user, consultation))
    page = client.get(_close(consultation)).content.decode()
    assert "You can write and publish 'we did' once it has closed." in page
    assert consultation.closes_on.strftime("%-d %B %Y") in page
    assert 'data-testid="close-form"' not in page
    refused = client.post(_close(consultation), _form_data()).content.decode()
    assert "still open until" in refused
    assert Consultation.objects.get(pk=consultation.pk).decision == ""


def test_the_close_form_starts_from_the_results_and_the_launch_assessment(client: Client, make_user: Any) -> None:
    consultation = closed()
    for _ in range(11):
        factories.response(consultation)
    consultation.impacts.filter(characteristic="disability").update(
        impact=ImpactAssessment.Impact.NEGATIVE, mitigations="Step-free routes."
    )
    client.force_login(officer_of(make_user, consultation))
    response = client.get(_close(consultation))
    page = response.content.decode()
    assert "11 people and groups responded to this consultation." in page
    assert "chose ‘Yes’, more than any other answer." in page
    form = response.context["impact_rows"]
    disability = next(f for f, _ in form if f.characteristic == "disability")
    assert disability["impact"].value() == "negative"
    assert disability["mitigations"].value() == "Step-free routes."
    due = consultation.closes_on + timedelta(weeks=12)
    assert due.strftime("%-d %B %Y") in page


def test_a_draft_is_saved_as_typed_and_bad_input_is_shown_beside_its_field(client: Client, make_user: Any) -> None:
    consultation = closed()
    client.force_login(officer_of(make_user, consultation))
    bad = client.post(
        _close(consultation),
        _form_data(decision_paper_url="not a link", **{"age-impact": "terrible", "decision": "x" * 10001}),
    )
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "Enter the link to the decision paper as a web address" in page
    assert "Choose the likely impact on people by age from the list." in page
    assert "What was decided must be 10,000 characters or fewer" in page
    assert "Most people supported the plan." in page  # what was typed is kept
    assert Consultation.objects.get(pk=consultation.pk).you_said == ""
    saved = client.post(_close(consultation), _form_data(decision=""))
    assert saved.status_code == 302
    consultation.refresh_from_db()
    assert consultation.you_said == "Most people supported the plan."
    assert consultation.status == Consultation.Status.PUBLISHED
    assert consultation.impacts.filter(stage="closing").count() == 10


def test_publishing_an_incomplete_we_did_shows_each_problem_beside_its_field(client: Client, make_user: Any) -> None:
    consultation = closed()
    client.force_login(officer_of(make_user, consultation))
    client.post(_close(consultation), _form_data(decision="", **{"race-impact": "negative"}))
    response = client.post(reverse("engagement:close_publish", args=[consultation.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_decision">Say what was decided.</a>' in page
    assert 'href="#id_race-mitigations"' in page
    assert "Say how the negative impact on people by race will be reduced or removed." in page
    assert f'action="{_close(consultation)}"' in page  # corrected, it is saved as a draft again, not published
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.PUBLISHED


def test_an_officer_previews_and_publishes_we_did(
    client: Client, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = closed()
    factories.response(consultation, email="ann@example.org", hear_back=True)
    client.force_login(officer_of(make_user, consultation))
    previewing = client.post(_close(consultation), _form_data(action="preview"))
    assert previewing["Location"] == reverse("engagement:close_preview", args=[consultation.slug])
    preview = client.get(previewing["Location"]).content.decode()
    assert "Cabinet agreed the plan." in preview
    assert "Publish 'we did'" in preview
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        published = client.post(reverse("engagement:close_publish", args=[consultation.slug]), follow=True)
    page = published.content.decode()
    assert "Emails are being sent to 1 person who asked to hear back." in page
    assert mail.outbox == []
    for callback in queued:  # the worker picks the job up
        callback()
    page = client.get(_close(consultation)).content.decode()
    assert "Emails were sent to 1 person who asked to hear back." in page
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.DECIDED


def test_the_public_page_is_not_found_until_decided(client: Client, make_user: Any) -> None:
    consultation = closed()
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    url = reverse("engagement:we_did", args=[consultation.slug])
    assert client.get(url).status_code == 404
    services.publish_we_did(consultation=consultation, by=officer)
    page = client.get(url).content.decode()
    assert "Cabinet agreed the plan with a second crossing." in page
    assert "People asked for a crossing by the school, so we added one." in page
    assert "https://democracy.example.gov.uk/report.pdf" in page
    assert "Every response is read and themed by the team." in page  # how they were considered


def test_the_public_page_shows_the_assessment_side_by_side_with_changes_marked(client: Client, make_user: Any) -> None:
    consultation = closed()
    officer = officer_of(make_user, consultation)
    save_complete(
        consultation,
        officer,
        impacts={
            **{
                v: services.ImpactDraft("neutral", "The borough profile and the traffic study.", "")
                for v in Characteristic.values
            },
            "disability": services.ImpactDraft("negative", "Paths are uneven.", "Repair the paths."),
        },
    )
    services.publish_we_did(consultation=consultation, by=officer)
    response = client.get(reverse("engagement:we_did", args=[consultation.slug]))
    changed = [row for row in response.context["changes"] if row.changed]
    assert [row.characteristic for row in changed] == ["disability"]
    page = response.content.decode()
    assert page.count('data-testid="changed"') == 1
    assert "Repair the paths." in page


def test_small_groups_never_show_on_the_public_page(client: Client, make_user: Any) -> None:
    consultation = closed()
    for _ in range(14):
        factories.response(consultation, answers={1: {"choices": [0]}})
    for _ in range(2):
        factories.response(consultation, answers={1: {"choices": [2]}})
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    services.publish_we_did(consultation=consultation, by=officer)
    response = client.get(reverse("engagement:we_did", args=[consultation.slug]))
    page = response.content.decode()
    assert "16 responses" in page
    figures = page[page.index('data-testid="figures"') :]
    first = figures[: figures.index("What would you use more?")]
    # The 2 is hidden, and so is the 14: with 16 responses shown, 14 would give the 2 away.
    assert ">14<" not in first and ">2<" not in first
    assert first.count("Fewer than 10") == 1 and first.count("Not shown") == 1


def _decide(title: str, make_user: Any, **fields: Any) -> Consultation:
    consultation = closed(title, slug=fields.pop("slug", None) or title.lower().replace(" ", "-"), **fields)
    steward = make_user("steward")
    save_complete(consultation, steward)
    return services.publish_we_did(consultation=consultation, by=steward)


def test_the_index_lists_decided_consultations_newest_first_by_ward(
    client: Client, make_user: Any, merton: Any
) -> None:
    from commonweal.places.models import Ward

    older = _decide("Older decision", make_user)
    Consultation.objects.filter(pk=older.pk).update(decided_at=timezone.now() - timedelta(days=3))
    newer = _decide("Newer decision", make_user)
    ward = Ward.objects.order_by("name").first()
    newer.wards.add(ward)
    closed("Not decided yet", slug="not-decided")
    page = client.get(reverse("engagement:we_asked")).content.decode()
    assert page.index("Newer decision") < page.index("Older decision")
    assert "Not decided yet" not in page
    by_ward = client.get(reverse("engagement:we_asked"), {"ward": ward.pk}).content.decode()
    assert "Newer decision" in by_ward and "Older decision" not in by_ward
    crafted = client.get(reverse("engagement:we_asked"), {"ward": "99999999"})
    assert crafted.status_code == 200
    assert "Choose a ward from the list." in crafted.content.decode()


def test_the_index_costs_the_same_queries_with_two_or_twenty_five(
    client: Client, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    costs = []
    for count in (2, 25):
        while Consultation.objects.filter(status="decided").count() < count:
            n = Consultation.objects.count()
            _decide(f"Decision {n}", make_user, slug=f"decision-{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("engagement:we_asked")).status_code == 200
        costs.append(len(queries))
    assert costs[0] == costs[1], costs


def test_stewards_see_every_overdue_we_did_and_residents_are_refused(client: Client, make_user: Any) -> None:
    late = closed("A late one", slug="late", closes_on=timezone.localdate() - timedelta(weeks=14))
    client.force_login(make_user("steward"))
    page = client.get(reverse("engagement:we_did_due")).content.decode()
    assert "A late one" in page and 'data-testid="overdue"' in page
    client.force_login(officer_of(make_user, late))
    assert "A late one" in client.get(reverse("engagement:we_did_due")).content.decode()
    client.force_login(make_user("officer"))
    assert "A late one" not in client.get(reverse("engagement:we_did_due")).content.decode()
    client.force_login(make_user("resident"))
    assert client.get(reverse("engagement:we_did_due")).status_code == 403


def test_an_uploaded_decision_paper_is_public_only_once_decided(
    client: Client, make_user: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commonweal.engagement.models import Document

    settings.MEDIA_ROOT = tmp_path
    consultation = closed()
    officer = officer_of(make_user, consultation)
    client.force_login(officer)
    renamed = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    refused = client.post(_close(consultation), {**_form_data(), "decision_paper": renamed})
    assert "This file is not a PDF." in refused.content.decode()
    assert "Most people supported the plan." in refused.content.decode()
    assert not Document.objects.exists()
    paper = SimpleUploadedFile("Cabinet report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n")
    assert client.post(_close(consultation), {**_form_data(), "decision_paper": paper}).status_code == 302
    document = Document.objects.get(consultation=consultation)
    url = reverse("engagement:we_did_paper", args=[consultation.slug, document.pk])
    assert client.get(url).status_code == 200  # the officer checks it before publishing
    client.logout()
    assert client.get(url).status_code == 404
    services.publish_we_did(consultation=consultation, by=officer)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "Cabinet report" in client.get(reverse("engagement:we_did", args=[consultation.slug])).content.decode()


def test_the_we_did_due_list_costs_the_same_queries_with_two_or_twenty(client: Client, make_user: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("steward"))
    client.get(reverse("engagement:we_did_due"))  # the session and the settings row settle
    costs = []
    for count in (2, 20):
        while Consultation.objects.count() < count:
            n = Consultation.objects.count()
            closed(f"Closed {n}", slug=f"closed-{n}", questions=False)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("engagement:we_did_due")).content.decode()
        assert page.count('data-testid="due-row"') == count
        costs.append(len(queries))
    assert costs[0] == costs[1], costs


def test_a_consultation_decided_before_figures_were_kept_still_shows(client: Client, make_user: Any) -> None:
    decided = _decide("Decided long ago", make_user)
    Consultation.objects.filter(pk=decided.pk).update(you_said_figures={})
    assert "Decided long ago" in client.get(reverse("engagement:we_asked")).content.decode()
    page = client.get(reverse("engagement:we_did", args=[decided.slug])).content.decode()
    assert "0 responses" in page


def test_an_officer_sends_the_remaining_emails_after_a_failure(
    client: Client, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = closed()
    factories.response(consultation, email="ann@example.org", hear_back=True)
    factories.response(consultation, email="bea@example.org", hear_back=True)
    officer = officer_of(make_user, consultation)
    save_complete(consultation, officer)
    with django_capture_on_commit_callbacks(execute=False):  # the job never ran: the worker was lost
        services.publish_we_did(consultation=consultation, by=officer)
    services.tell_respondents(consultation_id=consultation.pk, batch=1)  # as if it told everyone...
    from commonweal.engagement.models import DecisionNotice

    DecisionNotice.objects.filter(consultation=consultation).order_by("pk").last().delete()  # ...but one
    mail.outbox.clear()
    client.force_login(officer)
    page = client.get(_close(consultation)).content.decode()
    assert "1 sent so far." in page and "Send the remaining emails" in page
    send = reverse("engagement:close_send", args=[consultation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send, follow=True)
    assert "The emails are being sent again to the 1 person not told yet." in response.content.decode()
    assert len(mail.outbox) == 1
    assert "Everyone who asked to hear back has been emailed already." in client.post(send).content.decode()
    assert len(mail.outbox) == 1
