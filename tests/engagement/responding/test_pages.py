"""The responding pages as people use them: question pages that keep each answer, about you, the equality
questions, check your answers and sending; someone without an account confirming by email; the refusals a user
would meet (closed, not yet open, already responded, a 1 MB answer, a pin outside the borough, a ranking with a
place used twice, a crafted draft of someone else's)."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commonweal.engagement.models import Answer, Consultation, Monitoring, Response
from commonweal.engagement.models_responding import AlternativeFormatRequest
from commonweal.places.models import Ward
from tests.engagement import factories
from tests.engagement.responding.conftest import INSIDE, OUTSIDE

pytestmark = pytest.mark.django_db


def url(consult: Consultation, step: str | int = "") -> str:
    base = f"/engagement/consultations/{consult.slug}/respond/"
    return f"{base}{step}/" if step != "" else base


def answer_all(client: Client, consult: Consultation) -> None:
    """Answer the six questions of the factory's consultation, checking each page moves on."""
    steps: list[dict[str, Any]] = [
        {"answer": "0"},
        {"answer": ["1", "2"]},
        {"answer": "4"},
        {"answer": "More crossings near the school, please."},
        {"rank_0": "2", "rank_1": "1", "rank_2": "3"},
        {"latitude": str(INSIDE[0]), "longitude": str(INSIDE[1])},
    ]
    for number, data in enumerate(steps, start=1):
        reply = client.post(url(consult, number), data)
        assert reply.status_code == 302, reply.content.decode()[:3000]


def test_the_start_page_says_how_many_questions_and_when_it_closes(client: Client, consult: Consultation) -> None:
    page = client.get(url(consult)).content.decode()
    assert "There are 6 questions." in page
    assert "Start now" in page
    assert "Ask for this consultation in another format" in page


def test_a_signed_in_resident_responds_and_is_counted_once(
    client: Client, consult: Consultation, make_user: Any, on_commit: Any
) -> None:
    resident = make_user("resident")
    client.force_login(resident)
    page = client.get(url(consult, 1)).content.decode()
    assert "Question 1 of 6" in page
    answer_all(client, consult)
    draft = Response.objects.get(user=resident)
    assert draft.status == Response.Status.DRAFT and draft.answers.count() == 6
    assert client.post(url(consult, "about-you"), {"postcode": "", "hear_back": "on"}).status_code == 302
    monitoring = {"age_band": "35_49", "ethnicity": "black_african", "disability": "prefer_not"}
    assert client.post(url(consult, "equality"), monitoring).status_code == 302
    check = client.get(url(consult, "check")).content.decode()
    assert "More crossings near the school, please." in check
    assert "1st: Crossing; 2nd: Trees; 3rd: Seating" in check
    assert "Shops" not in check and "Cafes, Library" in check
    with on_commit():
        sent = client.post(url(consult, "check"), {"response": str(draft.uuid)})
    assert sent["Location"] == url(consult, "sent")
    # A double click, or the same POST replayed: still one response, counted once.
    again = client.post(url(consult, "check"), {"response": str(draft.uuid)})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Response.Status.SUBMITTED and draft.submitted_at is not None
    assert Response.objects.filter(consultation=consult, status="submitted").count() == 1
    assert Monitoring.objects.get(response=draft).ethnic_group == "black"
    done = client.get(url(consult, "sent")).content.decode()
    assert "Response sent" in done and str(draft.uuid).split("-")[0].upper() in done
    [receipt] = [m for m in mail.outbox if m.to == [resident.email]]
    assert "More crossings near the school, please." in receipt.body


def test_a_second_response_is_refused_with_the_date_of_the_first(
    client: Client, consult: Consultation, make_user: Any
) -> None:
    resident = make_user("resident")
    first = factories.response(consult, user=resident)
    client.force_login(resident)
    day = timezone.localtime(first.submitted_at).strftime("%-d %B %Y")
    page = client.get(url(consult)).content.decode()
    assert f"You have already responded to this consultation on {day}." in page
    assert "Start now" not in page
    assert client.get(url(consult, 1))["Location"] == url(consult)
    reply = client.post(url(consult, 1), {"answer": "1"})
    assert reply["Location"] == url(consult)
    assert Response.objects.filter(user=resident).count() == 1


