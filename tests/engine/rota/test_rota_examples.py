"""The rota engine on small groups a facilitator would recognise."""

from __future__ import annotations

import json
import subprocess
import sys

from engine.rota import MeetingSlot, ReasonCode, Role, RotaProblem, Stage, propose, repair

MEMBERS = ("ann", "bob", "cas", "dev", "eva", "fin")


def series(*stages, absent=None, presenters=1):
    absent = absent or {}
    return tuple(
        MeetingSlot(f"m{i}", frozenset(absent.get(f"m{i}", ())), presenters, Stage(s))
        for i, s in enumerate(stages)
    )


def test_while_the_facilitator_leads_no_member_is_process_facilitator():
    result = propose(RotaProblem(MEMBERS, series(1, 1, 2)))
    assert [m.process_facilitator is None for m in result.meetings] == [True, True, False]


def test_fewer_members_present_than_roles_says_which_meeting_and_how_many():
    meetings = series(2, 2, absent={"m1": ("ann", "bob", "cas")})
    result = propose(RotaProblem(MEMBERS, meetings))
    assert not result.ok
    (reason,) = [r for r in result.reasons if r.fatal]
    assert (reason.code, reason.meeting, reason.needed, reason.available) == (
        ReasonCode.TOO_FEW_PRESENT,
        "m1",
        4,
        3,
    )
    assert result.meeting("m1").assignments() == []
    assert len(result.meeting("m0").assignments()) == 4


def test_nobody_present_who_wants_to_present_is_a_reason_not_a_forced_presenter():
    meetings = series(2, absent={"m0": ("ann",)})
    result = propose(RotaProblem(MEMBERS, meetings, frozenset({"ann"})))
    assert [r.code for r in result.reasons] == [ReasonCode.NO_WILLING_PRESENTER]


def test_two_presenters_asked_but_one_willing_present_gives_one_presenter_and_a_warning():
    meetings = series(2, absent={"m0": ("ann",)}, presenters=2)
    result = propose(RotaProblem(MEMBERS, meetings, frozenset({"ann", "bob"})))
    assert result.ok
    assert result.meeting("m0").presenters == ("bob",)
    assert [r.code for r in result.reasons] == [ReasonCode.FEWER_PRESENTERS]


def test_history_counts_so_who_presented_last_cycle_waits():
    history = {m: {Role.PRESENTER: 1} for m in MEMBERS if m != "fin"}
    result = propose(RotaProblem(MEMBERS, series(2), history=history))
    assert result.meeting("m0").presenters == ("fin",)


def test_a_timekeeper_who_cannot_come_is_replaced_by_a_questioner_and_nothing_else_moves():
    problem = RotaProblem(MEMBERS, series(2, 2, 3))
    result = propose(problem)
    before = result.meeting("m1")
    fixed = repair(problem, result, meeting="m1", absent=before.timekeeper)
    after = fixed.rota.meeting("m1")
    assert after.timekeeper in before.questioners
    assert [(t.role, t.previous, t.member) for t in fixed.takeovers] == [
        (Role.TIMEKEEPER, before.timekeeper, after.timekeeper)
    ]
    assert (after.process_facilitator, after.presenters, after.note_taker) == (
        before.process_facilitator,
        before.presenters,
        before.note_taker,
    )


def test_repair_that_cannot_fill_a_role_says_so():
    problem = RotaProblem(MEMBERS[:4], series(2))
    result = propose(problem)
    fixed = repair(problem, result, meeting="m0", absent=result.meeting("m0").note_taker)
    assert not fixed.ok
    assert fixed.reasons[0].code is ReasonCode.TOO_FEW_PRESENT
    assert fixed.takeovers[0].member is None


def test_the_command_line_proposes_and_repairs_from_json(tmp_path):
    problem = {
        "members": list(MEMBERS),
        "meetings": [{"key": "a", "stage": 1}, {"key": "b", "stage": 2, "absent": ["ann"]}],
    }
    (tmp_path / "p.json").write_text(json.dumps(problem))
    run = [sys.executable, "-m", "engine.rota"]
    out = subprocess.run([*run, "propose", tmp_path / "p.json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    rota = json.loads(out.stdout)
    assert rota["ok"] and rota["meetings"][1]["process_facilitator"] != "ann"
    (tmp_path / "r.json").write_text(out.stdout)
    taker = rota["meetings"][0]["note_taker"]
    fixed = subprocess.run(
        [
            *run,
            "repair",
            tmp_path / "p.json",
            tmp_path / "r.json",
            "--meeting",
            "a",
            "--absent",
            taker,
        ],
        capture_output=True,
        text=True,
    )
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(fixed.stdout)["takeovers"][0]["previous"] == taker
    bad = subprocess.run(
        [*run, "propose", tmp_path / "missing.json"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:")
