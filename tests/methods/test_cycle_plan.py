"""The programme's cycle plan: a theme and a method per meeting number, given to every
group's n-th planned meeting, never over what the group's facilitator chose, and to
meetings planned later too."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse

from kring.methods import cycle, services
from kring.methods.models import CycleMeeting, Method
from kring.planning import services as planning
from kring.planning.models import Meeting
from tests import factories as f

SUPPORT_MODEL = [
    "Kennismaking met het draagvlakmodel: IT, IK en WIJ",
    "De IK-factor",
    "De WIJ-factor",
    "Je eigen rol",
    "Terugblik en vooruitblik",
]


def _builtin(key):
    return Method.objects.get(builtin_key=key, organisation=None)


@pytest.fixture
def series(world):
    """Five meetings for group Noord 1 (the world's meeting first) and two for Noord 2."""
    world.programme.meeting_count = 5
    world.programme.save(update_fields=["meeting_count"])
    first = world.meeting
    ours = [first] + [
        f.MeetingFactory(group=world.group, starts_at=first.starts_at + timedelta(weeks=4 * i))
        for i in range(1, 5)
    ]
    theirs = [
        f.MeetingFactory(
            group=world.other_group, starts_at=first.starts_at + timedelta(weeks=4 * i, days=1)
        )
        for i in range(2)
    ]
    return ours, theirs


def _plan(world, entries):
    return cycle.save_plan(
        programme=world.programme, entries=entries, by=world.people["coordinator"]
    )


def _support_plan(world):
    methods = {3: _builtin("incident"), 5: _builtin("gossip")}
    return _plan(
        world,
        {n: (theme, methods.get(n)) for n, theme in enumerate(SUPPORT_MODEL, start=1)},
    )


def _fresh(meetings):
    return [Meeting.objects.get(pk=m.pk) for m in meetings]


def test_each_groups_nth_meeting_gets_the_theme_and_the_methods_current_version(world, series):
    ours, theirs = series
    applied = _support_plan(world)
    assert applied.changed == 7
    ours, theirs = _fresh(ours), _fresh(theirs)
    assert [m.theme for m in ours] == SUPPORT_MODEL
    assert [m.theme for m in theirs] == SUPPORT_MODEL[:2]
    assert ours[2].method_version == _builtin("incident").current
    assert ours[4].method_version == _builtin("gossip").current
    assert ours[0].method_version is None


def test_a_cancelled_meeting_is_not_counted_and_a_held_one_keeps_what_it_had(world, series):
    ours, _theirs = series
    planning.cancel(meeting=ours[1], by=world.people["facilitator"])
    ours[0].status = Meeting.Status.HELD
    ours[0].save(update_fields=["status"])
    _support_plan(world)
    ours = _fresh(ours)
    assert ours[0].theme == ""  # held before the plan came
    assert ours[1].theme == ""  # cancelled
    assert [m.theme for m in ours[2:]] == SUPPORT_MODEL[1:4]


def test_what_the_facilitator_chose_is_never_overwritten(world, series, login):
    ours, _theirs = series
    _support_plan(world)
    client = login(world.people["facilitator"])
    client.post(
        reverse("methods:meeting_theme", args=[ours[1].pk]), {"theme": "Werkdruk in de wijk"}
    )
    client.post(
        reverse("methods:choose_for_meeting", args=[ours[2].pk]),
        {"method": _builtin("balint").pk},
    )
    # The coordinator changes the plan for meetings 2 and 3.
    applied = _plan(
        world,
        {
            2: ("De IK-factor, opnieuw", _builtin("troika")),
            3: ("De WIJ-factor, opnieuw", _builtin("socratic")),
        },
    )
    ours = _fresh(ours)
    assert ours[1].theme == "Werkdruk in de wijk"
    assert ours[1].method_version == _builtin("troika").current  # the method was not chosen
    assert ours[2].theme == "De WIJ-factor, opnieuw"  # the theme was not chosen
    assert ours[2].method_version == _builtin("balint").current
    assert applied.kept == 2
    # The meeting page says what the plan would give, and the facilitator can follow it.
    page = client.get(reverse("methods:choose_for_meeting", args=[ours[1].pk])).content.decode()
    assert "De IK-factor, opnieuw" in page and "Werkdruk in de wijk" in page
    client.post(reverse("methods:follow_cycle_plan", args=[ours[1].pk]))
    ours[1].refresh_from_db()
    assert ours[1].theme == "De IK-factor, opnieuw"


def test_a_facilitator_who_picks_the_plans_own_method_keeps_it_when_the_plan_changes(world, series):
    ours, _theirs = series
    _plan(world, {1: ("Start", _builtin("incident"))})
    services.choose_method(
        meeting=ours[0], method=_builtin("incident"), by=world.people["facilitator"]
    )
    _plan(world, {1: ("Start", _builtin("gossip"))})
    ours[0].refresh_from_db()
    assert ours[0].method_version == _builtin("incident").current


def test_a_meeting_planned_later_gets_its_plan_and_moving_numbers_the_series_again(world, series):
    ours, _theirs = series
    _support_plan(world)
    earlier = ours[0].starts_at - timedelta(weeks=4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        new = planning.plan_meeting(
            group=world.group,
            starts_at=earlier,
            duration_minutes=120,
            mode="on_site",
            location="Zaal 2",
            by=world.people["facilitator"],
            notify=False,
        )
    new.refresh_from_db()
    assert new.theme == SUPPORT_MODEL[0]
    ours = _fresh(ours)
    # Everyone moved up one place in the series.
    assert [m.theme for m in ours[:4]] == SUPPORT_MODEL[1:]
    assert ours[1].method_version == _builtin("incident").current
    assert ours[4].theme == ""  # meeting 6 of a cycle of five
    # Cancelling the new one puts the series back.
    with TestCase.captureOnCommitCallbacks(execute=True):
        planning.cancel(meeting=new, by=world.people["facilitator"])
    assert [m.theme for m in _fresh(ours)] == SUPPORT_MODEL


def test_clearing_the_plan_takes_back_only_what_the_plan_gave(world, series):
    ours, _theirs = series
    _support_plan(world)
    cycle.set_theme(meeting=ours[0], theme="Eigen thema", by=world.people["facilitator"])
    _plan(world, {n: ("", None) for n in range(1, 6)})
    assert not CycleMeeting.objects.exists()
    ours = _fresh(ours)
    assert [m.theme for m in ours] == ["Eigen thema", "", "", "", ""]
    assert all(m.method_version is None for m in ours)


def test_the_plan_only_takes_methods_of_the_programme_and_only_from_a_coordinator(world, series):
    other_method = services.copy_method(
        method=_builtin("troika"),
        organisation=world.other_organisation,
        by=world.people["other_admin"],
    )
    with pytest.raises(cycle.CycleError):
        _plan(world, {1: ("Start", other_method)})
    with pytest.raises(cycle.CycleError):
        _plan(world, {6: ("Te ver", None)})
    for who in ["facilitator", "participant", "sponsor"]:
        with pytest.raises(cycle.CycleError):
            cycle.save_plan(
                programme=world.programme, entries={1: ("Start", None)}, by=world.people[who]
            )
    assert not CycleMeeting.objects.exists()


def test_the_coordinator_sets_the_plan_on_its_page_and_the_programme_page_shows_it(
    world, series, login
):
    ours, _theirs = series
    client = login(world.people["coordinator"])
    url = reverse("methods:cycle_plan", args=[world.programme.pk])
    page = client.get(url).content.decode()
    assert page.count('name="theme_') == 5
    data = {f"theme_{n}": theme for n, theme in enumerate(SUPPORT_MODEL, start=1)}
    data["method_3"] = str(_builtin("incident").pk)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url
    ours = _fresh(ours)
    assert ours[2].theme == "De WIJ-factor" and ours[2].method_version
    # Readable on the programme page by its people, e.g. a participant.
    page = (
        login(world.people["participant"])
        .get(reverse("programmes:detail", args=[world.programme.pk]))
        .content.decode()
    )
    assert "De IK-factor" in page and "Incidentmethode" in page
    assert url not in page  # only coordinators change it


def test_a_theme_too_long_is_refused_and_what_was_typed_stays(world, series, login):
    client = login(world.people["coordinator"])
    url = reverse("methods:cycle_plan", args=[world.programme.pk])
    response = client.post(url, {"theme_1": "x" * 201, "theme_2": "De IK-factor"})
    assert response.status_code == 200
    assert "De IK-factor" in response.content.decode()
    assert not CycleMeeting.objects.exists()


def test_only_coordinators_open_the_cycle_plan_page(world, login):
    url = reverse("methods:cycle_plan", args=[world.programme.pk])
    for who in ["facilitator", "participant", "sponsor", "line_manager"]:
        assert login(world.people[who]).get(url).status_code == 403
    assert login(world.people["other_admin"]).get(url).status_code == 404
