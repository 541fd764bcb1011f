from django_tasks import task

from . import services


@task()
def compose_groups(proposal_id: int) -> None:
    """Run the grouping engine for one proposal (it may take a minute)."""
    services.run_composition(proposal_id=proposal_id)
