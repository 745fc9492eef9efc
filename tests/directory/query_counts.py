"""Query-count cases for the directory's lists and its Open Referral UK API (see tests/test_query_counts.py)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from commonweal.directory.models import (
    Claim,
    ImportRun,
    ListingStatus,
    Report,
    Schedule,
)
from tests.directory.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from tests.query_counts import Context, ListCase, label


def _ward(context: Context) -> Any:
    return context["merton"].wards.order_by("code").first()


def service(context: Context, n: int, **fields: Any) -> Any:
    """A published service with what a real one has: a place in a ward, a category, opening hours."""
    made = ServiceFactory(name=label("service", n), **fields)
    located = ServiceAtLocationFactory(
        service=made, location=LocationFactory(organisation=made.organisation, ward=_ward(context))
    )
    made.terms.add(TaxonomyTermFactory())
    Schedule.objects.create(
        service=made, service_at_location=located, byday="MO,WE", opens_at=time(9), closes_at=time(17)
    )
    made.wards_served.add(_ward(context))
    return made


def indexed_service(context: Context, n: int) -> str:
    from commonweal.directory.search import reindex_services

    made = service(context, n)
    reindex_services([made.pk])
    return made.name


def group(context: Context, n: int) -> str:
    made = OrganisationFactory(name=label("group", n))
    ServiceFactory(organisation=made)
    LocationFactory(organisation=made, ward=_ward(context))
    return made.name


def asset(context: Context, n: int) -> str:
    owner = OrganisationFactory()
    return AssetFactory(
        name=label("asset", n), organisation=owner, ward=_ward(context), location=LocationFactory(organisation=owner)
    ).name


def _own_group(context: Context) -> None:
    context["group"] = context["user"].memberships.first().organisation


def _a_group(context: Context) -> None:
    context["group"] = OrganisationFactory()


def group_service(context: Context, n: int) -> str:
    return service(context, n, organisation=context["group"]).name


def own_service(context: Context, n: int) -> str:
    return service(context, n, organisation=context["group"]).name


def own_group(context: Context, n: int) -> str:
    """Another group the signed-in person manages, with a service and a place."""
    from commonweal.accounts.services import grant_membership

    made = OrganisationFactory(name=label("group", n))
    grant_membership(user=context["user"], role="group_member", organisation=made)
    service(context, 100 + n, organisation=made)
    return made.name


def waiting(context: Context, n: int) -> str:
    """A new group waiting for approval, someone's claim on another, and a report about a service."""
    from django.contrib.contenttypes.models import ContentType

    made = OrganisationFactory(name=label("new group", n), listing_status=ListingStatus.PENDING)
    claimed = OrganisationFactory(name=label("claimed group", n))
    Claim.objects.create(organisation=claimed, user=context["make_user"](), message="I run it.")
    reported = service(context, n)
    Report.objects.create(
        content_type=ContentType.objects.get_for_model(reported),
        object_id=reported.pk,
        reason=Report.Reason.values[0],
        details="It has closed.",
    )
    return made.name


def stale(context: Context, n: int) -> str:
    return service(context, n, last_checked_at=timezone.now() - timedelta(days=800)).name


def import_run(context: Context, n: int) -> str:
    name = f"listed-{n:03d}.csv"
    ImportRun.objects.create(
        kind=ImportRun.Kind.GROUPS_CSV,
        filename=name,
        stored_path=f"/nowhere/{name}",
        status=ImportRun.Status.SUCCEEDED,
        started_by=context["user"],
        rejections=[{"line": 2, "reason": "The name is blank."}],
        rejected_count=1,
    )
    return name


def _vocabulary(context: Context) -> None:
    from commonweal.directory.models import Taxonomy

    context["vocabulary"] = Taxonomy.objects.create(name="Listed vocabulary", description="For the counts.")


def vocabulary(context: Context, n: int) -> str:
    from commonweal.directory.models import Taxonomy

    made = Taxonomy.objects.create(name=label("vocabulary", n), description="Terms.")
    TaxonomyTermFactory(taxonomy=made)
    return made.name


def term(context: Context, n: int) -> str:
    parent = TaxonomyTermFactory(taxonomy=context["vocabulary"], name=label("term", n))
    TaxonomyTermFactory(taxonomy=context["vocabulary"], parent=parent)
    return parent.name


def oruk_service(context: Context, n: int) -> str:
    from commonweal.directory.search import reindex_services

    made = service(context, n)
    reindex_services([made.pk])
    return str(made.uuid)


