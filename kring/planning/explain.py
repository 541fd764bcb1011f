"""The planner's reasons in the reader's language, with names instead of ids and Dutch
dates, and what to change.

`engine.scheduling` returns structured reasons (a rule code, the ids involved and the
numbers); a planning run stores them as JSON. Here each becomes a sentence and, where
one helps, a suggestion. Wording happens when the page is shown, so each reader gets
their own language.
"""

import json
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.groups.models import Group

from .models import Room
from .wording import clock, long_date

User = get_user_model()


@dataclass(frozen=True)
class Explained:
    text: str
    suggestion: str = ""


class Names:
    """Names for the ids in a list of reasons, looked up in three queries."""

    def __init__(self, reasons: list[dict]):
        group_ids, people, rooms = set(), set(), set()
        for reason in reasons:
            group_ids.update(g for g in [reason.get("group"), *reason.get("groups", [])] if g)
            people.update(p for p in [reason.get("facilitator"), *reason.get("people", [])] if p)
            rooms.update(reason.get("rooms", []))
        self.groups = {
            str(pk): name
            for pk, name in Group.objects.filter(pk__in=_ints(group_ids)).values_list("pk", "name")
        }
        self.people = {
            str(pk): name
            for pk, name in User.objects.filter(pk__in=_ints(people)).values_list("pk", "full_name")
        }
        self.rooms = {
            str(room.pk): str(room)
            for room in Room.objects.filter(pk__in=_ints(rooms)).select_related("location")
        }

    def group(self, group_id) -> str:
        return self.groups.get(str(group_id), _("a group that no longer exists"))

    def person(self, person_id) -> str:
        return self.people.get(str(person_id), _("someone who is no longer in the group"))

    def group_list(self, group_ids) -> str:
        return ", ".join(self.group(g) for g in group_ids)


def _ints(ids) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


def _day(value) -> str:
    return long_date(date.fromisoformat(value))


def _time(value) -> str:
    return clock(time.fromisoformat(value))


def explain_all(reasons: list) -> list[Explained]:
    """Every stored line worded; a line from before reasons were structured stays as it was.

    Groups that fail the same rule with the same numbers share one line ("Groep 1, Groep 2:
    ..."), so eight identical groups do not make eight identical paragraphs.
    """
    structured = [r for r in reasons if isinstance(r, dict)]
    names = Names(structured)
    merged: dict[str, tuple[dict, list]] = {}
    lines: list = []
    for reason in reasons:
        if not isinstance(reason, dict):
            lines.append(Explained(str(reason)))
            continue
        if not reason.get("group"):
            lines.append(explain(reason, names))
            continue
        key = json.dumps(
            {k: v for k, v in reason.items() if k not in {"group", "text"}}, sort_keys=True
        )
        if key not in merged:
            merged[key] = (reason, [])
            lines.append(key)
        merged[key][1].append(reason["group"])
    return [
        explain(merged[line][0], names, groups=merged[line][1]) if isinstance(line, str) else line
        for line in lines
    ]


def _count_phrase(p: dict) -> str:
    """ "12 meetings", or with meetings already planned: what is left of how many."""
    count, already = p["meeting_count"], p.get("already_planned", 0)
    if not already:
        return ngettext("%(count)s meeting", "%(count)s meetings", count) % {"count": count}
    return ngettext(
        "the %(count)s meeting still to plan (of %(total)s; %(already)s already planned)",
        "the %(count)s meetings still to plan (of %(total)s; %(already)s already planned)",
        count,
    ) % {"count": count, "total": count + already, "already": already}


