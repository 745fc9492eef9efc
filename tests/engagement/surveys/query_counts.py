"""Query-count cases for the surveys area's lists (see tests/test_query_counts.py)."""

from __future__ import annotations

from tests.query_counts import Context, ListCase, label


def _steward(context: Context) -> object:
    return context.setdefault("steward", context["make_user"]("steward"))


def published_wave(context: Context, n: int) -> str:
    """A survey with one published wave, named for the row."""
    from commonweal.engagement.models_surveys import Wave
    from tests.engagement.surveys import helpers

    made = helpers.survey(_steward(context), title=label("survey", n))
    return helpers.wave(made, label("wave", n), status=Wave.Status.PUBLISHED).name


def departments_survey(context: Context, n: int) -> str:
    """A survey of the signed-in officer's department, with a wave and two responses."""
    from tests.engagement.surveys import helpers

    made = helpers.survey(
        _steward(context), title=label("survey", n), department_=context["user"].memberships.first().organisation
    )
    helpers.responses(helpers.wave(made, f"Wave {n}"), 2, seed=n)
    return made.title


def _a_survey(context: Context) -> None:
    from tests.engagement.surveys import helpers

    context["survey"] = helpers.survey(_steward(context), title="Counted survey")


def wave_of_survey(context: Context, n: int) -> str:
    """A wave of the survey with a response."""
    from tests.engagement.surveys import helpers

    made = helpers.wave(context["survey"], label("wave", n))
    helpers.responses(made, 1, seed=n)
    return made.name


CASES = [
    ListCase("engagement:surveys", "anonymous", published_wave),
    ListCase("engagement:manage_surveys", "officer", departments_survey),
    ListCase("engagement:manage_survey", "steward", wave_of_survey, lambda c: [c["survey"].slug], setup=_a_survey),
]

ELSEWHERE = {
    "engagement:survey_results": (
        "tests.engagement.surveys.test_pages",
        "test_the_results_page_takes_the_same_queries_for_more_waves_and_responses",
    ),
    "engagement:survey_results_csv": (
        "tests.engagement.surveys.test_pages",
        "test_the_spreadsheet_takes_the_same_queries_for_more_responses",
    ),
}

# Routes that list nothing that grows with the data.
NOT_LISTS: set[str] = {
    "engagement:survey_answer",
    "engagement:survey_invited",
    "engagement:survey_thanks",
    "engagement:survey_new",
    "engagement:wave_new",
    "engagement:manage_wave",
    "engagement:wave_invite",
    "engagement:wave_invite_panel",
    "engagement:wave_step",
}
