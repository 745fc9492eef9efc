"""Setting up funds and rounds: the fund, its theme budgets, pots and eligibility questions; a round, its
application form, scoring criteria and prospectus, co-designed with groups' comments before it is published.

One function per use case, keyword-only arguments, each in a transaction. Bad input raises FundingError (a
full sentence, or a dict of field → sentence); a person who may not do something gets PermissionDenied.
`with acting(by):` names the person in the audit log. Values come as dicts keyed by the model's field names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model, Sum
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.core.audit import acting
from commonweal.core.money import pounds
from commonweal.core.ordering import move_in_order
from commonweal.core.uploads import FILE_TYPES, MAX_FILE_MB
from commonweal.framework.models import Element

from ..errors import FundingError, WorkflowError
from ..models import (
    Application,
    Attachment,
    Criterion,
    EligibilityQuestion,
    Fund,
    Pot,
    ProspectusComment,
    Question,
    Round,
    ThemeBudget,
)
from ..permissions import is_officer
from .queries import CRITERIA_LOCKED, publishing_problems, scoring_started

P = Round.Prospectus
M = TypeVar("M", bound=Model)


# --- checks shared by the use cases -----------------------------------------------------------------------


def _require_officer(by: Any) -> None:
    if not is_officer(by):
        raise PermissionDenied("Only council officers can set up funds and rounds.")


def _check(record: Model, errors: dict[str, list[str]], *, exclude: Iterable[str] = ()) -> None:
    """Run the model's own checks too (lengths, required fields), then raise every problem at once."""
    for model_field in record._meta.concrete_fields:
        value = getattr(record, model_field.attname, None)
        limit = model_field.max_length
        # Django checks CharField lengths but not TextField ones: check every text's length here.
        if isinstance(value, str) and limit and len(value) > limit:
            errors.setdefault(model_field.name, [f"This is too long: use at most {limit:,} characters."])
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            if field not in errors:
                errors[field] = [_plain(message) for message in problems]
    if errors:
        raise FundingError(errors)


def _copy(values: Mapping[str, Any], record: Model, fields: Iterable[str]) -> None:
    """Put the values given for these fields on the record, text trimmed; a field not given keeps its value."""
    for field in fields:
        if field in values:
            value = values[field]
            setattr(record, field, value.strip() if isinstance(value, str) else value)


def _saved(record: M, apply: Callable[[M, Mapping[str, Any]], None], values: Mapping[str, Any], by: User) -> M:
    """Check the values onto a new or locked record of the set-up and save it, in the officer's name."""
    apply(record, values)
    with acting(by):
        record.save()
    return record


def _locked(record: M) -> M:
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def _plain(message: str) -> str:
    """Django's stock messages, in the words our pages use."""
    if message == "This field cannot be blank." or message == "This field cannot be null.":
        return "Enter this: it cannot be left empty."
    if message.startswith("Ensure this value has at most"):
        limit = int(message.split("at most ")[1].split(" ")[0])
        return f"This is too long: use at most {limit:,} characters."
    return message


def _unique_slug(model: type[Fund] | type[Round], wanted: str, name: str, *, current: Model | None) -> str:
    """The slug asked for (checked), or one made from the name with -2, -3… until it is free."""
    others = model.objects.all()
    if current is not None and current.pk:
        others = others.exclude(pk=current.pk)
    if wanted:
        slug = wanted.strip().lower()
        if slug != slugify(slug):
            raise FundingError({"slug": "Use only lower-case letters, numbers and hyphens in the web address."})
        if len(slug) > 80:
            raise FundingError({"slug": "This is too long: use at most 80 characters in the web address."})
        if others.filter(slug=slug).exists():
            raise FundingError({"slug": f"The web address '{slug}' is already used. Choose another."})
        return slug
    base = slugify(name)[:70].strip("-") or model.__name__.lower()
    slug, n = base, 1
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- funds -------------------------------------------------------------------------------------------------

FUND_FIELDS = ("name", "summary", "description", "total_budget", "starts_on", "ends_on", "must_serve_area")


