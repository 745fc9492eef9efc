"""An event as an iCalendar file (RFC 5545), for the download and the emails' attachment.

The UID is the event's own UUID, so a calendar that imports the file twice, or an updated copy, keeps one
entry; the times are written in UTC (a 'Z' time needs no VTIMEZONE and reads the same everywhere).
"""

from __future__ import annotations

from datetime import UTC

import icalendar
from django.urls import reverse

from commonweal.core import notify

from ..models import Event

PRODUCT = "-//Commonweal//Engagement events//EN"
UID_DOMAIN = "events.commonweal"
CONTENT_TYPE = "text/calendar; charset=utf-8"
FILENAME = "event.ics"


def uid(event: Event) -> str:
    return f"{event.uuid}@{UID_DOMAIN}"


def location(event: Event) -> str:
    where = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return where or ("Online" if event.online_url else "")


def event_calendar(event: Event) -> bytes:
    """The event as one VEVENT in a VCALENDAR: what, when (UTC), where, its page's address, and whether it is
    cancelled (STATUS:CANCELLED, so a calendar that has it already marks it so)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", uid(event))
    entry.add("dtstamp", event.updated_at.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    page = notify.site_url(reverse("engagement:event", args=[event.uuid]))
    description = event.description
    if event.online_url:
        description = f"{description}\n\nJoin online: {event.online_url}"
    entry.add("description", f"{description}\n\nMore about it, and access at the venue: {page}")
    where = location(event)
    if where:
        entry.add("location", where)
    entry.add("url", page)
    entry.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())
