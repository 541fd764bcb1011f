"""Who a programme's message or session is for: the people behind an audience.

Roles are per programme (ProgrammeRole); line managers are also those named on a
registration that takes part, and facilitators also those assigned to one of its groups.
People whose account is off, or whose membership the organisation switched off, get
nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from kring.organisations.models import Membership
from kring.programmes.models import CommunicationMessage, Programme, ProgrammeRole, Registration

Role = ProgrammeRole.Role
Audience = CommunicationMessage.Audience

# A message's audience as the roles it reaches.
AUDIENCE_ROLES: dict[str, tuple[str, ...]] = {
    Audience.EVERYONE: (Role.SPONSOR, Role.PARTICIPANT, Role.FACILITATOR, Role.LINE_MANAGER),
    Audience.PARTICIPANTS: (Role.PARTICIPANT,),
    Audience.LINE_MANAGERS: (Role.LINE_MANAGER,),
    Audience.MANAGEMENT: (Role.SPONSOR,),
    Audience.FACILITATORS: (Role.FACILITATOR,),
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
        wanted |= Q(
            ~Q(pk__in=unconfirmed),
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


def audience_of(programme: Programme, audience: str) -> list:
    return people_in_roles(programme, AUDIENCE_ROLES[audience])