def _apply_fund(fund: Fund, values: Mapping[str, Any]) -> list[Element]:
    errors: dict[str, list[str]] = {}
    _copy(values, fund, FUND_FIELDS)
    if not fund.name:
        errors["name"] = ["Enter the name of the fund, for example 'Civic Pride Fund'."]
    if not fund.summary:
        errors["summary"] = ["Write a summary of the fund in one or two sentences."]
    if fund.total_budget is None:
        errors["total_budget"] = ["Enter the fund's total budget in pounds, for example 500000."]
    elif fund.total_budget < 0:
        errors["total_budget"] = ["The total budget cannot be less than £0."]
    if fund.starts_on and fund.ends_on and fund.ends_on < fund.starts_on:
        errors["ends_on"] = ["The fund must end on or after the day it starts."]
    kinds = list(values.get("eligible_kinds", fund.eligible_kinds) or [])
    unknown = [kind for kind in kinds if kind not in Organisation.Kind.values]
    if unknown:
        errors["eligible_kinds"] = ["Choose kinds of organisation from the list."]
    fund.eligible_kinds = [kind for kind in Organisation.Kind.values if kind in kinds]
    themes: list[Element] = []
    if "themes" in values:
        wanted = [getattr(theme, "pk", theme) for theme in values["themes"] or []]
        themes = list(Element.objects.filter(pk__in=wanted, kind=Element.Kind.THEME))
        if len(themes) != len(set(wanted)):
            errors["themes"] = ["Choose themes from the council's framework."]
    else:
        themes = list(fund.themes.all()) if fund.pk else []
    try:
        # A caller that does not mention the web address keeps it; an empty one is made again from the name.
        slug = values["slug"] if "slug" in values else fund.slug
        fund.slug = _unique_slug(Fund, str(slug or ""), fund.name, current=fund)
    except FundingError as error:
        errors.update(error.message_dict)
    _check(fund, errors, exclude=["created_by", "slug"] if not fund.slug else ["created_by"])
    return themes


@transaction.atomic
def create_fund(*, values: Mapping[str, Any], by: User) -> Fund:
    """Create a fund; its web address comes from its name unless one is given, and must be free."""
    _require_officer(by)
    fund = Fund(created_by=by)
    themes = _apply_fund(fund, values)
    with acting(by):
        fund.save()
        fund.themes.set(themes)
    return fund


@transaction.atomic
def update_fund(*, fund: Fund, values: Mapping[str, Any], by: User) -> Fund:
    """Change a fund; its theme budgets must still fit in its total budget, and a theme taken away loses its budget."""
    _require_officer(by)
    fund = _locked(fund)
    themes = _apply_fund(fund, values)
    kept = {theme.pk for theme in themes}
    budgets = fund.theme_budgets.filter(theme__in=kept).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if fund.total_budget is not None and budgets > fund.total_budget:
        raise FundingError(
            {
                "total_budget": (
                    f"The budgets for the themes add up to {pounds(budgets)}, more than a total budget of "
                    f"{pounds(fund.total_budget)}. Lower the theme budgets first, or keep a larger total."
                )
            }
        )
    with acting(by):
        fund.save()
        fund.themes.set(themes)
        for budget in fund.theme_budgets.exclude(theme__in=kept):
            budget.delete()
    return fund


@transaction.atomic
def set_theme_budgets(*, fund: Fund, amounts: Mapping[int, Decimal | None], by: User) -> list[ThemeBudget]:
    """Set how much of the fund each of its themes may spend; together they may not exceed the total budget."""
    _require_officer(by)
    fund = _locked(fund)
    themes = {theme.pk: theme for theme in fund.themes.all()}
    errors: dict[str, list[str]] = {}
    for theme_pk, amount in amounts.items():
        if theme_pk not in themes:
            errors["__all__"] = ["Budgets can only be set for the fund's own themes."]
        elif amount is not None and amount < 0:
            errors[f"theme_{theme_pk}"] = [f"The budget for {themes[theme_pk].name} cannot be less than £0."]
    if errors:
        raise FundingError(errors)
    # Budgets of themes not named here stay as they are, and count towards the total too.
    others = fund.theme_budgets.exclude(theme__in=list(amounts)).aggregate(total=Sum("amount"))["total"]
    total = sum((amount for amount in amounts.values() if amount), others or Decimal("0"))
    if total > fund.total_budget:
        raise FundingError(
            {
                "__all__": [
                    f"The theme budgets add up to {pounds(total)}, more than the fund's total budget of "
                    f"{pounds(fund.total_budget)}."
                ]
            }
        )
    kept: list[ThemeBudget] = []
    with acting(by):
        for theme_pk, amount in amounts.items():
            if amount is None:
                ThemeBudget.objects.filter(fund=fund, theme_id=theme_pk).delete()
                continue
            budget, _ = ThemeBudget.objects.update_or_create(
                fund=fund, theme=themes[theme_pk], defaults={"amount": amount}
            )
            kept.append(budget)
    return kept


