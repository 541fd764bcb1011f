"""Composing groups with `engine.grouping`: models → engine input in one function, the
answer back in another. The hard rules are checked by the engine only (`check`).
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import combinations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import engine.grouping as grouping
from kring.programmes.models import Programme, Registration, Wish

from .models import GroupMembership

# The weights a coordinator sets, with what they mean in plain words (shown in the form).
WEIGHTS = {
    "weight_department": gettext_lazy("Mix departments"),
    "weight_location": gettext_lazy("Mix locations"),
    "weight_profession": gettext_lazy("Mix professions"),
    "weight_level": gettext_lazy("Keep function levels close"),
    "weight_wishes": gettext_lazy("Grant “preferably with” wishes"),
    "weight_history": gettext_lazy("Avoid people who were in a group together before"),
}
CATEGORICAL = {
    "department": "weight_department",
    "location": "weight_location",
    "profession": "weight_profession",
}


def default_rules(programme: Programme) -> dict:
    return {
        "group_size_min": programme.group_size_min,
        "group_size_max": programme.group_size_max,
        "group_count": None,
        "max_level_spread": None,
        "weight_department": 3,
        "weight_location": 2,
        "weight_profession": 1,
        "weight_level": 1,
        "weight_wishes": 2,
        "weight_history": 3,
        "time_limit": 10,
    }


@dataclass
class Pool:
    """The people a proposal is about, as the app knows them."""

    registrations: dict[int, Registration]
    managers: dict[int, int]  # person → their line manager, both in the pool
    avoid: set[frozenset[int]]
    prefer: list[tuple[int, int]]
    history: Counter = field(default_factory=Counter)

    def name(self, user_id: int) -> str:
        return self.registrations[user_id].user.full_name

    def level(self, user_id: int) -> int | None:
        level = self.registrations[user_id].function_level
        return level.rank if level else None


def load_pool(programme: Programme, *, history_before=None) -> Pool:
    """The programme's pool; who met before counts groups formed before `history_before`
    (a proposal's creation: earlier programmes and rounds, never the groups published
    from that proposal or after it), or all groups so far when it is None."""
    registrations = {
        registration.user_id: registration
        for registration in programme.registrations.taking_part()
        .exclude(manager_confirmation=Registration.ManagerConfirmation.DECLINED)
        .select_related("user", "function_level")
        .order_by("user_id")
    }
    ids = set(registrations)
    managers = {
        user_id: registration.line_manager_id
        for user_id, registration in registrations.items()
        if registration.line_manager_id in ids
    }
    avoid, prefer = set(), []
    # Whom a wish is about is encrypted (see `Wish`): it is matched against the pool here.
    for wish in (
        Wish.objects.filter(registration__in=registrations.values())
        .select_related("registration")
        .order_by("pk")
    ):
        if wish.other_id not in ids:
            continue
        pair = (wish.registration.user_id, wish.other_id)
        if wish.kind == Wish.Kind.AVOID:
            avoid.add(frozenset(pair))
        else:
            prefer.append(pair)
    # Who met before, in any earlier group of this organisation's programmes.
    history = Counter()
    past = GroupMembership.objects.filter(
        user__in=ids, group__programme__organisation=programme.organisation
    )
    if history_before is not None:
        past = past.filter(group__created_at__lt=history_before)
    past = past.values_list("group_id", "user_id").order_by("group_id")
    members_by_group: dict[int, list[int]] = {}
    for group_id, user_id in past:
        members_by_group.setdefault(group_id, []).append(user_id)
    for members in members_by_group.values():
        for a, b in combinations(sorted(set(members)), 2):
            history[(a, b)] += 1
    return Pool(registrations, managers, avoid, prefer, history)


def build_problem(pool: Pool, rules: dict, locked: dict, group_count: int | None):
    """The engine's input for a pool, the coordinator's rules and the locks."""
    people = []
    for user_id, registration in pool.registrations.items():
        attributes = {
            "department": registration.department.strip().lower(),
            "location": registration.location.strip().lower(),
            "profession": registration.profession.strip().lower(),
        }
        if registration.function_level:
            attributes["level"] = registration.function_level.rank
        manager = pool.managers.get(user_id)
        people.append(
            grouping.Person(
                id=str(user_id),
                attributes=attributes,
                manager=str(manager) if manager is not None else None,
            )
        )
    categorical = [
        grouping.CategoricalAttribute(name, weight=float(rules[weight]), prefer="different")
        for name, weight in CATEGORICAL.items()
        if rules.get(weight)
    ]
    ordinal = []
    if rules.get("weight_level") or rules.get("max_level_spread") is not None:
        ordinal.append(
            grouping.OrdinalAttribute(
                "level",
                penalty_per_step=float(rules.get("weight_level") or 0),
                max_spread=rules.get("max_level_spread"),
            )
        )
    group_count = group_count or rules.get("group_count") or None
    if group_count is not None and group_count > len(people):
        # The form allows at most 250 groups; rules saved before it did reach the engine
        # too, which cannot even size a model for a 30-digit count.
        raise grouping.InputError(
            _("%(groups)s groups is more than there are people (%(people)s).")
            % {"groups": group_count, "people": len(people)}
        )
    problem = grouping.GroupingProblem(
        people=people,
        categorical=categorical,
        ordinal=ordinal,
        group_size=(rules["group_size_min"], rules["group_size_max"]),
        group_count=group_count,
        cannot_link=[
            grouping.CannotLink(str(a), str(b), reason="not_with")
            for a, b in map(sorted, pool.avoid)
        ],
        wishes=[grouping.Wish(str(a), str(b)) for a, b in pool.prefer],
        history=[
            grouping.PastPair(str(a), str(b), times) for (a, b), times in pool.history.items()
        ],
        locks={str(user_id): index for user_id, index in locked.items()},
        wish_bonus=float(rules.get("weight_wishes") or 0),
        history_penalty=float(rules.get("weight_history") or 0),
    )
    # Without it, diversity fills some groups to the maximum and leaves others at the minimum.
    return replace(problem, pair_cost=grouping.balancing_pair_cost(problem))


def groups_from_result(result) -> list[list[int]]:
    return [sorted(int(person) for person in group) for group in result.groups]


def check(pool: Pool, rules: dict, groups: list[list[int]], locked: dict) -> list:
    """Every hard rule the groups break, as the engine's reasons (empty: all hold)."""
    problem = build_problem(pool, rules, locked, len(groups))
    return grouping.violations(problem, [[str(p) for p in group] for group in groups])


