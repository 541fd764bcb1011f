"""The CP-SAT model: one boolean per (group, candidate slot).

Spacing uses a cumulative meeting count per group and candidate date, so every spacing
window is a two-term linear constraint instead of a long sum:

* count: C[last] == meeting_count;
* minimum gap m: C[j] - C[i-1] <= 1 where date j is the last one before date i + m;
* maximum gap M: after a meeting on date i that is not the group's last, a meeting
  follows by date i + M: C[j] - C[i] >= meetings_on(i) - finished[i], where finished[i]
  may only be true once the count is complete.

Double booking is "at most one per person per overlapping point". Rooms are counted per
location, slot and capacity class when no two start times overlap (a matching assigns the
actual rooms afterwards: for nested "large enough" sets the counts guarantee it exists);
with overlapping start times each room is booked explicitly.

A rule family can be relaxed with slack variables that name the entity that needs it;
`solve.py` uses this to explain infeasibility.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .greedy import Assignment
from .prepare import Prepared

RELAXABLE_FAMILIES = (
    "meeting_count",
    "min_gap",
    "max_gap",
    "double_booking",
    "rooms",
    "no_answers",
)


@dataclass
class GroupVars:
    x: dict[int, cp_model.IntVar]
    day_slots: list[list[int]]  # per candidate date of the group, its slots
    counts: list[cp_model.IntVar]  # cumulative count per candidate date
    finished: dict[int, cp_model.IntVar]  # date position -> "count complete" literal


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    groups: list[GroupVars]
    # explicit room literals (only with overlapping start times): (group, slot, room)
    room_lits: dict[tuple[int, int, str], cp_model.IntVar]
    # (u literals per location, extra-locations variable, [(group, slot, location)])
    travel: list[tuple[dict[str, cp_model.IntVar], cp_model.IntVar, list[tuple[int, int, str]]]]
    # relaxation: (family, entity description) -> slack variable
    slack: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)


def build_model(prep: Prepared, relax: str | None = None) -> BuiltModel:
    model = cp_model.CpModel()
    cal = prep.calendar
    n_times = len(cal.times)
    objective: list = []
    slack: dict[tuple[str, str], cp_model.IntVar] = {}

    def slack_var(family: str, entity: str) -> cp_model.IntVar:
        key = (family, entity)
        if key not in slack:
            slack[key] = model.NewBoolVar(f"slack {family} {entity}")
        return slack[key]

    groups: list[GroupVars] = []
    # (day, point) -> literals of this group's slots covering it, per group
    point_lits: list[dict[tuple[int, int], list]] = []
    for g in prep.groups:
        slots = g.slots.tolist()
        costs = g.costs.tolist()
        x = {s: model.NewBoolVar("") for s in slots}
        if relax == "no_answers":
            for s in g.vetoed_slots.tolist():
                x[s] = model.NewBoolVar("")
                objective.append(x[s])
        elif relax is None:
            objective.extend(c * x[s] for s, c in zip(slots, costs, strict=True) if c)
        by_day: dict[int, list[int]] = defaultdict(list)
        for s in sorted(x):
            by_day[s // n_times].append(s)
        days = sorted(by_day)
        day_slots = [by_day[d] for d in days]
        ords = [cal.days[d].toordinal() for d in days]
        n = g.meeting_count
        counts = [model.NewIntVar(0, n, "") for _ in days]
        for i, slot_list in enumerate(day_slots):
            on_day = sum(x[s] for s in slot_list)
            model.Add(counts[i] == (counts[i - 1] if i else 0) + on_day)
        total = counts[-1] if counts else 0
        if relax == "meeting_count":
            model.Add(total <= n)
            short = model.NewIntVar(0, n, f"short {g.id}")
            model.Add(short == n - total)
            slack[("meeting_count", g.id)] = short
        else:
            model.Add(total == n)

        previous_end = -1
        for i in range(len(days)):
            j = bisect.bisect_right(ords, ords[i] + prep.min_gap - 1) - 1
            before = counts[i - 1] if i else 0
            if relax == "min_gap":
                if len(day_slots[i]) > 1:
                    model.AddAtMostOne(x[s] for s in day_slots[i])
                if j > i and j != previous_end:
                    model.Add(counts[j] - before <= 1 + n * slack_var("min_gap", g.id))
            elif j == i:
                if len(day_slots[i]) > 1:
                    model.AddAtMostOne(x[s] for s in day_slots[i])
            elif j != previous_end:
                model.Add(counts[j] - before <= 1)
            previous_end = j

        finished: dict[int, cp_model.IntVar] = {}
        if prep.max_gap is not None:
            for i in range(len(days)):
                j = bisect.bisect_right(ords, ords[i] + prep.max_gap) - 1
                if j == len(days) - 1:
                    break
                done = model.NewBoolVar("")
                if relax == "meeting_count":
                    model.Add(counts[i] >= total).OnlyEnforceIf(done)
                else:
                    model.Add(counts[i] >= n * done)
                if i - 1 in finished:
                    model.AddImplication(finished[i - 1], done)
                finished[i] = done
                on_day = sum(x[s] for s in day_slots[i])
                if relax == "max_gap":
                    model.Add(counts[j] - counts[i] >= on_day - done - slack_var("max_gap", g.id))
                else:
                    model.Add(counts[j] - counts[i] >= on_day - done)
        groups.append(GroupVars(x, day_slots, counts, finished))

        points: dict[tuple[int, int], list] = defaultdict(list)
        for s, var in x.items():
            for pt in cal.covers[s % n_times]:
                points[(s // n_times, pt)].append(var)
        point_lits.append(points)

    _add_double_booking(prep, model, point_lits, relax, slack_var)
    room_lits = _add_rooms(prep, model, groups, relax, slack_var)
    travel = _add_travel(prep, model, groups, objective if relax is None else None)

    if relax is None:
        model.Minimize(sum(objective))
    else:
        model.Minimize(sum(objective) + sum(slack.values()))
    return BuiltModel(model, groups, room_lits, travel, slack)


def _add_double_booking(prep, model, point_lits, relax, slack_var) -> None:
    seen: set[tuple[int, ...]] = set()
    for person, group_indices in prep.shared_persons().items():
        if group_indices in seen:
            continue
        seen.add(group_indices)
        keys = set().union(*(point_lits[g].keys() for g in group_indices))
        for key in keys:
            parts = [point_lits[g].get(key, ()) for g in group_indices]
            if sum(1 for part in parts if part) < 2:
                continue
            lits = [lit for part in parts for lit in part]
            if relax == "double_booking":
                entity = prep.person_ids[person]
                model.Add(sum(lits) <= 1 + (len(lits) - 1) * slack_var("double_booking", entity))
            else:
                model.AddAtMostOne(lits)


def _add_rooms(prep, model, groups, relax, slack_var) -> dict:
    cal = prep.calendar
    n_times = len(cal.times)
    rooms_at = defaultdict(list)
    for room in prep.problem.rooms:
        rooms_at[room.location].append(room)
    onsite = defaultdict(list)
    for g in prep.groups:
        if g.location is not None:
            onsite[g.location].append(g)
    room_lits: dict[tuple[int, int, str], cp_model.IntVar] = {}

    def limit(lits, capacity, location):
        if len(lits) <= capacity:
            return
        if relax == "rooms":
            model.Add(sum(lits) <= capacity + len(lits) * slack_var("rooms", location))
        elif capacity == 1:
            model.AddAtMostOne(lits)
        else:
            model.Add(sum(lits) <= capacity)

    for location, members in onsite.items():
        rooms = rooms_at.get(location, [])
        if cal.clean:
            # Hall's condition for nested "capacity >= size" sets, one class per room count
            last_rooms = None
            for size in sorted({g.group.size for g in members}):
                capacity = sum(1 for r in rooms if r.capacity >= size)
                if capacity == last_rooms:
                    continue
                last_rooms = capacity
                by_slot = defaultdict(list)
                for g in members:
                    if g.group.size >= size:
                        for s, var in groups[g.index].x.items():
                            by_slot[s].append(var)
                for lits in by_slot.values():
                    limit(lits, capacity, location)
        else:
            per_room_point = defaultdict(list)
            for g in members:
                eligible = [r.id for r in rooms if r.capacity >= g.group.size]
                for s, var in groups[g.index].x.items():
                    if len(eligible) == 1:
                        choices = {eligible[0]: var}
                    else:
                        choices = {r: model.NewBoolVar("") for r in eligible}
                        model.Add(sum(choices.values()) == var)
                    for r, lit in choices.items():
                        room_lits[(g.index, s, r)] = lit
                        for pt in cal.covers[s % n_times]:
                            per_room_point[(r, s // n_times, pt)].append(lit)
            for lits in per_room_point.values():
                limit(lits, 1, location)
    return room_lits


def _add_travel(prep, model, groups, objective):
    """Facilitators who could meet at two locations on one date pay per extra location."""
    weight = prep.problem.weights.travel
    if objective is None or weight == 0:
        return []
    cal = prep.calendar
    n_times = len(cal.times)
    led = defaultdict(list)
    for g in prep.groups:
        if g.group.facilitator_id is not None and g.location is not None:
            led[g.group.facilitator_id].append(g)
    travel = []
    for led_groups in led.values():
        if len({g.location for g in led_groups}) < 2:
            continue
        by_day = defaultdict(lambda: defaultdict(list))
        for g in led_groups:
            for s in groups[g.index].x:
                by_day[s // n_times][g.location].append((g.index, s))
        for per_location in by_day.values():
            if len(per_location) < 2:
                continue
            used = {}
            members = []
            for location, entries in per_location.items():
                used[location] = model.NewBoolVar("")
                lits = [groups[gi].x[s] for gi, s in entries]
                model.Add(cp_model.LinearExpr.Sum(lits) <= len(lits) * used[location])
                members.extend((gi, s, location) for gi, s in entries)
            extra = model.NewIntVar(0, len(used) - 1, "")
            model.Add(extra >= sum(used.values()) - 1)
            objective.append(weight * extra)
            travel.append((used, extra, members))
    return travel


def add_hint(built: BuiltModel, prep: Prepared, assignment: Assignment) -> None:
    model = built.model
    chosen_by_group = {gi: {s: room for s, room in meetings} for gi, meetings in assignment.items()}
    for gi, chosen in chosen_by_group.items():
        gv = built.groups[gi]
        for s, var in gv.x.items():
            model.AddHint(var, s in chosen)
        n = prep.groups[gi].meeting_count
        count = 0
        for i, slot_list in enumerate(gv.day_slots):
            count += sum(1 for s in slot_list if s in chosen)
            model.AddHint(gv.counts[i], count)
            if i in gv.finished:
                model.AddHint(gv.finished[i], count == n)
    for (gi, s, room), lit in built.room_lits.items():
        chosen = chosen_by_group.get(gi)
        if chosen is not None and lit is not built.groups[gi].x.get(s):
            model.AddHint(lit, chosen.get(s) == room)
    if len(chosen_by_group) != len(prep.groups):
        return
    for used, extra, members in built.travel:
        active = {loc for gi, s, loc in members if s in chosen_by_group[gi]}
        for location, lit in used.items():
            model.AddHint(lit, location in active)
        model.AddHint(extra, max(0, len(active) - 1))


class SolutionRecorder(cp_model.CpSolverSolutionCallback):
    def __init__(self, clock, progress=None):
        super().__init__()
        self._clock = clock
        self._progress = progress
        self.first_solution_s: float | None = None
        self.solutions = 0

    def on_solution_callback(self) -> None:
        elapsed = self._clock()
        self.solutions += 1
        if self.first_solution_s is None:
            self.first_solution_s = elapsed
        if self._progress is not None:
            from .model import ProgressEvent

            self._progress(
                ProgressEvent(
                    elapsed_s=elapsed,
                    objective=round(self.ObjectiveValue()),
                    best_bound=self.BestObjectiveBound(),
                    source="cp-sat",
                )
            )


def make_solver(time_limit_s: float, seed: int, workers: int = 2) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    # At programme scale the full presolve (probing, symmetry) takes longer than the
    # search needs; a light presolve hands the hint to LNS within seconds.
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.max_presolve_iterations = 1
    return solver


def chosen_slots(built: BuiltModel, solver: cp_model.CpSolver) -> dict[int, list[int]]:
    result = {}
    for gi, gv in enumerate(built.groups):
        result[gi] = sorted(s for s, var in gv.x.items() if solver.BooleanValue(var))
    return result


def chosen_rooms(built: BuiltModel, solver: cp_model.CpSolver) -> dict[tuple[int, int], str]:
    return {
        (gi, s): room for (gi, s, room), lit in built.room_lits.items() if solver.BooleanValue(lit)
    }
