"""The kept tallies: a submitted response is counted once, a draft never, and rebuilding from the answers gives
exactly what counting each response as it came in gave."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonweal.engagement.models import Monitoring, Response
from commonweal.engagement.models_analysis import ANSWERED, EVERY_WARD, WARD_NOT_KNOWN, GroupSize, Tally
from commonweal.engagement.tallies import count_response, rebuild
from commonweal.places.models import Ward
from tests.engagement import factories

pytestmark = pytest.mark.django_db


def kept(consultation: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    tallies = set(
        Tally.objects.filter(consultation=consultation, count__gt=0).values_list(
            "question_id", "option", "rank", "ward", "field", "value", "count"
        )
    )
    sizes = set(
        GroupSize.objects.filter(consultation=consultation, count__gt=0).values_list("ward", "field", "value", "count")
    )
    return tallies, sizes


def test_counting_each_response_as_it_comes_equals_rebuilding_from_the_answers(merton: Any) -> None:
    consultation = factories.consultation()
    wards = list(Ward.objects.order_by("code")[:3])
    for n in range(12):
        ward = wards[n % 3] if n % 4 else None
        made = Response.objects.create(
            consultation=consultation, ward=ward, status=Response.Status.SUBMITTED, email="a@example.org"
        )
        questions = {q.position: q for q in consultation.questions.all()}
        answers = {
            1: {"choices": [n % 3]},
            2: {"choices": [0, 2] if n % 2 else [1]},
            3: {"scale": 1 + n % 5},
            4: {"text": "More trees please" if n % 3 else ""},
            5: {"choices": [2, 0, 1] if n % 2 else [0, 1, 2]},
            6: {"lat": 51.4098, "lon": -0.1949} if n % 2 else {"lat": 51.43, "lon": -0.2},
        }
        for position, values in answers.items():
            made.answers.create(question=questions[position], **values)
        if n % 2:
            Monitoring.objects.create(response=made, sex="female" if n % 3 else "male", ethnic_group="asian")
        count_response(made)
    incremental = kept(consultation)
    assert incremental[0], "counting made tallies"
    rebuild(consultation)
    assert kept(consultation) == incremental


def test_a_response_is_counted_once_however_often_it_is_counted(merton: Any) -> None:
    consultation = factories.consultation()
    made = factories.response(consultation, answers={1: {"choices": [1]}})
    count_response(made)
    count_response(made)
    first = consultation.questions.get(position=1)
    assert Tally.objects.get(question=first, option=1, ward=EVERY_WARD, field="").count == 1
    assert GroupSize.objects.get(consultation=consultation, ward=EVERY_WARD, field="").count == 1


def test_a_draft_is_not_counted(merton: Any) -> None:
    consultation = factories.consultation()
    draft = Response.objects.create(consultation=consultation, email="a@example.org")
    count_response(draft)
    assert not GroupSize.objects.filter(consultation=consultation).exists()


def test_a_blank_text_answer_is_not_counted_as_answered_and_a_respondent_without_a_ward_is_counted_as_not_known(
    merton: Any,
) -> None:
    consultation = factories.consultation()
    factories.response(consultation, answers={4: {"text": ""}})
    factories.response(consultation, answers={4: {"text": "Cycle lanes"}})
    text = consultation.questions.get(position=4)
    assert Tally.objects.get(question=text, option=ANSWERED, ward=EVERY_WARD, field="").count == 1
    assert GroupSize.objects.get(consultation=consultation, ward=WARD_NOT_KNOWN, field="").count == 2


def test_the_command_rebuilds_a_consultation_and_says_plainly_when_the_slug_is_wrong(merton: Any) -> None:
    consultation = factories.consultation()
    factories.response(consultation)
    Tally.objects.all().delete()
    call_command("rebuild_engagement_tallies", consultation.slug)
    assert Tally.objects.filter(consultation=consultation).exists()
    with pytest.raises(CommandError, match="no consultation with the slug nope"):
        call_command("rebuild_engagement_tallies", "nope")
