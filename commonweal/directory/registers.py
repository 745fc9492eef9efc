"""Links from an organisation's charity and company numbers to the public registers, so an officer approving a
listing or a claim can check them in one click (pure: no Django)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

CHARITY_COMMISSION = "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{}"
COMPANIES_HOUSE = "https://find-and-update.company-information.service.gov.uk/company/{}"


@dataclass(frozen=True)
class RegisterLink:
    label: str  # what the number is
    number: str  # as the organisation gave it
    register: str  # the register's name, for the link text
    url: str


def charity_commission_url(number: str) -> str | None:
    """The Charity Commission register's page for a charity in England and Wales (a number of digits, perhaps
    with a '-1' for a linked charity, which the register shows on its main charity's page); None otherwise, as
    for a Scottish 'SC' number, which that register does not hold."""
    found = re.fullmatch(r"(\d{6,8})(?:-\d+)?", re.sub(r"\s+", "", number or ""))
    return CHARITY_COMMISSION.format(found.group(1)) if found else None


def companies_house_url(number: str) -> str | None:
    """Companies House's page for a company: eight characters, digits padded with zeros ('1234567' is
    '01234567'), or two letters and six digits ('SC123456'); None for anything else."""
    cleaned = re.sub(r"\s+", "", number or "").upper()
    if re.fullmatch(r"\d{1,8}", cleaned):
        cleaned = cleaned.zfill(8)
    elif not re.fullmatch(r"[A-Z]{2}\d{6}", cleaned):
        return None
    return COMPANIES_HOUSE.format(quote(cleaned))


def register_links(*, charity_number: str, company_number: str) -> list[RegisterLink]:
    """The register pages for whichever of the two numbers are given and look like real ones."""
    links = []
    charity = charity_commission_url(charity_number)
    if charity:
        links.append(RegisterLink("Charity number", charity_number.strip(), "the Charity Commission register", charity))
    company = companies_house_url(company_number)
    if company:
        links.append(RegisterLink("Company number", company_number.strip(), "Companies House", company))
    return links
