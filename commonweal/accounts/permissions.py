"""Who may do what: the one place views ask, so the permission matrix test has one thing to check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .models import Organisation, User
from .roles import Role

# HttpResponseBase: a streamed download (StreamingHttpResponse) is guarded the same way.
ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str, message: str) -> Callable[[ViewFunc], ViewFunc]:
    """Send anonymous visitors to sign in; refuse signed-in people without one of `roles`, saying why."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not cast(User, request.user).has_role(*roles):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return cast(ViewFunc, wrapped)

    return decorator


def can_manage_organisation(user: User, organisation: Organisation) -> bool:
    """Who acts for an organisation: members for their own group, officers for their own department.

    Administrators are not admitted as such: an administrator runs the platform; it does not act as an
    applicant or accept a grant for a group it is not a member of. What officers and administrators do to
    any listing as moderators goes through the directory's moderator rules instead.
    """
    if not user.is_authenticated:
        return False
    return organisation.pk in user.organisation_ids_for(_managing_role(organisation))


def _managing_role(organisation: Organisation) -> str:
    return Role.OFFICER if organisation.is_council_department else Role.GROUP_MEMBER


def managed_among(user: User, organisations: Iterable[Organisation]) -> list[Organisation]:
    """Those of the organisations this person manages, by can_manage_organisation's rule, in two queries."""
    if not user.is_authenticated:
        return []
    ids: dict[str, set[int]] = {role: user.organisation_ids_for(role) for role in (Role.OFFICER, Role.GROUP_MEMBER)}
    return [organisation for organisation in organisations if organisation.pk in ids[_managing_role(organisation)]]


def require_organisation_manager(user: User, organisation: Organisation) -> None:
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied(
            f"You can only manage organisations you are a member of. You are not a member of {organisation.name}."
        )