def explain(reason: dict, names: Names, groups=None) -> Explained:  # noqa: C901 (per rule)
    """One reason as a sentence; `groups`: every group the same sentence is about."""
    code = reason.get("code")
    p = reason.get("params", {})
    group = names.group_list(groups or [reason["group"]]) if reason.get("group") else ""
    location = reason.get("location") or ""
    if code == "all_planned":
        return Explained(_("Every group already has its meetings in this period."))
    if code == "input_error":
        return Explained(
            _("The planning rules do not work together: %(detail)s") % {"detail": reason["text"]},
            _("Check the rules on the planning page."),
        )
    if code == "no_room_at_location":
        return Explained(
            _("%(group)s meets on site at %(location)s, but there is no room there.")
            % {"group": group, "location": location},
            _("Add a room at %(location)s, or let the group meet online.") % {"location": location},
        )
    if code == "room_too_small":
        return Explained(
            _(
                "%(group)s needs a room for %(size)s people at %(location)s, but the largest "
                "room there holds %(largest)s."
            )
            % {"group": group, "location": location, **p},
            _("Add a larger room at %(location)s, or split the group.") % {"location": location},
        )
    if code == "too_few_dates":
        values = {"group": group, "what": _count_phrase(p), "usable": p["usable_dates"]}
        values |= {"start": _day(p["window_start"]), "end": _day(p["window_end"])}
        return Explained(
            ngettext(
                "%(group)s: %(what)s need as many different days between %(start)s and "
                "%(end)s, but only %(usable)s day is possible (allowed weekdays, without "
                "public holidays and periods without meetings).",
                "%(group)s: %(what)s need as many different days between %(start)s and "
                "%(end)s, but only %(usable)s days are possible (allowed weekdays, without "
                "public holidays and periods without meetings).",
                p["usable_dates"],
            )
            % values,
            _("Allow more weekdays, lengthen the period or plan fewer meetings."),
        )
    if code == "min_gap_does_not_fit":
        values = {"group": group, "what": _count_phrase(p), "gap": p["min_gap_days"]}
        values |= {"start": _day(p["window_start"]), "end": _day(p["window_end"])}
        return Explained(
            ngettext(
                "%(group)s: %(what)s with at least %(gap)s day between them do not fit "
                "between %(start)s and %(end)s.",
                "%(group)s: %(what)s with at least %(gap)s days between them do not fit "
                "between %(start)s and %(end)s.",
                p["min_gap_days"],
            )
            % values,
            ngettext(
                "Shorten the gap to %(fits)s day, lengthen the period or plan fewer meetings "
                "(%(count)s fit).",
                "Shorten the gap to %(fits)s days, lengthen the period or plan fewer meetings "
                "(%(count)s fit).",
                p["min_gap_that_fits"],
            )
            % {
                "fits": p["min_gap_that_fits"],
                "count": p["meetings_that_fit"] + p.get("already_planned", 0),
            },
        )
    if code == "gaps_do_not_fit":
        values = {"group": group, "what": _count_phrase(p), "low": p["min_gap_days"]}
        values |= {"high": p["max_gap_days"]}
        values |= {"start": _day(p["window_start"]), "end": _day(p["window_end"])}
        text = (
            _(
                "%(group)s: %(what)s with %(low)s to %(high)s days between them do not fit "
                "between %(start)s and %(end)s."
            )
            % values
        )
        if "longest_gap_days" in p:
            text += " " + _("From %(from)s to %(to)s (%(days)s days) no meeting is possible.") % {
                "from": _day(p["longest_gap_from"]),
                "to": _day(p["longest_gap_to"]),
                "days": p["longest_gap_days"],
            }
        return Explained(
            text, _("Allow more days between meetings, or plan fewer meetings in this period.")
        )
    if code == "person_overbooked":
        person = names.person((reason.get("people") or [""])[0])
        values = {
            "name": person,
            "groups": names.group_list(reason.get("groups", [])),
            "needed": p["meetings_needed"],
            "available": p["slots_available"],
        }
        if p.get("role") == "facilitator":
            text = _(
                "The facilitator %(name)s leads %(groups)s: %(needed)s meetings, but only "
                "%(available)s times are possible without two meetings at once."
            )
        else:
            text = _(
                "%(name)s is in %(groups)s: %(needed)s meetings, but only %(available)s "
                "times are possible without two meetings at once."
            )
        return Explained(
            text % values,
            _("Give one of these groups another facilitator, or allow more days or start times."),
        )
    if code == "rooms_overbooked":
        return Explained(
            _(
                "At %(location)s, %(needed)s meetings of groups of %(size)s or more people "
                "need a room, but the large enough rooms offer only %(available)s bookings."
            )
            % {
                "location": location,
                "needed": p["meetings_needed"],
                "size": p["size"],
                "available": p["bookings_available"],
            },
            _("Add a room at %(location)s, or allow more days or start times.")
            % {"location": location},
        )
    if code == "relax_meeting_count":
        return Explained(
            _("%(group)s: only %(fit)s of %(count)s meetings fit together with the other rules.")
            % {"group": group, "fit": p["meetings_that_fit"], "count": p["meeting_count"]},
            _("Plan fewer meetings, or lengthen the period."),
        )
    if code == "relax_min_gap":
        return Explained(
            _(
                "%(group)s: its meetings cannot stay %(gap)s days apart together with the "
                "other groups' meetings."
            )
            % {"group": group, "gap": p["min_gap_days"]},
            _("Shorten the minimum gap between meetings."),
        )
    if code == "relax_max_gap":
        return Explained(
            _(
                "%(group)s: its meetings cannot stay within %(gap)s days of each other "
                "together with the other groups' meetings."
            )
            % {"group": group, "gap": p["max_gap_days"]},
            _("Allow more days between meetings."),
        )
    if code == "relax_double_booking":
        return Explained(
            _(
                "%(name)s cannot attend every meeting of %(groups)s without being in two "
                "places at once."
            )
            % {
                "name": names.person((reason.get("people") or [""])[0]),
                "groups": names.group_list(reason.get("groups", [])),
            },
            _("Give one of these groups another facilitator, or allow more days or start times."),
        )
    if code == "relax_rooms":
        return Explained(
            _(
                "At %(location)s there are too few rooms for the meetings that must be "
                "at the same time."
            )
            % {"location": location},
            _("Add a room at %(location)s.") % {"location": location},
        )
    if code == "relax_no_answer":
        return Explained(
            _(
                "%(group)s: %(name)s would have to come on %(date)s at %(time)s "
                "despite answering “no”."
            )
            % {
                "group": group,
                "name": names.person((reason.get("people") or [""])[0]),
                "date": _day(p["date"]),
                "time": _time(p["start"]),
            },
            _("Ask for more dates in the poll, or allow more days or start times."),
        )
    if code == "no_single_rule":
        return Explained(
            _("No plan meets all rules together, and loosening a single rule does not help."),
            _("Lengthen the period, allow more weekdays or start times, or plan fewer meetings."),
        )
    if code == "time_limit":
        return Explained(
            _(
                "No plan was found in the time given, and none was proven impossible. "
                "Hardest to place: %(groups)s."
            )
            % {"groups": names.group_list(reason.get("groups", []))},
            _("Give the search more time."),
        )
    if code == "member_answered_no":
        return Explained(
            _("%(group)s, %(date)s at %(time)s: %(name)s answered “no”.")
            % {
                "group": group,
                "date": _day(p["date"]),
                "time": _time(p["start"]),
                "name": names.person((reason.get("people") or [""])[0]),
            }
        )
    if code == "facilitator_travels":
        return Explained(
            _("The facilitator %(name)s travels between %(places)s on %(date)s.")
            % {
                "name": names.person(reason.get("facilitator")),
                "places": ", ".join(p["locations"]),
                "date": _day(p["date"]),
            }
        )
    return Explained(reason.get("text", ""))
