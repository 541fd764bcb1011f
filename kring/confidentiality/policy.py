"""The one place that decides who may see and do what (mission.md, "Who uses Kring").

Every view and every push asks `can(user, action, obj)`. Roles are per programme:

- participant: their own current group (members, schedule, ground rules) and its content;
- facilitator: the content of the groups they are assigned to, while assigned;
- coordinator: everything organisational of their programmes, never content;
- sponsor: the plan and aggregated progress of the programme;
- line manager: the participation status of their own direct reports only;
- organisation admin: the organisation's people and templates, never content;
- learning logs: their author only.

Objects of an organisation a user has nothing to do with answer 404 (`get_or_deny`), so
their existence does not leak; content the user may not read answers 404 too.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from kring.groups.models import Group, GroupMembership
from kring.meetings.models import Case, LearningLogEntry
from kring.organisations.models import ClientRelation, Membership, Organisation
from kring.planning.models import DatePoll, Meeting
from kring.programmes.models import Programme, ProgrammeRole, Registration

ProgrammeRoleName = ProgrammeRole.Role
OrgRole = Membership.Role


class Action(StrEnum):
    VIEW_ORGANISATION = "organisation.view"
    MANAGE_PEOPLE = "organisation.manage_people"
    VIEW_PROGRAMME = "programme.view"
    VIEW_PLAN = "programme.view_plan"
    VIEW_PROGRESS = "programme.view_progress"
    MANAGE_PROGRAMME = "programme.manage"
    VIEW_GROUP = "group.view"
    VIEW_GROUP_CONTENT = "group.view_content"
    ADD_CASE = "group.add_case"
    ACCEPT_GROUND_RULES = "group.accept_ground_rules"
    VIEW_MEETING = "meeting.view"
    VIEW_CASE = "case.view"
    WITHDRAW_CASE = "case.withdraw"
    VIEW_PARTICIPATION = "membership.view_participation"
    VIEW_LEARNING_LOG = "learning_log.view"
    MANAGE_MEETINGS = "group.manage_meetings"
    REPORT_ABSENCE = "meeting.report_absence"
    CREATE_PROGRAMME = "organisation.create_programme"
    REGISTER = "programme.register"
    MANAGE_REGISTRATION = "registration.manage"
    VIEW_AUDIT_LOG = "organisation.view_audit_log"


# Content objects answer 404 to everyone who may not read them, inside the organisation too.
CONTENT_MODELS = (Case, LearningLogEntry)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _org_role(user, organisation: Organisation) -> str | None:
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .only("role")
        .first()
    )
    return membership.role if membership else None


def _programme_roles(user, programme: Programme) -> set[str]:
    return set(
        ProgrammeRole.objects.filter(user=user, programme=programme).values_list("role", flat=True)
    )


MANAGING_ROLES = {OrgRole.ADMIN, OrgRole.COORDINATOR}


def _coordinates(user, programme: Programme) -> bool:
    """Coordinators of the programme, the organisation's coordinators and admins, and
    those of the facilitation firm that runs the programme."""
    if ProgrammeRoleName.COORDINATOR in _programme_roles(user, programme):
        return True
    if _org_role(user, programme.organisation) in MANAGING_ROLES:
        return True
    return programme.run_by_id is not None and _org_role(user, programme.run_by) in MANAGING_ROLES


def _is_current_member(user, group: Group) -> bool:
    return GroupMembership.objects.current().filter(group=group, user=user).exists()


def _is_assigned_facilitator(user, group: Group) -> bool:
    return group.facilitator_id is not None and group.facilitator_id == user.pk


def _reads_group_content(user, group: Group) -> bool:
    return _is_assigned_facilitator(user, group) or _is_current_member(user, group)


def can(user, action: Action | str, obj: Model) -> bool:
    """May `user` perform `action` on `obj`? Unknown actions are refused."""
    action = Action(action)
    if action is Action.REGISTER:
        # The programme page: open programmes are public, internal ones are for members.
        if obj.visibility == Programme.Visibility.OPEN:
            return True
        return _active(user) and (
            _org_role(user, obj.organisation) is not None or _coordinates(user, obj)
        )
    if not _active(user):
        return False

    if action is Action.CREATE_PROGRAMME:
        return _org_role(user, obj) in MANAGING_ROLES or (
            ClientRelation.objects.filter(
                client=obj, firm__memberships__user=user, firm__memberships__role__in=MANAGING_ROLES
            ).exists()
        )
    if action is Action.MANAGE_REGISTRATION:
        # obj is a Registration: the person themselves, or the programme's coordinators.
        return obj.user_id == user.pk or _coordinates(user, obj.programme)

    if action is Action.VIEW_ORGANISATION:
        return _org_role(user, obj) is not None
    if action is Action.MANAGE_PEOPLE:
        return _org_role(user, obj) == OrgRole.ADMIN
    if action is Action.VIEW_AUDIT_LOG:
        # obj is an Organisation: its privacy officer (functionaris gegevensbescherming) only;
        # the view also demands a verified second factor.
        return _org_role(user, obj) == getattr(OrgRole, "PRIVACY_OFFICER", None)

    if action is Action.VIEW_PROGRAMME:
        return bool(_programme_roles(user, obj)) or _coordinates(user, obj)
    if action is Action.VIEW_PLAN:
        roles = _programme_roles(user, obj)
        return ProgrammeRoleName.SPONSOR in roles or _coordinates(user, obj)
    if action is Action.VIEW_PROGRESS:
        roles = _programme_roles(user, obj)
        return ProgrammeRoleName.SPONSOR in roles or _coordinates(user, obj)
    if action is Action.MANAGE_PROGRAMME:
        return _coordinates(user, obj)

    if action is Action.VIEW_GROUP:
        return _reads_group_content(user, obj) or _coordinates(user, obj.programme)
    if action in {Action.VIEW_GROUP_CONTENT, Action.ADD_CASE}:
        return _reads_group_content(user, obj)
    if action is Action.ACCEPT_GROUND_RULES:
        return _is_current_member(user, obj)

    if action is Action.MANAGE_MEETINGS:
        # obj is a Group: its facilitator plans, moves, cancels and records attendance.
        return _is_assigned_facilitator(user, obj) or _coordinates(user, obj.programme)
    if action is Action.VIEW_MEETING:
        return can(user, Action.VIEW_GROUP, obj.group)
    if action is Action.REPORT_ABSENCE:
        return _is_current_member(user, obj.group)

    if action is Action.VIEW_CASE:
        return _reads_group_content(user, obj.group)
    if action is Action.WITHDRAW_CASE:
        return obj.presenter_id == user.pk and _is_current_member(user, obj.group)

    if action is Action.VIEW_PARTICIPATION:
        # obj is the Membership of the person whose participation is asked about.
        if obj.user_id == user.pk:
            return True
        if obj.line_manager_id is not None and obj.line_manager.user_id == user.pk:
            return True
        return _org_role(user, obj.organisation) in {OrgRole.ADMIN, OrgRole.COORDINATOR}

    if action is Action.VIEW_LEARNING_LOG:
        return obj.author_id == user.pk

    raise AssertionError(f"unhandled action {action}")  # pragma: no cover - enum is closed


def organisation_of(obj: Model) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, Programme | Membership):
        return obj.organisation
    if isinstance(obj, Registration):
        return obj.programme.organisation
    if isinstance(obj, Group):
        return obj.programme.organisation
    if isinstance(obj, Meeting | Case | DatePoll):
        return obj.group.programme.organisation
    return None


def knows_organisation(user, organisation: Organisation | None) -> bool:
    """Does the user belong to the organisation, or hold a role in one of its programmes?"""
    if organisation is None or not _active(user):
        return False
    return (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists()
        or ProgrammeRole.objects.filter(user=user, programme__organisation=organisation).exists()
        or ClientRelation.objects.filter(
            client=organisation, firm__memberships__user=user, firm__memberships__is_active=True
        ).exists()
    )


def get_or_deny(user, action: Action, queryset: QuerySet | type[Model], **lookup) -> Model:
    """Fetch one object for a view, or answer 404/403 without leaking its existence."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if can(user, action, obj):
        return obj
    if isinstance(obj, CONTENT_MODELS) or not knows_organisation(user, organisation_of(obj)):
        raise Http404
    raise PermissionDenied


