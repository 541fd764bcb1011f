"""A meeting keeps the method version it follows, chosen by the group's facilitator or a
coordinator, with suggestions for the group and why."""

import json
from datetime import timedelta

import pytest
from django.db.models import RestrictedError
from django.urls import reverse

from kring.methods import selectors, services
from kring.methods.models import Method
from tests import factories as f


def _builtin(key):
    return Method.objects.get(builtin_key=key, organisation=None)


def _url(world):
    return reverse("methods:choose_for_meeting", args=[world.meeting.pk])


def test_the_facilitator_chooses_a_method_and_the_meeting_page_shows_it(world, login):
    client = login(world.people["facilitator"])
    response = client.post(_url(world), {"method": _builtin("incident").pk})
    assert response.headers["Location"] == reverse(
        "planning:meeting_detail", args=[world.meeting.pk]
    )
    world.meeting.refresh_from_db()
    assert world.meeting.method_version == _builtin("incident").current
    page = client.get(response.headers["Location"]).content.decode()
    assert "Incidentmethode" in page


def test_the_meeting_keeps_its_version_when_the_method_is_edited_later(world, login):
    copy = services.copy_method(
        method=_builtin("gossip"), organisation=world.organisation, by=world.people["coordinator"]
    )
    login(world.people["coordinator"]).post(_url(world), {"method": copy.pk})
    content = json.loads(json.dumps(copy.current.content))
    content["phases"][0]["minutes"] = 12
    services.save_version(method=copy, content=content, by=world.people["coordinator"])
    world.meeting.refresh_from_db()
    assert world.meeting.method_version.number == 1
    assert copy.current.number == 2


def test_a_member_cannot_choose_the_method(world, login):
    response = login(world.people["participant"]).post(
        _url(world), {"method": _builtin("incident").pk}
    )
    assert response.status_code == 403
    world.meeting.refresh_from_db()
    assert world.meeting.method_version is None


def test_another_organisations_method_cannot_be_chosen(world, login):
    theirs = services.copy_method(
        method=_builtin("troika"),
        organisation=world.other_organisation,
        by=world.people["other_admin"],
    )
    login(world.people["facilitator"]).post(_url(world), {"method": theirs.pk})
    world.meeting.refresh_from_db()
    assert world.meeting.method_version is None


def test_a_new_group_is_offered_simple_methods_with_the_reason(world, login):
    page = login(world.people["facilitator"]).get(_url(world)).content.decode()
    assert "De groep heeft 0 bijeenkomsten gehouden." in page
    first = selectors.suggestions(world.meeting)[0]
    assert first.version.complexity == "new_group"


def test_the_suggestions_grow_with_the_group_and_skip_methods_used_lately(world):
    start = world.meeting.starts_at
    incident = _builtin("incident").current
    for weeks in range(1, 4):
        f.MeetingFactory(
            group=world.group,
            starts_at=start - timedelta(weeks=weeks),
            status="held",
            method_version=incident,
        )
    suggested = selectors.suggestions(world.meeting)
    assert suggested[0].version.complexity == "experienced_group"
    assert "incident" not in {s.method.builtin_key for s in suggested}
    assert any("niet gebruikt" in reason or "Not used" in reason for reason in suggested[0].reasons)


def test_a_held_meeting_keeps_the_method_it_had(world, login):
    world.meeting.status = "held"
    world.meeting.save(update_fields=["status"])
    login(world.people["facilitator"]).post(_url(world), {"method": _builtin("incident").pk})
    world.meeting.refresh_from_db()
    assert world.meeting.method_version is None


def test_the_demos_meetings_follow_the_methods_and_themes_of_its_cycle_plan(db):
    from kring.core.demo import load_demo
    from kring.methods.cycle import series_numbers
    from kring.methods.demo import DEMO_CYCLE
    from kring.methods.models import CycleMeeting, MeetingCycleState
    from kring.planning.models import Meeting

    load_demo()
    held = Meeting.objects.filter(status="held")
    assert held.exists() and not held.filter(method_version=None).exists()
    assert len({m.method_version.method.builtin_key for m in held}) >= 2
    programme = held.first().group.programme
    assert CycleMeeting.objects.filter(programme=programme).count() == 6
    for group in programme.groups.all():
        numbers = series_numbers(group)
        for meeting in group.meetings.appointments():  # (a written round is the group's own)
            theme, key = DEMO_CYCLE[numbers[meeting.pk] - 1]
            assert (meeting.theme, meeting.method_version.method.builtin_key) == (theme, key)
    # The coming meetings follow the plan; none counts as chosen by its facilitator.
    coming = MeetingCycleState.objects.filter(meeting__status="planned")
    assert (
        coming.count()
        == Meeting.objects.appointments()
        .filter(status="planned", group__programme=programme)
        .count()
    )
    assert not coming.filter(theme_chosen=True).exists()
    assert not coming.filter(method_chosen=True).exists()
    # Group 1 has always held two meetings (the demo follows today's date): its next one
    # follows the six-step method of the start document.
    group = programme.groups.get(name="Groep 1")
    upcoming = group.meetings.filter(status="planned").order_by("starts_at").first()
    assert upcoming.method_version.method.builtin_key == "six-step"


def test_a_used_version_stays_while_its_meeting_exists_and_goes_with_its_organisation(world):
    copy = services.copy_method(
        method=_builtin("gossip"), organisation=world.organisation, by=world.people["coordinator"]
    )
    services.choose_method(meeting=world.meeting, method=copy, by=world.people["facilitator"])
    with pytest.raises(RestrictedError):
        copy.delete()
    world.organisation.delete()
    assert not Method.objects.filter(pk=copy.pk).exists()
