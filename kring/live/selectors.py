"""Reads of a live session: who is present and ready, and one viewer's snapshot.

The snapshot is the whole state a device needs after a push or a reconnect, as plain data,
built for one viewer through the policy: no content, only the phase, the timer, the
viewer's own instruction and who is ready.
"""

import threading
from collections import OrderedDict
from datetime import datetime

from django.http import Http404
from django.utils import timezone, translation

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.meetings.models import RoleAssignment
from kring.methods import structure
from kring.methods.models import MethodVersion
from kring.planning.models import Attendance, Meeting
from kring.records import services as record_services
from kring.records.selectors import presenters_of

from . import presence
from .models import LiveSession, PhaseReady
from .parts import fits

ABSENT = {Attendance.Status.ABSENT_WITH_NOTICE, Attendance.Status.ABSENT_WITHOUT_NOTICE}


# A method version never changes once made: its phases are kept per version id.
_phases_by_version: dict[int, list[dict]] = {}


def phases_of(session: LiveSession) -> list[dict]:
    """The phases of the method version the meeting's record is kept in."""
    meeting = session.meeting
    if Meeting.record.related.is_cached(meeting):  # read with the meeting (a step's lock)
        record = Meeting.record.related.get_cached_value(meeting)
        version_id = record.method_version_id if record is not None else None
    else:
        version_id = record_services.method_version_id_of(session.meeting_id)
    if version_id is None:
        return []
    phases = _phases_by_version.get(version_id)
    if phases is None:
        content = MethodVersion.objects.values_list("content", flat=True).get(pk=version_id)
        phases = _phases_by_version[version_id] = content["phases"]
    return phases


def present_members(meeting) -> list:
    """The group's current members at the meeting: those recorded present once presence
    is recorded, otherwise everyone not reported absent."""
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "status"))
    recorded = any(status == Attendance.Status.PRESENT for status in rows.values())
    members = [m.user for m in meeting.group.memberships.current().select_related("user")]
    if recorded:
        return [user for user in members if rows.get(user.pk) == Attendance.Status.PRESENT]
    return [user for user in members if rows.get(user.pk) not in ABSENT]


def ready_in_current_phase(session: LiveSession) -> set[int]:
    """Who marked "ready" during this visit of the current phase."""
    if session.phase_started_at is None:
        return set()
    return set(
        PhaseReady.objects.filter(
            session=session, phase=session.phase, at__gte=session.phase_started_at
        ).values_list("user_id", flat=True)
    )


def done_in_current_phase(session: LiveSession, marked: set[int] | None = None) -> set[int]:
    """Who is done with the current phase: marked ready (`marked`, when read already); in
    writing also whoever has submitted an input in it (a round waits for each
    contribution, not for a click)."""
    done = set(ready_in_current_phase(session) if marked is None else marked)
    phases = phases_of(session)
    if session.pacing != LiveSession.Pacing.WRITTEN or not 1 <= session.phase <= len(phases):
        return done
    kind = phases[session.phase - 1]["input"]
    if kind == "ratings":  # the presenter rates the questions one by one: done is theirs
        return done
    contributed = record_services.contributor_ids(session.meeting_id, session.phase)
    if kind == "questions":  # nor is one answer all the presenter's answers
        contributed -= {user.pk for user in presenters_of(session.meeting)}
    return done | contributed


def taking_part(session: LiveSession, present: list, phases: list[dict]) -> list:
    """The members present whose part the current phase is: live, everyone present (each
    marks ready); in writing, those who write its kind of input (the presenter only reads
    the gossip, the others do not choose for the presenter) and everyone in a phase
    without input (they read it)."""
    if session.pacing != LiveSession.Pacing.WRITTEN or not 1 <= session.phase <= len(phases):
        return present
    kind = phases[session.phase - 1]["input"]
    presenters = presenters_of(session.meeting)
    if kind == "questions":  # in writing the presenter answers them: their part too
        return [user for user in present if fits(user, kind, presenters) or user in presenters]
    return [user for user in present if fits(user, kind, presenters)]


