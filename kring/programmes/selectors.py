from django.db.models import Count, Q

from kring.groups.models import GroupMembership
from kring.planning.models import Meeting

from .models import Programme, ProgrammeRole


def progress_of(programme: Programme) -> dict:
    """Aggregated progress: counts only, never names or content."""
    meetings = Meeting.objects.filter(group__programme=programme).aggregate(
        planned=Count("id", filter=~Q(status=Meeting.Status.CANCELLED)),
        held=Count("id", filter=Q(status=Meeting.Status.HELD)),
    )
    return {
        "participants": ProgrammeRole.objects.filter(
            programme=programme, role=ProgrammeRole.Role.PARTICIPANT
        ).count(),
        "groups": programme.groups.count(),
        "grouped": GroupMembership.objects.current()
        .filter(group__programme=programme)
        .values("user")
        .distinct()
        .count(),
        "meetings_planned": meetings["planned"],
        "meetings_held": meetings["held"],
    }
