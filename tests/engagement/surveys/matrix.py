"""Permission-matrix rows for engagement's surveys area (see tests/test_permission_matrix.py).

Anyone may answer a wave open to any resident, answer through an invitation's link, and read a wave's published
results. Officers and the stewards may start surveys; a survey is run by its department's officers and the
stewards. The matrix's surveys are run by a department none of its officers belongs to, so only stewards and
administrators run them here (tests/engagement/surveys shows an officer of the department running one). A wave's
results before they are published are not found for anyone else. Crafted empty POSTs are shown again with
their errors.
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import User
from commonweal.engagement.models_surveys import Wave, WaveInvitation
from commonweal.engagement.surveys import services
from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, Row, only

TOKEN = "matrix-survey-invitation-token-0123456789abcdefghijklmno"
NO_POST: dict[str, int | str] = dict.fromkeys(ROLES, 405)
SIGNED_IN_NO_POST: dict[str, int | str] = {**NO_POST, "anonymous": LOGIN}
RUNNERS = ("officer", "steward", "admin")
STEWARDS = ("steward", "admin")
STEWARDS_DONE: dict[str, int | str] = {**only(*STEWARDS), "steward": 302, "admin": 302}
NOT_FOUND_BUT_STEWARDS: dict[str, int | str] = {**dict.fromkeys(ROLES, 404), "steward": 200, "admin": 200}


def _args(wave: str) -> Any:
    return lambda t: [t["survey"].slug, t[wave].slug]


ROWS: list[Row] = [
    ("engagement:surveys", lambda t: [], "GET", ALL),
    ("engagement:surveys", lambda t: [], "POST", NO_POST),
    ("engagement:survey_answer", _args("wave_open"), "GET", ALL),
    ("engagement:survey_answer", _args("wave_open"), "POST", ALL),  # empty: its errors
    ("engagement:survey_answer", _args("wave_draft"), "GET", NOT_FOUND_BUT_STEWARDS),
    ("engagement:survey_answer", _args("wave_invited"), "GET", dict.fromkeys(ROLES, 403)),
    ("engagement:survey_invited", lambda t: [TOKEN], "GET", ALL),
    ("engagement:survey_invited", lambda t: [TOKEN], "POST", ALL),  # empty: its errors
    ("engagement:survey_invited", lambda t: ["not-a-real-token"], "GET", dict.fromkeys(ROLES, 404)),
    ("engagement:survey_thanks", _args("wave_open"), "GET", ALL),
    ("engagement:survey_thanks", _args("wave_open"), "POST", NO_POST),
    ("engagement:survey_results", _args("wave_published"), "GET", ALL),
    ("engagement:survey_results", _args("wave_published"), "POST", NO_POST),
    ("engagement:survey_results", _args("wave_closed"), "GET", NOT_FOUND_BUT_STEWARDS),
    ("engagement:survey_results_csv", _args("wave_published"), "GET", ALL),
    ("engagement:survey_results_csv", _args("wave_closed"), "GET", NOT_FOUND_BUT_STEWARDS),
    ("engagement:survey_results_csv", _args("wave_published"), "POST", NO_POST),
    ("engagement:manage_surveys", lambda t: [], "GET", only(*RUNNERS)),
    ("engagement:manage_surveys", lambda t: [], "POST", SIGNED_IN_NO_POST),
    ("engagement:survey_new", lambda t: [], "GET", only(*RUNNERS)),
    ("engagement:survey_new", lambda t: [], "POST", only(*RUNNERS)),  # empty: its errors
    ("engagement:manage_survey", lambda t: [t["survey"].slug], "GET", only(*STEWARDS)),
    ("engagement:manage_survey", lambda t: [t["survey"].slug], "POST", SIGNED_IN_NO_POST),
    ("engagement:wave_new", lambda t: [t["survey"].slug], "GET", only(*STEWARDS)),
    ("engagement:wave_new", lambda t: [t["survey"].slug], "POST", only(*STEWARDS)),  # empty: its errors
    ("engagement:manage_wave", _args("wave_open"), "GET", only(*STEWARDS)),
    ("engagement:manage_wave", _args("wave_open"), "POST", SIGNED_IN_NO_POST),
    ("engagement:wave_invite", _args("wave_invited"), "GET", only(*STEWARDS)),
    ("engagement:wave_invite", _args("wave_invited"), "POST", only(*STEWARDS)),  # empty: its errors
    # Without selected panel members a steward is told so on the wave's page; others are refused.
    ("engagement:wave_invite_panel", _args("wave_invited"), "POST", STEWARDS_DONE),
    ("engagement:wave_invite_panel", _args("wave_invited"), "GET", SIGNED_IN_NO_POST),
    ("engagement:wave_step", lambda t: [t["survey"].slug, t["wave_draft"].slug, "open"], "POST", STEWARDS_DONE),
    ("engagement:wave_step", lambda t: [t["survey"].slug, t["wave_draft"].slug, "open"], "GET", SIGNED_IN_NO_POST),
]


def add_targets(found: dict[str, Any]) -> None:
    """A survey run by a department no matrix officer belongs to, with a wave at each stage (the closed and the
    published ones answered by twelve residents) and an unused invitation (TOKEN) to a wave for those invited."""
    from commonweal.accounts.models import Organisation
    from tests.engagement.surveys import helpers

    department = Organisation.objects.create(
        name="Matrix surveys department", slug="matrix-surveys-department", kind=Organisation.Kind.COUNCIL_DEPARTMENT
    )
    steward = User.objects.filter(email="matrix-survey-steward@example.org").first() or User.objects.create_user(
        "matrix-survey-steward@example.org", "x"
    )
    from commonweal.accounts.services import confirm_email, grant_membership

    confirm_email(steward)
    grant_membership(user=steward, role="steward")
    survey = services.create_survey(
        title="Matrix survey", summary="A matrix survey.", department=department, by=steward
    )
    found["survey"] = survey
    found["wave_draft"] = helpers.wave(survey, "Matrix draft", status=Wave.Status.DRAFT)
    found["wave_open"] = helpers.wave(survey, "Matrix open")
    found["wave_invited"] = helpers.wave(survey, "Matrix invited", sample=Wave.Sample.INVITED)
    found["wave_closed"] = helpers.wave(survey, "Matrix closed", status=Wave.Status.CLOSED)
    found["wave_published"] = helpers.wave(survey, "Matrix published", status=Wave.Status.PUBLISHED)
    helpers.responses(found["wave_closed"], 12)
    helpers.responses(found["wave_published"], 12)
    WaveInvitation.objects.create(wave=found["wave_invited"], token_hash=services.hash_token(TOKEN))
