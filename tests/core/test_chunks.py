"""keyset_chunks: every row once, in primary-key order, a chunk at a time, whatever the queryset holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.accounts.models import Organisation
from commonweal.core.chunks import keyset_chunks
from tests.directory.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def make(count: int) -> list[int]:
    return [OrganisationFactory().pk for _ in range(count)]


def test_an_empty_queryset_gives_no_chunks() -> None:
    assert list(keyset_chunks(Organisation.objects.none(), 3)) == []
    assert list(keyset_chunks(Organisation.objects.all(), 3)) == []


def test_an_exact_multiple_of_the_size_gives_full_chunks_then_stops() -> None:
    made = make(6)
    chunks = list(keyset_chunks(Organisation.objects.all(), 3))
    assert [[org.pk for org in chunk] for chunk in chunks] == [made[:3], made[3:]]


def test_the_last_chunk_holds_what_is_left_and_ends_without_another_query() -> None:
    made = make(7)
    with CaptureQueriesContext(connection) as queries:
        chunks = list(keyset_chunks(Organisation.objects.all(), 3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    assert [org.pk for chunk in chunks for org in chunk] == made
    assert len(queries) == 3


def test_rows_come_in_primary_key_order_whatever_the_queryset_asked_for() -> None:
    made = make(5)
    Organisation.objects.filter(pk=made[0]).update(name="Zebra Club")
    Organisation.objects.filter(pk=made[4]).update(name="Aardvark Club")
    chunks = keyset_chunks(Organisation.objects.order_by("name"), 2)
    assert [org.pk for chunk in chunks for org in chunk] == made


def test_a_filtered_queryset_keeps_its_filter_in_every_chunk() -> None:
    made = make(9)
    Organisation.objects.filter(pk__in=made[::2]).update(listing_status="withdrawn")
    chunks = list(keyset_chunks(Organisation.objects.published(), 2))
    assert [org.pk for chunk in chunks for org in chunk] == made[1::2]
    assert all(len(chunk) <= 2 for chunk in chunks)


def test_primary_keys_and_value_rows_can_be_chunked_too() -> None:
    made = make(5)
    keys = keyset_chunks(Organisation.objects.values_list("pk", flat=True), 2)
    assert list(keys) == [made[:2], made[2:4], made[4:]]
    rows = keyset_chunks(Organisation.objects.values_list("pk", "slug"), 4)
    assert [pk for chunk in rows for pk, _ in chunk] == made


def test_value_rows_without_the_primary_key_first_are_refused() -> None:
    with pytest.raises(ValueError, match="primary key first"):
        list(keyset_chunks(Organisation.objects.values_list("slug", "pk"), 2))
    with pytest.raises(ValueError, match="at least one row"):
        list(keyset_chunks(Organisation.objects.all(), 0))
