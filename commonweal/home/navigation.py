"""The service navigation: what each role sees, in one table."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role

EVERYONE = "everyone"
SIGNED_IN = "signed_in"
SIGNED_OUT = "signed_out"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    audience: frozenset[str]
    # Paths under this prefix mark the item as the current one.
    prefix: str = ""


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "home:home", frozenset({EVERYONE})),
    NavItem("Find help", "directory:search", frozenset({EVERYONE}), "/directory/"),
    NavItem("Your listings", "directory:my_listings", frozenset({Role.GROUP_MEMBER}), "/directory/manage/"),
    NavItem("Directory work", "directory:moderation", frozenset({Role.OFFICER, Role.ADMIN}), "/directory/moderation/"),
    NavItem(
        "Gaps", "directory:gaps", frozenset({Role.OFFICER, Role.CHAMPION, Role.STEWARD, Role.ADMIN}), "/directory/gaps/"
    ),
    NavItem("Funding", "funding:index", frozenset({EVERYONE}), "/funding/"),
    NavItem("Your applications", "funding:my_applications", frozenset({Role.GROUP_MEMBER}), "/funding/applications/"),
    NavItem("Fund management", "funding:manage", frozenset({Role.OFFICER}), "/funding/manage/"),
    NavItem("Imports", "directory:imports", frozenset({Role.ADMIN}), "/directory/imports/"),
    NavItem("Wards and places", "places:index", frozenset({EVERYONE}), "/places/"),
    NavItem("Our framework", "framework:detail", frozenset({EVERYONE}), "/framework/"),
    NavItem("Edit framework", "framework:edit", frozenset({Role.STEWARD}), "/framework/edit"),
    NavItem("Audit log", "accounts:audit_log", frozenset({Role.ADMIN}), "/account/audit/"),
    NavItem("Failed jobs", "accounts:failed_jobs", frozenset({Role.ADMIN}), "/account/jobs/failed/"),
    NavItem("Administration", "admin:index", frozenset({Role.ADMIN}), "/django-admin/"),
    NavItem("Your account", "accounts:dashboard", frozenset({SIGNED_IN}), "/account/"),
    NavItem("Sign in", "account_login", frozenset({SIGNED_OUT}), "/accounts/login/"),
)


def audiences_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return {EVERYONE, SIGNED_OUT}
    return {EVERYONE, SIGNED_IN, *user.roles}


def navigation_for(user: User, path: str) -> list[dict[str, object]]:
    """The items this person may use, the current one marked by the longest matching prefix."""
    audiences = audiences_of(user)
    items = [item for item in NAVIGATION if item.audience & audiences]
    matches = [item for item in items if item.prefix and path.startswith(item.prefix)]
    current = max(matches, key=lambda item: len(item.prefix)) if matches else (items[0] if path == "/" else None)
    return [{"label": item.label, "url": reverse(item.url_name), "current": item is current} for item in items]
