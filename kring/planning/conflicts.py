"""What speaks against holding a group's meeting at a given time, in words a coordinator
understands: a public holiday, a period without meetings, someone (facilitator, member)
or the room already booked, or too few days to the group's other meetings.

Rescheduling and confirming a poll both ask here, so both apply the same rules as the
planner. Another group is named only to someone who may see that group.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import holidays
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.groups.models import GroupMembership

from .models import BlackoutPeriod, Meeting
from .rules import rules_in_force
from .wording import clock, long_date

# A meeting lasts at most 8 hours (the model's constraint), so any meeting overlapping
# a time window starts at most 8 hours before it.
LONGEST_MEETING = timedelta(hours=8)


@dataclass(frozen=True)
class Conflict:
    kind: str  # one of the KINDS below
    message: str

    def as_record(self) -> dict:
        return {"kind": self.kind, "message": self.message}


HOLIDAY = "holiday"
BLACKOUT = "blackout"
FACILITATOR_BUSY = "facilitator_busy"
MEMBER_BUSY = "member_busy"
ROOM_BUSY = "room_busy"
TOO_CLOSE = "too_close"
KINDS = (HOLIDAY, BLACKOUT, FACILITATOR_BUSY, MEMBER_BUSY, ROOM_BUSY, TOO_CLOSE)


def holiday_name(day) -> str | None:
    language = "nl" if (get_language() or "nl").startswith("nl") else "en_US"
    return holidays.Netherlands(years=day.year, language=language).get(day)


def find_conflicts(
    *,
    group,
    starts_at: datetime,
    duration_minutes: int,
    room=None,
    meeting: Meeting | None = None,
    viewer,
) -> list[Conflict]:
    """Every conflict of holding `group`'s meeting (or moving `meeting`) at `starts_at`."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    day = timezone.localtime(starts_at).date()
    conflicts = []
    holiday = holiday_name(day)
    if holiday:
        conflicts.append(
            Conflict(
                HOLIDAY,
                _("On %(date)s it is %(holiday)s, a public holiday.")
                % {"date": long_date(day), "holiday": holiday},
            )
        )
    for period in BlackoutPeriod.objects.filter(
        programme=group.programme_id, starts_on__lte=day, ends_on__gte=day
    ):
        conflicts.append(
            Conflict(
                BLACKOUT,
                _("On %(date)s the programme plans no meetings: %(reason)s.")
                % {"date": long_date(day), "reason": period.reason},
            )
        )
    conflicts.extend(_double_bookings(group, starts_at, ends_at, room, meeting, viewer))
    conflicts.extend(_spacing(group, day, meeting))
    return conflicts


def _people_of(group) -> dict[int, object]:
    people = {m.user_id: m.user for m in group.memberships.current().select_related("user")}
    if group.facilitator_id:
        people[group.facilitator_id] = group.facilitator
    return people


def _double_bookings(group, starts_at, ends_at, room, meeting, viewer) -> list[Conflict]:
    others = (
        Meeting.objects.appointments()
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(group=group)
        .filter(starts_at__lt=ends_at, starts_at__gt=starts_at - LONGEST_MEETING)
        .select_related("group", "room")
        .prefetch_related(
            Prefetch(
                "group__memberships",
                queryset=GroupMembership.objects.filter(left_on__isnull=True),
                to_attr="current_memberships",
            )
        )
    )
    people = _people_of(group)
    conflicts = []
    for other in others:
        if other.ends_at <= starts_at:
            continue
        times = {"start": clock(other.starts_at), "end": clock(other.ends_at)}
        shown = policy.can(viewer, Action.VIEW_GROUP, other.group)
        other_people = {m.user_id for m in other.group.current_memberships}
        leader = other.group.facilitator_id
        for user_id, person in people.items():
            if user_id != leader and user_id not in other_people:
                continue
            kind = FACILITATOR_BUSY if user_id == group.facilitator_id else MEMBER_BUSY
            values = {**times, "name": person.full_name, "group": other.group.name}
            if not shown:
                message = (
                    _("%(name)s already has another intervision meeting then (%(start)s–%(end)s).")
                    % values
                )
            elif user_id == leader and kind == FACILITATOR_BUSY:
                message = (
                    _("The facilitator %(name)s already leads %(group)s then (%(start)s–%(end)s).")
                    % values
                )
            elif user_id == leader:
                message = _("%(name)s already leads %(group)s then (%(start)s–%(end)s).") % values
            else:
                message = (
                    _("%(name)s is already at a meeting of %(group)s then (%(start)s–%(end)s).")
                    % values
                )
            conflicts.append(Conflict(kind, message))
        if room is not None and other.room_id == room.pk:
            values = {**times, "room": str(room), "group": other.group.name}
            message = (
                _("%(room)s is already booked then by %(group)s (%(start)s–%(end)s).") % values
                if shown
                else _("%(room)s is already booked then (%(start)s–%(end)s).") % values
            )
            conflicts.append(Conflict(ROOM_BUSY, message))
    return conflicts


def _spacing(group, day, meeting) -> list[Conflict]:
    min_gap = int(rules_in_force(group.programme)["min_gap_days"])
    nearby = (
        group.meetings.exclude(status=Meeting.Status.CANCELLED)
        .filter(
            starts_at__date__gt=day - timedelta(days=min_gap + 1),
            starts_at__date__lt=day + timedelta(days=min_gap + 1),
        )
        .order_by("starts_at")
    )
    if meeting is not None:
        nearby = nearby.exclude(pk=meeting.pk)
    conflicts = []
    for other in nearby:
        other_day = timezone.localtime(other.starts_at).date()
        days = abs((day - other_day).days)
        if days >= min_gap:
            continue
        values = {"days": days, "date": long_date(other_day), "min": min_gap}
        if days == 0:
            message = _(
                "This group already meets on %(date)s; the programme keeps at least "
                "%(min)s days between meetings."
            )
        elif other_day < day:
            message = ngettext(
                "That is only %(days)s day after the group's meeting on %(date)s; the "
                "programme keeps at least %(min)s days between meetings.",
                "That is only %(days)s days after the group's meeting on %(date)s; the "
                "programme keeps at least %(min)s days between meetings.",
                days,
            )
        else:
            message = ngettext(
                "That is only %(days)s day before the group's meeting on %(date)s; the "
                "programme keeps at least %(min)s days between meetings.",
                "That is only %(days)s days before the group's meeting on %(date)s; the "
                "programme keeps at least %(min)s days between meetings.",
                days,
            )
        conflicts.append(Conflict(TOO_CLOSE, message % values))
    return conflicts
