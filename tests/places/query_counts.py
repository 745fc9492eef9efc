"""Query-count cases for the borough's profile (see tests/test_query_counts.py): its page and its CSV list every
category of every ward, in one query however many there are."""

from __future__ import annotations

from tests.query_counts import Context, ListCase, label


def profile_count(context: Context, n: int) -> str:
    from commonweal.places.models import ProfileCount, Ward

    ward = Ward.objects.order_by("code")[n % 3]
    return ProfileCount.objects.create(ward=ward, characteristic="sex", category=label("category", n), count=n).category


CASES = [
    ListCase("places:profile", "anonymous", profile_count),
    ListCase("places:profile_csv", "anonymous", profile_count),
]
ELSEWHERE: dict[str, tuple[str, str]] = {}
# The import form lists nothing.
NOT_LISTS = {"places:profile_import"}
