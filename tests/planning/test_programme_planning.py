from itertools import combinations

from django.core import mail
from django.urls import reverse

from kring.planning.models import Meeting, PlanningRun
from kring.programmes.models import Programme


def _rules(**overrides):
    rules = {
        "window_start": "2027-01-04",
        "window_end": "2027-04-30",
        "meeting_count": "3",
        "weekdays": ["0", "1", "2"],
        "start_times": "09:30, 13:30",
        "min_gap_days": "14",
        "max_gap_days": "42",
        "time_limit": "5",
    }
    rules.update(overrides)
    return rules


def test_all_groups_are_planned_at_once_and_confirmed_into_meetings(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    world.group.meetings.all().delete()
    world.programme.mode = Programme.Mode.ONLINE
    world.programme.video_link = "https://video.example.org/noord"
    world.programme.save()
    client = login(world.people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("planning:programme", kwargs={"programme_id": world.programme.pk}), _rules()
        )
    run_tasks()
    run = PlanningRun.objects.get()
    assert run.status == PlanningRun.Status.READY, run.explanation

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning:run_confirm", kwargs={"run_id": run.pk}))
    meetings = list(Meeting.objects.filter(group__programme=world.programme))
    assert len(meetings) == 3 * world.programme.groups.count()
    for group in world.programme.groups.all():
        dates = sorted(m.starts_at for m in meetings if m.group_id == group.pk)
        assert all(14 <= (b - a).days <= 42 for a, b in zip(dates, dates[1:], strict=False))
    for a, b in combinations(meetings, 2):  # shared people are never double-booked
        if a.group.facilitator_id == b.group.facilitator_id:
            assert a.ends_at <= b.starts_at or b.ends_at <= a.starts_at
    run_tasks()
    assert mail.outbox  # invitations went out


def test_an_impossible_plan_explains_itself(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    client = login(world.people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("planning:programme", kwargs={"programme_id": world.programme.pk}),
            _rules(window_end="2027-01-20", meeting_count="6"),
        )
    run_tasks()
    run = PlanningRun.objects.get()
    assert run.status == PlanningRun.Status.INFEASIBLE
    assert run.explanation


def test_bad_rules_are_refused_and_kept(world, login):
    response = login(world.people["coordinator"]).post(
        reverse("planning:programme", kwargs={"programme_id": world.programme.pk}),
        _rules(start_times="half twee"),
    )
    assert response.status_code == 200
    assert "half twee" in response.content.decode()
    assert not PlanningRun.objects.exists()
