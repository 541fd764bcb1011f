"""The learning log: entries linked to a meeting and a case, the prompt after a held
meeting, and the printable export with meetings attended and hours per programme."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.meetings import selectors, services
from kring.meetings.models import LearningLogEntry
from kring.planning.models import Attendance, Meeting
from tests import factories as f


@pytest.fixture
def held(world):
    """Last week's meeting of the group, held, the participant present (90 minutes)."""
    meeting = f.MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - timedelta(days=7),
        status=Meeting.Status.HELD,
        duration_minutes=90,
    )
    Attendance.objects.create(
        meeting=meeting, user=world.people["participant"], status=Attendance.Status.PRESENT
    )
    return meeting


def test_an_entry_links_a_meeting_and_a_case(world, held, login):
    client = login(world.people["participant"])
    response = client.post(
        reverse("meetings:learning_log"),
        {"text": "Minder adviseren, meer vragen", "meeting": held.pk, "case": world.case.pk},
    )
    assert response.status_code == 302
    entry = LearningLogEntry.objects.latest("pk")
    assert (entry.meeting, entry.case) == (held, world.case)
    page = client.get(reverse("meetings:learning_log")).content.decode()
    assert world.case.title in page and "Bijeenkomst van" in page


def test_a_meeting_one_was_not_at_cannot_be_linked(world, held):
    other_meeting = f.MeetingFactory(group=world.other_group, status=Meeting.Status.HELD)
    with pytest.raises(services.CaseError):
        services.add_learning_log_entry(
            author=world.people["participant"], text="x", meeting=other_meeting
        )
    other_case = f.CaseFactory(group=world.other_group, presenter=world.people["other_participant"])
    with pytest.raises(services.CaseError):
        services.add_learning_log_entry(
            author=world.people["participant"], text="x", case=other_case
        )


def test_the_prompt_asks_after_a_held_meeting_until_answered(world, held, login):
    participant = world.people["participant"]
    client = login(participant)
    meeting_page = reverse("planning:meeting_detail", args=[held.pk])
    assert "Wat neem ik mee?" in client.get(meeting_page).content.decode()
    assert "Wat neem ik mee?" in client.get(reverse("core:dashboard")).content.decode()
    client.post(reverse("meetings:learning_log"), {"text": "Doorvragen", "meeting": held.pk})
    assert selectors.learning_log_prompts(participant) == []
    assert "Wat neem ik mee?" not in client.get(meeting_page).content.decode()


def test_the_prompt_can_be_dismissed(world, held, login):
    client = login(world.people["participant"])
    client.post(reverse("meetings:dismiss_prompt", args=[held.pk]))
    assert selectors.learning_log_prompts(world.people["participant"]) == []
    assert "Wat neem ik mee?" not in client.get(reverse("core:dashboard")).content.decode()


def test_who_was_not_there_is_not_asked(world, held, login):
    Attendance.objects.filter(meeting=held).update(status=Attendance.Status.ABSENT_WITH_NOTICE)
    assert selectors.learning_log_prompts(world.people["participant"]) == []
    response = login(world.people["participant"]).post(
        reverse("meetings:dismiss_prompt", args=[held.pk])
    )
    assert response.status_code == 404


def test_the_export_lists_entries_meetings_and_hours_per_programme(world, held, login):
    second = f.MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - timedelta(days=50),
        status=Meeting.Status.HELD,
        duration_minutes=120,
    )
    Attendance.objects.create(
        meeting=second, user=world.people["participant"], status=Attendance.Status.PRESENT
    )
    services.add_learning_log_entry(
        author=world.people["participant"], text="EXPORT-ENTRY", meeting=held, case=world.case
    )
    page = login(world.people["participant"]).get(reverse("meetings:learning_log_export"))
    body = page.content.decode()
    assert "EXPORT-ENTRY" in body
    assert world.programme.title in body
    assert "2 bijeenkomsten bijgewoond, 3,5 uur in totaal." in body
    # The export leaves Kring: it names meetings, never a case of the group.
    assert world.case.title not in body


def test_the_log_is_its_authors_alone(world, login):
    services.add_learning_log_entry(author=world.people["participant"], text="PRIVATE-ENTRY")
    for role in ("facilitator", "coordinator", "line_manager", "admin"):
        client = login(world.people[role])
        assert "PRIVATE-ENTRY" not in client.get(reverse("meetings:learning_log")).content.decode()
        export = client.get(reverse("meetings:learning_log_export")).content.decode()
        assert "PRIVATE-ENTRY" not in export
