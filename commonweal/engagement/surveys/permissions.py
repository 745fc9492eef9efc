"""Who may do what with perception surveys: the survey's department's officers and the stewards run it and see
its results at any stage; everyone (residents, the public) sees a wave's results once they are published."""

from __future__ import annotations

from typing import Any

from ..models_surveys import Survey, Wave
from ..permissions import department_ids, is_steward


def runs_survey(user: Any, survey: Survey) -> bool:
    """May add waves, open, close and publish them, invite people and see unpublished results."""
    return is_steward(user) or survey.department_id in department_ids(user)


def sees_results(user: Any, wave: Wave) -> bool:
    """Published results are for everyone; earlier ones for those who run the survey."""
    return wave.status == Wave.Status.PUBLISHED or runs_survey(user, wave.survey)