# Lists: the same rules, as querysets.


def programmes_for(user) -> QuerySet[Programme]:
    if not _active(user):
        return Programme.objects.none()
    managed_orgs = Membership.objects.filter(
        user=user, is_active=True, role__in=MANAGING_ROLES
    ).values("organisation")
    return (
        Programme.objects.filter(
            Q(roles__user=user) | Q(organisation__in=managed_orgs) | Q(run_by__in=managed_orgs)
        )
        .distinct()
        .select_related("organisation")
    )


def groups_with_content_for(user) -> QuerySet[Group]:
    """Groups whose content the user may read: current member or assigned facilitator."""
    if not _active(user):
        return Group.objects.none()
    current = GroupMembership.objects.current().filter(user=user).values("group")
    return (
        Group.objects.filter(Q(pk__in=current) | Q(facilitator=user))
        .select_related("programme", "programme__organisation")
        .distinct()
    )


def groups_for(user, programme: Programme) -> QuerySet[Group]:
    """Groups of a programme the user may open."""
    if _coordinates(user, programme):
        return programme.groups.all()
    return groups_with_content_for(user).filter(programme=programme)


def direct_reports_of(user) -> QuerySet[Membership]:
    """Memberships whose line manager is this user: the line manager's whole view."""
    if not _active(user):
        return Membership.objects.none()
    return Membership.objects.filter(line_manager__user=user, is_active=True).select_related(
        "user", "organisation"
    )


def organisations_for_new_programmes(user) -> QuerySet[Organisation]:
    """Organisations the user may start a programme for: their own, or a firm's clients."""
    if not _active(user):
        return Organisation.objects.none()
    own = Membership.objects.filter(user=user, is_active=True, role__in=MANAGING_ROLES)
    clients = ClientRelation.objects.filter(firm__in=own.values("organisation")).values("client")
    return Organisation.objects.filter(Q(pk__in=own.values("organisation")) | Q(pk__in=clients))


def managed_organisations(user) -> QuerySet[Organisation]:
    if not _active(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role=OrgRole.ADMIN
    )


def cases_for(user, group: Group) -> QuerySet[Case]:
    if not can(user, Action.VIEW_GROUP_CONTENT, group):
        return Case.objects.none()
    return group.cases.exclude(status=Case.Status.WITHDRAWN)
