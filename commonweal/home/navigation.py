"""The service navigation: what each role sees, in one table."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from commonweal.accounts.models import User

EVERYONE = "everyone"
SIGNED_IN = "signed_in"
SIGNED_OUT = "signed_out"
# Not a role: anyone given an application to assess, whatever their roles (funding's assignments).
ASSESSOR = "assessor"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    audience: frozenset[str]
    # Paths under this prefix mark the item as the current one.
    prefix: str = ""


# Short enough for one line at 1280 px for every role at once (tests/browser/test_your_home.py measures it).
# Each role's own pages are reached from its home (home:your_home), not from here; 'Your account' and 'Sign out'
# are in the header (core/templates/base.html).
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "home:home", frozenset({SIGNED_OUT})),
    NavItem("Home", "home:your_home", frozenset({SIGNED_IN}), "/home/"),
    NavItem("Find help", "directory:search", frozenset({EVERYONE}), "/directory/"),
    NavItem("Funding", "funding:index", frozenset({EVERYONE}), "/funding/"),
    NavItem("Assessments", "funding:my_assessments", frozenset({ASSESSOR}), "/funding/assess/"),
    NavItem("Blockages", "solutions:queue", frozenset({"officer", "champion", "steward"}), "/solutions/queue/"),
    NavItem("Your wards", "engagement:ward_engagement", frozenset({"councillor"}), "/engagement/your-wards/"),
    NavItem("Wards and places", "places:index", frozenset({EVERYONE}), "/places/"),
    NavItem("Our framework", "framework:detail", frozenset({EVERYONE}), "/framework/"),
    NavItem("Sign in", "account_login", frozenset({SIGNED_OUT}), "/accounts/login/"),
)


def audiences_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return {EVERYONE, SIGNED_OUT}
    return {EVERYONE, SIGNED_IN, *user.roles, *([ASSESSOR] if user.assesses else [])}


def navigation_for(user: User, path: str) -> list[dict[str, object]]:
    """The items this person may use, the current one marked by the longest matching prefix."""
    audiences = audiences_of(user)
    items = [item for item in NAVIGATION if item.audience & audiences]
    urls = {item: reverse(item.url_name) for item in items}
    matches = [item for item in items if item.prefix and path.startswith(item.prefix)]
    exact = [item for item in items if urls[item] == path]
    current = max(matches, key=lambda item: len(item.prefix)) if matches else (exact[0] if exact else None)
    return [{"label": item.label, "url": urls[item], "current": item is current} for item in items]
