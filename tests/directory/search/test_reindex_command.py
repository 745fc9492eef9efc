"""The command that rebuilds the search index after an upgrade."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

from django.core.management import call_command

from commonweal.directory.models import SearchText
from commonweal.directory.search import SearchQuery, reindex_services, search_services
from tests.directory.factories import OrganisationFactory


def test_reindexing_ranks_services_nobody_changed_the_new_way(listed: Callable[..., Any]) -> None:
    listed("Benefits check by phone", organisation=OrganisationFactory(name="Colliers Wood Food Bank"))
    food_bank = listed("Food bank")
    reindex_services()
    # An index written the old way: the organisation's name among the words that weigh most.
    SearchText.objects.exclude(service=food_bank).update(keywords="benefits check by phone colliers wood food bank")
    SearchText.objects.filter(service=food_bank).update(keywords="", document="food bank")
    assert search_services(SearchQuery(words="food bank")).hits[0].service_id != food_bank.pk
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert out.getvalue().strip() == "Indexed 2 public services."
    assert search_services(SearchQuery(words="food bank")).hits[0].service_id == food_bank.pk
