"""Plain English for an :class:`Explanation`, for the command line and for logs.

An app that speaks to people words the same reasons in its own language from ``code``,
``params``, ``people`` and ``group``; nothing here is meant to be shown to them.
"""

from __future__ import annotations

from engine.grouping.model import Explanation

_APART = {
    "manager": "{a} and {b} are manager and direct report",
    "not_with": "{a} and {b} must not be together (a 'not with' wish)",
    "rule": "{a} and {b} must not be together",
}


def _apart(a, b, reason: str) -> str:
    return _APART.get(reason, _APART["rule"]).format(a=a, b=b)


def _group(e: Explanation) -> str:
    return f"group {e.group + 1}" if e.group is not None else "a group"


def message(e: Explanation) -> str:
    p, people, group = e.params, e.people, _group(e)
    pair = people[:2] if len(people) >= 2 else ("?", "?")
    match e.code:
        case "size_range":
            return f"{p['people']} people cannot be split into groups of {p['min']}-{p['max']}"
        case "no_groups":
            return "no groups were asked for"
        case "invalid_bounds":
            return f"{group} has size bounds {p['min']}-{p['max']}, which no group can meet"
        case "too_few_people":
            return (
                f"the {p['groups']} groups need at least {p['needed']} people together, "
                f"but there are only {p['people']}"
            )
        case "too_many_people":
            return (
                f"the {p['groups']} groups hold at most {p['capacity']} people together, "
                f"but there are {p['people']}"
            )
        case "lock_missing_group":
            return f"{people[0]} is locked to {group}, but there are only {p['groups']} groups"
        case "too_many_locked":
            return f"{p['locked']} people are locked to {group}, which holds at most {p['maximum']}"
        case "locked_apart":
            return f"{_apart(*pair, p['reason'])}, yet both are locked to {group}"
        case "locked_level_spread":
            return (
                f"{pair[0]} and {pair[1]} are both locked to {group}, but their "
                f"{p['attribute']} differs by {p['difference']:g}, more than the maximum of "
                f"{p['maximum']:g}"
            )
        case "apart_clique":
            pairs = "; ".join(_apart(a, b, reason) for a, b, reason in p["pairs"])
            return (
                f"{len(people)} people must each be in a different group (every pair of them "
                f"is kept apart), but there are only {p['groups']} groups: {pairs}"
            )
        case "apart_one_group":
            return f"{_apart(*pair, p['reason'])}, but there is only one group"
        case "level_spread_split":
            detail = ""
            if p["lonely_values"]:
                values = ", ".join(f"{v:g}" for v in p["lonely_values"])
                detail = (
                    f"; too few people have a {p['attribute']} within {p['maximum']:g} of "
                    f"{values} to fill a group of {p['min']}"
                )
            return (
                f"with a {p['attribute']} difference of at most {p['maximum']:g} inside a "
                f"group, the {p['people']} people cannot be split into {p['groups']} groups of "
                f"{p['min']}-{p['max']}{detail}"
            )
        case "apart":
            return _apart(*pair, p["reason"])
        case "locked":
            return f"{people[0]} is locked to {group}"
        case "level_spread_limit":
            return f"the {p['attribute']} inside a group may differ by at most {p['maximum']:g}"
        case "sizes_unmet":
            return "the group sizes cannot be met"
        case "combination":
            return (
                f"these {p['count']} rules cannot all hold together with the group sizes; "
                "relaxing any one of them may help"
            )
        case "not_found":
            return "no grouping was found that meets every hard rule; the rules are very tight"
        case "wrong_group_count":
            return f"{p['groups']} groups instead of {p['expected']}"
        case "in_several_groups":
            return f"{people[0]} is in more than one group"
        case "unplaced":
            return f"{p['count']} people are in no group, e.g. {people[0]}"
        case "bounds_count":
            return f"{p['groups']} groups for {p['bounds']} size bounds"
        case "group_size":
            return f"{group} has {p['size']} members, allowed {p['min']}-{p['max']}"
        case "together":
            return f"{_apart(*pair, p['reason'])}, yet they share {group}"
        case "not_in_locked_group":
            return f"{people[0]} is not in locked {group}"
        case "level_spread_exceeded":
            return (
                f"{group} spans a {p['attribute']} difference of {p['difference']:g}, more than "
                f"{p['maximum']:g}"
            )
    return e.code


def suggestion(e: Explanation) -> str:
    p = e.params
    match e.code:
        case "size_range":
            options = []
            if p["smaller_minimum"] is not None:
                options.append(f"{p['smaller_minimum']}-{p['max']}")
            if p["larger_maximum"] is not None:
                options.append(f"{p['min']}-{p['larger_maximum']}")
            if not options:
                return "widen the group size range"
            return "make the group size range " + " or ".join(options)
        case "no_groups":
            return "ask for groups"
        case "invalid_bounds":
            return (
                "give every group a minimum of at least 0 and a maximum at least as large "
                "as its minimum"
            )
        case "too_few_people":
            return (
                f"lower the minimum group size or use fewer groups "
                f"(at most {p['short']} fewer places are needed)"
            )
        case "too_many_people":
            return (
                f"raise the maximum group size or add groups ({p['extra']} more places are needed)"
            )
        case "lock_missing_group":
            return "unlock this person or lock them to an existing group"
        case "too_many_locked":
            return f"unlock at least {p['release']} of them"
        case "locked_apart":
            return "unlock one of them"
        case "locked_level_spread":
            return (
                f"unlock one of them or allow a {p['attribute']} difference of {p['difference']:g}"
            )
        case "apart_clique":
            return "drop one of these 'not with' wishes or rules, or form more groups"
        case "apart_one_group":
            return "form more groups or drop this rule"
        case "level_spread_split":
            if p["needed"] is not None:
                first = f"allow a {p['attribute']} difference of {p['needed']:g}"
            else:
                first = f"drop the maximum {p['attribute']} difference"
            return first + " or change the group size range"
        case "apart":
            return "drop this rule or wish"
        case "locked":
            return "unlock this person"
        case "level_spread_limit":
            return f"allow a larger {p['attribute']} difference"
        case "sizes_unmet":
            return "change the group size range or the number of groups"
        case "combination":
            return "relax one of the rules listed below"
        case "not_found":
            return (
                "relax the maximum level difference, 'not with' wishes or locks, or widen the "
                "group size range"
            )
    return ""
