"""The eligibility checker's rules: may an organisation of this kind and income, answering these questions, apply
to this fund, and from which pot?

`check_eligibility` reads only the fund's own rows (its questions and pots, best prefetched) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from commonweal.accounts.models import Organisation
from commonweal.core.money import pounds

from ..models import Fund, Pot

K = Organisation.Kind
# Kinds that may apply when a fund names none: everyone but the council itself and businesses.
DEFAULT_KINDS = [k.value for k in K if k not in {K.COUNCIL_DEPARTMENT, K.BUSINESS}]
# How each kind reads in 'The fund is for …' and '… cannot apply'.
PLURAL = {
    K.REGISTERED_CHARITY: "registered charities",
    K.CIO: "charitable incorporated organisations (CIOs)",
    K.CIC: "community interest companies (CICs)",
    K.COMPANY: "companies",
    K.FAITH_GROUP: "faith groups",
    K.INFORMAL_GROUP: "informal groups",
    K.PUBLIC_BODY: "public bodies",
    K.COUNCIL_DEPARTMENT: "council departments",
    K.BUSINESS: "businesses",
}


def area_question(area_name: str) -> str:
    """The checker's own question for a fund that must serve the area (a fund's questions should not repeat it)."""
    return f"Does your work benefit people in {area_name}?"


@dataclass(frozen=True)
class Answers:
    """What someone told the checker: yes/no by EligibilityQuestion pk, their kind, income and area."""

    questions: dict[int, bool] = field(default_factory=dict)
    kind: str = ""
    income: Decimal | None = None
    works_in_area: bool | None = None

    def as_json(self) -> dict[str, Any]:
        """The answers as an application keeps them (Application.eligibility)."""
        return {
            "questions": {str(pk): answer for pk, answer in self.questions.items()},
            "kind": self.kind,
            "income": str(self.income) if self.income is not None else None,
            "works_in_area": self.works_in_area,
        }


@dataclass(frozen=True)
class Result:
    eligible: bool
    reasons: list[str]
    pot: Pot | None


def allowed_kinds(fund: Fund) -> list[str]:
    return list(fund.eligible_kinds) or DEFAULT_KINDS


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _limit(pot: Pot) -> Decimal:
    return pot.max_turnover if pot.max_turnover is not None else Decimal("Infinity")


def pot_for(pots: Iterable[Pot], income: Decimal | None) -> Pot | None:
    """The pot with the smallest income limit that the income is under (a pot with no limit fits everyone)."""
    if income is None:
        return None
    fitting = [pot for pot in pots if income < _limit(pot)]
    return min(fitting, key=lambda pot: (_limit(pot), pot.position, pot.max_amount), default=None)


def check_eligibility(fund: Fund, answers: Answers, *, area_name: str = "the area") -> Result:
    """Each rule the answers fail gives its reason; the pot is the smallest-limit pot the income fits."""
    reasons: list[str] = []
    for question in fund.eligibility_questions.all():
        if answers.questions.get(question.pk) is not question.required_answer:
            reasons.append(question.reason)
    kinds = allowed_kinds(fund)
    if answers.kind not in kinds:
        shown = PLURAL.get(answers.kind, answers.kind or "organisations of an unknown kind")  # type: ignore[call-overload]
        reasons.append(
            f"The fund is for {_join([PLURAL[K(k)] for k in kinds if k in K.values])}; {shown} cannot apply."
        )
    if fund.must_serve_area and answers.works_in_area is not True:
        reasons.append(f"The fund is only for work that benefits people in {area_name}.")
    pots = list(fund.pots.all())
    pot: Pot | None = None
    if pots:
        pot = pot_for(pots, answers.income)
        if pot is None and answers.income is not None:
            highest = max(_limit(p) for p in pots)
            reasons.append(
                f"Your yearly income of {pounds(answers.income)} is too high: the fund is for organisations "
                f"with a yearly income under {pounds(highest)}."
            )
        elif answers.income is None:
            reasons.append(
                "Tell us your organisation's yearly income, so we can tell you which grants you can ask for."
            )
    return Result(eligible=not reasons, reasons=reasons, pot=pot)
