"""Every page is headed with the council's name; it is read once and kept until the council changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.places.models import CouncilArea
from tests.conftest import load_merton


def _council_reads(client: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("places:index")).content.decode()
    return page, sum('FROM "places_councilarea"' in query["sql"] for query in queries.captured_queries)


def test_pages_after_the_first_do_not_read_the_council_again(client: Client, transactional_db: None) -> None:
    council = load_merton()  # committed, as a council loaded at set-up is
    _, reads = _council_reads(client)
    assert reads == 1
    page, reads = _council_reads(client)
    assert reads == 0
    assert council.name in page


def test_renaming_the_council_shows_on_the_next_page(client: Client, merton_for_one_test: Any) -> None:
    _council_reads(client)
    merton_for_one_test.name = "London Borough of Merton Together"
    merton_for_one_test.save()
    page, reads = _council_reads(client)
    assert "London Borough of Merton Together" in page


def test_a_rename_that_is_rolled_back_is_not_kept(client: Client, merton_for_one_test: Any) -> None:
    old_name = merton_for_one_test.name
    with pytest.raises(RuntimeError), transaction.atomic():
        merton_for_one_test.name = "A name that never was"
        merton_for_one_test.save()
        _council_reads(client)  # a page served mid-change sees the new name...
        raise RuntimeError
    page, _ = _council_reads(client)  # ...and, once it is undone, nobody sees it again
    assert "A name that never was" not in page
    assert old_name in page


def test_with_no_council_loaded_pages_say_your_council_and_then_show_the_one_loaded(client: Client, db: None) -> None:
    page, _ = _council_reads(client)
    assert "Your council" in page
    _, reads = _council_reads(client)
    assert reads == 0  # 'no council yet' is kept too
    CouncilArea.objects.create(gss_code="E09000024", name="London Borough of Merton", area_name="Merton")
    page, _ = _council_reads(client)
    assert "London Borough of Merton" in page
