"""A group's application: started once, saved as a draft (automatically too), submitted once before the deadline,
withdrawn with a confirmation; every refusal says why."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.funding.apply import services
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application, ApplicationEvent, Question, Round
from tests.funding.apply.conftest import HOSTILE, complete, eligible_answers

pytestmark = pytest.mark.django_db


def edit_url(application: Application) -> str:
    return f"/funding/applications/{application.uuid}/edit/"


def long_question(application: Application) -> Question:
    return application.round.questions.get(kind=Question.Kind.LONG_TEXT)


def present(application: Application) -> str:
    names = ["title", "summary", "amount_requested", "themes", "wards", "starts_on", "ends_on"]
    names += [f"question_{q.pk}" for q in application.round.questions.exclude(kind="file")]
    return " ".join(names)


# --- starting -----------------------------------------------------------------------------------------


def test_a_member_starts_from_an_eligible_result_and_gets_a_reference(
    member_client: Client, round: Round, group: Organisation
) -> None:
    data = {f"question_{q.pk}": "yes" for q in round.fund.eligibility_questions.all()}
    data.update({"kind": "informal_group", "income": "30000", "works_in_area": "yes"})
    response = member_client.post(f"/funding/rounds/{round.slug}/apply/", data)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(application)
    year = timezone.localtime(round.opens_at).year
    assert application.reference == f"CPF-{year}-0001"
    assert application.pot is not None and application.pot.name == "Medium grants"
    assert application.organisation == group and application.status == "draft"
    assert application.eligibility["kind"] == "informal_group"
    assert list(application.events.values_list("transition", flat=True)) == ["start"]


def test_one_application_per_organisation_sends_the_group_to_the_one_it_has(
    member_client: Client, draft: Application, round: Round, member: User
) -> None:
    with pytest.raises(services.AlreadyApplied) as caught:
        services.start_application(
            round=round, organisation=draft.organisation, by=member, eligibility=eligible_answers(round.fund)
        )
    assert caught.value.application == draft
    data = {f"question_{q.pk}": "yes" for q in round.fund.eligibility_questions.all()}
    data.update({"kind": "informal_group", "income": "100", "works_in_area": "yes"})
    response = member_client.post(f"/funding/rounds/{round.slug}/apply/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/funding/applications/{draft.uuid}/"
    assert "has already started an application to this round" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_withdrawn_application_does_not_stop_a_new_one(draft: Application, member: User, round: Round) -> None:
    services.withdraw_application(application=draft, by=member)
    again = services.start_application(
        round=round, organisation=draft.organisation, by=member, eligibility=eligible_answers(round.fund)
    )
    assert again.reference.endswith("-0002")


def test_nobody_starts_in_a_closed_round(round: Round, group: Organisation, member: User) -> None:
    round.closes_at = timezone.now() - timedelta(minutes=1)
    round.save()
    with pytest.raises(FundingError, match="This round closed at"):
        services.start_application(round=round, organisation=group, by=member, eligibility=eligible_answers(round.fund))


def test_someone_outside_the_group_cannot_start_for_it(round: Round, group: Organisation, make_user: Any) -> None:
    stranger = make_user("group_member")
    with pytest.raises(PermissionDenied):
        services.start_application(
            round=round, organisation=group, by=stranger, eligibility=eligible_answers(round.fund)
        )


def test_an_ineligible_group_cannot_start_by_a_crafted_post(member_client: Client, round: Round) -> None:
    data = {f"question_{q.pk}": "no" for q in round.fund.eligibility_questions.all()}
    data.update({"kind": "informal_group", "income": "100", "works_in_area": "yes"})
    response = member_client.post(f"/funding/rounds/{round.slug}/apply/", data, follow=True)
    assert "The fund is only for groups that do not make a profit" in response.content.decode()
    assert not Application.objects.exists()


# --- drafts and autosave ---------------------------------------------------------------------------------


def test_save_and_come_back_later_keeps_a_draft(member_client: Client, draft: Application) -> None:
    question = long_question(draft)
    response = member_client.post(
        edit_url(draft),
        {"present": present(draft), "title": "Abbey clean-up", f"question_{question.pk}": "We pick litter."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Abbey clean-up"
    assert draft.answers[str(question.pk)] == "We pick litter."
    page = member_client.get(edit_url(draft)).content.decode()
    assert "We pick litter." in page and 'value="Abbey clean-up"' in page


def test_a_post_without_a_field_leaves_that_answer_alone(member_client: Client, draft: Application) -> None:
    draft.title = "Kept"
    draft.save()
    member_client.post(edit_url(draft), {"present": "summary", "summary": "New summary"})
    draft.refresh_from_db()
    assert draft.title == "Kept" and draft.summary == "New summary"


def test_autosave_answers_with_the_time_and_keeps_text_over_the_limit_flagged(
    member_client: Client, draft: Application
) -> None:
    question = long_question(draft)
    long_answer = "word " * 14
    response = member_client.post(
        f"/funding/applications/{draft.uuid}/autosave/",
        {"present": present(draft), f"question_{question.pk}": long_answer, "amount_requested": "abc"},
    )
    body = json.loads(response.content)
    assert response.status_code == 200
    assert len(body["saved_at"]) == 5 and body["saved_at"][2] == ":"
    assert body["errors"][f"question_{question.pk}"] == (
        "Your answer to ‘What will you do?’ must be 10 words or fewer. It has 14 words: remove 4."
    )
    assert body["errors"]["amount_requested"] == "Enter the amount as a number of pounds, like 2000."
    draft.refresh_from_db()
    assert draft.answers[str(question.pk)] == long_answer


def test_the_edit_page_counts_words_like_govuk(member_client: Client, draft: Application) -> None:
    question = long_question(draft)
    draft.answers = {str(question.pk): "one  two\nthree\tfour"}
    draft.save()
    page = member_client.get(edit_url(draft)).content.decode()
    assert 'data-maxwords="10"' in page
    assert "You have 6 words remaining" in page


def test_an_amount_over_the_pots_limit_is_saved_but_named(member_client: Client, draft: Application) -> None:
    page = member_client.post(edit_url(draft), {"present": "amount_requested", "amount_requested": "3000"})
    assert page.status_code == 200
    assert "The most you can ask for from Small grants is £2,500." in page.content.decode()
    draft.refresh_from_db()
    assert str(draft.amount_requested) == "3000.00"


def test_a_submitted_application_cannot_be_edited_or_autosaved(
    member_client: Client, draft: Application, member: User
) -> None:
    complete(draft)
    services.submit_application(application=draft, by=member)
    response = member_client.post(f"/funding/applications/{draft.uuid}/autosave/", {"present": "title", "title": "x"})
    assert response.status_code == 409
    assert "can no longer be changed" in json.loads(response.content)["error"]
    assert member_client.get(edit_url(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Abbey clean-up days"


# --- submitting -----------------------------------------------------------------------------------------


def test_an_incomplete_draft_is_shown_again_with_what_is_missing(member_client: Client, draft: Application) -> None:
    response = member_client.post(f"/funding/applications/{draft.uuid}/submit/", {"present": "title", "title": "A"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a summary of the project." in page
    assert "Choose at least one of the fund&#x27;s themes." in page
    assert "Enter your answer to ‘What will you do?’." in page
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.title == "A"


def test_an_over_limit_amount_cannot_be_submitted(member: User, draft: Application) -> None:
    complete(draft)
    draft.amount_requested = 2600
    draft.save()
    with pytest.raises(FundingError) as caught:
        services.submit_application(application=draft, by=member)
    assert caught.value.message_dict == {"amount_requested": ["The most you can ask for from Small grants is £2,500."]}


def test_an_answer_over_its_word_limit_cannot_be_submitted(member: User, draft: Application) -> None:
    complete(draft)
    draft.answers = {str(long_question(draft).pk): "a b c d e f g h i j k"}
    draft.save()
    with pytest.raises(FundingError, match="must be 10 words or fewer"):
        services.submit_application(application=draft, by=member)


def test_after_the_deadline_nothing_is_submitted(member_client: Client, member: User, draft: Application) -> None:
    complete(draft)
    round = draft.round
    round.closes_at = timezone.make_aware(timezone.datetime(2026, 3, 1, 17, 0))
    round.opens_at = round.closes_at - timedelta(days=60)
    round.save()
    with pytest.raises(FundingError) as caught:
        services.submit_application(application=draft, by=member)
    assert caught.value.messages == [
        "The deadline for this round was 5pm on 1 March 2026; applications can no longer be submitted."
    ]
    page = member_client.post(f"/funding/applications/{draft.uuid}/submit/", follow=True).content.decode()
    assert "The deadline for this round was 5pm on 1 March 2026" in page
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not draft.events.filter(transition="submit").exists()


def test_the_deadline_message_names_the_time_and_date(round: Round) -> None:
    round.closes_at = timezone.make_aware(timezone.datetime(2027, 3, 1, 17, 0))
    assert services.deadline_passed_message(round) == (
        "The deadline for this round was 5pm on 1 March 2027; applications can no longer be submitted."
    )


def test_a_past_deadline_refuses_submission(member: User, draft: Application) -> None:
    complete(draft)
    Round.objects.filter(pk=draft.round_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(FundingError, match="applications can no longer be submitted"):
        services.submit_application(application=draft, by=member)


def test_a_double_click_on_submit_submits_once(member_client: Client, draft: Application) -> None:
    complete(draft)
    first = member_client.post(f"/funding/applications/{draft.uuid}/submit/")
    second = member_client.post(f"/funding/applications/{draft.uuid}/submit/", follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "This application has already been submitted." in second.content.decode()
    assert ApplicationEvent.objects.filter(application=draft, transition="submit").count() == 1
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.submitted_at is not None


def test_only_the_groups_members_can_submit(client: Client, draft: Application, make_user: Any) -> None:
    complete(draft)
    client.force_login(make_user("group_member"))
    assert client.post(f"/funding/applications/{draft.uuid}/submit/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


# --- withdrawing ----------------------------------------------------------------------------------------


def test_a_member_withdraws_after_confirming(member_client: Client, draft: Application, member: User) -> None:
    complete(draft)
    services.submit_application(application=draft, by=member)
    page = member_client.get(f"/funding/applications/{draft.uuid}/withdraw/").content.decode()
    assert "Are you sure you want to withdraw this application?" in page
    draft.refresh_from_db()
    assert draft.status == "submitted"
    response = member_client.post(
        f"/funding/applications/{draft.uuid}/withdraw/", {"reason": "We merged."}, follow=True
    )
    assert "You withdrew application" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "withdrawn" and draft.withdrawn_at is not None
    assert draft.events.get(transition="withdraw").note == "We merged."


def test_no_withdrawing_after_the_deadline(member_client: Client, draft: Application, member: User) -> None:
    complete(draft)
    services.submit_application(application=draft, by=member)
    Round.objects.filter(pk=draft.round_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    page = member_client.post(f"/funding/applications/{draft.uuid}/withdraw/").content.decode()
    assert "can no longer be withdrawn" in page
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_withdrawing_twice_says_it_is_already_withdrawn(member_client: Client, draft: Application) -> None:
    member_client.post(f"/funding/applications/{draft.uuid}/withdraw/")
    page = member_client.post(f"/funding/applications/{draft.uuid}/withdraw/", follow=True).content.decode()
    assert "This application has already been withdrawn." in page
    assert draft.events.filter(transition="withdraw").count() == 1


# --- hostile text ---------------------------------------------------------------------------------------


def test_hostile_answers_are_kept_and_shown_as_text(member_client: Client, draft: Application) -> None:
    question = long_question(draft)
    huge = HOSTILE * 200
    member_client.post(
        edit_url(draft), {"present": present(draft), "title": HOSTILE[:140], f"question_{question.pk}": huge}
    )
    draft.refresh_from_db()
    assert draft.answers[str(question.pk)] == huge
    for path in (edit_url(draft), f"/funding/applications/{draft.uuid}/", "/funding/applications/"):
        page = member_client.get(path).content.decode()
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;alert" in page, path


def test_submitting_from_the_status_page_shows_what_is_missing_beside_each_field(
    member_client: Client, draft: Application
) -> None:
    draft.title = "Kept title"
    draft.save()
    response = member_client.post(f"/funding/applications/{draft.uuid}/submit/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_summary-error"' in page and "Enter a summary of the project." in page
    assert 'value="Kept title"' in page
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_10000_character_title_is_refused_but_shown_again_as_typed(member_client: Client, draft: Application) -> None:
    title = "x" * 10000
    response = member_client.post(edit_url(draft), {"present": "title summary", "title": title, "summary": "Kept"})
    page = response.content.decode()
    assert "The project name must be 140 characters or fewer." in page
    assert title in page
    draft.refresh_from_db()
    assert draft.title == "" and draft.summary == "Kept"


def test_number_and_short_answers_are_saved_and_a_bad_number_is_named(
    member_client: Client, draft: Application
) -> None:
    from tests.funding.factories import QuestionFactory

    people = QuestionFactory(round=draft.round, label="How many people will take part?", kind="number", word_limit=None)
    where = QuestionFactory(round=draft.round, label="Where will you meet?", kind="short", word_limit=None)
    names = f"question_{people.pk} question_{where.pk}"
    member_client.post(
        edit_url(draft), {"present": names, f"question_{people.pk}": "120", f"question_{where.pk}": "Hall"}
    )
    draft.refresh_from_db()
    assert draft.answers[str(people.pk)] == "120" and draft.answers[str(where.pk)] == "Hall"
    page = member_client.post(edit_url(draft), {"present": names, f"question_{people.pk}": "lots"}).content.decode()
    assert "Enter a number, like 120." in page and 'value="lots"' in page
    draft.refresh_from_db()
    assert draft.answers[str(people.pk)] == "120"


# --- an administrator runs the platform; it does not apply for a group ----------------------------------


@pytest.fixture
def admin(make_user: Any, mfa_exempt: None) -> User:
    return make_user("admin", email="admin@example.org")


def test_an_administrator_who_is_not_a_member_cannot_start_or_submit_for_the_group(
    round: Round, group: Organisation, draft: Application, admin: User
) -> None:
    with pytest.raises(PermissionDenied, match="Only members of Abbey Litter Pickers can apply for it"):
        services.start_application(round=round, organisation=group, by=admin, eligibility=eligible_answers(round.fund))
    complete(draft)
    with pytest.raises(PermissionDenied, match="Only members of Abbey Litter Pickers can apply for it"):
        services.submit_application(application=draft, by=admin)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Application.objects.count() == 1


def test_an_administrator_who_is_not_a_member_is_refused_the_application_pages(
    client: Client, round: Round, draft: Application, admin: User, member: User
) -> None:
    client.force_login(admin)
    data = {f"question_{q.pk}": "yes" for q in round.fund.eligibility_questions.all()}
    data.update({"kind": "informal_group", "income": "30000", "works_in_area": "yes"})
    starting = client.post(f"/funding/rounds/{round.slug}/apply/", data)
    assert starting.status_code == 403
    assert "Only members of a group can apply." in starting.content.decode()
    complete(draft)
    submitting = client.post(f"/funding/applications/{draft.uuid}/submit/", {})
    assert submitting.status_code == 403
    assert "Only members of Abbey Litter Pickers can change or submit its application." in submitting.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and Application.objects.count() == 1
    # The group's own member still submits it.
    client.force_login(member)
    assert client.post(f"/funding/applications/{draft.uuid}/submit/", {}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


# --- check your answers, the confirmation and its email -------------------------------------------------


def test_continue_on_an_unfinished_draft_says_what_is_missing_beside_each_field(
    member_client: Client, draft: Application
) -> None:
    response = member_client.post(
        f"/funding/applications/{draft.uuid}/edit/", {"present": "title", "title": "Abbey days", "next": "check"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a summary of the project." in page
    draft.refresh_from_db()
    assert draft.title == "Abbey days"  # what was typed is kept
    assert member_client.get(f"/funding/applications/{draft.uuid}/check/").status_code == 302


def test_a_finished_draft_goes_to_check_your_answers_with_a_change_link_for_each_answer(
    member_client: Client, draft: Application
) -> None:
    complete(draft)
    response = member_client.post(
        f"/funding/applications/{draft.uuid}/edit/",
        {"present": "title", "title": "Abbey clean-up days", "next": "check"},
    )
    assert response["Location"] == f"/funding/applications/{draft.uuid}/check/"
    page = member_client.get(response["Location"]).content.decode()
    assert "Check your answers before submitting your application" in page
    assert "We will pick litter every month." in page
    assert f'href="/funding/applications/{draft.uuid}/edit/#id_title"' in page
    question = long_question(draft)
    assert f'href="/funding/applications/{draft.uuid}/edit/#id_question_{question.pk}"' in page
    assert "Accept and submit" in page
    draft.refresh_from_db()
    assert draft.status == "draft"  # checking submits nothing


def test_submitting_shows_the_reference_and_emails_the_group_what_happens_next(
    member_client: Client, draft: Application, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    complete(draft)
    draft.round.decisions_by = draft.round.closes_at.date() + timedelta(days=40)
    draft.round.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(f"/funding/applications/{draft.uuid}/submit/")
    assert response["Location"] == f"/funding/applications/{draft.uuid}/submitted/"
    page = member_client.get(response["Location"]).content.decode()
    assert "Application submitted" in page and draft.reference in page and "What happens next" in page
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["member@example.org"]
    assert email.subject == f"Application submitted: {draft.reference}"
    assert f"Reference: {draft.reference}" in email.body
    assert "What happens next" in email.body
    assert f"We expect to decide by {draft.round.decisions_by:%-d %B %Y}" in email.body
    assert f"/funding/applications/{draft.uuid}/" in email.body


def test_a_submission_that_fails_sends_no_email(
    member_client: Client, draft: Application, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/funding/applications/{draft.uuid}/submit/")
    assert mailoutbox == []
