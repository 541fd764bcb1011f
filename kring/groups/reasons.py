"""The engine's reasons in the coordinator's words: names instead of ids, the proposal's
group numbers, and what to change, with numbers that are right.

The engine (`engine.grouping.Explanation`) gives a rule, a code, numbers, the people
involved (their user ids as strings) and the group; proposals keep that data and it is
worded here when a page is shown, in the reader's language. A "not with" wish is
private: a reason about one never names who it is about.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .composition import Pool

# The group sizes the composition form allows: suggestions stay within them.
SMALLEST_GROUP, LARGEST_GROUP = 4, 10


@dataclass
class Worded:
    message: str
    suggestion: str = ""
    names: list[str] = field(default_factory=list)


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else number_format(value, 1)


def _range(low, high) -> str:
    return f"{low}–{high}"


def _private(reason: dict) -> bool:
    params = reason.get("params") or {}
    if params.get("reason") == "not_with":
        return True
    return any(pair[2] == "not_with" for pair in params.get("pairs", []))


class _Names:
    def __init__(self, pool: Pool):
        self.pool = pool

    def __call__(self, person) -> str:
        person = str(person)
        if person.isdigit() and int(person) in self.pool.registrations:
            return self.pool.name(int(person))
        return _("someone who no longer takes part")

    def manager_first(self, people) -> tuple[str, str]:
        """(manager, report) for a pair of whom one is the other's line manager."""
        a, b = (str(p) for p in people[:2])
        if a.isdigit() and b.isdigit() and self.pool.managers.get(int(a)) == int(b):
            a, b = b, a
        return self(a), self(b)


def _size_range(p: dict) -> Worded:
    people = p["people"]
    if p["min"] == p["max"]:
        message = ngettext(
            "%(people)s registered participant does not fit in groups of exactly %(size)s.",
            "%(people)s registered participants do not fit in groups of exactly %(size)s.",
            people,
        ) % {"people": people, "size": p["min"]}
    else:
        message = ngettext(
            "%(people)s registered participant cannot be split into groups of %(low)s to %(high)s.",
            "%(people)s registered participants cannot be split into groups of %(low)s to "
            "%(high)s.",
            people,
        ) % {"people": people, "low": p["min"], "high": p["max"]}
    options = []
    if p.get("smaller_minimum") and p["smaller_minimum"] >= SMALLEST_GROUP:
        options.append(_range(p["smaller_minimum"], p["max"]))
    if p.get("larger_maximum") and p["larger_maximum"] <= LARGEST_GROUP:
        options.append(_range(p["min"], p["larger_maximum"]))
    if len(options) == 2:
        suggestion = _("Make the group size %(first)s or %(second)s.") % {
            "first": options[0],
            "second": options[1],
        }
    elif options:
        suggestion = _("Make the group size %(range)s.") % {"range": options[0]}
    else:
        suggestion = _("Change the group size range or register more participants.")
    return Worded(message, suggestion)


def _too_few(p: dict) -> Worded:
    message = ngettext(
        "The %(groups)s groups need at least %(needed)s people, but %(people)s take part.",
        "The %(groups)s groups need at least %(needed)s people, but %(people)s take part.",
        p["groups"],
    ) % {"groups": p["groups"], "needed": p["needed"], "people": p["people"]}
    fewer, minimum = p.get("groups_that_fit"), p.get("minimum_that_fits")
    minimum = minimum if minimum and minimum >= SMALLEST_GROUP else None
    if fewer and minimum:
        suggestion = _(
            "Ask for %(groups)s groups, or make the smallest group %(minimum)s people."
        ) % {"groups": fewer, "minimum": minimum}
    elif fewer:
        suggestion = _("Ask for %(groups)s groups.") % {"groups": fewer}
    else:
        suggestion = _("Ask for fewer groups or lower the smallest group size.")
    return Worded(message, suggestion)


