"""Raising a blockage, as the services do it: routed at once when signed in; held until a resident confirms
their email; joined to an open one instead; refused, beside the right field, when something is wrong."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commonweal.solutions.errors import SolutionsError
from commonweal.solutions.models import Blockage, BlockageEvent, Document, Part, Supporter
from commonweal.solutions.raising import services
from commonweal.solutions.raising.queries import similar_blockages, your_blockages
from commonweal.solutions.raising.services import Answers
from tests.solutions import factories
from tests.solutions.raising.conftest import INSIDE, OUTSIDE

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def answers(t: dict[str, Any], **changes: Any) -> Answers:
    values: dict[str, Any] = {
        "title": "Three conifers for our communitree",
        "description": "We asked to plant three conifers on the green and nobody answers.",
        "category_id": t["trees"].pk,
        "ward_id": t["ward"].pk,
        "council_process": "The licence for planting on council land",
        **changes,
    }
    return Answers(**values)


def link_in(message: Any) -> str:
    return next(line for line in message.body.splitlines() if "/solutions/confirm/" in line).strip()


def token_of(message: Any) -> str:
    return link_in(message).rstrip("/").rsplit("/", 1)[-1]


def test_a_group_member_raises_a_blockage_that_is_routed_at_once_with_a_champion(
    raising: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = raising
    with django_capture_on_commit_callbacks(execute=True):
        raised = services.raise_blockage(answers=answers(t, organisation_id=t["group"].pk), by=t["member"])
    blockage = raised.blockage
    assert not raised.needs_confirming
    assert blockage.status == Blockage.Status.RAISED
    assert blockage.organisation == t["group"]
    assert set(blockage.parts.values_list("department__name", flat=True)) == {"Parks and green spaces", "Highways"}
    assert blockage.champion == t["champion"]
    assert blockage.due_on is not None
    # The departments' officers and the champion are told.
    assert {m.to[0] for m in mail.outbox} >= {t["parks_officer"].email, t["champion"].email}


def test_a_resident_without_an_account_must_confirm_before_it_is_routed(
    raising: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = raising
    with django_capture_on_commit_callbacks(execute=True):
        raised = services.raise_blockage(answers=answers(t, raiser_name="Ada", raiser_email="ada@example.org"), by=None)
    blockage = raised.blockage
    assert raised.needs_confirming and blockage.status == Blockage.Status.UNCONFIRMED
    assert not Part.objects.filter(blockage=blockage).exists()
    assert not Blockage.objects.public().filter(pk=blockage.pk).exists()
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    token = token_of(message)
    # Only the hash is stored: the link's secret is not in the database.
    assert token not in blockage.confirm_token and len(blockage.confirm_token) == 64

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_blockage(token=token)
    assert confirmed.status == Blockage.Status.RAISED and confirmed.confirmed_at is not None
    assert confirmed.parts.count() == 2 and confirmed.champion == t["champion"]
    assert BlockageEvent.objects.filter(blockage=confirmed, transition="confirm").exists()
    # The resident is told it has gone to the council.
    assert "ada@example.org" in {m.to[0] for m in mail.outbox[1:]}
    # Following the link again changes nothing.
    assert services.confirm_blockage(token=token).parts.count() == 2


def test_a_link_older_than_seven_days_is_refused_and_nothing_is_routed(
    raising: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = raising
    long_ago = timezone.now() - datetime.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        raised = services.raise_blockage(
            answers=answers(t, raiser_name="Ada", raiser_email="ada@example.org"), by=None, now=long_ago
        )
    with pytest.raises(services.LinkExpired, match="This link has expired"):
        services.confirm_blockage(token=token_of(mail.outbox[0]))
    raised.blockage.refresh_from_db()
    assert raised.blockage.status == Blockage.Status.UNCONFIRMED and not raised.blockage.parts.exists()


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 500])
def test_an_unknown_link_is_refused(raising: dict[str, Any], token: str) -> None:
    with pytest.raises(services.LinkUnknown, match="This link is not right"):
        services.confirm_blockage(token=token)


def test_a_point_outside_the_borough_is_refused_beside_the_latitude(raising: dict[str, Any]) -> None:
    t = raising
    with pytest.raises(SolutionsError) as refused:
        services.raise_blockage(answers=answers(t, latitude=OUTSIDE[0], longitude=OUTSIDE[1]), by=t["member"])
    assert refused.value.message_dict["latitude"] == [
        "That point is outside Merton. Choose a place inside the borough."
    ]
    assert not Blockage.objects.exists()


def test_a_point_inside_the_borough_gives_its_ward(raising: dict[str, Any]) -> None:
    t = raising
    raised = services.raise_blockage(
        answers=answers(t, ward_id=None, latitude=INSIDE[0], longitude=INSIDE[1]), by=t["member"]
    )
    assert raised.blockage.ward is not None and raised.blockage.latitude == INSIDE[0]


def test_empty_and_huge_descriptions_are_refused_with_field_messages(raising: dict[str, Any]) -> None:
    t = raising
    with pytest.raises(SolutionsError) as empty:
        services.raise_blockage(answers=answers(t, title=" ", description=""), by=t["member"])
    assert empty.value.message_dict["title"] == ["Enter what is blocked, in a few words."]
    assert empty.value.message_dict["description"] == ["Describe what is blocked."]
    with pytest.raises(SolutionsError) as huge:
        services.raise_blockage(answers=answers(t, description="a" * 5001), by=t["member"])
    assert huge.value.message_dict["description"] == [
        "The description must be 5,000 characters or fewer. You have 5,001."
    ]
    assert not Blockage.objects.exists()


def test_no_place_at_all_is_refused(raising: dict[str, Any]) -> None:
    with pytest.raises(SolutionsError) as refused:
        services.raise_blockage(answers=answers(raising, ward_id=None), by=raising["member"])
    assert "Choose the ward it is in" in refused.value.message_dict["ward"][0]


def test_raising_for_a_group_you_are_not_in_is_refused(raising: dict[str, Any]) -> None:
    t = raising
    with pytest.raises(SolutionsError) as refused:
        services.raise_blockage(answers=answers(t, organisation_id=t["group"].pk), by=t["resident"])
    assert "only raise a blockage for a group you are a member of" in refused.value.message_dict["organisation"][0]


def test_a_bad_file_refuses_the_whole_blockage(raising: dict[str, Any]) -> None:
    t = raising
    fake = SimpleUploadedFile("photo.png", b"MZ" + b"\x00" * 300)
    with pytest.raises(SolutionsError, match="This file is not a PNG image"):
        services.raise_blockage(answers=answers(t), by=t["member"], files=[fake])
    assert not Blockage.objects.exists() and not Document.objects.exists()


def test_a_real_photo_is_kept_with_the_blockage(raising: dict[str, Any]) -> None:
    t = raising
    raised = services.raise_blockage(answers=answers(t), by=t["member"], files=[SimpleUploadedFile("green.png", PNG)])
    [document] = raised.blockage.documents.all()
    assert document.original_name == "green.png" and document.content_type == "image/png"


def test_joining_an_open_blockage_keeps_the_words_and_follows_it(
    raising: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = raising
    first = factories.blockage(category=t["trees"], raised_by=t["member"], ward=t["ward"])
    joined = services.join_blockage(
        answers=answers(t, description="Our conifers too."), target_uuid=first.uuid, by=t["resident"]
    )
    assert joined.status == Blockage.Status.JOINED and joined.joined_to == first
    assert joined.description == "Our conifers too."
    assert Supporter.objects.filter(blockage=first, user=t["resident"]).exists()
    assert set(your_blockages(t["resident"])) == {first, joined}
    # The joiner is told about the next step on the one they joined.
    from commonweal.solutions.steps import take_step

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take_step(blockage=first, name="acknowledge", by=t["parks_officer"])
    assert t["resident"].email in {m.to[0] for m in mail.outbox}


@pytest.mark.parametrize("status", ["resolved", "joined", "unconfirmed", "learning_shared"])
def test_joining_a_closed_joined_or_unconfirmed_blockage_is_refused(raising: dict[str, Any], status: str) -> None:
    t = raising
    target = factories.blockage(category=t["trees"], raised_by=t["member"])
    Blockage.objects.filter(pk=target.pk).update(status=status)
    with pytest.raises(SolutionsError, match="so it can no longer be joined"):
        services.join_blockage(answers=answers(t), target_uuid=target.uuid, by=t["resident"])
    assert Blockage.objects.count() == 1 and not Supporter.objects.exists()


def test_joining_a_blockage_that_does_not_exist_is_refused(raising: dict[str, Any]) -> None:
    import uuid

    with pytest.raises(SolutionsError, match="There is no blockage to join here"):
        services.join_blockage(answers=answers(raising), target_uuid=uuid.uuid4(), by=raising["resident"])


def test_similar_open_blockages_are_found_by_words_and_by_place(raising: dict[str, Any]) -> None:
    t = raising
    by_words = factories.blockage(
        category=t["halls"], raised_by=t["member"], title="Conifers for the communitree refused"
    )
    nearby = factories.blockage(
        category=t["halls"],
        raised_by=t["member"],
        title="Hall keys",
        description="Nobody has the keys.",
        latitude=INSIDE[0] + 0.001,
        longitude=INSIDE[1],
    )
    unrelated = factories.blockage(category=t["halls"], raised_by=t["member"], title="Bins", description="Bins.")
    closed = factories.blockage(category=t["trees"], raised_by=t["member"], title="Conifers communitree")
    Blockage.objects.filter(pk=closed.pk).update(status=Blockage.Status.RESOLVED)
    found = similar_blockages(
        title="Three conifers for our communitree",
        description="Planting on the green.",
        category_id=t["trees"].pk,
        ward_id=None,
        latitude=INSIDE[0],
        longitude=INSIDE[1],
    )
    shown = [s.blockage for s in found]
    assert by_words in shown and nearby in shown
    assert unrelated not in shown and closed not in shown
    assert next(s for s in found if s.blockage == nearby).metres < 200


def test_similar_shows_five_at_most(raising: dict[str, Any]) -> None:
    t = raising
    for n in range(8):
        factories.blockage(category=t["trees"], raised_by=t["member"], title=f"Conifers {n}")
    found = similar_blockages(
        title="Conifers", description="", category_id=t["trees"].pk, ward_id=None, latitude=None, longitude=None
    )
    assert len(found) == 5
