"""Writes to the Solutions Framework's rules: categories and their routing (departments and champion), service
standards per stage, and the council's settings. Each is one transaction, refuses bad input with a full sentence
(SolutionsError) and is audited (auditlog records who changed what, the departments of a category included)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role

from ..errors import SolutionsError
from ..models import Category, ServiceStandard, SolutionsSettings, Stage


def _check_category(
    *, name: str, departments: Iterable[Organisation], champion: User | None, category: Category | None
) -> list[Organisation]:
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["Enter the category's name."]
    else:
        same = Category.objects.filter(name__iexact=name)
        if category is not None:
            same = same.exclude(pk=category.pk)
        if same.exists():
            errors["name"] = [f"There is already a category called ‘{name}’. Give this one a different name."]
    chosen = list(departments)
    if not chosen:
        errors["departments"] = ["Choose at least one department that blockages of this kind go to."]
    elif any(d.kind != Organisation.Kind.COUNCIL_DEPARTMENT for d in chosen):
        errors["departments"] = ["Blockages can only go to council departments."]
    if champion is not None and not champion.has_role(Role.CHAMPION):
        errors["champion"] = [f"{champion.full_name or champion.email} is not a champion. Choose someone who is."]
    if errors:
        raise SolutionsError(errors)
    return chosen


def _unique_slug(name: str, category: Category | None) -> str:
    base = slugify(name)[:70] or "category"
    slug, n = base, 2
    others = Category.objects.exclude(pk=category.pk) if category is not None else Category.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def add_category(
    *,
    name: str,
    description: str = "",
    departments: Iterable[Organisation],
    champion: User | None = None,
    is_active: bool = True,
    by: Any = None,
) -> Category:
    """A new kind of blockage, routed to at least one council department."""
    with transaction.atomic():
        chosen = _check_category(name=name, departments=departments, champion=champion, category=None)
        position = (Category.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        category = Category.objects.create(
            name=name.strip(),
            slug=_unique_slug(name, None),
            description=description.strip(),
            champion=champion,
            is_active=is_active,
            position=position,
        )
        category.departments.set(chosen)
    return category


def change_category(
    *,
    category: Category,
    name: str,
    description: str = "",
    departments: Iterable[Organisation],
    champion: User | None = None,
    is_active: bool = True,
    by: Any = None,
) -> Category:
    """Change a category's name, routing or champion, or retire it (no longer offered; its cases carry on).
    Blockages already raised keep the departments they were routed to: only new ones follow the new rule."""
    with transaction.atomic():
        chosen = _check_category(name=name, departments=departments, champion=champion, category=category)
        locked = Category.objects.select_for_update().get(pk=category.pk)
        locked.name = name.strip()
        locked.description = description.strip()
        locked.champion = champion
        locked.is_active = is_active
        locked.save()
        if {d.pk for d in chosen} != set(locked.departments.values_list("pk", flat=True)):
            locked.departments.set(chosen)
    return locked


def delete_category(*, category: Category, by: Any = None) -> None:
    """Remove a category added by mistake; one any blockage was raised under is retired instead, never removed."""
    with transaction.atomic():
        if category.blockages.exists():
            raise SolutionsError(
                f"‘{category.name}’ cannot be deleted because blockages have been raised under it. Retire it "
                "instead: it will no longer be offered, and its cases carry on."
            )
        category.delete()


def set_service_standards(*, working_days: dict[str, int], by: Any = None) -> list[ServiceStandard]:
    """The council's working days for each stage (1 to 500). Stages already running keep their due dates: a new
    standard applies from the next time a stage starts."""
    errors = {
        stage: [f"{Stage(stage).label} must be between 1 and 500 working days."]
        for stage, days in working_days.items()
        if not 1 <= days <= 500
    }
    unknown = set(working_days) - set(Stage.values)
    if unknown:
        errors["__all__"] = ["There is no such stage."]
    if errors:
        raise SolutionsError(errors)
    saved = []
    with transaction.atomic():
        for stage, days in working_days.items():
            standard, made = ServiceStandard.objects.select_for_update().get_or_create(
                stage=stage, defaults={"working_days": days}
            )
            if not made and standard.working_days != days:
                standard.working_days = days
                standard.save()
            saved.append(standard)
    return saved


def change_settings(
    *, transfer_target_months: int, escalate_to_stewards_after: int, by: Any = None
) -> SolutionsSettings:
    """The whole-transfer target (1 to 60 months) and how long a breach waits at the champion (1 to 60 working
    days) before the daily task sends it on to the stewards."""
    errors: dict[str, list[str]] = {}
    if not 1 <= transfer_target_months <= 60:
        errors["transfer_target_months"] = ["The target for an asset transfer must be between 1 and 60 months."]
    if not 1 <= escalate_to_stewards_after <= 60:
        errors["escalate_to_stewards_after"] = [
            "The working days before a breach goes to the stewards must be between 1 and 60."
        ]
    if errors:
        raise SolutionsError(errors)
    with transaction.atomic():
        current = SolutionsSettings.current()
        row = SolutionsSettings.objects.select_for_update().get(pk=current.pk)
        row.transfer_target_months = transfer_target_months
        row.escalate_to_stewards_after = escalate_to_stewards_after
        row.save()
    return row
