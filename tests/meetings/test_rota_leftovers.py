"""The rota's leftovers: two presenters at a meeting, changing a role at any planned
meeting, re-proposing that keeps swaps and changes by hand, and a withdrawn absence that
gives the role back."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from kring.meetings import rota
from kring.meetings.models import MeetingCase, RoleAssignment, RoleTakeover
from kring.planning import services as planning
from tests import factories as f

from .test_rota import crew, roles  # noqa: F401  (fixture)

Role = RoleAssignment.Role


def _holder(meeting, role):
    return next(u for u, r in roles(meeting).items() if r == role)


def _questioner(members, meeting):
    held = roles(meeting)
    return next(u for u in members if u.pk not in held)


def _user(members, pk):
    return next(u for u in members if u.pk == pk)


# Two presenters


def test_the_facilitator_sets_a_second_presenter_from_the_rota_page(world, crew, login):  # noqa: F811
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    presenter = _holder(meetings[0], Role.PRESENTER)
    second = _questioner(members, meetings[0])
    client = login(world.people["facilitator"])
    url = reverse("meetings:change_role", args=[meetings[0].pk])
    client.post(url, {"user": second.pk, "role": "second_presenter"})
    after = roles(meetings[0])
    assert after[presenter] == after[second.pk] == Role.PRESENTER
    page = client.get(reverse("meetings:rota", args=[world.group.pk])).content.decode()
    assert "Second presenter" in page or "Tweede inbrenger" in page
    # A third is refused; making someone "the" presenter replaces both.
    third = _questioner(members, meetings[0])
    response = client.post(url, {"user": third.pk, "role": "second_presenter"}, follow=True)
    assert roles(meetings[0]).get(third.pk) != Role.PRESENTER
    assert "twee" in response.content.decode() or "two" in response.content.decode()
    client.post(url, {"user": third.pk, "role": "presenter"})
    assert [u for u, r in roles(meetings[0]).items() if r == Role.PRESENTER] == [third.pk]


def test_the_meetings_process_facilitator_can_set_a_second_presenter(world, crew):  # noqa: F811
    members, meetings = crew
    rota.set_phase_out(
        group=world.group, stages_by_meeting={meetings[0].pk: 3}, by=world.people["facilitator"]
    )
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    leader = _user(members, _holder(meetings[0], Role.PROCESS_FACILITATOR))
    second = _questioner(members, meetings[0])
    rota.change_role(
        meeting=meetings[0], user=second, role=Role.PRESENTER, by=leader, second_presenter=True
    )
    assert list(roles(meetings[0]).values()).count(Role.PRESENTER) == 2


def test_the_proposal_gives_two_presenters_where_the_group_asks_for_it(world, crew, login):  # noqa: F811
    members, meetings = crew
    client = login(world.people["facilitator"])
    client.post(
        reverse("meetings:rota_plan", args=[world.group.pk]),
        {"presenters_chosen": "1", "two_presenters": [str(meetings[1].pk)]},
    )
    counts = [list(roles(m).values()).count(Role.PRESENTER) for m in meetings]
    assert counts == [1, 2, 1, 1]
    page = client.get(reverse("meetings:rota", args=[world.group.pk])).content.decode()
    # The box stays ticked for the next proposal.
    assert f'value="{meetings[1].pk}" checked' in page
    for pk in [u for u, r in roles(meetings[1]).items() if r == Role.PRESENTER]:
        assert _user(members, pk).full_name in page


# Changing a role at any planned meeting


def test_a_role_is_changed_at_a_later_meeting_of_the_series(world, crew, login):  # noqa: F811
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    client = login(world.people["facilitator"])
    page = client.get(reverse("meetings:rota", args=[world.group.pk])).content.decode()
    for meeting in meetings:
        assert f'<option value="{meeting.pk}">' in page
    member = _questioner(members, meetings[3])
    client.post(
        reverse("meetings:change_role", args=[meetings[0].pk]),
        {"meeting": meetings[3].pk, "user": member.pk, "role": "note_taker"},
    )
    assert roles(meetings[3])[member.pk] == Role.NOTE_TAKER
    assert RoleAssignment.objects.get(meeting=meetings[3], user=member).fixed


def test_a_process_facilitator_changes_only_their_own_meeting(world, crew, login):  # noqa: F811
    members, meetings = crew
    rota.set_phase_out(
        group=world.group, stages_by_meeting={meetings[0].pk: 3}, by=world.people["facilitator"]
    )
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    leader = _user(members, _holder(meetings[0], Role.PROCESS_FACILITATOR))
    client = login(leader)
    page = client.get(reverse("meetings:rota", args=[world.group.pk])).content.decode()
    mine = {row.meeting.pk for row in rota.roles_of(meetings, world.group)} & {
        a.meeting_id
        for a in RoleAssignment.objects.filter(user=leader, role=Role.PROCESS_FACILITATOR)
    }
    other = next(m for m in meetings if m.pk not in mine)
    assert f'<option value="{other.pk}">' not in page
    before = roles(other)
    response = client.post(
        reverse("meetings:change_role", args=[meetings[0].pk]),
        {"meeting": other.pk, "user": leader.pk, "role": "timekeeper"},
    )
    assert response.status_code == 403
    assert roles(other) == before


# Proposing again keeps what was swapped or changed by hand


def test_proposing_again_keeps_accepted_swaps_and_changes_by_hand(world, crew):  # noqa: F811
    members, meetings = crew
    facilitator = world.people["facilitator"]
    rota.plan_rota(group=world.group, by=facilitator)
    asker = _user(members, _holder(meetings[0], Role.NOTE_TAKER))
    other = _questioner(members, meetings[0])
    swap = rota.ask_swap(meeting=meetings[0], asked=other, by=asker)
    rota.answer_swap(swap=swap, accept=True, by=other)
    changed = _questioner(members, meetings[2])
    rota.change_role(meeting=meetings[2], user=changed, role=Role.TIMEKEEPER, by=facilitator)
    for _attempt in range(3):  # whatever the new proposal, these stay
        rota.plan_rota(group=world.group, by=facilitator)
        assert roles(meetings[0])[other.pk] == Role.NOTE_TAKER
        assert roles(meetings[2])[changed.pk] == Role.TIMEKEEPER
    for meeting in meetings:
        assert sorted(roles(meeting).values()) == ["note_taker", "presenter", "timekeeper"]


def test_a_fixed_role_of_someone_who_cannot_come_is_not_kept(world, crew):  # noqa: F811
    members, meetings = crew
    facilitator = world.people["facilitator"]
    rota.plan_rota(group=world.group, by=facilitator)
    member = _questioner(members, meetings[1])
    rota.change_role(meeting=meetings[1], user=member, role=Role.TIMEKEEPER, by=facilitator)
    planning.report_absence(meeting=meetings[1], user=member, reason="")
    rota.plan_rota(group=world.group, by=facilitator)
    assert member.pk not in roles(meetings[1])


def test_the_presenter_of_a_chosen_case_stays_presenter_when_proposing_again(world, crew):  # noqa: F811
    members, meetings = crew
    facilitator = world.people["facilitator"]
    rota.plan_rota(group=world.group, by=facilitator)
    presenter = _questioner(members, meetings[0])
    case = f.CaseFactory(group=world.group, presenter=presenter)
    MeetingCase.objects.create(meeting=meetings[0], case=case, how=MeetingCase.How.VOLUNTEERED)
    rota.plan_rota(group=world.group, by=facilitator)
    assert roles(meetings[0])[presenter.pk] == Role.PRESENTER


# A withdrawn absence gives the role back


def _absent(meeting, user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        planning.report_absence(meeting=meeting, user=user, reason="ziek")


def _withdraw(meeting, user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        planning.withdraw_absence(meeting=meeting, user=user)


def test_withdrawing_an_absence_gives_the_role_back_and_tells_both(world, crew, run_tasks):  # noqa: F811
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    before = roles(meetings[0])
    timekeeper = _user(members, _holder(meetings[0], Role.TIMEKEEPER))
    _absent(meetings[0], timekeeper)
    stand_in = _user(members, _holder(meetings[0], Role.TIMEKEEPER))
    assert stand_in != timekeeper
    run_tasks()  # the mails of the absence go out first
    mail.outbox.clear()
    _withdraw(meetings[0], timekeeper)
    run_tasks()
    assert roles(meetings[0]) == before
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {timekeeper.email, stand_in.email}
    assert timekeeper.full_name in to[stand_in.email].body
    assert "ziek" not in "".join(m.body for m in mail.outbox)
    assert RoleTakeover.objects.get().status == RoleTakeover.Status.GIVEN_BACK


def test_a_presenter_who_returns_gets_back_the_chain_of_roles(world, crew, run_tasks):  # noqa: F811
    members, meetings = crew
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    before = roles(meetings[0])
    presenter = _user(members, _holder(meetings[0], Role.PRESENTER))
    # Everyone else without a role has presented or said they cannot come: the one who
    # takes over presenting leaves a role that someone else takes over.
    for user in members:
        if user.pk not in before:
            rota.set_presenter_preference(group=world.group, wants_to_present=False, by=user)
    _absent(meetings[0], presenter)
    assert RoleTakeover.objects.filter(absent=presenter).count() == 2  # a chain of two
    _withdraw(meetings[0], presenter)
    assert roles(meetings[0]) == before


def test_no_role_goes_back_when_the_stand_ins_role_changed_since(world, crew, run_tasks):  # noqa: F811
    members, meetings = crew
    facilitator = world.people["facilitator"]
    rota.plan_rota(group=world.group, by=facilitator)
    timekeeper = _user(members, _holder(meetings[0], Role.TIMEKEEPER))
    _absent(meetings[0], timekeeper)
    stand_in = _user(members, _holder(meetings[0], Role.TIMEKEEPER))
    other = _questioner([u for u in members if u != timekeeper], meetings[0])
    rota.change_role(meeting=meetings[0], user=other, role=Role.TIMEKEEPER, by=facilitator)
    run_tasks()  # the mails of the absence go out first
    mail.outbox.clear()
    _withdraw(meetings[0], timekeeper)
    run_tasks()
    after = roles(meetings[0])
    assert after[other.pk] == Role.TIMEKEEPER
    assert timekeeper.pk not in after and stand_in.pk not in after
    assert mail.outbox == []
