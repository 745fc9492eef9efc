"""The audit log as people read it (core.history, core.words): labels not field names, names not ids, 'Not set'
not None, GOV.UK dates, a changed text whole with its words marked, and the same few queries for any number of
entries."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.core.audit import acting
from commonweal.core.history import readable
from commonweal.core.words import Piece, date_words, datetime_words, time_words, word_diff
from commonweal.framework.models import Element
from commonweal.framework.services import create_element, update_element, update_vision

THEME = Element.Kind.THEME


def test_dates_and_times_read_as_gov_uk_writes_them() -> None:
    assert date_words(datetime.date(2027, 3, 4)) == "4 March 2027"
    assert datetime_words(datetime.datetime(2026, 12, 5, 21, 15, tzinfo=datetime.UTC)) == "5 December 2026 at 9:15pm"
    assert time_words(datetime.time(9, 0)) == "9am"
    assert time_words(datetime.time(12, 0)) == "midday"
    assert time_words(datetime.time(0, 0)) == "midnight"


def test_a_changed_text_keeps_both_whole_and_marks_the_words_that_changed() -> None:
    pieces = word_diff("Everyone gets help when they need it.", "Everyone gets good help when they ask.")
    assert pieces == [
        Piece("same", "Everyone gets "),
        Piece("added", "good "),
        Piece("same", "help when they "),
        Piece("removed", "need it."),
        Piece("added", "ask."),
    ]
    before = "".join(piece.text for piece in pieces if piece.change != "added")
    after = "".join(piece.text for piece in pieces if piece.change != "removed")
    assert before == "Everyone gets help when they need it."
    assert after == "Everyone gets good help when they ask."


def test_words_kept_are_spaced_as_each_text_has_them() -> None:
    pieces = word_diff("in the community. We will listen first.", "in the community.")
    assert "".join(piece.before for piece in pieces if piece.change != "added") == (
        "in the community. We will listen first."
    )
    assert "".join(piece.text for piece in pieces if piece.change != "removed") == "in the community."


def test_a_text_written_from_nothing_is_all_added() -> None:
    assert word_diff("", "New words here") == [Piece("added", "New words here")]
    assert word_diff("Same", "Same") == [Piece("same", "Same")]


@pytest.fixture
def steward(make_user: Callable[..., Any]) -> User:
    user = make_user("steward", email="sam@example.org")
    User.objects.filter(pk=user.pk).update(full_name="Sam Steward")
    user.refresh_from_db()
    return user


def _entry(obj: Any, action: int) -> Any:
    entries = LogEntry.objects.get_for_object(obj).filter(action=action).select_related("actor", "content_type")
    return readable([entries.latest("pk")])[0]


def test_an_entry_reads_with_labels_names_and_choices_not_field_names_ids_or_none(steward: User) -> None:
    framework = update_vision(name="Our borough together", vision="Everyone gets help.", by=steward)
    theme = create_element(kind=THEME, name="Green spaces", description="Parks and woods.", by=steward)
    added = _entry(theme, LogEntry.Action.CREATE)
    assert added.who == "Sam Steward" and added.who_email == "sam@example.org"
    assert added.action == "Added" and added.record_type == "Element" and added.record == "Green spaces"
    shown = {change.label: change.after for change in added.changes}
    # The framework's id is its name; the kind's code is its label; a boolean is Yes or No.
    assert shown["Framework"] == "Our borough together"
    assert shown["Kind"] == "Theme"
    assert shown["To be confirmed by the council"] == "No"
    assert shown["Name"] == "Green spaces"
    text = repr(added.changes)
    assert "None" not in text and f"'{framework.pk}'" not in text and "'theme'" not in text
    assert "Id" not in shown  # the row's own number says nothing to a reader

    update_element(element=theme, name="Parks", description="Parks, woods and rivers.", by=steward)
    changed = _entry(theme, LogEntry.Action.UPDATE)
    assert changed.action == "Changed"
    description = next(change for change in changed.changes if change.label == "Description")
    assert (description.before, description.after) == ("Parks and woods.", "Parks, woods and rivers.")
    assert "".join(piece.text for piece in description.added) == "Parks, woods and rivers."
    assert "".join(piece.text for piece in description.removed) == "Parks and woods."
    assert Piece("added", "rivers.") in description.pieces


def test_a_person_added_reads_without_the_other_side_of_their_relations(steward: User) -> None:
    with acting(steward):
        person = User.objects.create(email="new@example.org", full_name="New Person")
    shown = {change.label: change.after for change in _entry(person, LogEntry.Action.CREATE).changes}
    assert shown["Email address"] == "new@example.org"
    assert not [value for value in shown.values() if "None" in value]  # auditlog's 'directory.Asset.None'


def test_an_empty_value_reads_as_not_set_and_a_date_as_gov_uk_writes_it(steward: User) -> None:
    group = Organisation.objects.create(name="Abbey Litter Pickers", slug="abbey-litter-pickers")
    with acting(steward):
        membership = Membership.objects.create(user=steward, role="champion", organisation=group)
        membership.organisation = None
        membership.save()
    changed = _entry(membership, LogEntry.Action.UPDATE)
    organisation = next(change for change in changed.changes if change.label == "Organisation")
    assert (organisation.before, organisation.after) == ("Abbey Litter Pickers", "Not set")
    added = _entry(membership, LogEntry.Action.CREATE)
    shown = {change.label: change.after for change in added.changes}
    assert shown["Role"] == "Champion" and shown["User"] == "Sam Steward"
    assert "Created at" not in shown  # stamped by Django on every save: not news
    when = LogEntry.objects.get_for_object(membership).latest("pk").timestamp
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d\d)?[ap]m|midday|midnight)", changed.when)
    assert str(when.year) in changed.when


def test_a_type_of_record_reads_as_its_label(steward: User) -> None:
    """A report about a listing points at the type of record it is about: 'Organisation', not 'accounts |
    organisation' nor its number."""
    from django.contrib.contenttypes.models import ContentType

    from commonweal.directory.models import Report

    organisation = ContentType.objects.get_for_model(Organisation)
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Report),
        object_pk="1",
        object_repr="A report",
        action=LogEntry.Action.CREATE,
        changes={"content_type": ["None", str(organisation.pk)]},
    )
    [change] = readable([LogEntry.objects.select_related("actor", "content_type").get(pk=entry.pk)])[0].changes
    assert (change.label, change.after) == ("Content type", "Organisation")


