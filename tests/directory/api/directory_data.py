"""A small, realistic directory for the ORUK API and export tests, with records the public must never see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.directory.models import Contact, CostOption, Location, Schedule, Service, Taxonomy, TaxonomyTerm
from commonweal.directory.search import reindex_services
from commonweal.places.models import CouncilArea, Postcode, Ward
from tests.directory.factories import (
    LocationFactory,
    OrganisationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-0.21, 51.40], [-0.17, 51.40], [-0.17, 51.43], [-0.21, 51.43], [-0.21, 51.40]]],
}


@dataclass
class Directory:
    """What the fixture made: the public records, and the ones that must stay hidden."""

    ward: Ward
    taxonomy: Taxonomy
    food: TaxonomyTerm
    food_banks: TaxonomyTerm
    money: TaxonomyTerm
    charity: Organisation
    food_bank: Service
    debt_advice: Service
    hall: Location
    hidden: dict[str, Any] = field(default_factory=dict)


def make_ward() -> Ward:
    council, _ = CouncilArea.objects.get_or_create(
        gss_code="E09000024",
        defaults={"name": "London Borough of Merton", "area_name": "Merton", "org_id": "GB-LAE-MRT"},
    )
    ward, _ = Ward.objects.get_or_create(
        code="E05013810",
        defaults={
            "council": council,
            "name": "Abbey",
            "boundary": SQUARE,
            "min_lat": 51.40,
            "min_lon": -0.21,
            "max_lat": 51.43,
            "max_lon": -0.17,
            "centroid_lat": 51.415,
            "centroid_lon": -0.19,
        },
    )
    Postcode.objects.get_or_create(
        postcode="SW19 2HL", defaults={"latitude": 51.4183, "longitude": -0.1947, "ward": ward}
    )
    return ward


def make_directory() -> Directory:
    ward = make_ward()
    taxonomy = TaxonomyFactory(name="Community services", description="What people come for.", version="1")
    food = TaxonomyTermFactory(taxonomy=taxonomy, code="food", name="Food", term_uri="https://example.org/terms/food")
    food_banks = TaxonomyTermFactory(taxonomy=taxonomy, code="food-bank", name="Food banks", parent=food)
    money = TaxonomyTermFactory(taxonomy=taxonomy, code="money", name="Money advice")

    charity = OrganisationFactory(
        name="Merton Community Larder",
        kind=Organisation.Kind.REGISTERED_CHARITY,
        org_id="GB-CHC-1234567",
        charity_number="1234567",
        company_number="07654321",
        email="hello@larder.example.org",
        website="https://larder.example.org",
        phone="020 8123 4567",
    )
    Contact.objects.create(organisation=charity, name="Sam Patel", title="Coordinator", email="sam@larder.example.org")
    hall = LocationFactory(
        organisation=charity,
        name="St Mark's Hall",
        address_1="1 Abbey Road",
        city="London",
        postcode="SW19 2HL",
        ward=ward,
        accessibility="Step-free entrance and a hearing loop.",
        uprn="100021234567",
    )
    food_bank = ServiceFactory(
        organisation=charity,
        name="Food bank",
        description="Emergency food parcels for people who cannot afford to eat.",
        url="https://larder.example.org/food",
        email="food@larder.example.org",
        phone="020 8123 0000",
        eligibility_description="Anyone referred by a local agency.",
        languages="Polish, Tamil",
    )
    food_bank.terms.add(food_banks)
    food_bank.wards_served.add(ward)
    sal = ServiceAtLocationFactory(service=food_bank, location=hall, description="In the back hall.")
    Schedule.objects.create(
        service=food_bank, byday="MO,WE", opens_at=time(10), closes_at=time(14), description="Mondays and Wednesdays"
    )
    Schedule.objects.create(
        service=food_bank, service_at_location=sal, byday="FR", opens_at=time(9), closes_at=time(12)
    )
    CostOption.objects.create(service=food_bank, option="Parcel", amount=Decimal("0.00"), amount_description="Free")
    Contact.objects.create(service=food_bank, name="Ana Silva", title="Volunteer lead", phone="07700 900123")

    debt_advice = ServiceFactory(
        organisation=charity,
        name="Debt advice",
        description="Help with bills and debts.",
        minimum_age=18,
        maximum_age=99,
        online=True,
        is_free=True,
    )
    debt_advice.terms.add(money)

    hidden_org = OrganisationFactory(name="Waiting Group", listing_status=ListingStatus.PENDING)
    hidden = {
        "pending service": ServiceFactory(
            organisation=charity, name="Pending club", listing_status=ListingStatus.PENDING
        ),
        "closed service": ServiceFactory(organisation=charity, name="Closed club", status=Service.Status.DEFUNCT),
        "service of a pending organisation": ServiceFactory(organisation=hidden_org, name="Hidden club"),
        "pending organisation": hidden_org,
    }
    waiting_place = LocationFactory(organisation=charity, name="Waiting Place", listing_status=ListingStatus.PENDING)
    hidden["service at a pending location"] = ServiceAtLocationFactory(service=food_bank, location=waiting_place)
    reindex_services(None)
    return Directory(
        ward=ward,
        taxonomy=taxonomy,
        food=food,
        food_banks=food_banks,
        money=money,
        charity=charity,
        food_bank=food_bank,
        debt_advice=debt_advice,
        hall=hall,
        hidden=hidden,
    )