def test_a_consultation_that_allows_many_takes_a_second_response(client: Client, merton: Any, make_user: Any) -> None:
    consult = factories.consultation(allows_many_responses=True)
    resident = make_user("resident")
    factories.response(consult, user=resident)
    client.force_login(resident)
    assert "Start now" in client.get(url(consult)).content.decode()
    assert client.post(url(consult, 1), {"answer": "1"}).status_code == 302
    draft = Response.objects.get(user=resident, status="draft")
    assert client.post(url(consult, "check"), {"response": str(draft.uuid)}).status_code == 302
    assert Response.objects.filter(user=resident, status="submitted").count() == 2


def test_responding_after_close_is_refused_with_the_closing_date(client: Client, merton: Any, make_user: Any) -> None:
    today = timezone.localdate()
    consult = factories.consultation(
        opens_on=today - datetime.timedelta(weeks=13), closes_on=today - datetime.timedelta(days=1)
    )
    day = (today - datetime.timedelta(days=1)).strftime("%-d %B %Y")
    page = client.get(url(consult)).content.decode()
    assert f"This consultation closed on {day}. Responses are no longer accepted." in page
    assert client.post(url(consult, 1), {"answer": "0"})["Location"] == url(consult)
    assert not Response.objects.exists()


def test_a_draft_started_before_closing_cannot_be_sent_after(
    client: Client, consult: Consultation, make_user: Any
) -> None:
    resident = make_user("resident")
    client.force_login(resident)
    client.post(url(consult, 1), {"answer": "0"})
    draft = Response.objects.get(user=resident)
    today = timezone.localdate()
    Consultation.objects.filter(pk=consult.pk).update(
        opens_on=today - datetime.timedelta(weeks=13), closes_on=today - datetime.timedelta(days=2)
    )
    reply = client.post(url(consult, "check"), {"response": str(draft.uuid)})
    assert reply["Location"] == url(consult)
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT


def test_a_forthcoming_consultation_says_when_it_opens(client: Client, merton: Any) -> None:
    today = timezone.localdate()
    consult = factories.consultation(opens_on=today + datetime.timedelta(days=10))
    day = (today + datetime.timedelta(days=10)).strftime("%-d %B %Y")
    assert f"This consultation opens on {day}. You can respond from then." in client.get(url(consult)).content.decode()


def test_a_1_mb_answer_is_refused_beside_the_field_and_nothing_is_saved(
    client: Client, consult: Consultation, make_user: Any
) -> None:
    client.force_login(make_user("resident"))
    client.post(url(consult, 1), {"answer": "0"})
    # As a browser sends a form (URL-encoded), 1 MB reaches the form (under Django's 2.5 MB limit) and is refused
    # there; so is a 1 MB answer in two-byte letters sent as multipart.
    body = urlencode({"answer": "a" * 1_000_000})
    assert len(body) > 1_000_000
    for reply in (
        client.post(url(consult, 4), body, content_type="application/x-www-form-urlencoded"),
        client.post(url(consult, 4), {"answer": "é" * 1_000_000}),
    ):
        assert reply.status_code == 200
        page = reply.content.decode()
        assert "There is a problem" in page
        assert "Your answer must be 10,000 characters or fewer" in page
    assert not Answer.objects.filter(question__position=4).exists()


def test_a_required_question_must_be_answered_and_an_optional_one_skipped(
    client: Client, consult: Consultation
) -> None:
    page = client.post(url(consult, 1), {}).content.decode()
    assert "Choose an answer." in page
    assert not Response.objects.exists()
    assert client.post(url(consult, 1), {"answer": "2"}).status_code == 302
    assert client.post(url(consult, 2), {})["Location"] == url(consult, 3)


def test_a_pin_outside_the_borough_is_refused(client: Client, consult: Consultation) -> None:
    client.post(url(consult, 1), {"answer": "0"})
    page = client.post(url(consult, 6), {"latitude": str(OUTSIDE[0]), "longitude": str(OUTSIDE[1])}).content.decode()
    assert "That point is outside Merton. Choose a place inside the borough." in page
    assert "51.508" in page  # what was typed is kept
    assert client.post(url(consult, 6), {"postcode": "ZZ1 1ZZ"}).status_code == 200
    assert client.post(url(consult, 6), {"latitude": "51.42", "longitude": ""}).status_code == 200
    assert not Answer.objects.filter(question__position=6).exists()