def not_ready(session: LiveSession) -> list:
    """The members who take part in the current phase and are not done with it (for the
    lead's confirmation before advancing, and a written round's reminders), as every stage
    of the session's version shows them."""
    ready, _marked, present, _connected, phases = _session_wide(session, timezone.now())
    return [user for user in taking_part(session, present, phases) if user.pk not in ready]


def waiting_for(session: LiveSession, by) -> list:
    """Whom the lead's "next" would leave behind: the members present not ready in this
    phase, apart from the lead pressing it (pressing is their ready)."""
    return [user for user in not_ready(session) if user.pk != by.pk]


def connected_ids(session: LiveSession, now: datetime) -> set[int]:
    """Who has a device connected to the session (heartbeats with a grace period)."""
    return presence.connected_user_ids(session, now)


def hand_over_candidates(session: LiveSession) -> list:
    """To whom the lead can go: a member at the meeting or the group's facilitator, apart
    from whoever leads now."""
    return _hand_over_among(session, present_members(session.meeting))


def _hand_over_among(session: LiveSession, present: list) -> list:
    people = list(present)
    facilitator = session.meeting.group.facilitator
    if facilitator is not None and facilitator.pk not in {user.pk for user in people}:
        people.append(facilitator)
    return sorted(
        (user for user in people if user.pk != session.led_by_id), key=lambda u: u.full_name
    )


def after_close(session: LiveSession, viewer) -> str:
    """Where a device goes once the session is closed: the note taker (or, without one,
    whoever closed it and writes the report) to the report draft, everyone who was there
    to the one-minute check, anyone else back to the meeting."""
    from .services import note_taker_of

    meeting = session.meeting
    writer = note_taker_of(meeting)
    writes = (writer is not None and writer.pk == viewer.pk) or (
        writer is None and session.led_by_id == viewer.pk
    )
    if writes and policy.can(viewer, Action.EDIT_REPORT, meeting):
        return "report"
    if policy.can(viewer, Action.ANSWER_CHECK, meeting):
        return "check"
    return "meeting"


def remaining_seconds(session: LiveSession, now: datetime) -> int | None:
    """Time left on the timer (negative: overtime); kept as it was while paused."""
    if session.timer_ends_at is None:
        return None
    until = session.paused_at or now
    return int((session.timer_ends_at - until).total_seconds())


def _role_of(session: LiveSession, user, leads: bool) -> str | None:
    # The roles and memberships the policy read for this request already.
    roles = policy.meeting_roles(user, session.meeting)
    if roles:
        return roles[0]
    if leads:
        return RoleAssignment.Role.PROCESS_FACILITATOR
    if policy.is_current_member(user, session.meeting.group):
        return "questioners"  # everyone present without a role asks questions
    return None


# The part of a session's view that is the same for every device, per (session, version):
# after a push the 8 devices of a group each get their stage at the same version, and
# every change of who is ready, present or connected raises the version (the meeting's uid
# in the key: ids may come again in another database). A step raises the version before
# its answer reads this part, so the lead's stage and the stages its push brings share one
# read. Organisational only (who is at the meeting, ready and connected; no content), per
# process.
_SHARED_KEPT = 1000
_shared: OrderedDict[tuple, tuple] = OrderedDict()
_shared_lock = threading.Lock()


# While one thread reads a version's part, the others' stages of that version wait for it
# (after a change the group's 8 stages start at once, on several threads).
_reading: dict[tuple, threading.Lock] = {}


def _session_wide(session: LiveSession, now: datetime) -> tuple:
    """(done ids, ids marked ready, members present, connected ids or None, phases) at the
    session's version."""
    if not session.pk:
        marked = ready_in_current_phase(session)
        done, present = done_in_current_phase(session, marked), present_members(session.meeting)
        return done, marked, present, None, phases_of(session)
    key = (session.pk, session.version, session.meeting.uid)
    with _shared_lock:
        found = _shared.get(key)
        reading = _reading.setdefault(key, threading.Lock()) if found is None else None
    if found is not None:
        return found
    with reading:
        with _shared_lock:
            found = _shared.get(key)
        if found is None:
            marked = ready_in_current_phase(session)
            found = (
                done_in_current_phase(session, marked),
                marked,
                present_members(session.meeting),
                connected_ids(session, now),
                phases_of(session),
            )
            with _shared_lock:
                _shared[key] = found
                while len(_shared) > _SHARED_KEPT:
                    _shared.popitem(last=False)
    with _shared_lock:
        _reading.pop(key, None)
    return found


