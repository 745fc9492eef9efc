"""Community asset transfer's services: each stage, who may take it, the sign-offs on the working-day clock, the
refusal loop, withdrawal, timing against the target and the late sign-offs the breach task escalates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.directory.models import Asset
from commonweal.solutions.errors import SolutionsError
from commonweal.solutions.models import AssetTransfer, SignOff, SolutionsSettings
from commonweal.solutions.transfers import queries, services
from tests.directory.factories import AssetFactory
from tests.solutions.transfers.factories import People, at_stage, council_space, pdf, refresh

pytestmark = pytest.mark.django_db
T = AssetTransfer.Status


@pytest.fixture
def people(make_user: Any, settings: Any, tmp_path: Any) -> People:
    settings.MEDIA_ROOT = tmp_path / "media"
    return People(make_user)


def test_a_group_member_expresses_an_interest_and_the_least_busy_champion_owns_it(
    people: People, make_user: Any
) -> None:
    busy = make_user("champion")
    at_stage(people, T.INTEREST)  # goes to the first champion, people.champion
    transfer = services.express_interest(
        asset=council_space("Morden Hall"),
        organisation=people.group,
        by=people.member,
        proposed_use="Youth club",
        community_benefit="Somewhere safe for teenagers.",
        uploads=[services.Upload(pdf("plan.pdf"), "Our plan")],
    )
    assert transfer.status == T.INTEREST
    assert transfer.champion == busy  # people.champion already has one open transfer
    assert [(d.stage, d.title) for d in transfer.documents.all()] == [(T.INTEREST, "Our plan")]
    assert list(transfer.events.values_list("transition", flat=True)) == ["express_interest"]


def test_only_a_council_space_can_be_asked_for(people: People) -> None:
    a_hall_of_a_charity = AssetFactory(
        kind=Asset.Kind.SPACE,
        organisation=create_organisation(name="A charity", kind=Organisation.Kind.REGISTERED_CHARITY),
    )
    with pytest.raises(SolutionsError) as problem:
        services.express_interest(
            asset=a_hall_of_a_charity,
            organisation=people.group,
            by=people.member,
            proposed_use="x",
            community_benefit="y",
        )
    assert "Choose a building or space the council holds" in str(problem.value)
    assert not AssetTransfer.objects.exists()


def test_someone_outside_the_group_cannot_express_an_interest_for_it(people: People, make_user: Any) -> None:
    stranger = make_user("group_member")
    with pytest.raises(PermissionDenied):
        services.express_interest(
            asset=council_space(), organisation=people.group, by=stranger, proposed_use="x", community_benefit="y"
        )


def test_the_same_group_cannot_ask_twice_for_the_same_building_while_the_first_is_open(people: People) -> None:
    first = at_stage(people, T.INTEREST)
    with pytest.raises(SolutionsError, match="already expressed an interest"):
        services.express_interest(
            asset=first.asset, organisation=people.group, by=people.member, proposed_use="x", community_benefit="y"
        )


def test_a_file_pretending_to_be_a_pdf_is_refused_and_nothing_is_kept(people: People) -> None:
    fake = SimpleUploadedFile("business-case.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(SolutionsError, match="This file is not a PDF"):
        services.express_interest(
            asset=council_space(),
            organisation=people.group,
            by=people.member,
            proposed_use="x",
            community_benefit="y",
            uploads=[services.Upload(fake)],
        )
    assert not AssetTransfer.objects.exists()


def test_the_champion_passes_the_group_to_a_support_body_whose_members_can_then_see_and_attach(
    people: People, make_user: Any
) -> None:
    transfer = at_stage(people, T.INTEREST)
    cvs = create_organisation(name="Merton Connected", kind=Organisation.Kind.REGISTERED_CHARITY)
    adviser = make_user("group_member", organisation=cvs)
    from commonweal.solutions.permissions import may_see_transfer

    assert not may_see_transfer(adviser, transfer)
    services.offer_support(transfer=transfer, support_body=cvs, by=people.champion, note="They will help.")
    transfer = refresh(transfer)
    assert transfer.status == T.SUPPORT
    assert may_see_transfer(adviser, transfer)
    services.add_documents(transfer=transfer, uploads=[services.Upload(pdf(), "Draft plan")], by=adviser)
    assert transfer.documents.get().stage == T.SUPPORT


def test_a_group_member_cannot_move_its_own_transfer_on(people: People) -> None:
    transfer = at_stage(people, T.INTEREST)
    with pytest.raises(PermissionDenied):
        services.ask_for_business_case(transfer=transfer, by=people.member)
    assert refresh(transfer).status == T.INTEREST


def test_sign_offs_are_not_requested_before_the_group_attaches_its_business_case(people: People) -> None:
    transfer = at_stage(people, T.INTEREST)
    services.ask_for_business_case(transfer=transfer, by=people.champion)
    with pytest.raises(SolutionsError, match="has not attached its business case"):
        services.request_sign_offs(transfer=transfer, departments=people.departments, by=people.champion)
    assert refresh(transfer).status == T.BUSINESS_CASE
    assert not SignOff.objects.exists()


def test_a_step_out_of_order_is_refused_with_a_reason(people: People) -> None:
    transfer = at_stage(people, T.INTEREST)
    with pytest.raises(SolutionsError, match="cannot be approved now"):
        services.decide(transfer=transfer, approve=True, reasons="Yes", by=people.champion)
    with pytest.raises(SolutionsError, match="cannot be transferred now"):
        services.record_lease(transfer=transfer, years=25, starts_on=date(2027, 4, 1), by=people.champion)
    assert refresh(transfer).status == T.INTEREST


def test_the_default_departments_are_found_by_their_names(people: People) -> None:
    defaults = services.default_departments()
    assert defaults == people.departments


def test_each_sign_off_is_owned_by_its_department_and_due_on_the_working_day_clock(
    people: People, monkeypatch: Any
) -> None:
    transfer = at_stage(people, T.BUSINESS_CASE)
    # Asked for on Friday 18 December 2026: 20 working days later skips Christmas Day, Boxing Day (Monday 28th
    # in lieu) and New Year's Day, as well as the weekends.
    asked = datetime(2026, 12, 18, 10, 0, tzinfo=timezone.get_current_timezone())
    services.request_sign_offs(transfer=transfer, departments=people.departments, by=people.champion, now=asked)
    sign_offs = {s.kind: s for s in SignOff.objects.filter(transfer=transfer)}
    assert {k: s.department for k, s in sign_offs.items()} == people.departments
    assert {s.due_on for s in sign_offs.values()} == {date(2027, 1, 20)}
    assert refresh(transfer).status == T.SIGN_OFFS


def test_an_officer_of_another_department_cannot_sign_off(people: People, make_user: Any) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    estates = transfer.sign_offs.get(kind=SignOff.Kind.ESTATES)
    with pytest.raises(PermissionDenied, match="Only an officer of Property Services"):
        services.decide_sign_off(sign_off=estates, signed=True, note="", by=people.officers[SignOff.Kind.LEGAL])
    with pytest.raises(PermissionDenied):
        services.decide_sign_off(sign_off=estates, signed=True, note="", by=people.champion)
    assert transfer.sign_offs.get(kind=SignOff.Kind.ESTATES).outcome == SignOff.Outcome.WAITING


def test_the_last_of_three_sign_offs_moves_the_transfer_to_its_decision(people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    for kind in (SignOff.Kind.ESTATES, SignOff.Kind.LEGAL):
        services.decide_sign_off(
            sign_off=transfer.sign_offs.get(kind=kind), signed=True, note="", by=people.officers[kind]
        )
        assert refresh(transfer).status == T.SIGN_OFFS
    finance = transfer.sign_offs.get(kind=SignOff.Kind.FINANCE)
    services.decide_sign_off(
        sign_off=finance, signed=True, note="Affordable.", by=people.officers[SignOff.Kind.FINANCE]
    )
    assert refresh(transfer).status == T.DECISION
    with pytest.raises(SolutionsError):
        services.decide_sign_off(sign_off=finance, signed=True, note="", by=people.officers[SignOff.Kind.FINANCE])


def test_a_refusal_needs_a_reason_and_sends_the_business_case_back_then_round_again(people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    legal = transfer.sign_offs.get(kind=SignOff.Kind.LEGAL)
    with pytest.raises(SolutionsError, match="Say why you are refusing"):
        services.decide_sign_off(sign_off=legal, signed=False, note=" ", by=people.officers[SignOff.Kind.LEGAL])
    services.decide_sign_off(
        sign_off=legal, signed=False, note="The lease terms are missing.", by=people.officers[SignOff.Kind.LEGAL]
    )
    transfer = refresh(transfer)
    assert transfer.status == T.BUSINESS_CASE
    sent_back = transfer.events.get(transition="revise_business_case")
    assert sent_back.note == "Legal Services refused the legal sign-off: The lease terms are missing."
    # The group attaches a new version; the champion sends it again and every sign-off starts afresh.
    services.add_documents(transfer=transfer, uploads=[services.Upload(pdf(), "Business case v2")], by=people.member)
    services.request_sign_offs(transfer=transfer, departments=people.departments, by=people.champion)
    assert set(transfer.sign_offs.values_list("outcome", flat=True)) == {SignOff.Outcome.WAITING}
    assert sorted(transfer.documents.values_list("title", flat=True)) == ["Business case", "Business case v2"]


def test_the_decision_and_the_lease_close_the_transfer(people: People) -> None:
    transfer = at_stage(people, T.DECISION)
    with pytest.raises(SolutionsError, match="Give the reasons"):
        services.decide(transfer=transfer, approve=True, reasons="", by=people.champion)
    services.decide(transfer=transfer, approve=True, reasons="Strong community support.", by=people.champion)
    assert refresh(transfer).status == T.LEASE
    with pytest.raises(SolutionsError, match="between 1 and 999"):
        services.record_lease(transfer=transfer, years=0, starts_on=date(2027, 4, 1), by=people.champion)
    services.record_lease(transfer=transfer, years=25, starts_on=date(2027, 4, 1), by=people.champion)
    transfer = refresh(transfer)
    assert (transfer.status, transfer.lease_years, transfer.lease_starts_on) == (T.TRANSFERRED, 25, date(2027, 4, 1))
    assert transfer.closed_at is not None
    with pytest.raises(SolutionsError, match="closed"):
        services.add_documents(transfer=transfer, uploads=[services.Upload(pdf())], by=people.member)


def test_a_declined_transfer_closes_with_its_reasons(people: People) -> None:
    transfer = at_stage(people, T.DECISION)
    services.decide(transfer=transfer, approve=False, reasons="The building is to be sold.", by=people.steward)
    transfer = refresh(transfer)
    assert (transfer.status, transfer.decision_note) == (T.DECLINED, "The building is to be sold.")
    assert transfer.closed_at is not None


def test_the_group_withdraws_at_an_open_stage_with_a_reason_and_not_after_it_closes(people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    with pytest.raises(SolutionsError):
        services.withdraw(transfer=transfer, reason="", by=people.member)
    services.withdraw(transfer=transfer, reason="We found somewhere else.", by=people.member)
    assert refresh(transfer).status == T.WITHDRAWN
    with pytest.raises(SolutionsError, match="withdrawn"):
        services.withdraw(transfer=transfer, reason="Again.", by=people.member)


def test_only_stewards_name_a_champion(people: People, make_user: Any) -> None:
    transfer = at_stage(people, T.INTEREST)
    other = make_user("champion")
    with pytest.raises(PermissionDenied):
        services.name_champion(transfer=transfer, champion=other, by=people.champion)
    with pytest.raises(SolutionsError, match="champion"):
        services.name_champion(transfer=transfer, champion=people.member, by=people.steward)
    services.name_champion(transfer=transfer, champion=other, by=people.steward)
    assert refresh(transfer).champion == other


def test_the_whole_case_is_timed_against_the_councils_target(people: People) -> None:
    settings = SolutionsSettings.current()
    settings.transfer_target_months = 9
    settings.save()
    transfer = at_stage(people, T.INTEREST)
    transfer.started_at = timezone.now() - timedelta(days=365 * 2)
    transfer.save()
    rows = queries.council_transfers(people.steward)
    assert rows[0]["timing"].months in (23, 24)
    assert rows[0]["timing"].over == rows[0]["timing"].months - 9
    assert queries.months_between(date(2025, 1, 31), date(2025, 2, 28)) == 0
    assert queries.months_between(date(2025, 1, 15), date(2027, 1, 15)) == 24


def test_the_longest_waits_show_each_stage_and_late_sign_offs(people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    long_ago = timezone.now() - timedelta(days=60)
    transfer.sign_offs.update(requested_at=long_ago, due_on=timezone.localdate() - timedelta(days=20))
    # 100 calendar days back in the council's own clock (a UTC sum is 99 days late on a December evening, when
    # 100 days ago was summer time)
    transfer.events.filter(transition="express_interest").update(at=timezone.localtime() - timedelta(days=100))
    page = queries.transfer_page(refresh(transfer))
    waits = page["longest_waits"]
    assert waits[0].label == "Expression of interest" and waits[0].days == 100
    late = queries.sign_off_waits(list(transfer.sign_offs.select_related("department")), timezone.localdate())
    assert all(w.late and w.ongoing and w.unit == "working days" for w in late)
    assert page["sign_offs_late"] == set(transfer.sign_offs.values_list("pk", flat=True))


def test_overdue_sign_offs_are_those_still_waiting_after_their_due_date(people: People) -> None:
    transfer = at_stage(people, T.SIGN_OFFS)
    due = transfer.sign_offs.first().due_on
    services.decide_sign_off(
        sign_off=transfer.sign_offs.get(kind=SignOff.Kind.ESTATES), signed=True, note="", by=people.officers["estates"]
    )
    assert list(queries.overdue_sign_offs(due)) == []
    late = queries.overdue_sign_offs(due + timedelta(days=1))
    assert sorted(s.kind for s in late) == [SignOff.Kind.FINANCE, SignOff.Kind.LEGAL]
    assert all(s.transfer.champion == people.champion for s in late)
