"""Query-count cases for the Solutions Framework's lists (see tests/test_query_counts.py)."""

from __future__ import annotations

from tests.query_counts import Context, ListCase, label
from tests.solutions import factories


def _categories(context: Context) -> None:
    parks = factories.department("Parks and green spaces (counts)")
    context["category"] = factories.category("Trees (counts)", parks)


def own_blockage(context: Context, n: int) -> str:
    ward = context["merton"].wards.order_by("code").first()
    return factories.blockage(
        category=context["category"], raised_by=context["user"], title=label("blockage", n), ward=ward
    ).title


def _officers_category(context: Context) -> None:
    """A category routed to the signed-in officer's department."""
    context["category"] = factories.category("Trees (counts)", context["user"].memberships.first().organisation)


def blockage(context: Context, n: int) -> str:
    """A blockage a resident raised in a ward, routed to the category's department."""
    ward = context["merton"].wards.order_by("code").first()
    raiser = context["make_user"]()
    return factories.blockage(
        category=context["category"], raised_by=raiser, title=label("blockage", n), ward=ward
    ).title


def case_study(context: Context, n: int) -> str:
    return factories.case_study(label("case study", n), written_by=context["make_user"]("officer")).title


def category(context: Context, n: int) -> str:
    """A category set up by a steward: a change in the rules' history."""
    return factories.category(label("category", n)).name


def _people(context: Context) -> None:
    """The people a transfer needs; the signed-in group member's group asks for the spaces."""
    from tests.solutions.transfers.factories import People

    user = context["user"]
    group = user.memberships.first().organisation if user.has_role("group_member") else None
    context["people"] = People(context["make_user"], group=group)


def transfer(context: Context, n: int) -> str:
    """A group's interest in one of the council's spaces."""
    from commonweal.solutions.models import AssetTransfer
    from tests.solutions.transfers.factories import at_stage, council_space

    space = council_space(label("hall", n))
    at_stage(context["people"], AssetTransfer.Status.INTEREST, asset=space)
    return space.name


def routed_category(context: Context, n: int) -> str:
    """A category routed to a department, with a champion."""
    parks = factories.department(label("department", n))
    return factories.category(label("category", n), parks, champion=context["make_user"]("champion")).name


CASES = [
    ListCase("solutions:rules", "steward", routed_category),
    ListCase("solutions:transfers", "steward", transfer, setup=_people),
    ListCase("solutions:transfers_mine", "group_member", transfer, setup=_people),
    ListCase("solutions:log", "anonymous", blockage, per_page=25, setup=_categories),
    ListCase("solutions_api:blockages", "anonymous", blockage, per_page=25, setup=_categories),
    ListCase("solutions:queue", "officer", blockage, per_page=25, setup=_officers_category),
    ListCase("solutions:rules_changes", "steward", category, per_page=25),
    ListCase("solutions:mine", "resident", own_blockage, setup=_categories),
    ListCase("solutions:case_studies", "anonymous", case_study),
]

ELSEWHERE = {
    "solutions:dashboard": (
        "tests.solutions.public.test_dashboard",
        "test_the_dashboard_reads_the_same_number_of_queries_for_2_or_20_blockages",
    ),
}

# Routes that list nothing that grows with the data.
NOT_LISTS: set[str] = {
    # Forms and the actions they post to.
    "solutions:case_champion",
    "solutions:case_department_add",
    "solutions:case_department_remove",
    "solutions:case_learning",
    "solutions:case_part",
    "solutions:case_step",
    "solutions:confirm",
    "solutions:raise",
    "solutions:raise_check",
    "solutions:raise_join",
    "solutions:raise_sent",
    "solutions:rules_category_add",
    "solutions:rules_category_delete",
    "solutions:rules_category_edit",
    "solutions:rules_settings",
    "solutions:transfer_business_case",
    "solutions:transfer_champion",
    "solutions:transfer_decision",
    "solutions:transfer_interest",
    "solutions:transfer_lease",
    "solutions:transfer_sign_off",
    "solutions:transfer_support",
    "solutions:transfer_withdraw",
    # One record and its own parts: a case, a transfer, a blockage, a case study, the service standards.
    "solutions:case",
    "solutions:case_document",
    "solutions:case_study",
    "solutions:public_blockage",
    "solutions:rules_standards",
    "solutions:transfer",
    "solutions:transfer_document",
    "solutions:transfer_documents",
    "solutions:transfer_sign_offs",
    "solutions_api:blockage",
    # The dashboard's figures as a spreadsheet: the same kept counts as the dashboard's page.
    "solutions:dashboard_csv",
}