def test_a_record_deleted_since_is_named_as_deleted_not_by_its_number(steward: User) -> None:
    group = Organisation.objects.create(name="Short-lived group", slug="short-lived")
    other = Organisation.objects.create(name="Lasting group", slug="lasting")
    with acting(steward):
        membership = Membership.objects.create(user=steward, role="group_member", organisation=group)
        membership.organisation = other
        membership.save()
    gone = group.pk
    Membership.objects.filter(organisation_id=gone).delete()
    Organisation.objects.filter(pk=gone).delete()
    organisation = next(c for c in _entry(membership, LogEntry.Action.UPDATE).changes if c.label == "Organisation")
    assert (organisation.before, organisation.after) == ("Organisation (since deleted)", "Lasting group")


def _log(prefix: str, count: int, by: User) -> None:
    """`count` themes added and changed, and `count` people each made a member of their own group."""
    for n in range(count):
        theme = create_element(kind=THEME, name=f"{prefix} {n}", description="Words.", by=by)
        update_element(element=theme, name=f"{prefix} {n}", description="Other words.", by=by)
        person = User.objects.create(email=f"{prefix}{n}@example.org", full_name=f"{prefix} person {n}")
        group = Organisation.objects.create(name=f"{prefix} group {n}", slug=f"{prefix}-group-{n}")
        with acting(by):
            Membership.objects.create(user=person, role="group_member", organisation=group)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/account/audit/", "/framework/edit/history/"])
def test_a_page_of_fifty_entries_asks_the_database_no_more_than_a_page_of_two(
    url: str,
    client: Client,
    make_user: Callable[..., Any],
    steward: User,
    mfa_exempt: None,
    django_assert_max_num_queries: Any,
) -> None:
    update_vision(name="Our borough together", vision="Everyone gets help.", by=steward)
    client.force_login(make_user("admin") if "audit" in url else steward)
    _log("first", 1, steward)
    few = _queries(client, url)
    _log("more", 50, steward)
    page = client.get(url).content.decode()
    assert page.count('<th scope="row"') >= 25  # a full page (25 on the history, 50 on the audit log)
    with django_assert_max_num_queries(few):
        client.get(url)