def phase_and_timer(
    session: LiveSession, instruction_for: str | None, language, now, phases=None
) -> dict:
    """What every view of the session shows, the room screen's too: the phase (its title,
    minutes, input and the instruction for `instruction_for`, in `language`) and the
    timer. `phases`: the session's, when the caller has read them already."""
    phases = phases_of(session) if phases is None else phases
    phase = phases[session.phase - 1] if 1 <= session.phase <= len(phases) else None
    data = {
        "state": session.state,
        "pacing": session.pacing,
        "version": session.version,
        "phase": session.phase,
        "phase_count": len(phases),
        "title": "",
        "minutes": None,
        "input": None,
        "on_reveal": False,
        "instruction": "",
        "phase_started_at": _iso(session.phase_started_at),
        "timer_ends_at": _iso(session.timer_ends_at),
        "server_now": _iso(now),
        "paused": session.paused_at is not None,
        "remaining_seconds": remaining_seconds(session, now),
    }
    if phase is not None:
        instruction = phase["instructions"].get(instruction_for) if instruction_for else None
        data.update(
            title=structure.localised(phase["title"], language),
            minutes=phase["minutes"],
            input=phase["input"],
            on_reveal=phase["reveal"] == "on_reveal",
            instruction=structure.localised(instruction, language) if instruction else "",
        )
    return data


def snapshot(session: LiveSession, viewer, *, now: datetime | None = None) -> dict:
    """Everything one viewer's device shows of the session, in the viewer's language.
    Anyone who may not see the session: 404. Who is ready, present and connected is read
    once per version of the session (`_session_wide`)."""
    if not policy.can(viewer, Action.VIEW_LIVE_SESSION, session):
        raise Http404
    now = now or timezone.now()
    leads = policy.can(viewer, Action.LEAD_LIVE_SESSION, session)
    language = getattr(viewer, "language", None) or translation.get_language()
    role = _role_of(session, viewer, leads)
    ready, marked, present, connected, phases = _session_wide(session, now)
    counted = taking_part(session, present, phases)
    data = phase_and_timer(session, role, language, now, phases)
    data |= {
        "role": role,
        "leads": leads,
        "holds_lead": session.led_by_id == viewer.pk,
        "led_by": session.led_by.full_name if session.led_by_id else "",
        "keeps_time": policy.can(viewer, Action.KEEP_TIME, session),
        # Live, everyone present; in writing, those who take part in the phase.
        "ready": sorted(user.full_name for user in counted if user.pk in ready),
        "present_count": len(counted),
        "viewer_ready": viewer.pk in ready,
        # In writing one is done by a contribution too: only a "done" of one's own is undone.
        "viewer_marked": viewer.pk in marked,
        "viewer_present": viewer.pk in {user.pk for user in counted},
        "people": _people(counted, ready, connected),
    }
    if leads:
        data["not_ready"] = sorted(user.full_name for user in counted if user.pk not in ready)
        data["earlier_phases"] = [
            {"number": number, "title": structure.localised(earlier["title"], language)}
            for number, earlier in enumerate(phases[: max(session.phase - 1, 0)], start=1)
        ]
        data["hand_over_to"] = [
            {"id": user.pk, "name": user.full_name} for user in _hand_over_among(session, present)
        ]
    return data


def _people(present: list, ready: set[int], connected: set[int] | None) -> list[dict]:
    """The members at the meeting with their ready mark and whether a device of theirs is
    connected (None: not known, for a session not saved yet)."""
    return [
        {
            "name": user.full_name,
            "ready": user.pk in ready,
            "connected": None if connected is None else user.pk in connected,
        }
        for user in sorted(present, key=lambda u: u.full_name)
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