def _too_many(p: dict) -> Worded:
    message = _(
        "The %(groups)s groups hold at most %(capacity)s people, but %(people)s take part."
    ) % {"groups": p["groups"], "capacity": p["capacity"], "people": p["people"]}
    more, maximum = p.get("groups_needed"), p.get("maximum_that_fits")
    maximum = maximum if maximum and maximum <= LARGEST_GROUP else None
    if more and maximum:
        suggestion = _(
            "Ask for %(groups)s groups, or make the largest group %(maximum)s people."
        ) % {"groups": more, "maximum": maximum}
    elif more:
        suggestion = _("Ask for %(groups)s groups.") % {"groups": more}
    else:
        suggestion = _("Ask for more groups or raise the largest group size.")
    return Worded(message, suggestion)


def _apart(names: _Names, reason: dict, group: str | None) -> Worded:
    """Two people who may not be together, worded for why."""
    kind = reason["params"].get("reason")
    if kind == "manager":
        manager, person = names.manager_first(reason["people"])
        return Worded(
            _("%(manager)s is the line manager of %(person)s: they are never in one group.")
            % {"manager": manager, "person": person}
        )
    if kind == "not_with":
        if group:
            return Worded(
                _("Group %(group)s would hold two people who may not be together (a private wish).")
                % {"group": group}
            )
        return Worded(_("Two people may not be in one group (a private wish)."))
    first, second = (names(p) for p in reason["people"][:2])
    return Worded(
        _("%(first)s and %(second)s may not be in one group.") % {"first": first, "second": second}
    )


