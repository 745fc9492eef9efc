"""core.bulk: plain rows written in batches, the same as the ORM would have written them."""

from __future__ import annotations

import uuid
from datetime import time
from decimal import Decimal

import pytest
from django.db import connection

from commonweal.accounts.models import Organisation
from commonweal.core.bulk import BulkWriter, insert_rows, pks_by_uuid, write_rows
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
