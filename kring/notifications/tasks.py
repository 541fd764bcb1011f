from django_tasks import task

from . import services


@task()
def send_communication(dispatch_id: int, planned_for: str) -> int:
    """Send a confirmed message of the communication plan on its date."""
    return services.send_due(dispatch_id=dispatch_id, planned_for=planned_for)
