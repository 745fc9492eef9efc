"""Asset transfers made the way the services make them, at any stage, for the transfers area's tests."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.directory.models import Asset
from commonweal.solutions.models import AssetTransfer, SignOff
from commonweal.solutions.transfers import services
from tests.directory.factories import AssetFactory

# The smallest file filetype recognises as a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "business-case.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def council_space(name: str = "Pollards Hill Pavilion", *, department: Organisation | None = None) -> Asset:
    owner = department or Organisation.objects.filter(name="Property Services").first()
    if owner is None:
        owner = create_organisation(name="Property Services", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    return AssetFactory(name=name, kind=Asset.Kind.SPACE, organisation=owner)


def signing_departments() -> dict[str, Organisation]:
    """Estates (Property Services, which holds the spaces), Legal Services and Finance."""
    found = {}
    for kind, name in (
        (SignOff.Kind.ESTATES, "Property Services"),
        (SignOff.Kind.LEGAL, "Legal Services"),
        (SignOff.Kind.FINANCE, "Finance"),
    ):
        department = Organisation.objects.filter(name=name).first() or create_organisation(
            name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT
        )
        found[kind] = department
    return found


class People:
    """The group, its member, the champion, a steward and an officer of each signing department."""

    def __init__(self, make_user: Any, group: Organisation | None = None) -> None:
        self.group = group or create_organisation(name="Pollards Hill Residents", kind=Organisation.Kind.INFORMAL_GROUP)
        self.member = make_user("group_member", organisation=self.group)
        self.champion = make_user("champion")
        self.steward = make_user("steward")
        self.departments = signing_departments()
        self.officers = {kind: make_user("officer", organisation=d) for kind, d in self.departments.items()}


def at_stage(people: People, stage: str, *, asset: Asset | None = None, **fields: Any) -> AssetTransfer:
    """A transfer taken through the services to `stage` (interest, business_case, sign_offs, decision, lease)."""
    transfer = services.express_interest(
        asset=asset or council_space(),
        organisation=people.group,
        by=people.member,
        proposed_use="A community cafe and youth club.",
        community_benefit="A warm place for families on the estate.",
        **fields,
    )
    T = AssetTransfer.Status
    if stage == T.INTEREST:
        return transfer
    services.ask_for_business_case(transfer=transfer, by=people.champion)
    services.add_documents(transfer=transfer, uploads=[services.Upload(pdf(), "Business case")], by=people.member)
    if stage == T.BUSINESS_CASE:
        return refresh(transfer)
    services.request_sign_offs(transfer=transfer, departments=people.departments, by=people.champion)
    if stage == T.SIGN_OFFS:
        return refresh(transfer)
    for sign_off in refresh(transfer).sign_offs.all():
        services.decide_sign_off(sign_off=sign_off, signed=True, note="", by=people.officers[sign_off.kind])
    if stage == T.DECISION:
        return refresh(transfer)
    services.decide(transfer=transfer, approve=True, reasons="A strong case.", by=people.champion)
    return refresh(transfer)


def refresh(transfer: AssetTransfer) -> AssetTransfer:
    return AssetTransfer.objects.get(pk=transfer.pk)
