"""Tagging free-text answers with themes: adding themes, ticking them per page, tagging every answer holding a
suggested phrase at once, renaming, merging and deleting themes, and the counts the results page shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from commonweal.engagement.models import AnswerTag, AnswerTheme
from tests.engagement import factories

pytestmark = pytest.mark.django_db

TEXTS = [
    "We need a safer crossing by the library",
    "More trees on the high street",
    "A crossing near the school please",
    "Trees and benches",
    "Parking is the real problem",
]


@pytest.fixture
def setup(client: Any, merton: Any, make_user: Any, mfa_exempt: None) -> dict[str, Any]:
    consultation = factories.consultation()
    for text in TEXTS:
        factories.response(consultation, answers={1: {"choices": [0]}, 4: {"text": text}})
    question = consultation.questions.get(kind="text")
    client.force_login(make_user("officer", organisation=consultation.department))
    here = reverse("engagement:tagging", args=[consultation.slug, question.pk])
    return {"consultation": consultation, "question": question, "url": here}


def test_an_officer_adds_a_theme_and_a_duplicate_name_is_refused_beside_the_field(client: Any, setup: Any) -> None:
    done = client.post(setup["url"], {"action": "theme", "theme-name": "Road safety", "theme-description": ""})
    assert done.status_code == 302
    assert AnswerTheme.objects.filter(consultation=setup["consultation"], name="Road safety").exists()
    again = client.post(setup["url"], {"action": "theme", "theme-name": "road  safety"})
    assert again.status_code == 200
    assert "There is already a theme called ‘road safety’" in again.content.decode()
    empty = client.post(setup["url"], {"action": "theme", "theme-name": ""})
    assert "Enter a name for the theme." in empty.content.decode()


def test_ticking_themes_on_a_page_tags_exactly_those_answers(client: Any, setup: Any) -> None:
    safety = AnswerTheme.objects.create(consultation=setup["consultation"], name="Road safety")
    green = AnswerTheme.objects.create(consultation=setup["consultation"], name="Greenery")
    page = client.get(setup["url"])
    assert page.content.decode().count('data-testid="answer"') == 5
    answers = list(setup["question"].answers.exclude(text="").order_by("pk"))
    ids = [a.pk for a in answers]
    ticks = [f"{ids[0]}:{safety.pk}", f"{ids[2]}:{safety.pk}", f"{ids[1]}:{green.pk}"]
    saved = client.post(setup["url"], {"action": "save", "answer": ids, "tag": ticks})
    assert saved.status_code == 302
    assert set(AnswerTag.objects.values_list("answer_id", "theme_id")) == {
        (ids[0], safety.pk),
        (ids[2], safety.pk),
        (ids[1], green.pk),
    }
    # Unticking one takes its tag off; a tick for an answer not on the page is ignored.
    client.post(
        setup["url"], {"action": "save", "answer": ids[:2], "tag": [f"{ids[0]}:{safety.pk}", f"{ids[3]}:{green.pk}"]}
    )
    assert set(AnswerTag.objects.values_list("answer_id", "theme_id")) == {(ids[0], safety.pk), (ids[2], safety.pk)}


def test_a_theme_of_another_consultation_cannot_be_ticked(client: Any, setup: Any) -> None:
    other = factories.consultation("Another one")
    theirs = AnswerTheme.objects.create(consultation=other, name="Theirs")
    answer = setup["question"].answers.exclude(text="").first()
    refused = client.post(setup["url"], {"action": "save", "answer": [answer.pk], "tag": [f"{answer.pk}:{theirs.pk}"]})
    assert refused.status_code == 200
    assert "not one of this consultation’s" in refused.content.decode()
    assert not AnswerTag.objects.exists()


def test_a_suggested_phrase_filters_the_answers_and_tags_all_of_them_at_once(client: Any, setup: Any) -> None:
    safety = AnswerTheme.objects.create(consultation=setup["consultation"], name="Road safety")
    page = client.get(setup["url"]).content.decode()
    assert "?phrase=crossing" in page
    filtered = client.get(setup["url"] + "?phrase=crossing").content.decode()
    assert "2 answers hold ‘crossing’." in filtered
    assert filtered.count('data-testid="answer"') == 2
    done = client.post(
        setup["url"] + "?phrase=crossing", {"action": "bulk", "bulk-phrase": "crossing", "bulk-theme": safety.pk}
    )
    assert done.status_code == 302
    tagged = AnswerTag.objects.filter(theme=safety).values_list("answer__text", flat=True)
    assert sorted(tagged) == ["A crossing near the school please", "We need a safer crossing by the library"]
    # The counts and quotes show on the results page.
    results = client.get(reverse("engagement:results", args=[setup["consultation"].slug])).content.decode()
    assert "Road safety" in results and "fewer than 10" in results
    assert "We need a safer crossing by the library" in results


def test_themes_are_renamed_merged_and_deleted(client: Any, setup: Any) -> None:
    consultation = setup["consultation"]
    a = AnswerTheme.objects.create(consultation=consultation, name="Trees")
    b = AnswerTheme.objects.create(consultation=consultation, name="Greenery")
    answers = list(setup["question"].answers.exclude(text="").order_by("pk"))
    AnswerTag.objects.create(answer=answers[1], theme=a)
    AnswerTag.objects.create(answer=answers[3], theme=a)
    AnswerTag.objects.create(answer=answers[3], theme=b)

    def at(theme: AnswerTheme) -> str:
        return reverse("engagement:theme", args=[consultation.slug, setup["question"].pk, theme.pk])

    assert client.post(at(a), {"action": "rename", "rename-name": "Street trees"}).status_code == 302
    a.refresh_from_db()
    assert a.name == "Street trees"
    clash = client.post(at(a), {"action": "rename", "rename-name": "Greenery"})
    assert "There is already a theme called ‘Greenery’" in clash.content.decode()
    assert client.post(at(a), {"action": "merge", "merge-into": b.pk}).status_code == 302
    assert not AnswerTheme.objects.filter(pk=a.pk).exists()
    assert set(AnswerTag.objects.filter(theme=b).values_list("answer_id", flat=True)) == {answers[1].pk, answers[3].pk}
    assert client.post(at(b), {"action": "delete"}).status_code == 302
    assert not AnswerTag.objects.exists()
    assert setup["question"].answers.count() == 5


def test_a_councillor_of_its_ward_sees_results_but_cannot_tag(client: Any, setup: Any, make_user: Any) -> None:
    from commonweal.engagement.models import Councillor
    from commonweal.places.models import Ward

    ward = Ward.objects.order_by("code").first()
    setup["consultation"].wards.add(ward)
    councillor = make_user("councillor")
    Councillor.objects.get(user=councillor).wards.add(ward)
    client.force_login(councillor)
    assert client.get(reverse("engagement:results", args=[setup["consultation"].slug])).status_code == 200
    assert client.get(setup["url"]).status_code == 403


def test_the_answers_page_takes_the_same_queries_for_5_and_30_answers(
    client: Any, setup: Any, django_assert_max_num_queries: Any
) -> None:
    theme = AnswerTheme.objects.create(consultation=setup["consultation"], name="Road safety")
    for answer in setup["question"].answers.all():
        AnswerTag.objects.create(answer=answer, theme=theme)
    with django_assert_max_num_queries(40) as few:
        assert client.get(setup["url"]).status_code == 200
    for n in range(25):
        made = factories.response(setup["consultation"], answers={4: {"text": f"Crossing number {n}"}})
        AnswerTag.objects.create(answer=made.answers.get(), theme=theme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(setup["url"])
    assert page.content.decode().count('data-testid="answer"') == 30
