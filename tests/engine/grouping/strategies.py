"""Hypothesis strategies for grouping problems with every kind of hard rule."""

from hypothesis import strategies as st

from engine.grouping import (
    CannotLink,
    CategoricalAttribute,
    GroupingProblem,
    OrdinalAttribute,
    PastPair,
    Person,
    Wish,
)


@st.composite
def people_problems(draw, min_people=2, max_people=8, max_groups=3):
    n = draw(st.integers(min_people, max_people))
    m = draw(st.integers(1, max_groups))
    ids = [f"p{k}" for k in range(n)]
    departments = draw(st.integers(1, 4))
    people = []
    for k in range(n):
        attributes = {"department": f"d{draw(st.integers(0, departments - 1))}"}
        if draw(st.booleans()) or k == 0:
            attributes["level"] = draw(st.integers(1, 5))
        if draw(st.integers(0, 4)) == 0:
            attributes["site"] = draw(st.sampled_from(["north", "south"]))
        manager = draw(st.sampled_from([None, None, None, *ids]))
        people.append(Person(ids[k], attributes, None if manager == ids[k] else manager))
    pair = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    cannot = [
        CannotLink(a, b, draw(st.sampled_from(["not_with", "rule"])))
        for a, b in draw(st.lists(pair, max_size=3))
    ]
    wishes = [
        Wish(a, b, draw(st.sampled_from([1.0, 2.0]))) for a, b in draw(st.lists(pair, max_size=4))
    ]
    history = [PastPair(a, b, draw(st.integers(1, 2))) for a, b in draw(st.lists(pair, max_size=4))]
    locks = {
        pid: draw(st.integers(0, m - 1))
        for pid in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    }
    low = draw(st.integers(0, max(0, n // m)))
    high = draw(st.integers(max(low, -(-n // m)), n))
    if draw(st.booleans()):
        sizes = dict(group_size=(low, high), group_count=m)
    else:
        bounds = []
        for _ in range(m):
            a = draw(st.integers(0, min(n, n // m + 1)))
            bounds.append((a, draw(st.integers(max(a, n // m - 1), n))))
        sizes = dict(group_bounds=bounds)
    return GroupingProblem(
        people=people,
        categorical=[
            CategoricalAttribute("department", draw(st.sampled_from([1.0, 2.5]))),
            CategoricalAttribute("site", 1.0, draw(st.sampled_from(["different", "same"]))),
        ],
        ordinal=[
            OrdinalAttribute(
                "level",
                draw(st.sampled_from([0.0, 0.5])),
                draw(st.sampled_from([None, 1, 2, 3])),
            )
        ],
        cannot_link=cannot,
        wishes=wishes,
        history=history,
        locks=locks,
        wish_bonus=draw(st.sampled_from([0.5, 1.0])),
        history_penalty=draw(st.sampled_from([0.5, 1.0])),
        pair_cost=draw(st.sampled_from([0.0, 0.0, 0.75])),
        **sizes,
    )
