"""The cycle plan: a programme gives the n-th meeting of each group a theme and a method
(e.g. the five meetings on the support model: IT / I / WE, the I factor, the WE factor,
your own role, looking back and ahead).

The plan reaches every group's n-th meeting (in time order, cancelled ones not counted)
while it is planned. A theme or method the group's facilitator chose for a meeting
themselves is never overwritten: `MeetingCycleState` keeps what the plan last gave each
meeting, so a value that differs from it was chosen on purpose. Meetings planned, moved or
cancelled later are numbered again and get their plan (`receivers`).

One function per user action (keyword-only, the acting user `by`, one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kring.confidentiality.policy import Action, can

from .models import CycleMeeting, MeetingCycleState, Method, MethodVersion
from .services import methods_for_programme

THEME_LENGTH = 200


class CycleError(Exception):
    """A cycle plan action that cannot be done; the message is for the user."""


# Reading


@dataclass
class PlanRow:
    number: int
    theme: str
    method: Method | None
    version: MethodVersion | None  # the method's current version, for its name


def plan_rows(programme) -> list[PlanRow]:
    """The plan for meetings 1 up to the programme's meeting count (empty ones too)."""
    entries = {
        entry.number: entry
        for entry in CycleMeeting.objects.filter(programme=programme).select_related("method")
    }
    rows = []
    for number in range(1, programme.meeting_count + 1):
        entry = entries.get(number)
        method = entry.method if entry else None
        rows.append(
            PlanRow(
                number=number,
                theme=entry.theme if entry else "",
                method=method,
                version=method.current if method else None,
            )
        )
    return rows


def has_plan(programme) -> bool:
    return any(row.theme or row.method for row in plan_rows(programme))


def series_numbers(group) -> dict[int, int]:
    """Each meeting's number in its group's series (time order; cancelled ones and written
    rounds, which a group holds besides its series, are not counted and get no number)."""
    from kring.planning.models import Meeting

    ids = (
        Meeting.objects.appointments()
        .filter(group=group)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
    )
    return {meeting_id: number for number, meeting_id in enumerate(ids, start=1)}


@dataclass
class MeetingPlan:
    """What the plan gives one meeting, and whether the meeting follows it."""

    number: int
    theme: str
    method: Method | None
    version: MethodVersion | None
    theme_chosen: bool  # the facilitator chose another theme
    method_chosen: bool  # the facilitator chose another method


def plan_for_meeting(meeting) -> MeetingPlan | None:
    """The plan's theme and method for this meeting's number; None without a plan."""
    number = series_numbers(meeting.group).get(meeting.pk)
    if number is None:
        return None
    entry = (
        CycleMeeting.objects.filter(programme_id=meeting.group.programme_id, number=number)
        .select_related("method")
        .first()
    )
    if entry is None or not (entry.theme or entry.method):
        return None
    state = MeetingCycleState.objects.filter(meeting=meeting).first()
    version = entry.method.current if entry.method else None
    return MeetingPlan(
        number=number,
        theme=entry.theme,
        method=entry.method,
        version=version,
        theme_chosen=bool(state and state.theme_chosen and meeting.theme != entry.theme),
        method_chosen=bool(
            state
            and state.method_chosen
            and (meeting.method_version.method_id if meeting.method_version else None)
            != entry.method_id
        ),
    )


# Applying the plan


def _follows_theme(meeting, state: MeetingCycleState, theme: str) -> bool:
    """Not chosen on purpose, and what the plan gave last (or already what it gives now)."""
    return not state.theme_chosen and meeting.theme in (state.theme, theme)


def _follows_method(meeting, state: MeetingCycleState, version: MethodVersion | None) -> bool:
    return not state.method_chosen and meeting.method_version_id in (
        state.method_version_id,
        version.pk if version else None,
    )


@dataclass
class Applied:
    changed: int = 0  # planned meetings that got another theme or method
    kept: int = 0  # planned meetings that keep a theme or method chosen for them


