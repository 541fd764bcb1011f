"""Speed of engine.scheduling at programme scale (issue 5).

200 groups x 6 meetings, 30 facilitators, 20 rooms at 4 locations, 8 members per group,
availability generated deterministically from a seed. Target: a feasible plan within
10 s and the final plan within 60 s.

    .venv/bin/python bench/scheduling.py [--seed 1] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.scheduling import (  # noqa: E402
    Answer,
    AvailabilityAnswer,
    Group,
    ProgressEvent,
    Room,
    SchedulingProblem,
    solve,
)

LOCATIONS = ("Utrecht", "Amsterdam", "Rotterdam", "Den Haag")
START_TIMES = (dt.time(9, 30), dt.time(13, 30), dt.time(19, 0))
WINDOW = (dt.date(2027, 1, 4), dt.date(2027, 12, 17))
WEEKDAYS = (0, 1, 2, 3)


def make_problem(
    seed: int,
    n_groups: int = 200,
    n_facilitators: int = 30,
    n_members: int = 8,
    meeting_count: int = 6,
) -> SchedulingProblem:
    rng = np.random.default_rng(seed)
    summer = [dt.date(2027, 7, 19) + dt.timedelta(days=k) for k in range(40)]
    autumn = [dt.date(2027, 10, 18) + dt.timedelta(days=k) for k in range(5)]
    dates = []
    day = WINDOW[0]
    while day <= WINDOW[1]:
        if day.weekday() in WEEKDAYS:
            dates.append(day)
        day += dt.timedelta(days=1)

    rooms = []
    for li, location in enumerate(LOCATIONS):
        for k, capacity in enumerate((8, 10, 10, 12, 16)):
            rooms.append(Room(f"room-{li}{k}", capacity, location))

    answers: list[AvailabilityAnswer] = []

    def whole_days(person: str, days, answer: Answer) -> None:
        answers.extend(AvailabilityAnswer(person, d, answer) for d in days)

    def vacation(person: str, weeks: int) -> None:
        first = int(rng.integers(0, len(dates) - 4 * weeks))
        whole_days(person, dates[first : first + 4 * weeks], Answer.NO)

    facilitators = [f"fac-{k:02d}" for k in range(n_facilitators)]
    home = {f: LOCATIONS[k % len(LOCATIONS)] for k, f in enumerate(facilitators)}
    second = {f: LOCATIONS[(k + 1) % len(LOCATIONS)] for k, f in enumerate(facilitators)}
    for f in facilitators:
        free_day = int(rng.integers(0, len(WEEKDAYS)))
        whole_days(f, [d for d in dates if d.weekday() == free_day], Answer.NO)
        vacation(f, 3)
        evening_day = int(rng.integers(0, len(WEEKDAYS)))
        answers.extend(
            AvailabilityAnswer(f, d, Answer.IF_NEED_BE, START_TIMES[2])
            for d in dates
            if d.weekday() == evening_day
        )

    groups = []
    people = 0
    for gi in range(n_groups):
        facilitator = facilitators[gi % n_facilitators]
        draw = rng.random()
        if draw < 0.25:
            location = None
        elif draw < 0.8:
            location = home[facilitator]
        else:
            location = second[facilitator]
        members = [f"p-{people + k:04d}" for k in range(n_members)]
        people += n_members
        groups.append([f"g-{gi:03d}", members, facilitator, location])
    # a few people take part in two groups
    for _ in range(n_groups // 10):
        a, b = rng.choice(n_groups, size=2, replace=False)
        groups[b][1][0] = groups[a][1][1]

    for member in sorted({m for g in groups for m in g[1]}):
        if rng.random() > 0.8:
            continue  # did not answer the poll: counts as the default answer
        if rng.random() < 0.3:
            part_time_day = int(rng.integers(0, len(WEEKDAYS)))
            whole_days(member, [d for d in dates if d.weekday() == part_time_day], Answer.NO)
        evening = rng.random()
        if evening < 0.5:
            evening_answer = Answer.NO if evening < 0.3 else Answer.IF_NEED_BE
            answers.extend(
                AvailabilityAnswer(member, d, evening_answer, START_TIMES[2]) for d in dates
            )
        if rng.random() < 0.5:
            vacation(member, 2)
        picks = rng.choice(len(dates), size=30, replace=False)
        whole_days(member, [dates[int(k)] for k in picks[:25]], Answer.IF_NEED_BE)
        whole_days(member, [dates[int(k)] for k in picks[25:]], Answer.NO)

    return SchedulingProblem(
        groups=tuple(Group(gid, tuple(m), f, loc) for gid, m, f, loc in groups),
        window_start=WINDOW[0],
        window_end=WINDOW[1],
        start_times=START_TIMES,
        meeting_count=meeting_count,
        min_gap_days=21,
        max_gap_days=70,
        weekdays=WEEKDAYS,
        duration_minutes=120,
        rooms=tuple(rooms),
        blackout_dates=tuple(summer + autumn),
        answers=tuple(answers),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=58.0)
    parser.add_argument("--groups", type=int, default=200)
    args = parser.parse_args()

    built = time.perf_counter()
    problem = make_problem(args.seed, n_groups=args.groups)
    build_s = time.perf_counter() - built
    events: list[ProgressEvent] = []
    result = solve(problem, time_limit_s=args.time_limit, seed=args.seed, progress=events.append)

    greedy_events = [e for e in events if e.source == "greedy"]
    first_greedy = greedy_events[0] if greedy_events else None
    improved_greedy = greedy_events[-1] if greedy_events else None
    first_cpsat = next((e for e in events if e.source == "cp-sat"), None)
    meetings = sum(len(p.meetings) for p in result.plans)

    def seconds(event: ProgressEvent | None) -> str:
        return "-" if event is None else f"{event.elapsed_s:.2f} s"

    def cost(event: ProgressEvent | None) -> str:
        return "-" if event is None else str(event.objective)

    rows = [
        ("groups / meetings planned", f"{len(problem.groups)} / {meetings}"),
        ("availability answers", f"{len(problem.answers)}"),
        ("problem generation (not timed)", f"{build_s:.2f} s"),
        ("first feasible: greedy start", f"{seconds(first_greedy)}  (cost {cost(first_greedy)})"),
        (
            "greedy after local improvement",
            f"{seconds(improved_greedy)}  (cost {cost(improved_greedy)})",
        ),
        ("first feasible: CP-SAT", f"{seconds(first_cpsat)}  (cost {cost(first_cpsat)})"),
        ("first feasible overall (target <= 10 s)", f"{result.first_solution_s or 0:.2f} s"),
        ("final plan (target <= 60 s)", f"{result.elapsed_s:.2f} s  [{result.status}]"),
        ("final objective", f"{result.objective}"),
        ("CP-SAT best bound", f"{result.solver_bound}"),
        ("best bound (max of CP-SAT, per-group floor)", f"{result.best_bound}"),
        (
            "gap (objective vs best bound)",
            "-" if result.gap is None else f"{100 * result.gap:.2f} %",
        ),
        (
            "answers in plan yes / if need be / no",
            f"{result.answer_counts.yes} / {result.answer_counts.if_need_be} / "
            f"{result.answer_counts.no}",
        ),
        ("facilitator travel days", f"{result.travel_days}"),
        ("CP-SAT improving solutions", f"{sum(1 for e in events if e.source == 'cp-sat')}"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"engine.scheduling benchmark (seed {args.seed}, time limit {args.time_limit:g} s)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if not result.feasible:
        print("  explanation:", *result.explanation[:5], sep="\n    ")


if __name__ == "__main__":
    main()