def word(pool: Pool, reason: dict) -> Worded:
    """One engine reason (as stored: `Explanation.as_dict()`) in the reader's language."""
    names = _Names(pool)
    code = reason.get("code", "")
    p = reason.get("params") or {}
    people = [str(person) for person in reason.get("people") or []]
    group = reason.get("group")
    group = str(group + 1) if group is not None else None
    private = _private(reason)
    listed = [] if private else [names(person) for person in people]
    match code:
        case "size_range":
            return _size_range(p)
        case "too_few_people":
            return _too_few(p)
        case "too_many_people":
            return _too_many(p)
        case "no_groups":
            return Worded(_("No groups were asked for."), _("Ask for at least one group."))
        case "invalid_bounds":
            return Worded(
                _("Group %(group)s has a size range no group can meet (%(low)s to %(high)s).")
                % {"group": group, "low": p["min"], "high": p["max"]},
                _("Make the largest group at least as large as the smallest."),
            )
        case "lock_missing_group":
            return Worded(
                _("%(person)s is locked to group %(group)s, but there are only %(count)s groups.")
                % {"person": listed[0], "group": group, "count": p["groups"]},
                _("Release the lock or lock them to an existing group."),
            )
        case "too_many_locked":
            return Worded(
                _(
                    "%(count)s people are locked to group %(group)s, which holds at most "
                    "%(maximum)s."
                )
                % {"count": p["locked"], "group": group, "maximum": p["maximum"]},
                ngettext(
                    "Release at least %(count)s of these locks.",
                    "Release at least %(count)s of these locks.",
                    p["release"],
                )
                % {"count": p["release"]},
                listed,
            )
        case "locked_apart":
            worded = _apart(names, reason, group)
            worded.suggestion = _("Release one of the locks in group %(group)s.") % {"group": group}
            return worded
        case "locked_level_spread":
            return Worded(
                _(
                    "%(first)s and %(second)s are both locked to group %(group)s, but their "
                    "function levels differ by %(difference)s steps; at most %(maximum)s is "
                    "allowed."
                )
                % {
                    "first": listed[0],
                    "second": listed[1],
                    "group": group,
                    "difference": _number(p["difference"]),
                    "maximum": _number(p["maximum"]),
                },
                _("Release one of the two locks, or allow a difference of %(difference)s steps.")
                % {"difference": _number(p["difference"])},
            )
        case "apart_clique":
            count = len(people)
            return Worded(
                _(
                    "%(count)s people must each be in a different group (a line manager and "
                    "their report, or a “not with” wish, keeps every two of them apart), but "
                    "there are only %(groups)s groups."
                )
                % {"count": count, "groups": p["groups"]},
                _("Ask for at least %(count)s groups.") % {"count": count},
                listed,
            )
        case "apart_one_group":
            worded = _apart(names, reason, None)
            worded.suggestion = _("Ask for more than one group.")
            return worded
        case "level_spread_split":
            message = _(
                "With a function-level difference of at most %(maximum)s steps inside a group, "
                "the %(people)s participants cannot be split into %(groups)s groups of "
                "%(low)s to %(high)s."
            ) % {
                "maximum": _number(p["maximum"]),
                "people": p["people"],
                "groups": p["groups"],
                "low": p["min"],
                "high": p["max"],
            }
            if p.get("needed") is not None:
                suggestion = _(
                    "Allow a difference of %(needed)s steps, or change the group size range."
                ) % {"needed": _number(p["needed"])}
            else:
                suggestion = _(
                    "Remove the limit on the level difference, or change the group size range."
                )
            return Worded(message, suggestion, listed)
        case "apart" | "together":
            return _apart(names, reason, group)
        case "locked":
            return Worded(
                _("%(person)s is locked to group %(group)s.")
                % {"person": listed[0], "group": group},
                _("Release this lock."),
            )
        case "level_spread_limit":
            return Worded(
                _("Function levels inside a group may differ by at most %(maximum)s steps.")
                % {"maximum": _number(p["maximum"])},
                _("Allow a larger difference in function level."),
            )
        case "sizes_unmet":
            return Worded(
                _("The group sizes cannot be met."),
                _("Change the group size range or the number of groups."),
            )
        case "combination":
            return Worded(
                _("These %(count)s rules cannot all hold together with the group sizes.")
                % {"count": p["count"]},
                _("Relax any one of the rules below."),
            )
        case "not_found":
            return Worded(
                _(
                    "Kring found no grouping that keeps every hard rule in the time it had; "
                    "the rules are very tight."
                ),
                _(
                    "Give Kring more time, or relax the level limit, the locks or the group "
                    "size range."
                ),
            )
        case "no_search":
            return Worded(
                _(
                    "The time ran out before Kring could search, so there is no proposal "
                    "yet, only a rough first split."
                ),
                _("Compose again; the next run has its full time to search."),
            )
        case "wrong_group_count":
            return Worded(
                _("There would be %(groups)s groups instead of %(expected)s.")
                % {"groups": p["groups"], "expected": p["expected"]}
            )
        case "in_several_groups":
            return Worded(_("%(person)s would be in more than one group.") % {"person": listed[0]})
        case "unplaced":
            return Worded(
                ngettext(
                    "%(count)s person would be in no group.",
                    "%(count)s people would be in no group.",
                    p["count"],
                )
                % {"count": p["count"]},
                names=listed,
            )
        case "group_size":
            return Worded(
                _("Group %(group)s would have %(count)s members; the rule is %(low)s to %(high)s.")
                % {"group": group, "count": p["size"], "low": p["min"], "high": p["max"]}
            )
        case "not_in_locked_group":
            return Worded(
                _("%(person)s is locked to group %(group)s. Release the lock first.")
                % {"person": listed[0], "group": group}
            )
        case "level_spread_exceeded":
            return Worded(
                _(
                    "In group %(group)s the function levels of %(first)s and %(second)s "
                    "would differ by %(difference)s steps; at most %(maximum)s is allowed."
                )
                % {
                    "group": group,
                    "first": listed[0],
                    "second": listed[1],
                    "difference": _number(p["difference"]),
                    "maximum": _number(p["maximum"]),
                }
            )
        case "input":
            return Worded(reason.get("message", ""))
    return Worded(_("These rules cannot all hold."), _("Relax one of the hard rules."))


def word_all(pool: Pool, reasons: list[dict]) -> list[Worded]:
    return [word(pool, reason) for reason in reasons]
