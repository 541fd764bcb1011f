from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from kring.groups.models import GroupMembership
from kring.organisations.models import Membership
from kring.planning.models import Meeting

from .models import Programme, ProgrammeRole, Registration

Role = ProgrammeRole.Role


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


def people_in_roles(programme: Programme, roles) -> list:
    """Everyone who holds one of `roles` in the programme, each once, by name."""
    roles = set(roles)
    wanted = Q(
        programme_roles__programme=programme, programme_roles__role__in=roles - {Role.PARTICIPANT}
    )
    if Role.PARTICIPANT in roles:
        # A self-registration whose address is unconfirmed holds the role but no place:
        # anyone can type someone else's address, so it gets nothing until confirmed.
        unconfirmed = programme.registrations.waiting_for("unconfirmed").values("user_id")
        # Someone on the waiting list has no place yet: the messages for participants
        # (preparation, kick-off, meetings) are not for them until they move up.
        waiting = programme.registrations.waiting_for("waiting").values("user_id")
        wanted |= Q(
            ~Q(pk__in=unconfirmed),
            ~Q(pk__in=waiting),
            programme_roles__programme=programme,
            programme_roles__role=Role.PARTICIPANT,
        )
    if Role.LINE_MANAGER in roles:
        # A named line manager is nobody here until they confirm (or were imported as such).
        line_managers = (
            Registration.objects.taking_part()
            .filter(programme=programme, line_manager__isnull=False)
            .exclude(
                manager_confirmation__in=[
                    Registration.ManagerConfirmation.PENDING,
                    Registration.ManagerConfirmation.DECLINED,
                ]
            )
        )
        wanted |= Q(pk__in=line_managers.values("line_manager_id"))
    if Role.FACILITATOR in roles:
        wanted |= Q(pk__in=programme.groups.filter(facilitator__isnull=False).values("facilitator"))
    switched_off = Membership.objects.filter(
        organisation_id__in=[programme.organisation_id, programme.run_by_id], is_active=False
    ).values("user_id")
    return list(
        get_user_model()
        .objects.filter(wanted, is_active=True)
        .exclude(pk__in=switched_off)
        .distinct()
        .order_by("full_name", "pk")
    )
