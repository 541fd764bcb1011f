"""solve(): pre-checks, a greedy start, CP-SAT, and an explanation when nothing fits."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from .cpsat import (
    RELAXABLE_FAMILIES,
    SolutionRecorder,
    add_hint,
    build_model,
    chosen_rooms,
    chosen_slots,
    make_solver,
)
from .greedy import greedy, independent_bound
from .model import (
    AnswerCounts,
    GroupPlan,
    NoRule,
    PlannedMeeting,
    PlanStatus,
    ProgressEvent,
    Reason,
    ReasonCode,
    SchedulingProblem,
    SchedulingResult,
)
from .precheck import precheck
from .prepare import NO_CODE, Prepared, prepare
from .rooms import assign_rooms

MAX_DIAGNOSIS_LINES = 12
# share of the time limit (capped) for improving the greedy plan before CP-SAT starts;
# at programme scale this local search finds most of the gains
IMPROVE_SHARE = 0.4
MAX_IMPROVE_S = 25.0
# below this much time left, building the CP-SAT model is not worth it
MIN_CPSAT_S = 1.0
# rough cost of building the model in Python, per candidate (group, slot)
BUILD_S_PER_SLOT = 1e-4
FAMILY_NAMES = {
    "meeting_count": "meeting count",
    "min_gap": "minimum days between meetings",
    "max_gap": "maximum days between meetings",
    "double_booking": "nobody in two places at once",
    "rooms": "enough rooms",
    "no_answers": "hard 'no' answers",
}


def solve(
    problem: SchedulingProblem,
    *,
    time_limit_s: float = 30.0,
    seed: int = 0,
    progress: Callable[[ProgressEvent], None] | None = None,
    workers: int = 2,
) -> SchedulingResult:
    """Plan every group's meeting series; raises SchedulingInputError on malformed input.

    The time limit covers the whole call. With two workers CP-SAT is not bit-for-bit
    deterministic: the same seed may return a different plan of equal or similar cost.
    """
    started = time.perf_counter()

    def clock() -> float:
        return time.perf_counter() - started

    prep = prepare(problem)
    reasons = precheck(prep)
    if reasons:
        return _empty(PlanStatus.INFEASIBLE, clock(), reasons)
    if not prep.groups:
        return _empty(PlanStatus.OPTIMAL, clock(), [], objective=0)

    first_solution_s = None

    def on_greedy_plan(assignment) -> None:
        nonlocal first_solution_s
        first_solution_s = clock()
        if progress is not None:
            chosen = {gi: [s for s, _ in meetings] for gi, meetings in assignment.items()}
            progress(ProgressEvent(first_solution_s, evaluate(prep, chosen)[0], None, "greedy"))

    improve_s = min(MAX_IMPROVE_S, IMPROVE_SHARE * time_limit_s)
    start_plan = greedy(prep, seed, started + improve_s, on_greedy_plan)
    complete = len(start_plan) == len(prep.groups)
    greedy_slots = {gi: [s for s, _ in meetings] for gi, meetings in start_plan.items()}
    if complete and progress is not None:
        progress(ProgressEvent(clock(), evaluate(prep, greedy_slots)[0], None, "greedy"))
    floor = independent_bound(prep)
    slot_count = sum(len(g.slots) for g in prep.groups)
    if complete and time_limit_s - clock() < MIN_CPSAT_S + BUILD_S_PER_SLOT * slot_count:
        rooms = {(gi, s): room for gi, meetings in start_plan.items() for s, room in meetings}
        return _result(prep, False, greedy_slots, rooms, (floor, None), clock, first_solution_s)
    built = build_model(prep)
    add_hint(built, prep, start_plan)
    solver = make_solver(time_limit_s - clock(), seed, workers)
    recorder = SolutionRecorder(clock, progress)
    status = solver.Solve(built.model, recorder)

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slots = chosen_slots(built, solver)
        rooms = chosen_rooms(built, solver) if built.room_lits else {}
        if recorder.first_solution_s is not None:
            first_solution_s = min(first_solution_s or 1e9, recorder.first_solution_s)
        bound = (floor, solver.BestObjectiveBound())
        proven = status == cp_model.OPTIMAL
        return _result(prep, proven, slots, rooms, bound, clock, first_solution_s)
    if status == cp_model.INFEASIBLE:
        return _empty(
            PlanStatus.INFEASIBLE, clock(), diagnose(prep, time_limit_s - clock(), seed, workers)
        )
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid CP-SAT model: {built.model.Validate()}")
    if complete:
        rooms = {(gi, s): room for gi, meetings in start_plan.items() for s, room in meetings}
        bound = (floor, solver.BestObjectiveBound())
        return _result(prep, False, greedy_slots, rooms, bound, clock, first_solution_s)
    missing = [g.id for g in prep.groups if g.index not in start_plan]
    return _empty(
        PlanStatus.UNKNOWN,
        clock(),
        [
            Reason(
                ReasonCode.TIME_LIMIT,
                f"no plan found within {time_limit_s:g} s and none proven impossible; "
                f"hardest to place: {', '.join(missing)}; try a longer time limit",
                group_ids=tuple(missing),
                params={"time_limit_s": time_limit_s},
            )
        ],
    )


def _empty(status, elapsed, explanation, objective=None) -> SchedulingResult:
    return SchedulingResult(
        status=status,
        plans=(),
        objective=objective,
        best_bound=None,
        elapsed_s=elapsed,
        first_solution_s=None,
        reasons=tuple(explanation),
    )


def evaluate(
    prep: Prepared, chosen: dict[int, list[int]]
) -> tuple[int, AnswerCounts, list[Reason], int]:
    """Cost, answer counts and the notable compromises of a plan, computed from scratch."""
    cal = prep.calendar
    weights = prep.problem.weights
    cost = 0
    tally = [0, 0, 0]
    notes = []
    by_facilitator_day: dict[tuple[str, int], set[str]] = defaultdict(set)
    for gi, slots in sorted(chosen.items()):
        group = prep.groups[gi]
        costs = dict(zip(group.slots.tolist(), group.costs.tolist(), strict=True))
        costs.update(zip(group.vetoed_slots.tolist(), group.vetoed_costs.tolist(), strict=True))
        for s in slots:
            cost += costs[s]
            for p in group.persons:
                code = int(prep.answers[p, s])
                tally[code] += 1
                if code == NO_CODE:
                    notes.append(
                        Reason(
                            ReasonCode.MEMBER_ANSWERED_NO,
                            f"group {group.id}, {cal.label(s)}: {prep.person_ids[p]} answered 'no'",
                            group_id=group.id,
                            person_ids=(prep.person_ids[p],),
                            params={"date": cal.slot_date(s), "start": cal.slot_start(s)},
                        )
                    )
            facilitator = group.group.facilitator_id
            if facilitator is not None and group.location is not None:
                by_facilitator_day[(facilitator, cal.day_of(s))].add(group.location)
    travel_days = 0
    for (facilitator, day), locations in sorted(by_facilitator_day.items()):
        if len(locations) > 1:
            travel_days += 1
            cost += weights.travel * (len(locations) - 1)
            places = " and ".join(sorted(locations))
            notes.append(
                Reason(
                    ReasonCode.FACILITATOR_TRAVELS,
                    f"facilitator {facilitator} travels between {places} "
                    f"on {cal.days[day].isoformat()}",
                    person_ids=(facilitator,),
                    facilitator_id=facilitator,
                    params={"date": cal.days[day], "locations": sorted(locations)},
                )
            )
    counts = AnswerCounts(yes=tally[0], if_need_be=tally[1], no=tally[2])
    return cost, counts, notes, travel_days


def _result(prep, proven, slots, rooms, bounds, clock, first_solution_s) -> SchedulingResult:
    """bounds: (independent per-group floor, CP-SAT's bound or None)."""
    cal = prep.calendar
    floor, solver_bound = bounds
    bound = floor if solver_bound is None else max(floor, solver_bound)
    if not rooms and any(g.location is not None for g in prep.groups):
        rooms = assign_rooms(prep, slots)
    cost, counts, notes, travel_days = evaluate(prep, slots)
    optimal = proven or cost <= bound
    status = PlanStatus.OPTIMAL if optimal else PlanStatus.FEASIBLE
    plans = []
    for gi, group in enumerate(prep.groups):
        meetings = tuple(
            PlannedMeeting(
                group_id=group.id,
                index=k + 1,
                date=cal.slot_date(s),
                start=cal.slot_start(s),
                end=cal.slot_end(s),
                location=group.location,
                room_id=rooms.get((gi, s)),
            )
            for k, s in enumerate(sorted(slots[gi]))
        )
        plans.append(GroupPlan(group.id, meetings))
    return SchedulingResult(
        status=status,
        plans=tuple(plans),
        objective=cost,
        best_bound=float(cost) if optimal else float(bound),
        elapsed_s=clock(),
        first_solution_s=first_solution_s,
        reasons=tuple(notes),
        answer_counts=counts,
        travel_days=travel_days,
        solver_bound=solver_bound,
    )


RELAX_CODES = {
    "meeting_count": ReasonCode.RELAX_MEETING_COUNT,
    "min_gap": ReasonCode.RELAX_MIN_GAP,
    "max_gap": ReasonCode.RELAX_MAX_GAP,
    "double_booking": ReasonCode.RELAX_DOUBLE_BOOKING,
    "rooms": ReasonCode.RELAX_ROOMS,
    "no_answers": ReasonCode.RELAX_NO_ANSWER,
}


def diagnose(prep: Prepared, time_left_s: float, seed: int, workers: int) -> list[Reason]:
    """Relax one rule family at a time; name the entities that need the relaxed rule.

    Each relaxation that restores feasibility gives one reason per entity that needs it;
    the first ones carry the English heading line in their text.
    """
    families = [f for f in RELAXABLE_FAMILIES if _applies(prep, f)]
    explanations: list[Reason] = []
    deadline = time.perf_counter() + max(0.0, time_left_s)
    for k, family in enumerate(families):
        remaining = deadline - time.perf_counter()
        if remaining <= 0.05:
            break
        built = build_model(prep, relax=family)
        solver = make_solver(remaining / (len(families) - k), seed, workers)
        status = solver.Solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        lines = _relaxation_lines(prep, family, built, solver)[:MAX_DIAGNOSIS_LINES]
        heading = (
            f"no plan satisfies all rules; relaxing only the rule "
            f"'{FAMILY_NAMES[family]}' would allow one: "
        )
        explanations.extend(
            Reason(code=RELAX_CODES[family], text=heading + text, **fields)
            for text, fields in lines
        )
    if not explanations:
        explanations.append(
            Reason(
                ReasonCode.NO_SINGLE_RULE,
                "no plan satisfies all rules together, and relaxing no single rule family "
                f"({', '.join(FAMILY_NAMES[f] for f in families)}) helps within the time limit",
                params={"rules": families},
            )
        )
    return explanations


def _applies(prep: Prepared, family: str) -> bool:
    if family == "max_gap":
        return prep.max_gap is not None
    if family == "double_booking":
        return bool(prep.shared_persons())
    if family == "rooms":
        return any(g.location is not None for g in prep.groups)
    if family == "no_answers":
        return any(len(g.vetoed_slots) for g in prep.groups)
    return True


def _relaxation_lines(prep, family, built, solver) -> list[tuple[str, dict]]:
    """(English line, Reason fields) per entity that needs the relaxed rule."""
    lines = []
    if family == "no_answers":
        cal = prep.calendar
        problem = prep.problem
        for gi, gv in enumerate(built.groups):
            group = prep.groups[gi]
            vetoed = set(group.vetoed_slots.tolist())
            for s, var in gv.x.items():
                if s not in vetoed or not solver.BooleanValue(var):
                    continue
                for k, p in enumerate(group.persons):
                    is_facilitator = (
                        group.group.facilitator_id is not None and k == len(group.persons) - 1
                    )
                    rule = problem.facilitator_no if is_facilitator else problem.member_no
                    if rule == NoRule.HARD and prep.answers[p, s] == NO_CODE:
                        role = "facilitator" if is_facilitator else "member"
                        lines.append(
                            (
                                f"group {group.id}: {role} {prep.person_ids[p]} would have "
                                f"to meet on {cal.label(s)} despite answering 'no'",
                                {
                                    "group_id": group.id,
                                    "person_ids": (prep.person_ids[p],),
                                    "params": {
                                        "role": role,
                                        "date": cal.slot_date(s),
                                        "start": cal.slot_start(s),
                                    },
                                },
                            )
                        )
        return lines
    for (fam, entity), var in built.slack.items():
        value = solver.Value(var)
        if fam != family or value <= 0:
            continue
        if family == "meeting_count":
            group = next(g for g in prep.groups if g.id == entity)
            fit = group.meeting_count - value
            lines.append(
                (
                    f"group {entity}: only {fit} of "
                    f"{group.meeting_count} meetings fit together with the other rules",
                    {
                        "group_id": entity,
                        "params": {
                            "meeting_count": group.meeting_count,
                            "meetings_that_fit": fit,
                        },
                    },
                )
            )
        elif family == "min_gap":
            lines.append(
                (
                    f"group {entity}: meetings cannot stay at least {prep.min_gap} days "
                    "apart together with the other rules",
                    {"group_id": entity, "params": {"min_gap_days": prep.min_gap}},
                )
            )
        elif family == "max_gap":
            lines.append(
                (
                    f"group {entity}: meetings cannot stay at most {prep.max_gap} days "
                    "apart together with the other rules",
                    {"group_id": entity, "params": {"max_gap_days": prep.max_gap}},
                )
            )
        elif family == "double_booking":
            person = prep.person_ids.index(entity)
            group_ids = tuple(prep.groups[g].id for g in prep.groups_of_person[person])
            role = "facilitator" if person in prep.facilitator_persons else "member"
            lines.append(
                (
                    f"{role} {entity} cannot attend all meetings of groups "
                    f"{', '.join(group_ids)} without being in two places at once",
                    {
                        "group_ids": group_ids,
                        "person_ids": (entity,),
                        "facilitator_id": entity if role == "facilitator" else None,
                        "params": {"role": role},
                    },
                )
            )
        elif family == "rooms":
            lines.append(
                (
                    f"location {entity}: too few rooms for all on-site meetings that must "
                    "happen at the same times",
                    {"location": entity},
                )
            )
    return lines
