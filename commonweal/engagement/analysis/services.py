"""The analysis area's writes: themes for a consultation's free-text answers, and tagging answers with them. One
function per use case, each in a transaction, raising EngagementError with a message fit to show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from commonweal.core.audit import acting

from ..errors import EngagementError
from ..models import Answer, Consultation, Question
from ..models_analysis import AnswerTag, AnswerTheme

MAX_THEMES = 100


def _check_name(consultation: Consultation, name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise EngagementError({"name": "Enter a name for the theme."})
    taken = AnswerTheme.objects.filter(consultation=consultation, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise EngagementError({"name": f"There is already a theme called ‘{name}’. Choose another name."})
    return name


def create_theme(*, consultation: Consultation, name: str, description: str = "", by: Any) -> AnswerTheme:
    """Add a theme to a consultation's analysis; its name must differ from every other theme's."""
    with transaction.atomic(), acting(by):
        Consultation.objects.select_for_update().get(pk=consultation.pk)
        if AnswerTheme.objects.filter(consultation=consultation).count() >= MAX_THEMES:
            raise EngagementError({"name": f"A consultation can have at most {MAX_THEMES} themes."})
        return AnswerTheme.objects.create(
            consultation=consultation,
            name=_check_name(consultation, name),
            description=description.strip(),
            created_by=by,
        )


def rename_theme(*, theme: AnswerTheme, name: str, description: str = "", by: Any) -> AnswerTheme:
    """Change a theme's name and what it covers; its tagged answers keep it."""
    with transaction.atomic(), acting(by):
        theme = AnswerTheme.objects.select_for_update().get(pk=theme.pk)
        theme.name = _check_name(theme.consultation, name, exclude=theme.pk)
        theme.description = description.strip()
        theme.save(update_fields=["name", "description"])
        return theme


def merge_themes(*, theme: AnswerTheme, into: AnswerTheme, by: Any) -> int:
    """Give every answer tagged with `theme` the theme `into` instead, then remove `theme`. Returns how many
    answers gained `into`."""
    if into.pk == theme.pk:
        raise EngagementError({"into": "Choose a different theme to merge it into."})
    if into.consultation_id != theme.consultation_id:
        raise EngagementError({"into": "Choose a theme of the same consultation."})
    with transaction.atomic(), acting(by):
        AnswerTheme.objects.select_for_update().filter(pk__in=[theme.pk, into.pk]).count()
        already = set(AnswerTag.objects.filter(theme=into).values_list("answer_id", flat=True))
        moving = [
            a for a in AnswerTag.objects.filter(theme=theme).values_list("answer_id", flat=True) if a not in already
        ]
        AnswerTag.objects.bulk_create([AnswerTag(answer_id=a, theme=into, tagged_by=by) for a in moving])
        theme.delete()
        return len(moving)


def delete_theme(*, theme: AnswerTheme, by: Any) -> None:
    """Remove a theme and its tags (the answers stay)."""
    with transaction.atomic(), acting(by):
        theme.delete()


def _answers_of(question: Question, answer_ids: Iterable[int]) -> set[int]:
    return set(
        Answer.objects.filter(question=question, pk__in=list(answer_ids), response__status="submitted").values_list(
            "pk", flat=True
        )
    )


def tag_answers(*, question: Question, chosen: Mapping[int, set[int]], by: Any) -> int:
    """Set the themes of the answers on one page to exactly those chosen (answer id -> theme ids). Answers or
    themes that are not this question's, or this consultation's, are refused. Returns how many tags changed."""
    themes = set(AnswerTheme.objects.filter(consultation_id=question.consultation_id).values_list("pk", flat=True))
    if any(theme not in themes for ids in chosen.values() for theme in ids):
        raise EngagementError(
            "One of the themes chosen is not one of this consultation’s. Reload the page and try again."
        )
    answers = _answers_of(question, chosen)
    if answers != set(chosen):
        raise EngagementError("One of the answers is not an answer to this question. Reload the page and try again.")
    with transaction.atomic(), acting(by):
        existing = set(AnswerTag.objects.filter(answer_id__in=answers).values_list("answer_id", "theme_id"))
        wanted = {(answer, theme) for answer, ids in chosen.items() for theme in ids}
        gone = existing - wanted
        for answer, theme in gone:
            AnswerTag.objects.filter(answer_id=answer, theme_id=theme).delete()
        AnswerTag.objects.bulk_create(
            [AnswerTag(answer_id=a, theme_id=t, tagged_by=by) for a, t in sorted(wanted - existing)]
        )
        return len(gone) + len(wanted - existing)


def tag_all(*, question: Question, answer_ids: Iterable[int], theme: AnswerTheme, by: Any) -> int:
    """Tag every one of these answers to the question with the theme (those tagged already stay as they are).
    Returns how many gained it."""
    if theme.consultation_id != question.consultation_id:
        raise EngagementError({"theme": "Choose a theme of this consultation."})
    answers = _answers_of(question, answer_ids)
    with transaction.atomic(), acting(by):
        already = set(AnswerTag.objects.filter(theme=theme, answer_id__in=answers).values_list("answer_id", flat=True))
        adding = sorted(answers - already)
        AnswerTag.objects.bulk_create(
            [AnswerTag(answer_id=a, theme=theme, tagged_by=by) for a in adding], batch_size=500
        )
        return len(adding)
