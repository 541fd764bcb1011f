"""Writing an import: members registered at once, everyone else invited with their details.

Also what happens later: an invited person accepting (`join_imported_programme`) and the
coordinator mailing the import's invitations (`send_import_invitations`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from kring.confidentiality import audit
from kring.confidentiality.models import AuditEvent
from kring.core.tokens import new_token
from kring.organisations.models import Department, Location, Membership
from kring.programmes.models import Programme, ProgrammeRole, Registration

from .checks import ImportRejected, PersonRow, check_import, members_by_email
from .fields import ColumnMapping
from .reading import ImportTable


@dataclass
class ImportResult:
    imported: int
    new_registrations: int
    invited: int


@transaction.atomic
def import_participants(
    *, programme: Programme, table: ImportTable, mapping: ColumnMapping, by
) -> ImportResult:
    """Check again and write everything, or raise `ImportRejected` and write nothing.

    Writes in bulk, so a file of thousands of people fits in one request. Importing the
    same file twice changes nothing the second time. Active members are registered; the
    others get an invitation holding their details (see the module docstring).
    """
    programme = (
        Programme.objects.select_for_update().select_related("organisation").get(pk=programme.pk)
    )
    plan = check_import(programme=programme, table=table, mapping=mapping)
    if not plan.ok:
        raise ImportRejected(plan)
    organisation = programme.organisation

    departments = _get_or_create_named(
        Department, organisation, {person.department for person in plan.people}
    )
    locations = _get_or_create_named(
        Location, organisation, {person.location for person in plan.people}
    )
    members = members_by_email(
        organisation,
        {p.email for p in plan.people} | {p.line_manager_email for p in plan.people} - {""},
    )
    people = [p for p in plan.people if p.email in members and members[p.email].is_active]
    invited = [p for p in plan.people if p not in people]
    _invite(programme, invited, departments, locations, by)

    # Members' attributes; empty cells keep what is known.
    for person in people:
        membership = members[person.email]
        if person.function_level is not None:
            membership.function_level = person.function_level
        if person.department:
            membership.department = departments[person.department.casefold()]
        if person.location:
            membership.location = locations[person.location.casefold()]
        if person.profession:
            membership.profession = person.profession
        membership.extra_attributes = {**membership.extra_attributes, **person.extra_attributes}
    Membership.objects.bulk_update(
        [members[person.email] for person in people],
        ["function_level", "department", "location", "profession", "extra_attributes"],
    )

    # Line managers: members only; an invited manager is linked when they accept.
    changed = []
    for person in people:
        manager = members.get(person.line_manager_email)
        if manager is not None and manager.is_active:
            members[person.email].line_manager = manager
            changed.append(members[person.email])
    Membership.objects.bulk_update(changed, ["line_manager"])

    # Registrations: a snapshot of the member's attributes for this programme.
    registrations = {
        registration.user_id: registration
        for registration in programme.registrations.filter(
            user__in=[members[person.email].user_id for person in people]
        )
    }
    new_registrations = []
    for person in people:
        membership = members[person.email]
        registration = registrations.get(membership.user_id)
        if registration is None:
            registration = Registration(
                programme=programme,
                user=membership.user,
                status=Registration.Status.REGISTERED,
                source=Registration.Source.IMPORT,
            )
            registrations[membership.user_id] = registration
            new_registrations.append(registration)
        _snapshot(registration, membership, organisation)
    Registration.objects.bulk_update(
        [r for r in registrations.values() if r.pk is not None], SNAPSHOT_FIELDS
    )
    Registration.objects.bulk_create(new_registrations)

    # Roles: participants (unless withdrawn) and their line managers.
    wanted = set()
    for registration in registrations.values():
        if registration.status != Registration.Status.WITHDRAWN:
            wanted.add((registration.user_id, ProgrammeRole.Role.PARTICIPANT))
            if registration.line_manager_id:
                wanted.add((registration.line_manager_id, ProgrammeRole.Role.LINE_MANAGER))
    present = set(programme.roles.values_list("user_id", "role"))
    ProgrammeRole.objects.bulk_create(
        ProgrammeRole(programme=programme, user_id=user_id, role=role)
        for user_id, role in sorted(wanted - present)
    )
    audit.record(
        AuditEvent.Event.CREATE,
        actor=by,
        capacity=AuditEvent.Capacity.COORDINATOR,
        targets=[audit.Target(obj=programme, subject_id=None, organisation_id=organisation.pk)],
        description=(
            f"import of {table.file_name}: {len(people)} registered "
            f"({len(new_registrations)} new), {len(invited)} invited"
        ),
    )
    return ImportResult(
        imported=len(plan.people),
        new_registrations=len(new_registrations),
        invited=len(invited),
    )


SNAPSHOT_FIELDS = [
    "organisation_name",
    "function_level",
    "department",
    "location",
    "profession",
    "line_manager",
    "extra_attributes",
]


def _snapshot(registration: Registration, membership: Membership, organisation) -> None:
    manager = membership.line_manager
    registration.organisation_name = organisation.name
    registration.function_level_id = membership.function_level_id
    registration.department = membership.department.name if membership.department else ""
    registration.location = membership.location.name if membership.location else ""
    registration.profession = membership.profession
    registration.line_manager_id = manager.user_id if manager else None
    registration.extra_attributes = dict(membership.extra_attributes)


def _invite(programme: Programme, people: list[PersonRow], departments, locations, by) -> None:
    """An invitation per person who is not an active member, holding what the file says.

    An open invitation of the programme for the same address is brought up to date
    instead, so importing a file twice invites nobody twice. Nothing is mailed here.
    """
    from kring.accounts.models import Invitation

    open_invitations = {
        invitation.email: invitation
        for invitation in Invitation.objects.filter(
            programme=programme, accepted_at__isnull=True, email__in=[p.email for p in people]
        )
        if invitation.sent_at is None or invitation.is_open
    }
    new = []
    for person in people:
        details = {
            "function_level": person.function_level.pk if person.function_level else None,
            "department": departments[person.department.casefold()].pk
            if person.department
            else None,
            "location": locations[person.location.casefold()].pk if person.location else None,
            "profession": person.profession,
            "line_manager_email": person.line_manager_email,
            "extra_attributes": person.extra_attributes,
        }
        invitation = open_invitations.get(person.email)
        if invitation is None:
            new.append(
                Invitation(
                    organisation=programme.organisation,
                    programme=programme,
                    email=person.email,
                    full_name=person.full_name,
                    role=Membership.Role.MEMBER,
                    registration_details=details,
                    token_hash=new_token()[1],  # replaced when the invitation is sent
                    created_by=by,
                    expires_at=timezone.now() + Invitation.VALID_FOR,
                )
            )
        else:
            invitation.full_name = person.full_name
            invitation.registration_details = details
            invitation.save(update_fields=["full_name", "registration_details"])
    Invitation.objects.bulk_create(new)


def join_imported_programme(*, invitation, membership: Membership) -> None:
    """An invited person accepted: their imported details and the registration, now.

    Called by `accounts.services.accept_invitation` inside its transaction.
    """
    programme = invitation.programme
    organisation = programme.organisation
    details = invitation.registration_details or {}
    if details.get("function_level"):
        membership.function_level = organisation.function_levels.filter(
            pk=details["function_level"]
        ).first()
    if details.get("department"):
        membership.department = organisation.departments.filter(pk=details["department"]).first()
    if details.get("location"):
        membership.location = organisation.locations.filter(pk=details["location"]).first()
    if details.get("profession"):
        membership.profession = details["profession"]
    membership.extra_attributes = {
        **membership.extra_attributes,
        **details.get("extra_attributes", {}),
    }
    manager_email = details.get("line_manager_email")
    if manager_email:
        manager = members_by_email(organisation, {manager_email}).get(manager_email)
        if manager is not None and manager.is_active and manager.pk != membership.pk:
            membership.line_manager = manager
    membership.save()

    registration, _created = Registration.objects.get_or_create(
        programme=programme,
        user=membership.user,
        defaults={"status": Registration.Status.REGISTERED, "source": Registration.Source.IMPORT},
    )
    _snapshot(registration, membership, organisation)
    registration.save(update_fields=SNAPSHOT_FIELDS)
    if registration.status != Registration.Status.WITHDRAWN:
        ProgrammeRole.objects.get_or_create(
            programme=programme, user=membership.user, role=ProgrammeRole.Role.PARTICIPANT
        )
        if registration.line_manager_id:
            ProgrammeRole.objects.get_or_create(
                programme=programme,
                user_id=registration.line_manager_id,
                role=ProgrammeRole.Role.LINE_MANAGER,
            )
    _link_reports_waiting_for(membership, programme)


def _link_reports_waiting_for(manager: Membership, programme: Programme) -> None:
    """People of the same import who accepted before their line manager did."""
    from kring.accounts.models import Invitation

    waiting = Invitation.objects.filter(
        programme=programme,
        accepted_at__isnull=False,
        registration_details__line_manager_email=manager.user.email.lower(),
    ).values_list("email", flat=True)
    reports = members_by_email(programme.organisation, set(waiting))
    for report in reports.values():
        if report.line_manager_id is None and report.pk != manager.pk:
            report.line_manager = manager
            report.save(update_fields=["line_manager"])
            programme.registrations.filter(user=report.user).update(line_manager=manager.user)
            ProgrammeRole.objects.get_or_create(
                programme=programme, user=manager.user, role=ProgrammeRole.Role.LINE_MANAGER
            )


def invitations_to_send(programme: Programme):
    """The import's invitations that have not been mailed yet."""
    from kring.accounts.models import Invitation

    return Invitation.objects.filter(
        programme=programme, sent_at__isnull=True, accepted_at__isnull=True
    )


