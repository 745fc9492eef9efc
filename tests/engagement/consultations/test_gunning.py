"""The Gunning check (engagement/gunning.py), rule by rule: a pure function of a consultation's facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from commonweal.engagement import gunning
from commonweal.engagement.gunning import Facts, Holiday, check

TODAY = date(2027, 3, 1)
OPENS = date(2027, 6, 1)  # twelve weeks from here are clear of bank holidays (the next is 30 August)


def sound(**changes: object) -> Facts:
    """A consultation with nothing missing and nothing to warn about: 12 weeks from 1 June 2027."""
    facts = Facts(
        summary="We want to make the high street greener and safer to cross.",
        proposal="Widen the pavements, add trees and a crossing by the library.",
        options_open="Where the crossing goes, and which trees.",
        decision_maker="Cabinet",
        decision_due_on=OPENS + timedelta(weeks=20),
        formative_statement="No decision has been made.",
        information_statement="The plan, its costs and the traffic study.",
        consultation_documents=1,
        has_easy_read=True,
        eqia_rows=10,
        opens_on=OPENS,
        closes_on=OPENS + timedelta(weeks=12) - timedelta(days=1),
        consideration_plan="Every response is read and themed.",
        considered_by="The regeneration team",
        wards=("Abbey",),
        wards_with_events=frozenset({"Abbey"}),
        minimum_weeks=2,
        default_weeks=12,
        today=TODAY,
        nation="ENG",
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def fields(found: list[gunning.Finding]) -> list[str]:
    return [f.field for f in found]


def test_a_sound_consultation_has_nothing_missing_and_nothing_to_warn_about() -> None:
    found = check(sound())
    assert found.complete
    assert found.items == ()


@pytest.mark.parametrize(
    ("blank", "principle"),
    [
        ("decision_maker", gunning.FORMATIVE),
        ("formative_statement", gunning.FORMATIVE),
        ("options_open", gunning.FORMATIVE),
        ("summary", gunning.INFORMATION),
        ("proposal", gunning.INFORMATION),
        ("information_statement", gunning.INFORMATION),
        ("consideration_plan", gunning.CONSIDERATION),
        ("considered_by", gunning.CONSIDERATION),
    ],
)
def test_each_required_statement_left_blank_is_missing_under_its_principle(blank: str, principle: int) -> None:
    found = check(sound(**{blank: "   "}))
    assert not found.complete
    assert [(f.field, f.principle) for f in found.missing] == [(blank, principle)]
    assert found.missing[0].message.endswith(".")


def test_a_decision_date_is_required_and_must_come_after_the_closing_date() -> None:
    assert fields(check(sound(decision_due_on=None)).missing) == ["decision_due_on"]
    facts = sound()
    on_the_day = check(replace(facts, decision_due_on=facts.closes_on)).missing
    assert fields(on_the_day) == ["decision_due_on"]
    assert "plan the decision for after it closes" in on_the_day[0].message
    assert check(replace(facts, decision_due_on=facts.closes_on + timedelta(days=1))).complete  # type: ignore[operator]


@pytest.mark.parametrize("words", ["approved", "agreed", "has been decided", "contract signed", "will go ahead"])
def test_words_saying_the_decision_is_made_are_warned_about_not_refused(words: str) -> None:
    found = check(sound(proposal=f"The scheme {words} last year, so the works start in May."))
    assert found.complete
    warning = next(f for f in found.warnings if f.field == "proposal")
    assert f"‘{words}’" in warning.message and warning.principle == gunning.FORMATIVE


def test_decided_words_match_whole_words_in_any_case() -> None:
    assert gunning.decided_words("Cabinet APPROVED it") == ["approved"]
    assert gunning.decided_words("Residents disagreed; nothing was unapproved") == []
    assert gunning.decided_words("It has   been decided") == ["has been decided"]


def test_a_thin_proposal_needs_a_consultation_document() -> None:
    thin = sound(consultation_documents=0, proposal="x" * (gunning.PROPOSAL_ENOUGH - 1))
    assert fields(check(thin).missing) == ["documents"]
    assert check(replace(thin, proposal="x" * gunning.PROPOSAL_ENOUGH)).complete
    assert check(replace(thin, consultation_documents=1)).complete


def test_the_equality_impact_assessment_must_have_all_ten_rows() -> None:
    found = check(sound(eqia_rows=9))
    assert fields(found.missing) == ["eqia"]
    assert "9 of its 10" in found.missing[0].message


def test_no_easy_read_version_and_an_unmitigated_negative_impact_are_warnings() -> None:
    found = check(sound(has_easy_read=False, negative_unmitigated=("Disability", "Age")))
    assert found.complete
    assert [(f.field, f.principle) for f in found.warnings] == [
        ("documents", gunning.INFORMATION),
        ("eqia", gunning.INFORMATION),
    ]
    assert "disability and age" in found.warnings[1].message


def test_both_dates_are_required() -> None:
    assert fields(check(sound(opens_on=None, closes_on=None)).missing) == ["opens_on", "closes_on"]


def test_closing_before_opening_is_refused() -> None:
    found = check(sound(closes_on=OPENS - timedelta(days=1)))
    assert fields(found.missing) == ["closes_on"]


def test_an_opening_date_that_has_passed_is_refused_only_when_publishing() -> None:
    past = sound(opens_on=TODAY - timedelta(days=1), closes_on=TODAY + timedelta(weeks=12))
    assert fields(check(past).missing) == ["opens_on"]
    assert check(replace(past, publishing=False)).complete
    assert check(replace(past, opens_on=TODAY)).complete  # today is allowed


def test_exactly_the_minimum_length_passes_and_a_day_less_is_refused() -> None:
    minimum = sound(minimum_weeks=2, default_weeks=2, closes_on=OPENS + timedelta(days=13))
    assert gunning.running_days(OPENS, OPENS + timedelta(days=13)) == 14
    assert check(minimum).complete
    short = check(replace(minimum, closes_on=OPENS + timedelta(days=12)))
    assert fields(short.missing) == ["closes_on"]
    assert "13 days" in short.missing[0].message and "2 weeks" in short.missing[0].message


def test_shorter_than_the_default_needs_a_reason_and_exactly_the_default_does_not() -> None:
    default = sound(closes_on=OPENS + timedelta(weeks=12, days=-1))
    assert check(default).complete
    short = replace(default, closes_on=OPENS + timedelta(weeks=12, days=-2))
    assert fields(check(short).missing) == ["short_period_reason"]
    assert check(replace(short, short_period_reason="The grant must be spent by July.")).complete


def test_a_period_over_school_holidays_names_them_and_counts_their_days() -> None:
    holidays = (
        Holiday("Easter holidays", OPENS + timedelta(days=20), OPENS + timedelta(days=33)),
        Holiday("May half term", OPENS + timedelta(days=80), OPENS + timedelta(days=90)),
        Holiday("Summer holidays", OPENS + timedelta(days=200), OPENS + timedelta(days=240)),
    )
    found = check(sound(school_holidays=holidays))
    warning = next(f for f in found.warnings if "school holiday" in f.message)
    assert "2 school holidays, 18 days in all" in warning.message
    assert "Easter holidays (14 days)" in warning.message and "May half term (4 days)" in warning.message
    assert "Summer" not in warning.message


def test_a_period_over_christmas_and_bank_holidays_is_warned_about() -> None:
    found = check(sound(opens_on=date(2027, 12, 1), closes_on=date(2028, 2, 29), decision_due_on=date(2028, 6, 1)))
    messages = " ".join(f.message for f in found.warnings)
    assert "Christmas and New Year break" in messages
    assert "Christmas Day (25 December 2027)" in messages and "New Year's Day" in messages


def test_affected_wards_without_an_event_are_named() -> None:
    found = check(sound(wards=("Abbey", "Cannon Hill", "Wimbledon Park"), wards_with_events=frozenset({"Abbey"})))
    warning = next(f for f in found.warnings if f.field == "wards")
    assert "2 affected wards: Cannon Hill and Wimbledon Park" in warning.message
    assert warning.principle == gunning.TIME


def test_findings_come_principle_by_principle_each_naming_its_field() -> None:
    found = check(Facts(today=TODAY))
    assert [f.principle for f in found.items] == sorted(f.principle for f in found.items)
    for finding in found.items:
        assert finding.label in gunning.FIELD_LABELS.values()
        assert finding.message[0].isupper() and finding.message.endswith(".")
