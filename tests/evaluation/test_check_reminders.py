from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.planning import services as planning_services
from tests import factories as f


def _make_due():
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def _record(world, meeting, statuses):
    planning_services.record_attendance(
        meeting=meeting, statuses=statuses, by=world.people["facilitator"]
    )


def test_recording_attendance_mails_the_link_to_those_present_only(
    world, members, run_tasks, django_capture_on_commit_callbacks
):
    meeting = f.MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        _record(
            world,
            meeting,
            {
                members[0].pk: "present",
                members[1].pk: "present",
                members[2].pk: "present",
                members[3].pk: "absent",
            },
        )
    run_tasks()
    invited = {message.to[0] for message in mail.outbox}
    assert invited == {user.email for user in members[:3]}
    assert f"/meetings/{meeting.pk}/check/" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Eén minuut: hoe was de bijeenkomst")


def test_one_reminder_the_next_day_only_to_those_who_have_not_answered(
    world, members, held, answer, run_tasks
):
    run_tasks()
    mail.outbox.clear()
    answer(members[0], held)
    run_tasks()
    assert mail.outbox == []  # the reminder waits a day
    _make_due()
    run_tasks()
    assert {message.to[0] for message in mail.outbox} == {members[1].email, members[2].email}
    assert mail.outbox[0].subject.startswith("Herinnering: één minuut")
    mail.outbox.clear()
    _make_due()
    run_tasks()
    assert mail.outbox == []  # one reminder, not more


def test_a_meeting_whose_time_is_over_asks_for_the_check_without_attendance(
    world, members, run_tasks, django_capture_on_commit_callbacks
):
    starts = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = planning_services.plan_meeting(
            group=world.group,
            by=world.people["facilitator"],
            starts_at=starts,
            duration_minutes=120,
            mode="on_site",
            location="Zaal",
        )
    run_tasks()
    mail.outbox.clear()
    meeting.starts_at = timezone.now() - timedelta(hours=3)  # time passes
    meeting.save()
    DBTaskResult.objects.filter(task_path__endswith="open_check").update(
        run_after=timezone.now() - timedelta(seconds=1),
        args_kwargs={"args": [meeting.pk, meeting.starts_at.isoformat()], "kwargs": {}},
    )
    run_tasks()
    assert {message.to[0] for message in mail.outbox} == {user.email for user in members}


def test_the_check_of_a_moved_meeting_waits_for_its_new_end(
    world, members, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = planning_services.plan_meeting(
            group=world.group,
            by=world.people["facilitator"],
            starts_at=timezone.now() + timedelta(days=3),
            duration_minutes=120,
            mode="on_site",
            location="Zaal",
        )
    run_tasks()
    mail.outbox.clear()
    meeting.starts_at = timezone.now() - timedelta(hours=3)
    meeting.save()  # the queued task still carries the old start
    _make_due()
    run_tasks()
    assert not [m for m in mail.outbox if "minuut" in m.subject]


def test_a_cancelled_meeting_asks_nobody(world, members, run_tasks, held):
    run_tasks()
    mail.outbox.clear()
    held.status = "cancelled"
    held.save()
    _make_due()
    run_tasks()
    assert mail.outbox == []


def test_those_present_also_find_the_check_among_their_notices(
    world, members, run_tasks, django_capture_on_commit_callbacks, login
):
    from django.urls import reverse

    from kring.notifications.models import Notice

    meeting = f.MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(hours=3))
    statuses = {user.pk: "present" for user in members}
    statuses[members[3].pk] = "absent"
    with django_capture_on_commit_callbacks(execute=True):
        _record(world, meeting, statuses)
    run_tasks()
    notices = Notice.objects.filter(kind=Notice.Kind.CHECK_AWAITS_ANSWER)
    assert {n.recipient for n in notices} == set(members[:3])
    assert notices.first().link == reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk})
    page = login(members[0]).get(reverse("notifications:notices")).content.decode()
    assert f"{world.group.name}: hoe was de bijeenkomst van" in page
    assert "Je check kost maar een minuut." in page
