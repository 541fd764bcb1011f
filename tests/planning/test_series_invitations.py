"""A confirmed plan invites everyone once: one mail per person, one calendar file per meeting."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from kring.planning import services
from kring.planning.models import PlanningRun

DATES = ["2027-01-11", "2027-02-22", "2027-04-05"]


def _ready_run(world):
    plan = [
        {
            "group": group.pk,
            "meetings": [
                {"date": date, "start": start, "room": None, "location": "Zaal 1"} for date in DATES
            ],
        }
        for group, start in [(world.group, "09:30"), (world.other_group, "13:30")]
    ]
    return PlanningRun.objects.create(
        programme=world.programme,
        status=PlanningRun.Status.READY,
        plan=plan,
        created_by=world.people["coordinator"],
    )


def test_a_new_series_arrives_as_one_mail_with_an_invitation_per_meeting(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    world.group.meetings.all().delete()
    run = _ready_run(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.people["coordinator"]).post(
            reverse("planning:run_confirm", kwargs={"run_id": run.pk})
        )
    assert response.status_code == 302
    assert mail.outbox == []  # the request only queued the work
    run_tasks()

    per_person = Counter(message.to[0] for message in mail.outbox)
    assert per_person == {
        world.people["participant"].email: 1,
        world.people["facilitator"].email: 1,
        world.people["other_participant"].email: 1,
        world.people["other_facilitator"].email: 1,
    }
    (message,) = [m for m in mail.outbox if m.to == [world.people["participant"].email]]
    assert "3" in message.subject
    calendars = [Calendar.from_ical(content) for _name, content, _type in message.attachments]
    assert len(calendars) == 3
    uids = {str(event["UID"]) for c in calendars for event in c.walk("VEVENT")}
    assert len(uids) == 3  # one event per meeting, each with its own UID
    assert all(str(c["METHOD"]) == "REQUEST" for c in calendars)


def test_a_single_new_meeting_keeps_the_single_invitation(
    world, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_meeting(
            group=world.group,
            by=world.people["facilitator"],
            starts_at=datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Amsterdam")),
            duration_minutes=120,
            mode="on_site",
            location="Zaal 2",
        )
    run_tasks()
    (message,) = [m for m in mail.outbox if m.to == [world.people["participant"].email]]
    assert message.subject.startswith("Intervisie")
    assert len(message.attachments) == 1
