from django_tasks import task

from . import services


@task()
def send_meeting_reminder(meeting_id: int, planned_start: str, days: int) -> int:
    return services.send_reminder(meeting_id=meeting_id, planned_start=planned_start, days=days)


@task()
def plan_programme(run_id: int) -> None:
    from . import scheduler

    scheduler.run_planning(run_id=run_id)


@task()
def send_meeting_notices(meeting_ids: list[int], template: str) -> int:
    return services.send_meeting_notices(meeting_ids=meeting_ids, template=template)