def test_a_pin_can_be_a_postcode(client: Client, consult: Consultation, abbey_postcode: Any) -> None:
    client.post(url(consult, 1), {"answer": "0"})
    assert client.post(url(consult, 6), {"postcode": "sw19 2hl"}).status_code == 302
    answer = Answer.objects.get(question__position=6)
    assert answer.lat == pytest.approx(abbey_postcode.latitude)


def test_a_ranking_with_a_place_used_twice_is_refused(client: Client, consult: Consultation) -> None:
    client.post(url(consult, 1), {"answer": "0"})
    page = client.post(url(consult, 5), {"rank_0": "1", "rank_1": "1", "rank_2": "2"}).content.decode()
    assert "Crossing and Trees are both 1st. Give each option a different place." in page
    page = client.post(url(consult, 5), {"rank_0": "1", "rank_1": "", "rank_2": "2"}).content.decode()
    assert "Choose a place for Crossing." in page
    page = client.post(url(consult, 5), {"rank_0": "1", "rank_1": "7", "rank_2": "2"}).content.decode()
    assert "Choose a place from 1st to 3rd." in page
    assert not Answer.objects.filter(question__position=5).exists()


def test_an_answer_is_shown_again_when_the_page_is_opened_again(client: Client, consult: Consultation) -> None:
    client.post(url(consult, 1), {"answer": "1"})
    client.post(url(consult, 5), {"rank_0": "3", "rank_1": "1", "rank_2": "2"})
    assert 'value="1" checked' in client.get(url(consult, 1)).content.decode()
    ranking = client.get(url(consult, 5)).content.decode()
    assert re.search(
        r'name="rank_1"[^>]*>\s*<option value="">Choose a place</option>\s*<option value="1" selected', ranking
    )


def test_someone_without_an_account_confirms_by_email_and_is_counted_then(
    client: Client, consult: Consultation, on_commit: Any
) -> None:
    client.post(url(consult, 1), {"answer": "0"})
    page = client.post(url(consult, "about-you"), {"postcode": ""}).content.decode()
    assert "Enter your email address. We send you a link to confirm your response." in page
    reply = client.post(url(consult, "about-you"), {"name": "Ada", "email": "ada@example.org", "hear_back": "on"})
    assert reply["Location"] == url(consult, "equality")
    draft = Response.objects.get()
    mail.outbox.clear()
    with on_commit():
        assert client.post(url(consult, "check"), {"response": str(draft.uuid)})["Location"] == url(consult, "sent")
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT  # not counted until the link is followed
    assert "Check your email" in client.get(url(consult, "sent")).content.decode()
    [message] = mail.outbox
    link = re.search(r"/engagement/respond/confirm/[^/\s]+/", message.body)
    assert link is not None
    # Opening the link (as a mail scanner does) counts nothing; pressing the button does.
    assert "Confirm and send my response" in client.get(link.group(0)).content.decode()
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT
    with on_commit():
        assert client.post(link.group(0))["Location"] == url(consult, "sent")
    client.post(link.group(0))
    draft.refresh_from_db()
    assert draft.status == Response.Status.SUBMITTED and draft.hear_back
    assert "Response sent" in client.get(url(consult, "sent")).content.decode()
    assert Response.objects.filter(status="submitted").count() == 1


def test_a_second_response_from_the_same_address_is_refused_at_the_link(
    client: Client, consult: Consultation, on_commit: Any
) -> None:
    factories.response(consult, email="ada@example.org")
    client.post(url(consult, 1), {"answer": "0"})
    client.post(url(consult, "about-you"), {"email": "ADA@example.org"})
    draft = Response.objects.get(status="draft")
    page = client.post(url(consult, "check"), {"response": str(draft.uuid)}).content.decode()
    assert "You have already responded to this consultation on" in page
    assert Response.objects.filter(status="submitted").count() == 1


