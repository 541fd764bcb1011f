"""Calendar files: invitations (METHOD:REQUEST / CANCEL) and personal feeds, via icalendar.

A meeting keeps one UID for life; SEQUENCE rises with every change, so calendar programs
update the event instead of adding a second one. Only the group name goes in the
calendar: never case content.
"""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting

PRODID = "-//Kring//Intervisie//NL"


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def where(meeting: Meeting) -> str:
    return meeting.online_link if meeting.mode == Meeting.Mode.ONLINE else meeting.location


def _event(meeting: Meeting, *, cancelled: bool, attendees=()) -> Event:
    event = Event()
    event.add("uid", f"{meeting.uid}@kring")
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", _("Intervision: %(group)s") % {"group": meeting.group.name})
    event.add("location", where(meeting))
    link = settings.SITE_URL + reverse("planning:meeting_detail", kwargs={"meeting_id": meeting.pk})
    event.add("url", link)
    event.add("description", link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('> ')}")
    organizer.params["cn"] = vText("Kring")
    event["organizer"] = organizer
    for user in attendees:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = vText(user.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    return event


def invitation(meeting: Meeting, attendees) -> bytes:
    """An invitation (or, for a cancelled meeting, a cancellation) for one meeting."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(_event(meeting, cancelled=cancelled, attendees=attendees))
    return calendar.to_ical()


def feed(meetings) -> bytes:
    """A personal feed: every meeting of the person's groups, cancelled ones marked so."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", "Kring")
    for meeting in meetings:
        calendar.add_component(
            _event(meeting, cancelled=meeting.status == Meeting.Status.CANCELLED)
        )
    return calendar.to_ical()
