"""The demo borough's forums: councillors for two wards, events on the calendar over the next two months, a past
forum with its notes, sign-ups; loading it again adds nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.engagement.forums import demo
from commonweal.engagement.models import Councillor, Event
from commonweal.engagement.models_forums import Invitation, Signup

pytestmark = pytest.mark.django_db


def test_the_demo_has_councillors_events_to_come_a_past_forum_with_notes_and_sign_ups(
    demo_borough: Any, client: Client
) -> None:
    assert Councillor.objects.filter(user__email__endswith="demo.commonweal.test").count() == 2
    assert all(c.user.has_role("councillor") and c.wards.count() == 1 for c in Councillor.objects.all())
    now = timezone.now()
    upcoming = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now)
    assert upcoming.filter(kind=Event.Kind.FORUM).count() == 5
    assert upcoming.filter(kind=Event.Kind.BIG_CONVERSATION).exists()
    assert upcoming.filter(kind=Event.Kind.FOCUS_GROUP).exists()
    assert not upcoming.filter(starts_at__gt=now + timedelta(days=62)).exists()
    past = Event.objects.get(ends_at__lt=now)
    assert past.notes_published_at is not None
    assert Signup.objects.count() >= 3 and Invitation.objects.exists()
    page = client.get(reverse("engagement:events")).content.decode()
    assert "Mitcham resident forum" in page
    counts = demo.load(demo_borough)
    assert counts["event sign-ups"] == 0
    assert Event.objects.count() == upcoming.count() + 1
