"""Permission-matrix rows for engagement's analysis area (see tests/test_permission_matrix.py).

targets['analysis_consultation'] belongs to a department none of the matrix's people is an officer of and affects
no ward, so only stewards and administrators (who see all engagement) see its results, tag its answers and export
them; the matrix's councillor has no wards and is refused like everyone else. Crafted POSTs are empty: the tagging
and theme pages show them again with a message (200) and write nothing; everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import ROLES
from tests.matrix import LOGIN, Row, only

RUNS = only("steward", "admin")
NOT_POSTED = {role: (LOGIN if role == "anonymous" else 405) for role in ROLES}


def _consultation(t: dict[str, Any]) -> list[Any]:
    return [t["analysis_consultation"].slug]


def _question(t: dict[str, Any]) -> list[Any]:
    return [t["analysis_consultation"].slug, t["analysis_question"].pk]


def _theme(t: dict[str, Any]) -> list[Any]:
    return [t["analysis_consultation"].slug, t["analysis_question"].pk, t["analysis_theme"].pk]


ROWS: list[Row] = [
    ("engagement:results", _consultation, "GET", RUNS),
    ("engagement:results", lambda t: [*_consultation(t), f"?ward={t['ward'].pk}&answer=sex:female"], "GET", RUNS),
    ("engagement:results", _consultation, "POST", NOT_POSTED),
    ("engagement:responses_csv", _consultation, "GET", RUNS),
    ("engagement:responses_csv", _consultation, "POST", NOT_POSTED),
    ("engagement:tagging", _question, "GET", RUNS),
    ("engagement:tagging", _question, "POST", RUNS),
    ("engagement:theme", _theme, "GET", RUNS),
    ("engagement:theme", _theme, "POST", RUNS),
]


def add_targets(found: dict[str, Any]) -> None:
    """targets['analysis_consultation'] with a submitted response, its free-text question and a theme."""
    from commonweal.engagement.models import AnswerTheme
    from tests.engagement import factories

    consultation = factories.consultation(
        "Analysis matrix consultation", department_=factories.department("Analysis matrix department")
    )
    question = consultation.questions.get(kind="text")
    factories.response(consultation, answers={1: {"choices": [0]}, 4: {"text": "More trees please"}})
    found["analysis_consultation"] = consultation
    found["analysis_question"] = question
    found["analysis_theme"] = AnswerTheme.objects.create(consultation=consultation, name="Trees")
