"""The method page of a meeting is also the coordinators' (they plan meetings); the kind
of the case chosen for it is the group's: they neither read it nor can tell it from the
order of the suggestions."""

from django.urls import reverse
from django.utils import translation

from kring.meetings.models import MeetingCase
from tests import factories as f


def _names(page):
    return [line for line in page.splitlines() if "methods/" in line and "<a href" in line]


def test_a_coordinator_does_not_learn_the_kind_of_the_chosen_case(world, login):
    url = reverse("methods:choose_for_meeting", args=[world.meeting.pk])
    coordinator = login(world.people["coordinator"])
    with translation.override("en"):
        before = coordinator.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    case = f.CaseFactory(group=world.group, presenter=world.people["participant"], kind="conflict")
    MeetingCase.objects.create(meeting=world.meeting, case=case, how=MeetingCase.How.VOLUNTEERED)
    after = coordinator.get(url).content.decode()
    for word in ("conflict", "Suits", "Past bij"):
        assert word not in after
    # Not even from the order: the suggestions are those of a meeting without a case.
    assert _names(after) == _names(before)
    # The group's facilitator plans with it.
    facilitator_page = login(world.people["facilitator"]).get(url).content.decode()
    assert "conflict" in facilitator_page