def _mix(values) -> list[tuple[str, int]]:
    """(value, count) pairs, most frequent first: a group's mix at a glance."""
    return Counter(value or "—" for value in values).most_common()


def describe(pool: Pool, groups: list[list[int]]) -> list[dict]:
    """Per group: members and the mix of departments, locations, professions and levels."""
    described = []
    where = {person: index for index, group in enumerate(groups) for person in group}
    for group in groups:
        registrations = [pool.registrations[person] for person in group]
        # Who wished and that it was not granted; whom the wish was about stays private.
        unmet = [pool.name(a) for a, b in pool.prefer if a in group and where.get(b) != where[a]]
        met_before = [
            (pool.name(a), pool.name(b))
            for (a, b), _times in pool.history.items()
            if a in group and b in group
        ]
        described.append(
            {
                "members": registrations,
                "departments": _mix(r.department for r in registrations),
                "locations": _mix(r.location for r in registrations),
                "professions": _mix(r.profession for r in registrations),
                "levels": _mix(str(r.function_level or "") for r in registrations),
                "unmet_wishes": unmet,
                "met_before": met_before,
            }
        )
    return described


def summary(pool: Pool, groups: list[list[int]]) -> dict:
    """Figures to compare proposals at a glance."""
    where = {person: index for index, group in enumerate(groups) for person in group}
    sizes = [len(group) for group in groups]
    spreads = []
    for group in groups:
        levels = [level for level in map(pool.level, group) if level is not None]
        spreads.append(max(levels) - min(levels) if levels else 0)

    def distinct(attribute):
        values = [
            len({getattr(pool.registrations[p], attribute) for p in group}) for group in groups
        ]
        return round(sum(values) / len(values), 1) if values else 0

    return {
        "groups": len(groups),
        "sizes": f"{min(sizes)}–{max(sizes)}" if sizes else "—",
        "departments": distinct("department"),
        "locations": distinct("location"),
        "professions": distinct("profession"),
        "max_level_spread": max(spreads) if spreads else 0,
        "wishes_granted": sum(1 for a, b in pool.prefer if where.get(a) == where.get(b)),
        "wishes_total": len(pool.prefer),
        "pairs_met_before": sum(
            1 for (a, b) in pool.history if where.get(a) == where.get(b) is not None
        ),
    }
