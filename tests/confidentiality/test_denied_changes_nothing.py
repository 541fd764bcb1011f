"""Denied means nothing in the database changed; allowed means the effect happened (§7).

Every POST of the authorization matrix is sent by every role it denies, and the database
is compared before and after each request (tests/confidentiality/snapshot.py).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.groups.models import GroundRuleAcceptance
from kring.meetings.models import Case
from kring.planning.models import Attendance, PollAnswer
from kring.programmes.models import Programme, Registration

from .snapshot import changes, database_snapshot
from .test_authorization_matrix import MATRIX, ROLES, _notice, _poll

POST_RULES = sorted(name for name, rule in MATRIX.items() if rule.method == "post")


def _denied_roles(rule):
    return [role for role in ROLES if rule.expected(role) != "ok"]


@pytest.mark.parametrize("url_name", POST_RULES)
def test_a_denied_post_changes_nothing(url_name, world, client):
    rule = MATRIX[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world))
    for role in _denied_roles(rule):
        if role == "anonymous":
            client.logout()
        else:
            client.force_login(
                world.people[role], backend="django.contrib.auth.backends.ModelBackend"
            )
        before = database_snapshot()
        response = client.post(url, rule.data(world) if callable(rule.data) else rule.data)
        assert response.status_code in {302, 403, 404}, (role, response.status_code)
        assert not changes(before, database_snapshot()), f"{role} changed data via {url_name}"


def test_every_post_rule_denies_someone():
    """The loop above proves something for every POST (logout and language are for all)."""
    for_everyone = {"accounts:logout", "accounts:switch_language"}
    assert {name for name in POST_RULES if not _denied_roles(MATRIX[name])} == for_everyone


# Allowed: the effect a person would notice happened.


def _post(login, world, role, url_name, data=None, **kwargs):
    return login(world.people[role]).post(reverse(url_name, kwargs=kwargs), data or {})


def test_withdrawing_a_case_withdraws_it(world, login):
    _post(login, world, "participant", "meetings:withdraw_case", case_id=world.case.pk)
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.WITHDRAWN


def test_reporting_an_absence_records_it(world, login):
    world.meeting.starts_at = timezone.now() + timedelta(days=7)
    world.meeting.save()
    _post(
        login,
        world,
        "participant",
        "planning:absence",
        {"reason": "Ziek"},
        meeting_id=world.meeting.pk,
    )
    attendance = Attendance.objects.get(meeting=world.meeting, user=world.people["participant"])
    assert attendance.status == Attendance.Status.ABSENT_WITH_NOTICE and attendance.reason == "Ziek"


def test_accepting_the_ground_rules_records_the_acceptance(world, login):
    _post(login, world, "participant", "groups:accept_ground_rules", group_id=world.group.pk)
    assert GroundRuleAcceptance.objects.filter(user=world.people["participant"]).exists()


def test_changing_the_status_changes_it(world, login):
    _hold_a_meeting(world)
    _post(
        login,
        world,
        "coordinator",
        "programmes:change_status",
        {"to_status": "evaluating"},
        programme_id=world.programme.pk,
    )
    world.programme.refresh_from_db()
    assert world.programme.status == Programme.Status.EVALUATING


def test_answering_a_poll_stores_the_answer(world, login):
    poll = _poll(world)
    option, second = poll.options.all()
    _post(
        login,
        world,
        "participant",
        "planning:poll",
        {f"answer_{option.pk}": "yes", f"answer_{second.pk}": "no"},
        poll_id=poll.pk,
    )
    answer = PollAnswer.objects.get(option=option, user=world.people["participant"])
    assert answer.answer == "yes"


def test_withdrawing_a_registration_withdraws_it(world, login):
    registration = Registration.objects.create(
        programme=world.programme, user=world.people["participant"]
    )
    _post(
        login,
        world,
        "participant",
        "programmes:withdraw_registration",
        registration_id=registration.pk,
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITHDRAWN


def test_cancelling_a_meeting_cancels_it(world, login):
    _post(login, world, "facilitator", "planning:cancel", meeting_id=world.meeting.pk)
    world.meeting.refresh_from_db()
    assert world.meeting.status == world.meeting.Status.CANCELLED


def test_closing_registration_closes_it(world, login):
    _post(
        login,
        world,
        "coordinator",
        "programmes:toggle_registration",
        {"closed": "1"},
        programme_id=world.programme.pk,
    )
    world.programme.refresh_from_db()
    assert world.programme.registration_closed


def test_completing_an_assignment_records_it(world, login):
    assignment = world.programme.preparation_assignments.create(
        text="Bedenk een casus", due_on="2027-01-10"
    )
    _post(
        login, world, "participant", "programmes:complete_assignment", assignment_id=assignment.pk
    )
    assert assignment.completions.filter(user=world.people["participant"]).exists()


def test_rescheduling_moves_the_meeting(world, login):
    _post(
        login,
        world,
        "facilitator",
        "planning:reschedule",
        {"starts_at": "2027-02-08T14:00", "location": "Zaal 9"},
        meeting_id=world.meeting.pk,
    )
    world.meeting.refresh_from_db()
    assert world.meeting.location == "Zaal 9"
    assert timezone.localtime(world.meeting.starts_at).day == 8


def test_the_snapshot_sees_an_allowed_change(world, login):
    """The comparison above can fail: an allowed request shows up in it."""
    before = database_snapshot()
    _post(login, world, "participant", "meetings:withdraw_case", case_id=world.case.pk)
    assert set(changes(before, database_snapshot())) == {"meetings.Case"}


GET_RULES = sorted(name for name, rule in MATRIX.items() if rule.method == "get")


@pytest.mark.parametrize("url_name", GET_RULES)
def test_looking_at_a_page_changes_nothing(url_name, world, client):
    """A GET changes no data for anyone, allowed or not (only reads are audited)."""
    rule = MATRIX[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world))
    for role in ROLES:
        if role == "anonymous":
            client.logout()
        else:
            client.force_login(
                world.people[role], backend="django.contrib.auth.backends.ModelBackend"
            )
        before = database_snapshot()
        client.get(url)
        assert not changes(before, database_snapshot()), f"GET {url_name} as {role} changed data"


# Every allowed POST of the matrix, by every role it allows: the data it is about changed.
EFFECTS = {
    # The live meeting: each step raises the session's version and is logged as an event.
    "live:start": {"live.LiveEvent", "live.LiveSession", "records.MeetingRecord"},
    "live:advance": {"live.LiveEvent", "live.LiveSession"},
    "live:back": {"live.LiveEvent", "live.LiveSession"},
    "live:reveal": {"live.LiveEvent", "live.LiveSession"},
    "live:ready": {"live.LiveEvent", "live.LiveSession", "live.PhaseReady"},
    "live:timer": {"live.LiveEvent", "live.LiveSession"},
    "live:hand_over": {"live.LiveEvent", "live.LiveSession"},
    "live:pace": {"live.LiveEvent", "live.LiveSession"},
    # and the meeting is held and its report drafted (here by the facilitator: no note taker)
    "live:close": {
        "live.LiveEvent",
        "live.LiveSession",
        "planning.Meeting",
        "planning.MeetingChange",
        "reports.Report",
    },
    # A draft is the writer's own: saving it tells no other device anything.
    "live_inputs:draft": {"records.RecordInput"},
    "live_inputs:submit": {"live.LiveSession", "records.MeetingRecord", "records.RecordInput"},
    "live_inputs:edit": {"live.LiveSession", "records.MeetingRecord", "records.RecordInput"},
    "live_inputs:withdraw": {"live.LiveSession", "records.MeetingRecord", "records.RecordInput"},
    "screen:open": {"live.LiveEvent", "live.LiveSession", "live.RoomScreen"},
    "accounts:switch_language": {"accounts.User"},
    "groups:accept_ground_rules": {"groups.GroundRuleAcceptance"},
    "groups:proposal_lock": {"groups.Proposal"},
    "groups:proposal_publish": {"groups.GroupMembership", "groups.Proposal"},
    "groups:proposal_reoptimise": {"groups.Proposal"},
    "meetings:delete_case": {"meetings.Case"},
    "meetings:withdraw_case": {"meetings.Case"},
    "planning:absence": {"planning.Attendance"},
    # and it was held; each change to a meeting is recorded with who made it
    "planning:attendance": {"planning.Attendance", "planning.Meeting", "planning.MeetingChange"},
    "planning:cancel": {"planning.Meeting", "planning.MeetingChange"},
    "planning:poll_confirm": {"planning.DatePoll", "planning.Meeting", "planning.MeetingChange"},
    "planning:programme_blackouts": {"planning.BlackoutPeriod"},
    "planning:reschedule": {"planning.Meeting", "planning.MeetingChange"},
    "planning:reset_calendar": {"accounts.User"},
    "planning:run_confirm": {"planning.PlanningRun"},
    "programmes:change_status": {"programmes.Programme", "programmes.StatusChange"},
    "programmes:complete_assignment": {"programmes.AssignmentCompletion"},
    "programmes:send_assignment": {"programmes.PreparationAssignment"},
    "programmes:toggle_registration": {"programmes.Programme"},
    "programmes:withdraw_registration": {"programmes.Registration", "programmes.ProgrammeRole"},
    "kickoffs:invite": {"kickoffs.KickoffInvitation", "notifications.Notice"},
    "kickoffs:attendance": {"kickoffs.Kickoff"},  # held, with who came
    "kickoffs:note_question": {"kickoffs.KickoffQuestion"},
    "notifications:read": {"notifications.Notice"},
    "notifications:read_all": {"notifications.Notice"},
    "methods:copy": {"methods.Method", "methods.MethodVersion"},  # the copy and its version
    # The theme is the facilitator's own from now on; following the plan again marks that.
    "methods:meeting_theme": {"planning.Meeting", "methods.MeetingCycleState"},
    "methods:follow_cycle_plan": {"methods.MeetingCycleState"},
    "meetings:answer_swap": {"meetings.RoleSwap"},
    "meetings:presenter_preference": {"meetings.PresenterPreference"},
    "meetings:change_role": {"meetings.RoleAssignment"},
    # A chosen case makes its presenter a presenter of the meeting.
    "meetings:volunteer_case": {"meetings.MeetingCase", "meetings.RoleAssignment"},
    "meetings:choose_case": {"meetings.MeetingCase", "meetings.RoleAssignment"},
    "meetings:remove_choice": {"meetings.MeetingCase"},
    "meetings:open_vote": {"meetings.CaseVote"},
    "meetings:cast_ballot": {"meetings.CaseBallot"},
    # Closed, and nobody voted: no case is chosen.
    "meetings:close_vote": {"meetings.CaseVote"},
    "meetings:dismiss_prompt": {"meetings.LearningLogDismissal"},
    # The meeting record: a new row (an edit, a choice, a rating) or its state, and the
    # record's version; a follow-up of an action point is a row of its own.
    "records:add_input": {"records.RecordInput", "records.MeetingRecord"},
    "records:choose": {"records.RecordInput", "records.MeetingRecord"},
    "records:rate": {"records.RecordInput", "records.MeetingRecord"},
    "records:edit_input": {"records.RecordInput", "records.MeetingRecord"},
    "records:withdraw_input": {"records.RecordInput", "records.MeetingRecord"},
    "records:agreements": {"records.MeetingRecord"},
    "records:follow_up": {"records.ActionPointFollowUp", "records.MeetingRecord"},
    "reports:draft": {"reports.Report"},
    # The only member who was there approves: the report is final.
    "reports:react": {"reports.ReportApproval", "reports.Report"},
}
# Not here: logging out ends a session and changes no data; confirming an import needs an
# upload first (tests/programmes/test_import_views.py); a move or swap must keep every hard
# group rule, which needs a full pool (tests/groups/test_composition.py).
WITHOUT_DATA = {
    "accounts:logout",
    "programmes:import_confirm",
    "groups:proposal_move",
    "groups:proposal_swap",
    # A rota needs a group with enough members to fill the roles (tests/meetings/test_rota*.py).
    "meetings:rota_plan",
    "meetings:ask_swap",
    # The presenter's choice and ratings need a presenter and statements or questions, and
    # closing the room screen one that is open (tests/live/test_inputs.py, test_screen.py).
    "live_inputs:choose",
    "live_inputs:rate",
    # A written answer needs a written round with a presenter and a question
    # (tests/live/test_written_round.py).
    "live_inputs:answer",
    "screen:close",
    # Asked without "confirmed", the presenter's withdrawal only asks to confirm; the
    # withdrawal itself needs the round's presenter (tests/live/test_written_round.py).
    "live:withdraw",
}
FOR_EVERYONE = {"participant"}  # one person stands for everyone where everyone may


def _allowed_pairs():
    for name in POST_RULES:
        if name in WITHOUT_DATA:
            continue
        ok = MATRIX[name].ok - {"anonymous"}
        if ok >= SIGNED_IN_ROLES:
            ok = FOR_EVERYONE
        # The sponsor decides on a submitted plan, not on a running programme's status.
        if name == "programmes:change_status":
            ok = ok - {"sponsor"}
        for role in sorted(ok):
            yield name, role


SIGNED_IN_ROLES = set(ROLES) - {"anonymous"}


def _ready_to_act(url_name, kwargs, world):
    """Data for the POSTs whose matrix body is empty: a proposal with people, a ready plan."""
    from kring.groups.models import Proposal
    from kring.planning.models import PlanningRun

    participant, other = world.people["participant"].pk, world.people["other_participant"].pk
    if url_name == "groups:proposal_lock":
        Proposal.objects.filter(pk=kwargs["proposal_id"]).update(groups=[[participant], [other]])
        return {"person": [participant], "lock": "1"}
    if url_name == "planning:run_confirm":
        PlanningRun.objects.filter(pk=kwargs["run_id"]).update(status=PlanningRun.Status.READY)
    if url_name == "planning:attendance":
        return {f"user_{participant}": "absent"}
    if url_name == "meetings:change_role":
        return {"user": participant, "role": "timekeeper"}
    if url_name == "programmes:change_status":
        _hold_a_meeting(world)  # the evaluation starts only after a meeting was held
    if url_name == "notifications:read_all":
        _notice(world)  # something unread to mark as read
    if url_name.startswith("records:"):
        return _record_data(url_name, kwargs, world)
    data = MATRIX[url_name].data
    return data(world) if callable(data) else data


def _record_data(url_name, kwargs, world):
    """What the note taker types: a statement to choose, the question to rate, a new text."""
    import uuid

    from kring.records import services as record_services
    from kring.records.models import RecordInput

    data = dict(MATRIX[url_name].data)
    if url_name == "records:choose":
        record = record_services.record_for(world.meeting)
        statement = record_services.add_input(
            record=record,
            by=world.people["participant"],
            kind="problem_statements",
            phase=record_services.phase_for(record, "problem_statements"),
            text="Hoe stel ik grenzen?",
        )
        data["statement"] = statement.pk
    if url_name == "records:rate":
        question = RecordInput.objects.get(record__meeting=world.meeting, kind="questions")
        data["question"] = question.pk
    if url_name == "records:edit_input":
        prefix = f"edit{kwargs['input_id']}"
        data = {f"{prefix}-client_id": str(uuid.uuid4()), f"{prefix}-text": "Wat wil je?"}
    return data


def _hold_a_meeting(world):
    world.meeting.status = "held"
    world.meeting.save(update_fields=["status"])


@pytest.mark.parametrize("url_name, role", list(_allowed_pairs()))
def test_an_allowed_post_has_its_effect(url_name, role, world, login):
    kwargs = MATRIX[url_name].kwargs(world)
    data = _ready_to_act(url_name, kwargs, world)
    client = login(world.people[role])
    before = database_snapshot()
    response = client.post(reverse(url_name, kwargs=kwargs), data)
    assert response.status_code < 400
    assert set(changes(before, database_snapshot())) == EFFECTS[url_name], (url_name, role)


def test_every_post_with_data_has_its_effect_named():
    assert set(POST_RULES) - WITHOUT_DATA == set(EFFECTS)