# --- pots --------------------------------------------------------------------------------------------------

POT_FIELDS = ("name", "description", "min_amount", "max_amount", "max_turnover")


def _apply_pot(pot: Pot, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    _copy(values, pot, POT_FIELDS)
    if not pot.name:
        errors["name"] = ["Enter a name for the pot, for example 'Small grants'."]
    if pot.min_amount is None:
        pot.min_amount = Decimal("0")
    if pot.max_amount is None:
        errors["max_amount"] = ["Enter the largest grant from this pot in pounds, for example 2500."]
    elif pot.max_amount <= 0:
        errors["max_amount"] = ["The largest grant must be more than £0."]
    elif pot.min_amount > pot.max_amount:
        errors["min_amount"] = [
            f"The smallest grant ({pounds(pot.min_amount)}) must not be more than the largest "
            f"({pounds(pot.max_amount)})."
        ]
    if pot.min_amount < 0:
        errors["min_amount"] = ["The smallest grant cannot be less than £0."]
    if pot.max_turnover is not None and pot.max_turnover <= 0:
        errors["max_turnover"] = ["Enter an income limit of more than £0, or leave it empty for no limit."]
    _check(pot, errors, exclude=["fund"])


def _next_position(siblings: Any) -> int:
    """The place after the last of `siblings` (pots, questions, criteria): new ones go at the end."""
    last = siblings.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_pot(*, fund: Fund, values: Mapping[str, Any], by: User) -> Pot:
    """Add a band of grant to a fund; its smallest grant may not be more than its largest."""
    _require_officer(by)
    return _saved(Pot(fund=fund, position=_next_position(fund.pots)), _apply_pot, values, by)


@transaction.atomic
def update_pot(*, pot: Pot, values: Mapping[str, Any], by: User) -> Pot:
    """Change a pot; its smallest grant may not be more than its largest."""
    _require_officer(by)
    return _saved(_locked(pot), _apply_pot, values, by)


@transaction.atomic
def delete_pot(*, pot: Pot, by: User) -> None:
    """Remove a pot, but only while no application asks for money from it."""
    _require_officer(by)
    used = Application.objects.filter(pot=pot).count()
    if used:
        raise FundingError(
            f"The pot {pot.name} cannot be deleted: {used} application{'s' if used != 1 else ''} "
            f"{'ask' if used != 1 else 'asks'} for money from it."
        )
    with acting(by):
        pot.delete()


# --- eligibility questions ---------------------------------------------------------------------------------


def _apply_eligibility(question: EligibilityQuestion, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("question", "reason"):
        if field in values:
            setattr(question, field, str(values[field] or "").strip())
    if "required_answer" in values:
        if values["required_answer"] is None:
            errors["required_answer"] = ["Say which answer a group must give to be eligible."]
        else:
            question.required_answer = bool(values["required_answer"])
    if not question.question:
        errors["question"] = ["Enter the question, for example 'Does your work benefit people in Merton?'."]
    if not question.reason:
        errors["reason"] = ["Say in a sentence why a group that answers otherwise is not eligible."]
    _check(question, errors, exclude=["fund"])


@transaction.atomic
def add_eligibility_question(*, fund: Fund, values: Mapping[str, Any], by: User) -> EligibilityQuestion:
    """Add a yes/no question to a fund's eligibility checker, with the answer needed and the reason."""
    _require_officer(by)
    return _saved(
        EligibilityQuestion(fund=fund, position=_next_position(fund.eligibility_questions)),
        _apply_eligibility,
        values,
        by,
    )


@transaction.atomic
def update_eligibility_question(
    *, question: EligibilityQuestion, values: Mapping[str, Any], by: User
) -> EligibilityQuestion:
    """Change an eligibility question, its needed answer or its reason."""
    _require_officer(by)
    return _saved(_locked(question), _apply_eligibility, values, by)


@transaction.atomic
def delete_eligibility_question(*, question: EligibilityQuestion, by: User) -> None:
    """Remove an eligibility question; applications keep the answers they gave."""
    _require_officer(by)
    with acting(by):
        question.delete()


# --- rounds ------------------------------------------------------------------------------------------------

ROUND_FIELDS = (
    "name",
    "opens_at",
    "closes_at",
    "decisions_by",
    "one_per_organisation",
    "assessors_per_application",
    "score_max",
)


def _apply_round(round_: Round, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    _copy(values, round_, ROUND_FIELDS)
    if not round_.name:
        errors["name"] = ["Enter a name for the round, for example 'Round 1: 2026 to 2027'."]
    if round_.opens_at is None:
        errors["opens_at"] = ["Enter the date and time the round opens for applications."]
    if round_.closes_at is None:
        errors["closes_at"] = ["Enter the deadline: the date and time the round closes."]
    if round_.opens_at and round_.closes_at and round_.closes_at <= round_.opens_at:
        errors["closes_at"] = ["The round must close after it opens."]
    if round_.decisions_by and round_.closes_at and round_.decisions_by < timezone.localdate(round_.closes_at):
        errors["decisions_by"] = ["Decisions can only be expected on or after the day the round closes."]
    if round_.assessors_per_application is None or not 1 <= round_.assessors_per_application <= 10:
        errors["assessors_per_application"] = ["Enter how many assessors score each application: from 1 to 10."]
    if round_.score_max is None or not 1 <= round_.score_max <= 10:
        errors["score_max"] = ["Enter the highest score for a criterion: from 1 to 10."]
    try:
        slug = values["slug"] if "slug" in values else round_.slug
        round_.slug = _unique_slug(Round, str(slug or ""), round_.name or "round", current=round_)
    except FundingError as error:
        errors.update(error.message_dict)
    _check(round_, errors, exclude=["fund", "slug"] if not round_.slug else ["fund"])


@transaction.atomic
def create_round(*, fund: Fund, values: Mapping[str, Any], by: User) -> Round:
    """Add a round to a fund; it closes after it opens, and its prospectus starts as a draft only officers see."""
    _require_officer(by)
    return _saved(Round(fund=fund, prospectus_status=P.DRAFT), _apply_round, values, by)


@transaction.atomic
def update_round(*, round: Round, values: Mapping[str, Any], by: User) -> Round:
    """Change a round's dates and settings; it must still close after it opens, and its highest score is fixed
    once assessors have started scoring."""
    _require_officer(by)
    locked = _locked(round)
    if "score_max" in values and values["score_max"] != locked.score_max and scoring_started(locked):
        raise FundingError({"score_max": [CRITERIA_LOCKED]})
    return _saved(locked, _apply_round, values, by)


# --- the application form ----------------------------------------------------------------------------------

QUESTION_FIELDS = ("label", "hint", "kind", "required", "word_limit", "file_types", "max_file_mb")


def _apply_question(question: Question, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    _copy(values, question, QUESTION_FIELDS)
    if not question.label:
        errors["label"] = ["Enter the question, for example 'What difference will your project make?'."]
    if question.kind not in Question.Kind.values:
        errors["kind"] = ["Choose the kind of answer from the list."]
    is_file = question.kind == Question.Kind.ATTACHMENT
    types = list(question.file_types or [])
    if is_file:
        if not types:
            errors["file_types"] = ["Choose at least one type of file that may be uploaded."]
        elif any(kind not in FILE_TYPES for kind in types):
            errors["file_types"] = ["Choose file types from the list: PDF, DOCX, XLSX, ODT, JPG or PNG."]
        if question.max_file_mb is None or not 1 <= question.max_file_mb <= MAX_FILE_MB:
            errors["max_file_mb"] = [f"Enter the largest file size in MB: from 1 to {MAX_FILE_MB}."]
        question.word_limit = None
        question.file_types = [kind for kind in FILE_TYPES if kind in types]
    else:
        question.file_types = []
        if question.max_file_mb is None:
            question.max_file_mb = 10
        if question.word_limit is not None and question.word_limit < 1:
            errors["word_limit"] = ["Enter a word limit of 1 or more, or leave it empty for no limit."]
        if question.kind == Question.Kind.NUMBER:
            question.word_limit = None
    _check(question, errors, exclude=["round"])


@transaction.atomic
def add_question(*, round: Round, values: Mapping[str, Any], by: User) -> Question:
    """Add a question to the end of a round's application form; file questions name their types and size."""
    _require_officer(by)
    return _saved(Question(round=round, position=_next_position(round.questions)), _apply_question, values, by)


@transaction.atomic
def update_question(*, question: Question, values: Mapping[str, Any], by: User) -> Question:
    """Change a question of the application form."""
    _require_officer(by)
    return _saved(_locked(question), _apply_question, values, by)


def question_use(question: Question) -> int:
    """How many applications have answered this question (text, number or file)."""
    answered = set(
        Application.objects.filter(round_id=question.round_id, answers__has_key=str(question.pk)).values_list(
            "pk", flat=True
        )
    )
    answered |= set(Attachment.objects.filter(question=question).values_list("application_id", flat=True))
    return len(answered)


@transaction.atomic
def delete_question(*, question: Question, by: User) -> None:
    """Remove a question, but only while no application has answered it."""
    _require_officer(by)
    used = question_use(question)
    if used:
        raise FundingError(
            f"The question '{question.label}' cannot be deleted: {used} application{'s have' if used != 1 else ' has'} "
            "answered it."
        )
    with acting(by):
        question.delete()


@transaction.atomic
def move_question(*, question: Question, direction: str, by: User) -> bool:
    """Swap a question with its neighbour on the form; False when it is already first or last."""
    _require_officer(by)
    if direction not in ("up", "down"):
        raise FundingError(f'"{direction}" is not a direction: choose up or down.')
    return move_in_order(question, Question.objects.filter(round_id=question.round_id), direction, by=by)


# --- scoring criteria --------------------------------------------------------------------------------------


CRITERION_FIELDS = ("name", "guidance", "weight", "descriptors")
DESCRIPTOR_LENGTH = 300


def _refuse_once_scored(round: Round) -> None:
    """The round's criteria are its published scoring method: fixed once any assessor has scored in the round."""
    if scoring_started(round):
        raise FundingError(CRITERIA_LOCKED)


def _apply_criterion(criterion: Criterion, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    _copy(values, criterion, CRITERION_FIELDS)
    if not criterion.name:
        errors["name"] = ["Enter the criterion, for example 'How well the project meets a local need'."]
    if criterion.weight is None or not 1 <= criterion.weight <= 100:
        errors["weight"] = ["Enter the weight as a whole number from 1 to 100 (per cent)."]
    descriptors = criterion.descriptors
    if isinstance(descriptors, str):
        descriptors = [line.strip() for line in descriptors.splitlines() if line.strip()]
    criterion.descriptors = [str(line).strip() for line in descriptors or []]
    wanted = criterion.round.score_max + 1
    if criterion.descriptors and len(criterion.descriptors) != wanted:
        errors["descriptors"] = [
            f"Give one line for each score from 0 to {wanted - 1}: that is {wanted} lines, "
            f"and there are {len(criterion.descriptors)}. Or leave it empty."
        ]
    elif any(len(line) > DESCRIPTOR_LENGTH for line in criterion.descriptors):
        errors["descriptors"] = [f"Keep each line to {DESCRIPTOR_LENGTH} characters or fewer."]
    _check(criterion, errors, exclude=["round"])


@transaction.atomic
def add_criterion(*, round: Round, values: Mapping[str, Any], by: User) -> Criterion:
    """Add a scoring criterion with its weight; the round's weights must add up to 100 before publishing."""
    _require_officer(by)
    _refuse_once_scored(_locked(round))
    return _saved(Criterion(round=round, position=_next_position(round.criteria)), _apply_criterion, values, by)


@transaction.atomic
def update_criterion(*, criterion: Criterion, values: Mapping[str, Any], by: User) -> Criterion:
    """Change a criterion's name, guidance or weight, until assessors start scoring the round."""
    _require_officer(by)
    _refuse_once_scored(_locked(criterion.round))
    return _saved(_locked(criterion), _apply_criterion, values, by)


@transaction.atomic
def delete_criterion(*, criterion: Criterion, by: User) -> None:
    """Remove a criterion, but only while no assessor has scored the round (against it or any other)."""
    _require_officer(by)
    _refuse_once_scored(_locked(criterion.round))
    with acting(by):
        criterion.delete()


# --- the prospectus and its co-design ----------------------------------------------------------------------


@transaction.atomic
def update_prospectus(*, round: Round, prospectus: str, methodology: str, comments_close_at: Any, by: User) -> Round:
    """Write the prospectus and the scoring methodology; comments close before the round opens."""
    _require_officer(by)
    round_ = _locked(round)
    round_.prospectus = prospectus.strip()
    round_.methodology = methodology.strip()
    round_.comments_close_at = comments_close_at
    errors: dict[str, list[str]] = {}
    if comments_close_at is not None and comments_close_at > round_.closes_at:
        errors["comments_close_at"] = ["Comments must close before the round's deadline."]
    _check(round_, errors, exclude=["fund"])
    with acting(by):
        round_.save()
    return round_


def _locked_round(round: Round) -> Round:
    return Round.objects.select_for_update().select_related("fund").get(pk=round.pk)


@transaction.atomic
def open_prospectus_for_comment(*, round: Round, by: User) -> Round:
    """Let group members read the draft prospectus and comment on it, until comments close or it is published."""
    _require_officer(by)
    round_ = _locked_round(round)
    if round_.prospectus_status == P.OPEN_FOR_COMMENT:
        raise WorkflowError("This prospectus is already open for comment.")
    if round_.prospectus_status == P.PUBLISHED:
        raise WorkflowError("This prospectus is already published, so it cannot be opened for comment.")
    if not round_.prospectus.strip():
        raise WorkflowError("Write the prospectus before opening it for comment.")
    round_.prospectus_status = P.OPEN_FOR_COMMENT
    with acting(by):
        round_.save(update_fields=["prospectus_status", "updated_at"])
    return round_


@transaction.atomic
def publish_prospectus(*, round: Round, by: User) -> Round:
    """Publish the prospectus for everyone, once it has questions, criteria weighing 100% and the fund has pots."""
    _require_officer(by)
    round_ = _locked_round(round)
    if round_.prospectus_status == P.PUBLISHED:
        raise WorkflowError("This prospectus has already been published.")
    problems = publishing_problems(round_)
    if problems:
        raise WorkflowError(problems)
    round_.prospectus_status = P.PUBLISHED
    round_.prospectus_published_at = timezone.now()
    with acting(by):
        round_.save(update_fields=["prospectus_status", "prospectus_published_at", "updated_at"])
    return round_


def comment_refusal(round: Round, user: Any, *, at: Any = None) -> str:
    """Why this person cannot comment on this prospectus now; empty when they can."""
    now = at or timezone.now()
    if not user.is_authenticated or not user.has_role(Role.GROUP_MEMBER):
        return "Only members of community groups can comment on a draft prospectus."
    if round.prospectus_status != P.OPEN_FOR_COMMENT:
        return "This prospectus is not open for comment."
    if round.comments_close_at is not None and now >= round.comments_close_at:
        return "Comments on this prospectus have closed."
    return ""


@transaction.atomic
def comment_on_prospectus(*, round: Round, body: str, by: User) -> ProspectusComment:
    """A group member comments on a prospectus open for comment; the comment is kept for the officers to answer."""
    round_ = _locked(round)
    refusal = comment_refusal(round_, by)
    if refusal:
        if not by.is_authenticated or not by.has_role(Role.GROUP_MEMBER):
            raise PermissionDenied(refusal)
        raise FundingError(refusal)
    organisation = (
        Organisation.objects.filter(pk__in=by.organisation_ids_for(Role.GROUP_MEMBER)).order_by("name", "pk").first()
    )
    comment = ProspectusComment(round=round_, author=by, organisation=organisation, body=body.strip())
    errors: dict[str, list[str]] = {}
    if not comment.body:
        errors["body"] = ["Write your comment on the prospectus."]
    _check(comment, errors, exclude=["round", "author", "organisation", "answer", "answered_by", "answered_at"])
    with acting(by):
        comment.save()
    return comment


@transaction.atomic
def answer_prospectus_comment(*, comment: ProspectusComment, answer: str, by: User) -> ProspectusComment:
    """An officer answers a group's comment on a prospectus; the answer is shown beside it."""
    _require_officer(by)
    comment = _locked(comment)
    comment.answer = answer.strip()
    errors: dict[str, list[str]] = {}
    if not comment.answer:
        errors["answer"] = ["Write your answer to the comment."]
    _check(comment, errors, exclude=["round", "author", "organisation", "answered_by", "answered_at"])
    comment.answered_by = by
    comment.answered_at = timezone.now()
    with acting(by):
        comment.save(update_fields=["answer", "answered_by", "answered_at"])
    return comment
