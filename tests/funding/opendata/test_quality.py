"""The quality checks find grants that are valid 360Giving but probably wrong, and say which and why."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from commonweal.funding.opendata.giving360_quality import check_grant, check_grants, summary

TODAY = date(2026, 6, 1)


def good_grant() -> dict[str, Any]:
    return {
        "id": "360G-commonweal-CPF-1",
        "title": "Food for families",
        "description": "Weekly food parcels for families in Figge's Marsh.",
        "currency": "GBP",
        "amountAwarded": 9500,
        "awardDate": "2026-03-01",
        "fundingOrganization": [{"id": "GB-LAE-MRT", "name": "London Borough of Merton"}],
        "recipientOrganization": [
            {"id": "GB-CHC-1123456", "name": "Wimbledon Food Bank", "charityNumber": "1123456"},
        ],
        "beneficiaryLocation": [{"name": "Figge's Marsh", "geoCode": "E05013814", "geoCodeType": "WD"}],
        "grantProgramme": [{"code": "round-one", "title": "Civic Pride Fund: Round one"}],
        "plannedDates": [{"startDate": "2026-04-01", "endDate": "2027-03-31"}],
    }


def messages(record: dict[str, Any]) -> list[str]:
    return [w.message for w in check_grant(record, today=TODAY)]


def test_a_good_grant_has_no_warnings() -> None:
    assert messages(good_grant()) == []


def broken(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(good_grant())
    for key, value in changes.items():
        if value is None:
            del record[key]
        else:
            record[key] = value
    return record


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (broken(amountAwarded=0), "Its amount awarded is £0."),
        (broken(description="Food for families"), "Its description is the same as its title."),
        (broken(title="x" * 141), "Its title is 141 characters long"),
        (
            broken(
                recipientOrganization=[{"id": "360G-commonweal-ORG-x", "name": "X Trust", "charityNumber": "1000001"}]
            ),
            "X Trust has a 360G- identifier although it has a charity or company number",
        ),
        (
            broken(recipientOrganization=[{"id": "GB-CHC-12", "name": "Tiny", "charityNumber": "12"}]),
            "Tiny's charity number '12' is not in a format any UK charity register uses.",
        ),
        (
            broken(recipientOrganization=[{"id": "GB-COH-123", "name": "Co", "companyNumber": "123"}]),
            "Co's company number '123' is not eight characters",
        ),
        (broken(awardDate="2026-12-25"), "Its award date, 2026-12-25, is in the future."),
        (
            broken(plannedDates=[{"startDate": "2027-01-01", "endDate": "2026-01-01"}]),
            "Its planned start, 2027-01-01, is after its planned end, 2026-01-01.",
        ),
        (
            broken(plannedDates=[{"startDate": "2026-04-01", "endDate": "2206-03-31"}]),
            "Its planned end, 2206-03-31, is far in the future.",
        ),
        (broken(awardDate="1926-03-01"), "Its award date, 1926-03-01, is far in the past."),
        (
            broken(beneficiaryLocation=[{"name": "Home", "geoCode": "SW19 2HL", "geoCodeType": "WD"}]),
            "has a postcode (SW19 2HL) as its geoCode",
        ),
        (broken(description="Ring Jo or write to jo.bloggs@example.org"), "Its description contains an email address"),
        (broken(beneficiaryLocation=None), "It has no beneficiary location"),
        (broken(grantProgramme=[]), "It has no grant programme"),
    ],
)
def test_each_check_names_the_grant_and_says_what_is_wrong(record: dict[str, Any], expected: str) -> None:
    found = messages(record)
    assert len(found) == 1, found
    assert found[0].startswith("360G-commonweal-CPF-1: ")
    assert expected in found[0]


def test_the_summary_counts_each_kind_of_problem_most_first() -> None:
    records = [broken(amountAwarded=0), broken(id="G-2", amountAwarded=0, grantProgramme=None), broken(id="G-3")]
    found = check_grants(records, today=TODAY)
    assert summary(found) == [("Grants of £0", 2), ("No grant programme", 1)]


def test_a_record_with_odd_shapes_does_not_break_the_checks() -> None:
    odd = {"id": None, "amountAwarded": "lots", "awardDate": "not a date", "plannedDates": [{"startDate": "2026"}]}
    found = messages(odd)
    assert all(m.startswith("A grant with no id: ") for m in found)
    assert any("no beneficiary location" in m for m in found)


def test_two_grants_with_one_id_are_flagged() -> None:
    records = [good_grant(), broken(title="Another project"), broken(id="360G-commonweal-CPF-2")]
    found = check_grants(records, today=TODAY)
    assert [w.message for w in found] == [
        "360G-commonweal-CPF-1: 2 grants have this id; each grant needs its own (check references that differ "
        "only in slashes, spaces or other special characters)."
    ]