def members_without_a_way_in(programme: Programme):
    """Imported registrations of people who cannot log in (no confirmed address or no
    password of their own) and have no open invitation of this programme."""
    from kring.accounts.models import Invitation

    has_invitation = Invitation.objects.filter(
        programme=programme, accepted_at__isnull=True
    ).values("email")
    return (
        programme.registrations.filter(source=Registration.Source.IMPORT)
        .filter(
            Q(user__email_verified_at__isnull=True)
            | Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        )
        .filter(user__is_active=True)
        .exclude(status=Registration.Status.WITHDRAWN)
        .exclude(user__email__in=has_invitation)
        .select_related("user")
    )


@dataclass(frozen=True)
class WayIn:
    """One person of the import who has not accepted an invitation yet, for the page
    where the coordinator chooses whom to send one."""

    key: str  # "invitation-<id>" or "registration-<id>": what the form sends back
    name: str
    email: str
    member: bool  # already a member (registered), or joins when they accept
    sent_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


def ways_in(programme: Programme) -> list[WayIn]:
    """Everyone of the programme's imports who still needs a way in, by name."""
    from kring.accounts.models import Invitation

    members = set(
        Membership.objects.filter(organisation=programme.organisation, is_active=True).values_list(
            Lower("user__email"), flat=True
        )
    )
    rows = [
        WayIn(
            key=f"invitation-{invitation.pk}",
            name=invitation.full_name,
            email=invitation.email,
            member=invitation.email in members,
            sent_at=invitation.sent_at,
            expires_at=invitation.expires_at if invitation.sent_at else None,
        )
        for invitation in Invitation.objects.filter(programme=programme, accepted_at__isnull=True)
    ]
    rows += [
        WayIn(
            key=f"registration-{registration.pk}",
            name=registration.user.full_name,
            email=registration.user.email,
            member=True,
        )
        for registration in members_without_a_way_in(programme)
    ]
    return sorted(rows, key=lambda row: (row.name.casefold(), row.email))


