"""Independent checks of a rota against the rules (used by the property tests)."""

from __future__ import annotations

from itertools import permutations

from engine.rota import ROLES, MeetingRota, Role, RotaProblem, Stage


def presenter_counts_before(problem: RotaProblem, rotas: list[MeetingRota]):
    """Yield (meeting rota, presenter counts before it) along the series."""
    counts = {p: int(problem.history.get(p, {}).get(Role.PRESENTER, 0)) for p in problem.members}
    for rota in rotas:
        yield rota, dict(counts)
        for p in rota.presenters:
            counts[p] += 1


def hard_rule_violations(problem: RotaProblem, rotas: list[MeetingRota]) -> list[str]:
    problems = []
    slots = {s.key: s for s in problem.meetings}
    willing = problem.willing()
    for rota, before in presenter_counts_before(problem, rotas):
        slot = slots[rota.key]
        people = [a.member for a in rota.assignments()]
        if len(people) != len(set(people)):
            problems.append(f"{rota.key}: someone holds two roles")
        for person in people:
            if person in slot.absent:
                problems.append(f"{rota.key}: {person} is absent but has a role")
        if not Stage(slot.stage).member_leads and rota.process_facilitator:
            problems.append(f"{rota.key}: a member leads while the facilitator does")
        for p in rota.presenters:
            if p not in willing:
                problems.append(f"{rota.key}: {p} presents without wanting to")
            for q in willing - set(rota.presenters) - set(slot.absent):
                if before[q] < before[p]:
                    problems.append(f"{rota.key}: {p} presents again before {q}")
        present = [m for m in problem.members if m not in slot.absent]
        if set(rota.questioners) != set(present) - set(people):
            problems.append(f"{rota.key}: the questioners are not everyone else")
    return problems


def valid_meeting_rotas(problem: RotaProblem, key: str, presenters: int, before: dict[str, int]):
    """Every meeting rota that keeps the hard rules (brute force, small groups only)."""
    slot = next(s for s in problem.meetings if s.key == key)
    present = [m for m in problem.members if m not in slot.absent]
    lead = Stage(slot.stage).member_leads
    size = presenters + 2 + (1 if lead else 0)
    for chosen in permutations(present, size):
        pf = chosen[0] if lead else None
        rest = chosen[1:] if lead else chosen
        pres, tk, nt = tuple(sorted(rest[:presenters])), rest[presenters], rest[presenters + 1]
        if presenters == 2 and rest[0] > rest[1]:
            continue
        rota = MeetingRota(key, Stage(slot.stage), pf, pres, tk, nt, ())
        rota.questioners = tuple(p for p in present if p not in chosen)
        if not hard_rule_violations_one(problem, rota, before):
            yield rota


def hard_rule_violations_one(problem, rota, before):
    slots = {s.key: s for s in problem.meetings}
    slot = slots[rota.key]
    willing = problem.willing()
    for p in rota.presenters:
        if p not in willing:
            return True
        for q in willing - set(rota.presenters) - set(slot.absent):
            if before[q] < before[p]:
                return True
    return False


def spread(problem: RotaProblem, counts, role: Role, people) -> int:
    values = [counts.get(p, {}).get(role, 0) for p in people]
    return max(values) - min(values) if values else 0


__all__ = ["ROLES", "hard_rule_violations", "spread", "valid_meeting_rotas"]