def test_a_crafted_request_naming_someone_elses_draft_is_not_found(
    client: Client, consult: Consultation, make_user: Any
) -> None:
    owner = make_user("resident")
    Client().force_login(owner)
    theirs = Response.objects.create(consultation=consult, user=owner, email=owner.email)
    Answer.objects.create(response=theirs, question=consult.questions.get(position=4), text="My private worry")
    anonymous_draft = Response.objects.create(consultation=consult, email="someone@example.org")
    # Signed in as someone else, and without an account: their uuid in a form or a URL is not found.
    other = make_user("resident")
    for who in (other, None):
        visitor = Client()
        if who is not None:
            visitor.force_login(who)
        for target in (theirs, anonymous_draft):
            reply = visitor.post(url(consult, 4), {"answer": "Hijacked", "response": str(target.uuid)})
            assert reply.status_code == 404
            assert visitor.post(url(consult, "check"), {"response": str(target.uuid)}).status_code in (302, 404)
            if who is not None:
                page = visitor.get(f"/engagement/your-responses/{target.uuid}/")
                assert page.status_code == 404 and "My private worry" not in page.content.decode()
    assert theirs.answers.get().text == "My private worry"
    theirs.refresh_from_db()
    anonymous_draft.refresh_from_db()
    assert theirs.status == anonymous_draft.status == Response.Status.DRAFT


def test_a_group_member_responds_for_their_group_and_a_non_member_cannot(
    client: Client, consult: Consultation, make_user: Any
) -> None:
    member = make_user("group_member")
    group = member.memberships.get().organisation
    client.force_login(member)
    client.post(url(consult, 1), {"answer": "0"})
    page = client.get(url(consult, "about-you")).content.decode()
    assert f"Yes, for {group.name}" in page
    assert client.post(url(consult, "about-you"), {"organisation": str(group.pk)}).status_code == 302
    assert Response.objects.get(user=member).organisation == group

    resident = make_user("resident")
    other = Client()
    other.force_login(resident)
    other.post(url(consult, 1), {"answer": "0"})
    page = other.post(url(consult, "about-you"), {"organisation": str(group.pk)}).content.decode()
    assert Response.objects.get(user=resident).organisation is None
    # The form has no such choice for them; the service would say so too.
    assert "There is a problem" not in page or "group you are a member of" in page


def test_an_unknown_postcode_on_about_you_is_refused_and_a_known_one_gives_the_ward(
    client: Client, consult: Consultation, abbey_postcode: Any, make_user: Any
) -> None:
    client.force_login(make_user("resident"))
    client.post(url(consult, 1), {"answer": "0"})
    page = client.post(url(consult, "about-you"), {"postcode": "ZZ99 9ZZ"}).content.decode()
    assert "ZZ99 9ZZ is not a postcode in Merton." in page
    assert client.post(url(consult, "about-you"), {"postcode": "SW19 2HL"}).status_code == 302
    assert Response.objects.get().ward == Ward.objects.get(code="E05013810")


def test_save_and_come_back_later_by_email_link(client: Client, consult: Consultation, on_commit: Any) -> None:
    reply = client.post(url(consult, 1), {"answer": "2", "save_later": "1"})
    assert reply["Location"] == url(consult, "save")
    draft = Response.objects.get()
    with on_commit():
        page = client.post(url(consult, "save"), {"email": "sam@example.org", "response": str(draft.uuid)})
    assert "Check your email" in page.content.decode()
    link = re.search(r"/engagement/respond/resume/[^/\s]+/", mail.outbox[-1].body)
    assert link is not None
    draft.refresh_from_db()
    assert draft.resume_token and draft.resume_token not in mail.outbox[-1].body  # only its hash is kept
    # Another browser (the session ended) follows the link and carries on with the same answers.
    later = Client()
    assert later.get(link.group(0))["Location"] == url(consult, "check")
    assert 'value="2" checked' in later.get(url(consult, 1)).content.decode()
    assert later.post(url(consult, 2), {"answer": ["0"], "response": str(draft.uuid)}).status_code == 302
    assert draft.answers.count() == 2


