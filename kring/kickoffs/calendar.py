"""A kick-off's calendar invitation: one UID for life, SEQUENCE rising with each change
(as the meetings' invitations in planning/calendar.py)."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from kring.planning.calendar import PRODID

from .models import Kickoff


def invitation(kickoff: Kickoff, attendee) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"kickoff-{kickoff.uid}@kring")
    event.add("sequence", kickoff.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", kickoff.starts_at.astimezone(UTC))
    event.add("dtend", kickoff.ends_at.astimezone(UTC))
    event.add("summary", _("Kick-off: %(programme)s") % {"programme": kickoff.programme.title})
    event.add("location", kickoff.where)
    link = settings.SITE_URL + reverse("kickoffs:detail", kwargs={"kickoff_id": kickoff.pk})
    event.add("url", link)
    event.add("description", link)
    event.add("status", "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('> ')}")
    organizer.params["cn"] = vText("Kring")
    event["organizer"] = organizer
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.full_name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def filename(kickoff: Kickoff) -> str:
    return f"aftrapsessie-{timezone.localtime(kickoff.starts_at):%Y-%m-%d}.ics"
