"""Organisation identifiers: the shape 360Giving needs, and a message that says what is wrong."""

from __future__ import annotations

import pytest

from commonweal.funding.sources.services import org_id_problem


@pytest.mark.parametrize(
    "value",
    [
        "",
        "GB-CHC-1234567",
        "GB-COH-01234567",
        "GB-COH-SC123456",
        "GB-LAE-MRT",
        "GB-SC-SC012345",
        "360G-merton-ABC",
        "XI-IATI-GB-ABC",
        "US-EIN-123456789",
        "GB-NIC-101234",
    ],
)
def test_good_identifiers_pass(value: str) -> None:
    assert org_id_problem(value) is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("1234567", "Start with the list the number comes from, e.g. GB-CHC-1234567 for a charity"),
        ("gb-chc-1234567", "Write the prefix in capital letters: GB-CHC-1234567."),
        ("GB-CHC-", "Add the organisation’s number after GB-CHC-"),
        ("GB-CHC-12AB", "A charity number in England and Wales is 6 to 8 digits"),
        ("GB-COH-1234567", "A company number is 8 characters with its leading zeros kept"),
        ("GB-LAE-12", "A local authority code in England is 3 or 4 capital letters"),
        ("GB-XYZ-123", "GB-XYZ- is not a UK list we know."),
        ("GB CHC 1234567", "An organisation identifier has no spaces"),
        ("360g-merton-1", "Write the prefix 360G- in capital letters"),
        ("Lottery", "Start with a prefix from org-id.guide and then the number"),
    ],
)
def test_bad_identifiers_say_what_is_wrong(value: str, says: str) -> None:
    problem = org_id_problem(value)
    assert problem is not None and says in problem