@transaction.atomic
def send_import_invitations(*, programme: Programme, by, keys: Iterable[str] | None = None) -> int:
    """The coordinator's choice to mail the import's invitations: a way in for everyone
    imported, as an invitation to set a password (members who never had one get it as a
    welcome). `keys` (from `ways_in`) chooses whom; an invitation sent before is sent
    again with a new link, and the old link stops working. Without `keys`: everyone who
    has not been sent one yet."""
    from kring.accounts.models import Invitation
    from kring.accounts.services import send_invitations

    chosen = None if keys is None else set(keys)
    welcomes = [
        Invitation(
            organisation=programme.organisation,
            programme=programme,
            email=registration.user.email,
            full_name=registration.user.full_name,
            role=Membership.Role.MEMBER,
            token_hash=new_token()[1],
            created_by=by,
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        for registration in members_without_a_way_in(programme)
        if chosen is None or f"registration-{registration.pk}" in chosen
    ]
    Invitation.objects.bulk_create(welcomes)
    if chosen is None:
        invitations = list(invitations_to_send(programme))
    else:
        ids = [int(key.split("-", 1)[1]) for key in chosen if key.startswith("invitation-")]
        invitations = list(
            Invitation.objects.filter(
                Q(pk__in=ids) | Q(token_hash__in=[w.token_hash for w in welcomes]),
                programme=programme,
                accepted_at__isnull=True,
            )
        )
    sent = send_invitations(invitations=invitations, by=by)
    if sent:
        audit.record(
            AuditEvent.Event.CHANGE,
            actor=by,
            capacity=AuditEvent.Capacity.COORDINATOR,
            targets=[
                audit.Target(
                    obj=programme, subject_id=None, organisation_id=programme.organisation_id
                )
            ],
            description=f"{sent} import invitations sent",
        )
    return sent


def _get_or_create_named(model, organisation, names: set[str]) -> dict:
    """Departments or locations by case-folded name, creating the missing ones."""
    existing = {
        item.name.casefold(): item for item in model.objects.filter(organisation=organisation)
    }
    for name in sorted(names - {""}, key=str.casefold):
        if name.casefold() not in existing:
            existing[name.casefold()] = model.objects.create(organisation=organisation, name=name)
    return existing
