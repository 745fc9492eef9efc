"""core.bulk: plain rows written in batches, the same as the ORM would have written them."""

from __future__ import annotations

import uuid
from datetime import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from commonweal.accounts.models import Organisation
from commonweal.core.bulk import BulkWriter, insert_rows, pks_by_uuid, reserve_ids, streamed_copies, write_rows
from commonweal.directory.models import CostOption, Schedule, Service
from tests.directory.factories import OrganisationFactory, ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def test_the_writer_gives_ids_that_dependent_rows_can_point_at_at_once() -> None:
    OrganisationFactory()  # the ids carry on past what is there
    writer = BulkWriter(batch_size=2)
    organisations = [{"name": f"Group {n}", "slug": f"group-{n}", "uuid": uuid.uuid4()} for n in range(5)]
    writer.insert(Organisation, organisations)
    services = [
        {"organisation_id": row["id"], "name": f"Club {n}", "uuid": uuid.uuid4()} for n, row in enumerate(organisations)
    ]
    writer.insert(Service, services)
    writer.finish()
    made = Service.objects.filter(pk__in=[row["id"] for row in services]).select_related("organisation")
    assert sorted((s.name, s.organisation.name) for s in made) == [(f"Club {n}", f"Group {n}") for n in range(5)]
    # What a field leaves out takes its default, and the times are the writer's now.
    service = made.first()
    assert service is not None
    assert service.status == Service.Status.ACTIVE and service.is_free is True
    assert service.created_at == service.updated_at == writer.now
    # The database's own counter carries on past the given ids.
    assert ServiceFactory().pk > max(row["id"] for row in services)


def test_values_the_driver_cannot_take_are_prepared_as_the_orm_would() -> None:
    service = ServiceFactory()
    writer = BulkWriter()
    writer.insert(CostOption, [{"service_id": service.pk, "amount": Decimal("12.50"), "uuid": uuid.uuid4()}])
    writer.insert(
        Schedule,
        [
            {
                "service_id": service.pk,
                "byday": "MO",
                "opens_at": time(9, 30),
                "closes_at": time(12),
                "uuid": uuid.uuid4(),
            }
        ],
    )
    assert CostOption.objects.get(service=service).amount == Decimal("12.50")
    schedule = Schedule.objects.get(service=service)
    assert (schedule.opens_at, schedule.closes_at) == (time(9, 30), time(12))


def test_rows_without_ids_get_theirs_from_the_database_and_are_found_by_uuid() -> None:
    wanted = [uuid.uuid4() for _ in range(7)]
    insert_rows(
        Organisation, [{"name": f"Group {n}", "slug": f"g-{n}", "uuid": u} for n, u in enumerate(wanted)], batch_size=3
    )
    found = pks_by_uuid(Organisation, wanted)
    assert set(found) == set(wanted)
    assert {Organisation.objects.get(pk=pk).uuid for pk in found.values()} == set(wanted)


def test_a_callable_default_is_made_afresh_for_each_row() -> None:
    insert_rows(Organisation, [{"name": "One", "slug": "one"}, {"name": "Two", "slug": "two"}])
    assert Organisation.objects.filter(slug__in=["one", "two"]).values("uuid").distinct().count() == 2


def test_raw_rows_go_into_any_table_in_batches() -> None:
    service = ServiceFactory()
    terms = [TaxonomyTermFactory(code=f"t{n}", name=f"Term {n}") for n in range(5)]
    through = Service.terms.through
    with connection.cursor() as cursor:
        write_rows(cursor, through._meta.db_table, ["service_id", "taxonomyterm_id"], [], batch_size=2)
        write_rows(
            cursor,
            through._meta.db_table,
            ["service_id", "taxonomyterm_id"],
            [(service.pk, term.pk) for term in terms],
            batch_size=2,
        )
    assert sorted(service.terms.values_list("name", flat=True)) == [f"Term {n}" for n in range(5)]


def test_streamed_copies_are_all_written_and_a_query_after_them_reads_them() -> None:
    owner = OrganisationFactory()
    with transaction.atomic(), streamed_copies():
        for batch in range(3):
            insert_rows(
                Service,
                [{"organisation_id": owner.pk, "name": f"Club {batch}-{n}", "uuid": uuid.uuid4()} for n in range(40)],
            )
            # Each read waits for the writes handed over before it.
            assert Service.objects.filter(organisation=owner).count() == 40 * (batch + 1)
    assert Service.objects.filter(organisation=owner).count() == 120


@pytest.fixture
def held(postgresql: None) -> tuple[Organisation, uuid.UUID]:
    """An organisation with one service, and that service's UUID (another row given it breaks a unique key)."""
    owner = OrganisationFactory()
    taken = uuid.uuid4()
    ServiceFactory(organisation=owner, uuid=taken)
    return owner, taken


def test_a_streamed_copy_that_fails_fails_the_transaction_and_leaves_nothing(
    held: tuple[Organisation, uuid.UUID],
) -> None:
    owner, taken = held
    with pytest.raises(IntegrityError), transaction.atomic(), streamed_copies():
        insert_rows(Service, [{"organisation_id": owner.pk, "name": "Fine", "uuid": uuid.uuid4()}])
        insert_rows(Service, [{"organisation_id": owner.pk, "name": "Clash", "uuid": taken}])
        # The error is raised here, at the next query, rather than later on.
        Service.objects.count()
        pytest.fail("the query after a failed COPY must raise its error")
    # Neither the row before the clash nor the clash itself was kept: only the service made first.
    assert list(Service.objects.filter(organisation=owner).values_list("uuid", flat=True)) == [taken]
    # The connection is usable again at once.
    insert_rows(Service, [{"organisation_id": owner.pk, "name": "After", "uuid": uuid.uuid4()}])
    assert Service.objects.filter(organisation=owner).count() == 2


def test_a_streamed_copy_that_fails_last_is_raised_when_the_stream_ends(held: tuple[Organisation, uuid.UUID]) -> None:
    owner, taken = held
    with pytest.raises(IntegrityError), transaction.atomic(), streamed_copies():
        insert_rows(Service, [{"organisation_id": owner.pk, "name": "Clash", "uuid": taken}])
    assert Service.objects.filter(organisation=owner).count() == 1


def test_an_error_in_the_code_stops_the_stream_and_the_transaction_leaves_nothing(postgresql: None) -> None:
    owner = OrganisationFactory()
    with pytest.raises(ValueError, match="bad row"), transaction.atomic(), streamed_copies():
        insert_rows(Service, [{"organisation_id": owner.pk, "name": "Half", "uuid": uuid.uuid4()}])
        raise ValueError("bad row")
    assert not Service.objects.filter(organisation=owner).exists()


def test_reserved_ids_are_new_and_rows_written_with_them_keep_them(postgresql: None) -> None:
    before = ServiceFactory()
    ids = reserve_ids(Service, 3)
    assert ids is not None and len(set(ids)) == 3 and min(ids) > before.pk
    rows = [
        {"id": pk, "organisation_id": before.organisation_id, "name": f"Club {n}", "uuid": uuid.uuid4()}
        for n, pk in enumerate(ids)
    ]
    insert_rows(Service, rows)
    assert {Service.objects.get(uuid=row["uuid"]).pk for row in rows} == set(ids)
    # The table's own counter has gone past them: the next row made the usual way gets a new id.
    assert ServiceFactory().pk > max(ids)


def test_where_the_database_keeps_no_sequences_no_ids_are_reserved() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL keeps sequences: see the test above")
    assert reserve_ids(Service, 3) is None
