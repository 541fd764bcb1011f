"""Suggestions for a meeting's method: the cycle plan's method first, then methods that
suit the kinds of the cases chosen for the meeting; each says why, on the choice page."""

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kring.meetings.models import MeetingCase
from kring.methods import cycle, selectors
from kring.methods.models import Method
from tests import factories as f


def _builtin(key):
    return Method.objects.get(builtin_key=key, organisation=None)


def _choose_case(world, kind):
    case = f.CaseFactory(group=world.group, presenter=world.people["participant"], kind=kind)
    MeetingCase.objects.create(meeting=world.meeting, case=case, how=MeetingCase.How.VOLUNTEERED)
    return case


def test_the_cycle_plans_method_comes_first_and_says_so(world):
    # Balint is advanced: for a new group it would not be suggested on its own.
    cycle.save_plan(
        programme=world.programme,
        entries={1: ("De IK-factor", _builtin("balint"))},
        by=world.people["coordinator"],
    )
    with translation.override("en"):
        first = selectors.suggestions(world.meeting)[0]
    assert first.method == _builtin("balint")
    assert first.reasons[0] == "The programme's cycle plan gives meeting 1 this method."


def test_methods_that_suit_the_kind_of_the_chosen_case_come_first_and_say_so(world):
    _choose_case(world, "conflict")
    with translation.override("en"):
        suggested = selectors.suggestions(world.meeting)
    keys = [s.method.builtin_key for s in suggested]
    # The simple method for a conflict first, then the ones a step further that suit it.
    assert keys[0] == "six-phase-basic"
    assert set(keys[1:3]) == {"incident", "kollegiale-beratung"}
    assert "Suits a conflict, the kind of case chosen." in suggested[0].reasons
    assert all("conflict" in _builtin(k).current.case_kinds for k in keys[:3])


def test_two_cases_of_two_kinds_are_both_named(world):
    _choose_case(world, "dilemma")
    second = f.UserFactory(email="tweede@example.org")
    f.GroupMembershipFactory(group=world.group, user=second)
    case = f.CaseFactory(group=world.group, presenter=second, kind="conflict")
    MeetingCase.objects.create(meeting=world.meeting, case=case, how=MeetingCase.How.CHOSEN)
    with translation.override("en"):
        first = selectors.suggestions(world.meeting)[0]
    assert first.method.builtin_key == "six-phase-basic"
    assert "Suits a dilemma and a conflict, the kinds of case chosen." in first.reasons


def test_a_case_whose_presenter_is_not_sure_of_its_kind_changes_nothing(world):
    before = [s.method for s in selectors.suggestions(world.meeting)]
    _choose_case(world, "")
    assert [s.method for s in selectors.suggestions(world.meeting)] == before


def test_the_choice_page_shows_the_reasons_of_plan_and_case(world, login):
    cycle.save_plan(
        programme=world.programme,
        entries={1: ("De IK-factor", _builtin("incident"))},
        by=world.people["coordinator"],
    )
    _choose_case(world, "conflict")
    page = (
        login(world.people["facilitator"])
        .get(reverse("methods:choose_for_meeting", args=[world.meeting.pk]))
        .content.decode()
    )
    with translation.override("nl"):
        plan_reason = translation.gettext(
            "The programme's cycle plan gives meeting %(number)d this method."
        ) % {"number": 1}
    assert escape(plan_reason) in page
    assert "De IK-factor" in page
    assert "SECRET-" not in page  # the facilitator sees the kind, not the case itself
