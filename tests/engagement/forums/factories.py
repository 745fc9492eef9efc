"""Events as the services leave them: drafted for a department, published, with sign-ups."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.engagement.forums.services import hash_token
from commonweal.engagement.models import Councillor, Event
from commonweal.engagement.models_forums import Signup
from tests.engagement.factories import department


def event(
    title: str = "Abbey resident forum",
    *,
    department_: Organisation | None = None,
    status: str = Event.Status.PUBLISHED,
    starts_at: datetime | None = None,
    hours: int = 2,
    **fields: Any,
) -> Event:
    """An event a week from now (unless told otherwise), run by a department, published."""
    starts_at = starts_at or (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    return Event.objects.create(
        kind=fields.pop("kind", Event.Kind.FORUM),
        title=title,
        description=fields.pop("description", "Meet your ward councillors and talk about the high street."),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        department=department_ or department(),
        venue_name=fields.pop("venue_name", "Abbey Community Centre"),
        venue_address=fields.pop("venue_address", "1 Abbey Road, London SW19 2HL"),
        status=status,
        **fields,
    )


def signup(on: Event, n: int = 1, *, token: str = "", **fields: Any) -> Signup:
    return Signup.objects.create(
        event=on,
        name=fields.pop("name", f"Resident {n}"),
        email=fields.pop("email", f"resident{n}@example.org"),
        cancel_token=hash_token(token or f"token-{on.pk}-{n}"),
        **fields,
    )


def councillor(make_user: Any, *wards: Any, email: str | None = None) -> Councillor:
    user = make_user("councillor", email=email)
    found = Councillor.objects.get(user=user)
    found.wards.set(wards)
    return found