def test_a_resume_link_that_is_expired_or_invalid_is_refused(client: Client, consult: Consultation) -> None:
    from commonweal.engagement.responding.services import hash_token

    draft = Response.objects.create(
        consultation=consult,
        email="sam@example.org",
        resume_token=hash_token("expired-token-123"),
        resume_expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    reply = client.get("/engagement/respond/resume/expired-token-123/")
    assert reply.status_code == 410 and "This link has expired." in reply.content.decode()
    reply = client.get("/engagement/respond/resume/not-a-real-token/")
    assert reply.status_code == 404 and "This link is not right." in reply.content.decode()
    assert client.get(url(consult, "check"))["Location"] == url(consult)  # nothing was handed over
    assert draft.answers.count() == 0


def test_an_expired_confirmation_link_counts_nothing(client: Client, consult: Consultation) -> None:
    from commonweal.engagement.models_responding import ResponseConfirmation
    from commonweal.engagement.responding.services import hash_token

    draft = Response.objects.create(consultation=consult, email="late@example.org")
    ResponseConfirmation.objects.create(
        response=draft,
        token=hash_token("old-link-123"),
        sent_to="late@example.org",
        sent_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert client.get("/engagement/respond/confirm/old-link-123/").status_code == 410
    assert client.post("/engagement/respond/confirm/old-link-123/").status_code == 410
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT


def test_your_responses_lists_drafts_and_sent_without_more_queries_as_they_grow(
    client: Client, merton: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    resident = make_user("resident")
    client.force_login(resident)

    def add(n: int) -> None:
        for i in range(n):
            consult = factories.consultation(f"Consultation {Response.objects.count()} {i}", questions=False)
            if i % 2:
                Response.objects.create(consultation=consult, user=resident)
            else:
                factories.response(consult, user=resident, answers={})

    add(2)
    with django_assert_max_num_queries(12):
        page = client.get("/engagement/your-responses/").content.decode()
    assert "Not sent yet" in page and "Sent" in page
    add(20)
    with django_assert_max_num_queries(12):
        page = client.get("/engagement/your-responses/").content.decode()
    assert page.count('data-testid="your-sent-response"') == 11


def test_asking_for_another_format_is_kept_and_emailed_to_the_department(
    client: Client, consult: Consultation, on_commit: Any
) -> None:
    Consultation.objects.filter(pk=consult.pk).update(contact_email="regen@example.gov.uk")
    page = client.post(
        f"/engagement/consultations/{consult.slug}/other-formats/", {"need": "language"}
    ).content.decode()
    assert "Enter the language you need." in page and "Enter your name." in page
    with on_commit():
        reply = client.post(
            f"/engagement/consultations/{consult.slug}/other-formats/",
            {"need": "language", "language": "Tamil", "name": "Priya", "phone": "020 7946 0000"},
        )
    assert reply["Location"] == f"/engagement/consultations/{consult.slug}/other-formats/sent/"
    made = AlternativeFormatRequest.objects.get()
    assert made.language == "Tamil" and made.consultation == consult
    [message] = [m for m in mail.outbox if m.to == ["regen@example.gov.uk"]]
    assert "Tamil" in message.body and "020 7946 0000" in message.body


def test_your_home_shows_your_consultation_responses_once_you_have_any(
    client: Client, consult: Consultation, make_user: Any
) -> None:
    resident = make_user("resident")
    client.force_login(resident)
    assert "Your consultation responses" not in client.get("/home/").content.decode()
    factories.response(consult, user=resident)
    Response.objects.create(consultation=factories.consultation("Another one"), user=resident)
    page = client.get("/home/").content.decode()
    assert "Your consultation responses" in page
    assert 'data-testid="consultation-responses-tasks"' in page and "/engagement/your-responses/" in page


def test_sending_without_an_account_is_rate_limited_per_email_address(
    client: Client, consult: Consultation, monkeypatch: Any
) -> None:
    from commonweal.core import ratelimit
    from commonweal.engagement.responding import views

    monkeypatch.setattr(views, "SENDS_PER_EMAIL", ratelimit.Limit("test-consultation-send-email", 1, 3600))
    for attempt in range(2):
        visitor = Client()
        visitor.post(url(consult, 1), {"answer": "0"})
        visitor.post(url(consult, "about-you"), {"email": "flood@example.org"})
        draft = Response.objects.filter(status="draft").latest("pk")
        reply = visitor.post(url(consult, "check"), {"response": str(draft.uuid)})
        if attempt == 0:
            assert reply.status_code == 302
    assert reply.status_code == 429
    page = reply.content.decode()
    assert "Too many responses have been sent from here in the last hour." in page and "your answers are kept" in page
    assert reply["Retry-After"]


def test_answers_given_before_signing_in_are_kept_after(client: Client, consult: Consultation, make_user: Any) -> None:
    client.post(url(consult, 1), {"answer": "2"})
    client.post(url(consult, 4), {"answer": "Kept across signing in."})
    resident = make_user("resident")
    client.force_login(resident)
    page = client.get(url(consult, "check")).content.decode()
    assert "Kept across signing in." in page
    draft = Response.objects.get()
    assert draft.user == resident and draft.email == resident.email