def apply_to_group(group) -> Applied:
    """Give each planned meeting of the group its plan, leaving alone what its
    facilitator chose. Runs inside the caller's transaction."""
    from kring.planning.models import Meeting

    programme = group.programme
    entries = {
        entry.number: entry
        for entry in CycleMeeting.objects.filter(
            programme=programme, number__lte=programme.meeting_count
        ).select_related("method")
    }
    meetings = list(
        Meeting.objects.appointments()
        .select_for_update()
        .filter(group=group)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )
    states = {
        state.meeting_id: state for state in MeetingCycleState.objects.filter(meeting__in=meetings)
    }
    result = Applied()
    if not entries and not states:
        return result
    versions: dict[int, MethodVersion | None] = {}
    for number, meeting in enumerate(meetings, start=1):
        if meeting.status != Meeting.Status.PLANNED:
            continue
        entry = entries.get(number)
        state = states.get(meeting.pk) or MeetingCycleState(meeting=meeting)
        theme = entry.theme if entry else ""
        version = None
        if entry and entry.method_id:
            if entry.method_id not in versions:
                versions[entry.method_id] = entry.method.current
            version = versions[entry.method_id]
        if state.pk is None and not (theme or version):
            continue  # nothing to give, nothing given before
        fields, keeps = [], False
        if _follows_theme(meeting, state, theme):
            if meeting.theme != theme:
                meeting.theme = theme
                fields.append("theme")
            state.theme = theme
        else:
            # Set another way than by the plan (the meeting page, data loaded): chosen.
            state.theme_chosen = True
            keeps = meeting.theme != theme
        if _follows_method(meeting, state, version):
            if meeting.method_version_id != (version.pk if version else None):
                meeting.method_version = version
                fields.append("method_version")
            state.method_version = version
        else:
            state.method_chosen = True
            keeps = keeps or meeting.method_version_id != (version.pk if version else None)
        state.number = number
        state.save()
        result.kept += keeps
        if fields:
            meeting.save(update_fields=fields)
            result.changed += 1
    return result


def apply_to_programme(programme) -> Applied:
    total = Applied()
    for group in programme.groups.all():
        applied = apply_to_group(group)
        total.changed += applied.changed
        total.kept += applied.kept
    return total


@transaction.atomic
def reapply(*, group) -> Applied:
    """After a meeting of the group was planned, moved or cancelled: number again."""
    return apply_to_group(group)


# Actions


@transaction.atomic
def save_plan(*, programme, entries: dict[int, tuple[str, Method | None]], by) -> Applied:
    """The coordinator sets the theme and method per meeting number; the groups' planned
    meetings follow it at once (but what their facilitator chose)."""
    if not can(by, Action.MANAGE_PROGRAMME, programme):
        raise CycleError(_("Only the programme's coordinators set the cycle plan."))
    available = set(methods_for_programme(programme).values_list("pk", flat=True))
    for number, (theme, method) in entries.items():
        if not 1 <= number <= programme.meeting_count:
            raise CycleError(
                _("The programme has %(count)d meetings per group.")
                % {"count": programme.meeting_count}
            )
        if len(theme) > THEME_LENGTH:
            raise CycleError(
                _("A theme is at most %(length)d characters.") % {"length": THEME_LENGTH}
            )
        if method is not None and method.pk not in available:
            raise CycleError(_("This method is not available for this programme."))
    for number, (theme, method) in entries.items():
        theme = theme.strip()
        if not theme and method is None:
            CycleMeeting.objects.filter(programme=programme, number=number).delete()
            continue
        CycleMeeting.objects.update_or_create(
            programme=programme,
            number=number,
            defaults={"theme": theme, "method": method, "updated_by": by},
        )
    return apply_to_programme(programme)


def _state(meeting) -> MeetingCycleState:
    state, _created = MeetingCycleState.objects.get_or_create(meeting=meeting)
    return state


def _check_meeting(meeting, by):
    from kring.planning.models import Meeting

    if not can(by, Action.MANAGE_MEETINGS, meeting.group):
        raise CycleError(_("Only the group's facilitator or a coordinator does this."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise CycleError(_("Only a planned meeting gets another theme or method."))
    return meeting


@transaction.atomic
def set_theme(*, meeting, theme: str, by):
    """The group's facilitator (or a coordinator) gives the meeting its own theme; the
    cycle plan leaves it alone from now on."""
    meeting = _check_meeting(meeting, by)
    theme = theme.strip()
    if len(theme) > THEME_LENGTH:
        raise CycleError(_("A theme is at most %(length)d characters.") % {"length": THEME_LENGTH})
    meeting.theme = theme
    meeting.save(update_fields=["theme"])
    state = _state(meeting)
    state.theme_chosen = True
    state.save(update_fields=["theme_chosen"])
    return meeting


def mark_method_chosen(meeting) -> None:
    """The method was chosen for the meeting on purpose (`services.choose_method`)."""
    state = _state(meeting)
    state.method_chosen = True
    state.save(update_fields=["method_chosen"])


@transaction.atomic
def follow_plan(*, meeting, by) -> Applied:
    """The meeting follows the cycle plan again: its theme and method become the plan's."""
    meeting = _check_meeting(meeting, by)
    state = _state(meeting)
    state.theme_chosen = state.method_chosen = False
    # What the meeting has now counts as the plan's, so applying replaces it.
    state.theme = meeting.theme
    state.method_version_id = meeting.method_version_id
    state.save()
    return apply_to_group(meeting.group)
