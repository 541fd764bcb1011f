"""Background work of the report: at the approval deadline, see whether it is final."""

from django_tasks import task


@task()
def check_report_deadline(report_id: int, revision: int) -> str:
    from . import services

    return services.check_deadline(report_id=report_id, revision=revision)