def oruk_organisation(context: Context, n: int) -> str:
    made = OrganisationFactory(name=label("group", n))
    service(context, 100 + n, organisation=made)
    return str(made.uuid)


def oruk_service_at_location(context: Context, n: int) -> str:
    from commonweal.directory.search import reindex_services

    made = service(context, n)
    reindex_services([made.pk])
    return str(made.service_at_locations.get().uuid)


def oruk_term(context: Context, n: int) -> str:
    return str(TaxonomyTermFactory(name=label("term", n), parent=TaxonomyTermFactory()).uuid)


def oruk_vocabulary(context: Context, n: int) -> str:
    from commonweal.directory.models import Taxonomy

    made = Taxonomy.objects.create(name=label("vocabulary", n), description="Terms.")
    TaxonomyTermFactory(taxonomy=made)
    return str(made.uuid)


def _a_service(context: Context) -> None:
    context["service"] = service(context, 999)


def renamed(context: Context, n: int) -> str:
    """The service renamed: a version in its history."""
    context["service"].name = label("name", n)
    context["service"].save()
    return context["service"].name


CASES = [
    ListCase("directory:history", "admin", renamed, lambda c: ["service", c["service"].uuid], setup=_a_service),
    ListCase("directory:taxonomy_csv", "officer", term, lambda c: [c["vocabulary"].pk], setup=_vocabulary),
    ListCase("directory:search", "anonymous", indexed_service, per_page=20, counts_when_full=1),
    ListCase("directory:groups", "anonymous", group),
    ListCase("directory:assets", "anonymous", asset),
    ListCase("directory:my_listings", "group_member", own_service, setup=_own_group),
    ListCase("directory:my_listings", "group_member", own_group, variant="many groups"),
    ListCase(
        "directory:manage_organisation", "group_member", own_service, lambda c: [c["group"].slug], setup=_own_group
    ),
    ListCase("directory:organisation", "anonymous", group_service, lambda c: [c["group"].slug], setup=_a_group),
    ListCase("directory:moderation", "officer", waiting),
    ListCase("directory:stale", "officer", stale, lambda c: ["?kind=service"]),
    ListCase("directory:imports", "admin", import_run, per_page=25),
    ListCase("directory:taxonomy", "officer", vocabulary),
    ListCase("directory:taxonomy_detail", "officer", term, lambda c: [c["vocabulary"].pk], setup=_vocabulary),
    ListCase("oruk:services", "anonymous", oruk_service, counts_when_full=1),
    ListCase("oruk:organizations", "anonymous", oruk_organisation),
    ListCase("oruk:service_at_locations", "anonymous", oruk_service_at_location, counts_when_full=1),
    ListCase("oruk:taxonomy_terms", "anonymous", oruk_term),
    ListCase("oruk:taxonomies", "anonymous", oruk_vocabulary),
]

# Routes that list nothing that grows with the data.
NOT_LISTS: set[str] = {
    # Forms and the actions they post to.
    "directory:asset_add",
    "directory:asset_edit",
    "directory:change_decide",
    "directory:claim",
    "directory:claim_decide",
    "directory:confirm",
    "directory:import_retry",
    "directory:listing_decide",
    "directory:location_add",
    "directory:location_edit",
    "directory:organisation_edit",
    "directory:report",
    "directory:report_resolve",
    "directory:restore",
    "directory:service_add",
    "directory:service_edit",
    "directory:stale_remind",
    "directory:taxonomy_import",
    "directory:term_add",
    "directory:term_delete",
    "directory:term_edit",
    "directory:withdraw",
    # One record: its page, the answer to a form, an import's report (its rejected rows are kept in the run's own row).
    "directory:asset",
    "directory:import_rejections",
    "directory:import_run",
    "directory:import_status",
    "directory:report_sent",
    "directory:service",
    "oruk:organization",
    "oruk:service",
    "oruk:service_at_location",
    "oruk:taxonomy",
    "oruk:taxonomy_term",
    # The API's own description, a template, and the open-data downloads built off the request
    # (tests/directory/exports).
    "oruk:api-root",
    "oruk:api_details",
    "oruk:docs",
    "directory:export_csv",
    "directory:export_oruk",
    "directory:import_template",
    "directory:open_data",
    # One row a ward, the council's wards being fixed; the figures are counted in SQL (tests/directory/gaps).
    "directory:gaps",
    "directory:gaps_csv",
}

# Every directory list is a case above.
ELSEWHERE: dict[str, tuple[str, str]] = {}
