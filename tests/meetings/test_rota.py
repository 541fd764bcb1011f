"""The rota of a group's meetings: proposed fairly, swapped, changed, mended after an absence."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from kring.meetings import rota
from kring.meetings.models import PhaseOutStep, RoleAssignment, RoleSwap
from kring.planning import services as planning
from tests import factories as f

Role = RoleAssignment.Role


@pytest.fixture
def crew(world):
    """Group Noord 1 with six members and four coming meetings."""
    members = [world.people["participant"]]
    for i in range(5):
        user = f.UserFactory(email=f"lid{i}@example.org", full_name=f"Lid {i}")
        f.MembershipFactory(user=user, organisation=world.organisation)
        f.ProgrammeRoleFactory(programme=world.programme, user=user, role="participant")
        f.GroupMembershipFactory(group=world.group, user=user)
        members.append(user)
    first = world.meeting
    meetings = [first] + [
        f.MeetingFactory(group=world.group, starts_at=first.starts_at + timedelta(weeks=4 * i))
        for i in range(1, 4)
    ]
    return members, meetings


def roles(meeting):
    return {a.user_id: a.role for a in RoleAssignment.objects.filter(meeting=meeting)}


def test_the_facilitator_plans_a_rota_where_everyone_present_has_at_most_one_role(world, crew):
    members, meetings = crew
    problems = rota.plan_rota(group=world.group, by=world.people["facilitator"])
    assert problems == []
    for meeting in meetings:
        held = roles(meeting)
        # Stage 1 by default: the facilitator leads, so no member is process facilitator.
        assert sorted(held.values()) == ["note_taker", "presenter", "timekeeper"]
    presenters = [u for m in meetings for u, r in roles(m).items() if r == Role.PRESENTER]
    assert len(set(presenters)) == 4  # nobody presents twice in four meetings of six


def test_the_phase_out_plan_decides_when_a_member_is_process_facilitator(world, crew):
    members, meetings = crew
    rota.set_phase_out(
        group=world.group,
        stages_by_meeting={meetings[2].pk: 2},
        by=world.people["facilitator"],
    )
    assert rota.stages(world.group)[meetings[3].pk] == 2  # the stage carries on
    rota.plan_rota(group=world.group, by=world.people["coordinator"])
    leads = [Role.PROCESS_FACILITATOR in roles(m).values() for m in meetings]
    assert leads == [False, False, True, True]
    assert rota.current_stage(world.group) == 1


def test_only_the_facilitator_sets_the_phase_out_plan(world, crew):
    _members, meetings = crew
    for who in ["coordinator", "participant", "other_facilitator"]:
        with pytest.raises(rota.RotaError):
            rota.set_phase_out(
                group=world.group, stages_by_meeting={meetings[0].pk: 3}, by=world.people[who]
            )
    assert not PhaseOutStep.objects.exists()


def test_a_member_cannot_plan_the_rota(world, crew):
    with pytest.raises(rota.RotaError):
        rota.plan_rota(group=world.group, by=world.people["participant"])
    assert not RoleAssignment.objects.exists()


def test_nobody_who_reported_absence_gets_a_role(world, crew):
    members, meetings = crew
    for user in members[:3]:
        planning.report_absence(meeting=meetings[0], user=user, reason="")
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    assert not set(roles(meetings[0])) & {u.pk for u in members[:3]}


def test_too_few_members_present_is_said_and_the_other_meetings_are_planned(world, crew):
    members, meetings = crew
    for user in members[:4]:
        planning.report_absence(meeting=meetings[1], user=user, reason="")
    problems = rota.plan_rota(group=world.group, by=world.people["facilitator"])
    assert [(p.meeting, p.fatal) for p in problems] == [(meetings[1], True)]
    assert "2" in problems[0].text and "3" in problems[0].text
    assert roles(meetings[1]) == {}
    assert len(roles(meetings[0])) == 3


def test_an_absence_mends_the_rota_and_tells_who_takes_over(world, crew, run_tasks):
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    before = roles(meetings[0])
    timekeeper = next(u for u, r in before.items() if r == Role.TIMEKEEPER)
    user = next(u for u in members if u.pk == timekeeper)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        planning.report_absence(meeting=meetings[0], user=user, reason="ziek")
    run_tasks()
    after = roles(meetings[0])
    assert timekeeper not in after
    taker = next(u for u, r in after.items() if r == Role.TIMEKEEPER)
    assert taker not in before  # a questioner took over; nobody else moved
    assert {u: r for u, r in after.items() if u != taker} == {
        u: r for u, r in before.items() if u != timekeeper
    }
    to = {m.to[0]: m for m in mail.outbox}
    taker_user = next(u for u in members if u.pk == taker)
    assert (
        "tijdbewaker" in to[taker_user.email].body.lower()
        or "timekeeper" in to[taker_user.email].body.lower()
    )
    assert world.people["facilitator"].email in to
    assert "ziek" not in "".join(m.body for m in mail.outbox)


def test_a_member_asks_to_swap_and_the_other_accepts(world, crew, run_tasks):
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    held = roles(meetings[0])
    asker = next(u for u in members if held.get(u.pk) == Role.NOTE_TAKER)
    other = next(u for u in members if u.pk not in held)
    with TestCase.captureOnCommitCallbacks(execute=True):
        swap = rota.ask_swap(meeting=meetings[0], asked=other, by=asker)
    with TestCase.captureOnCommitCallbacks(execute=True):
        rota.answer_swap(swap=swap, accept=True, by=other)
    run_tasks()
    after = roles(meetings[0])
    assert after.get(other.pk) == Role.NOTE_TAKER and asker.pk not in after
    assert [m.to[0] for m in mail.outbox] == [other.email, asker.email]


def test_a_declined_swap_changes_nothing_and_only_the_one_asked_answers(world, crew):
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    held = roles(meetings[0])
    asker = next(u for u in members if held.get(u.pk) == Role.PRESENTER)
    other = next(u for u in members if u.pk not in held)
    swap = rota.ask_swap(meeting=meetings[0], asked=other, by=asker)
    with pytest.raises(rota.RotaError):
        rota.answer_swap(swap=swap, accept=True, by=asker)
    rota.answer_swap(swap=swap, accept=False, by=other)
    assert roles(meetings[0]) == held
    assert RoleSwap.objects.get().status == RoleSwap.Status.DECLINED


def test_the_process_facilitator_of_a_meeting_can_change_its_roles(world, crew):
    members, meetings = crew
    rota.set_phase_out(
        group=world.group, stages_by_meeting={meetings[0].pk: 3}, by=world.people["facilitator"]
    )
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    held = roles(meetings[0])
    leader = next(u for u in members if held.get(u.pk) == Role.PROCESS_FACILITATOR)
    questioner = next(u for u in members if u.pk not in held)
    rota.change_role(meeting=meetings[0], user=questioner, role=Role.TIMEKEEPER, by=leader)
    after = roles(meetings[0])
    assert after[questioner.pk] == Role.TIMEKEEPER
    assert list(after.values()).count(Role.TIMEKEEPER) == 1
    someone = next(u for u in members if u.pk not in after)
    with pytest.raises(rota.RotaError):
        rota.change_role(meeting=meetings[1], user=someone, role=Role.TIMEKEEPER, by=leader)


def test_recording_afterwards_who_was_there_changes_no_roles(world, crew, run_tasks):
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    before = roles(meetings[0])
    holder = next(u for u in members if u.pk in before)
    Meeting = type(meetings[0])
    Meeting.objects.filter(pk=meetings[0].pk).update(starts_at=timezone.now() - timedelta(days=1))
    meetings[0].refresh_from_db()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        planning.record_attendance(
            meeting=meetings[0],
            statuses={holder.pk: "absent_notice"},
            by=world.people["facilitator"],
        )
    run_tasks()
    assert roles(meetings[0]) == before
    assert not [m for m in mail.outbox if "rol" in m.subject.lower()]
