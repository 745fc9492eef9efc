"""An officer checking a listing or a claim can open the charity and the company on the public registers."""

from __future__ import annotations

import pytest

from commonweal.directory.registers import charity_commission_url, companies_house_url, register_links

CC = "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/"
CH = "https://find-and-update.company-information.service.gov.uk/company/"


@pytest.mark.parametrize(
    ("number", "url"),
    [
        ("1234567", CC + "1234567"),
        (" 1234567 ", CC + "1234567"),
        ("1234567-1", CC + "1234567"),  # a linked charity is shown on its main charity's page
        ("SC012345", None),  # Scottish charities are on OSCR's register, not the Charity Commission's
        ("not known", None),
        ("", None),
    ],
)
def test_a_charity_number_in_england_and_wales_links_to_the_charity_commission(number: str, url: str | None) -> None:
    assert charity_commission_url(number) == url


@pytest.mark.parametrize(
    ("number", "url"),
    [
        ("01234567", CH + "01234567"),
        ("1234567", CH + "01234567"),  # Companies House numbers are eight characters, zero-padded
        ("sc123456", CH + "SC123456"),
        ("CE001234", CH + "CE001234"),  # a charitable incorporated organisation
        ("12/34", None),
        ("", None),
    ],
)
def test_a_company_number_links_to_companies_house(number: str, url: str | None) -> None:
    assert companies_house_url(number) == url


def test_only_the_numbers_given_are_linked() -> None:
    links = register_links(charity_number="1234567", company_number="")
    assert [(link.label, link.number, link.url) for link in links] == [("Charity number", "1234567", CC + "1234567")]
