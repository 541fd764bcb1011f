from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.planning import services
from kring.planning.models import Attendance
from tests.factories import MeetingFactory


def _make_due():
    """Pretend time has passed: every waiting task is due now."""
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def test_reminders_are_queued_for_each_configured_day(world, django_capture_on_commit_callbacks):
    starts = timezone.now() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_meeting(
            group=world.group,
            by=world.people["facilitator"],
            starts_at=starts,
            duration_minutes=120,
            mode="on_site",
            location="Zaal",
        )
    run_afters = sorted(
        DBTaskResult.objects.filter(task_path__endswith="send_meeting_reminder").values_list(
            "run_after", flat=True
        )
    )
    assert [round((starts - r).total_seconds() / 86400) for r in run_afters] == [7, 1]


def test_a_due_reminder_reaches_everyone_except_who_reported_absence(
    world, soon, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_reminders(soon)
    Attendance.objects.create(
        meeting=soon, user=world.people["participant"], status="absent_notice", reason="ziek"
    )
    run_tasks()
    assert mail.outbox == []  # not due yet
    _make_due()
    run_tasks()
    assert {m.to[0] for m in mail.outbox} == {world.people["facilitator"].email}
    assert mail.outbox[0].subject.startswith("Herinnering")


def test_a_reminder_for_a_moved_meeting_does_nothing_and_the_new_one_works(
    world, soon, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_reminders(soon)
        services.reschedule(
            meeting=soon,
            by=world.people["facilitator"],
            starts_at=soon.starts_at + timedelta(days=3),
            location="Zaal",
            online_link="",
        )
    run_tasks()  # the notice of the move
    mail.outbox.clear()
    old_and_new = DBTaskResult.objects.filter(task_path__endswith="send_meeting_reminder").count()
    assert old_and_new == 4  # 7 and 1 days before the old and the new time
    _make_due()
    run_tasks()
    # Only the new time's two reminders send mail, each to the member and the facilitator.
    assert len(mail.outbox) == 4


def test_a_reminder_for_a_cancelled_meeting_sends_nothing(
    world, soon, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_reminders(soon)
        services.cancel(meeting=soon, by=world.people["facilitator"])
    run_tasks()  # the notice of the cancellation
    mail.outbox.clear()
    _make_due()
    run_tasks()
    assert mail.outbox == []


def test_the_programme_sets_the_reminder_days(world, django_capture_on_commit_callbacks):
    world.programme.reminder_days = [3]
    world.programme.save()
    meeting = MeetingFactory(group=world.group, starts_at=timezone.now() + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_reminders(meeting)
    # (the other task waits for the meeting's end: the one-minute check)
    assert DBTaskResult.objects.filter(task_path__endswith="send_meeting_reminder").count() == 1
