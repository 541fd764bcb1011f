"""Registering for a programme: capacity, waiting list, wishes, line-manager confirmation."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.core import emails
from kring.organisations.models import Membership

from .models import Programme, ProgrammeRole, Registration, Wish

User = get_user_model()
Status = Registration.Status
Confirmation = Registration.ManagerConfirmation


class RegistrationError(Exception):
    """A registration that cannot be taken, with a message for the person registering."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def registration_is_open(programme: Programme) -> bool:
    return (
        programme.status == Programme.Status.REGISTRATION_OPEN and not programme.registration_closed
    )


def places_taken(programme: Programme) -> int:
    return programme.registrations.filter(status=Status.REGISTERED).count()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _resolve_people(programme, addresses, *, field):
    """E-mail addresses → users; people must be known (internal: in the organisation)."""
    users = {user.email.lower(): user for user in User.objects.filter(email__in=addresses)}
    if programme.visibility == Programme.Visibility.INTERNAL:
        members = set(
            Membership.objects.filter(
                organisation=programme.organisation, user__in=users.values()
            ).values_list("user__email", flat=True)
        )
        users = {email: user for email, user in users.items() if email in members}
    missing = [address for address in addresses if address not in users]
    if missing:
        raise RegistrationError(
            _("We do not know %(addresses)s in this programme's organisation.")
            % {"addresses": ", ".join(missing)},
            field=field,
        )
    return users


@transaction.atomic
def register(*, programme: Programme, user, data: dict, wishes: list[tuple[str, str]]):
    """Register `user` (or a new person described in `data`) and return the registration."""
    if not registration_is_open(programme):
        raise RegistrationError(_("Registration for this programme is closed."))
    if user is None or not user.is_authenticated:
        email = data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise RegistrationError(
                _("There is already an account with this e-mail address. Log in first."),
                field="email",
            )
        user = User.objects.create_user(
            email=email, password=data["password"], full_name=data["full_name"]
        )
    if programme.registrations.filter(user=user).exclude(status=Status.WITHDRAWN).exists():
        raise RegistrationError(_("You are already registered for this programme."))

    manager = None
    manager_email = (data.get("line_manager_email") or "").strip().lower()
    if manager_email:
        if manager_email == user.email.lower():
            raise RegistrationError(
                _("You cannot be your own line manager."), field="line_manager_email"
            )
        manager = User.objects.filter(email__iexact=manager_email).first()
        if manager is None:
            manager = User.objects.create_user(
                email=manager_email, password=None, full_name=manager_email
            )
    wish_users = _resolve_people(programme, [address for _kind, address in wishes], field="avoid")
    if user.email.lower() in wish_users:
        raise RegistrationError(_("You cannot name yourself in a wish."), field="avoid")

    full = programme.capacity is not None and places_taken(programme) >= programme.capacity
    registration, _created = Registration.objects.update_or_create(
        programme=programme,
        user=user,
        defaults={
            "status": Status.WAITING if full else Status.REGISTERED,
            "source": Registration.Source.SELF,
            "organisation_name": data.get("organisation_name") or programme.organisation.name,
            "function_level": data.get("function_level"),
            "department": data.get("department", ""),
            "location": data.get("location", ""),
            "profession": data.get("profession", ""),
            "notes": data.get("notes", ""),
            "line_manager": manager,
            "accepted_ground_rules_at": timezone.now(),
            "manager_confirmation": Confirmation.NOT_NEEDED,
        },
    )
    registration.wishes.all().delete()
    # One wish per person (the database cannot check it: see `Wish`); "not with" wins.
    kinds: dict[int, str] = {}
    for kind, address in wishes:
        if address in wish_users and kinds.get(wish_users[address].pk) != Wish.Kind.AVOID:
            kinds[wish_users[address].pk] = kind
    Wish.objects.bulk_create(
        Wish(registration=registration, kind=kind, other_person=str(other_id))
        for other_id, kind in kinds.items()
    )
    ProgrammeRole.objects.get_or_create(
        programme=programme, user=user, role=ProgrammeRole.Role.PARTICIPANT
    )
    if manager is not None:
        ProgrammeRole.objects.get_or_create(
            programme=programme, user=manager, role=ProgrammeRole.Role.LINE_MANAGER
        )
    if programme.requires_manager_confirmation and manager is not None:
        _ask_manager(registration)
    return registration


def issue_manager_token(registration: Registration) -> str:
    """A one-time link token for the line manager; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    registration.manager_confirmation = Confirmation.PENDING
    registration.manager_token_hash = _hash(token)
    registration.save(update_fields=["manager_confirmation", "manager_token_hash"])
    return token


def _ask_manager(registration: Registration) -> None:
    token = issue_manager_token(registration)
    link = reverse("programmes:manager_confirmation", kwargs={"token": token})
    manager = registration.line_manager
    transaction.on_commit(
        lambda: emails.send(
            "manager_confirmation",
            manager.email,
            {"registration": registration, "link": link},
            language=manager.language,
        )
    )


def registration_for_manager_token(token: str) -> Registration | None:
    return (
        Registration.objects.filter(
            manager_token_hash=_hash(token), manager_answered_at__isnull=True
        )
        .select_related("programme", "user", "line_manager")
        .first()
    )


@transaction.atomic
def answer_manager_confirmation(*, registration: Registration, confirmed: bool) -> Registration:
    registration.manager_confirmation = (
        Confirmation.CONFIRMED if confirmed else Confirmation.DECLINED
    )
    registration.manager_answered_at = timezone.now()
    registration.save(update_fields=["manager_confirmation", "manager_answered_at"])
    return registration


@transaction.atomic
def withdraw(*, registration: Registration) -> Registration | None:
    """Withdraw a registration; the first person on the waiting list moves up.

    Returns the registration that moved up, if any.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    was_registered = registration.status == Status.REGISTERED
    registration.status = Status.WITHDRAWN
    registration.save(update_fields=["status"])
    ProgrammeRole.objects.filter(
        programme=registration.programme,
        user=registration.user,
        role=ProgrammeRole.Role.PARTICIPANT,
    ).delete()
    if not was_registered:
        return None
    waiting = (
        registration.programme.registrations.filter(status=Status.WAITING)
        .order_by("created_at", "id")
        .first()
    )
    if waiting is not None:
        waiting.status = Status.REGISTERED
        waiting.save(update_fields=["status"])
        transaction.on_commit(
            lambda: emails.send(
                "moved_up",
                waiting.user.email,
                {"registration": waiting},
                language=waiting.user.language,
            )
        )
    return waiting


@transaction.atomic
def set_registration_closed(*, programme: Programme, closed: bool) -> Programme:
    programme.registration_closed = closed
    programme.save(update_fields=["registration_closed"])
    return programme
