"""Fixed roles (a swap accepted, a change by hand, a chosen case's presenter) stay as they
are when the series is proposed again."""

from __future__ import annotations

import pytest

from engine.rota import MeetingSlot, Role, RotaInputError, RotaProblem, Stage, propose
from engine.rota.jsonio import problem_from_json

MEMBERS = ("ann", "bob", "cas", "dev", "eva", "fin")


def _slot(key, *fixed, presenters=1, stage=Stage.MEMBER_WITH_FACILITATOR, absent=()):
    return MeetingSlot(key, frozenset(absent), presenters, stage, tuple(fixed))


def test_fixed_roles_stay_and_the_others_are_shared_fairly():
    meetings = (
        _slot("m0", ("ann", Role.NOTE_TAKER), ("bob", Role.PRESENTER)),
        _slot("m1", ("bob", Role.TIMEKEEPER)),
        _slot("m2"),
    )
    result = propose(RotaProblem(MEMBERS, meetings))
    assert result.ok
    m0, m1, _m2 = result.meetings
    assert m0.note_taker == "ann" and m0.presenters == ("bob",)
    assert m1.timekeeper == "bob"
    presenters = [p for m in result.meetings for p in m.presenters]
    assert len(set(presenters)) == 3  # the fixed one counts: nobody presents twice


def test_a_fixed_presenter_takes_no_turn_and_gives_no_warning_when_presenting_again():
    meetings = (_slot("m0", ("ann", Role.PRESENTER)), _slot("m1", ("ann", Role.PRESENTER)))
    result = propose(RotaProblem(MEMBERS, meetings))
    assert result.ok and result.reasons == []
    assert [m.presenters for m in result.meetings] == [("ann",), ("ann",)]


def test_two_fixed_presenters_make_a_meeting_of_two_presenters():
    meetings = (_slot("m0", ("ann", Role.PRESENTER), ("bob", Role.PRESENTER)),)
    (m0,) = propose(RotaProblem(MEMBERS, meetings)).meetings
    assert sorted(m0.presenters) == ["ann", "bob"]
    assert len(m0.assignments()) == 5


def test_one_fixed_presenter_of_two_asked_gets_a_second_by_turn():
    meetings = (_slot("m0", ("cas", Role.PRESENTER), presenters=2),)
    (m0,) = propose(RotaProblem(MEMBERS, meetings)).meetings
    assert "cas" in m0.presenters and len(m0.presenters) == 2


def test_someone_fixed_in_another_role_is_not_counted_as_a_possible_presenter():
    # Only ann wants to present, but she keeps the note taker's role she swapped for.
    meetings = (_slot("m0", ("ann", Role.NOTE_TAKER)),)
    result = propose(RotaProblem(MEMBERS, meetings, frozenset({"ann"})))
    assert not result.ok
    assert result.meeting("m0").assignments() == []


@pytest.mark.parametrize(
    "fixed",
    [
        (("zed", Role.PRESENTER),),
        (("ann", Role.PRESENTER), ("ann", Role.NOTE_TAKER)),
        (("ann", Role.TIMEKEEPER), ("bob", Role.TIMEKEEPER)),
    ],
)
def test_impossible_fixed_roles_are_refused(fixed):
    with pytest.raises(RotaInputError):
        propose(RotaProblem(MEMBERS, (_slot("m0", *fixed),)))


def test_a_fixed_process_facilitator_while_the_facilitator_leads_is_refused():
    slot = _slot("m0", ("ann", Role.PROCESS_FACILITATOR), stage=Stage.FACILITATOR_LEADS)
    with pytest.raises(RotaInputError):
        propose(RotaProblem(MEMBERS, (slot,)))


def test_fixed_roles_are_read_from_json():
    problem = problem_from_json(
        {"members": list(MEMBERS), "meetings": [{"key": "m0", "fixed": {"ann": "note_taker"}}]}
    )
    assert problem.meetings[0].fixed == (("ann", Role.NOTE_TAKER),)


def test_a_member_left_out_as_presenter_may_still_be_made_presenter_by_hand():
    meetings = (_slot("m0", ("fin", Role.PRESENTER)), _slot("m1"))
    result = propose(RotaProblem(MEMBERS, meetings, frozenset(MEMBERS) - {"fin"}))
    assert result.ok
    assert result.meetings[0].presenters == ("fin",)
    assert "fin" not in result.meetings[1].presenters
