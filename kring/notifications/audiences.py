"""Who a programme's message or session is for: the people behind an audience.

Roles are per programme (ProgrammeRole); line managers are also those named on a
registration that takes part, and facilitators also those assigned to one of its groups.
People whose account is off, or whose membership the organisation switched off, get
nothing.
"""

from kring.programmes.models import CommunicationMessage, Programme, ProgrammeRole
from kring.programmes.selectors import people_in_roles

__all__ = ["AUDIENCE_ROLES", "audience_of", "people_in_roles"]

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


def audience_of(programme: Programme, audience: str) -> list:
    return people_in_roles(programme, AUDIENCE_ROLES[audience])
