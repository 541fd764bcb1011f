"""Registering for a programme: capacity, waiting list, wishes, line-manager confirmation.

Nothing here tells a stranger whether an address has a Kring account: an anonymous
registration answers the same whatever the address, and the mail to the address says the
rest; addresses in wishes and the line manager's address are matched without a word.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.confidentiality import audit
from kring.confidentiality.models import AuditEvent
from kring.core import emails
from kring.core.tokens import hash_token, new_token
from kring.organisations.models import Membership
from kring.programmes.models import Programme, ProgrammeRole, Registration, Wish

User = get_user_model()
Status = Registration.Status
Confirmation = Registration.ManagerConfirmation


class RegistrationError(Exception):
    """A registration that cannot be taken, with a message for the person registering."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _record(event, *, by, registration: Registration, description: str) -> None:
    """Who changed a registration (their own, or someone else's as coordinator), for the
    audit log; the entry stands or falls with the change (same transaction)."""
    own = by is not None and by.is_authenticated and by.pk == registration.user_id
    audit.record(
        event,
        actor=by,
        capacity=AuditEvent.Capacity.AUTHOR if own else AuditEvent.Capacity.COORDINATOR,
        targets=[
            audit.Target(
                obj=registration,
                subject_id=registration.user_id,
                organisation_id=registration.programme.organisation_id,
            )
        ],
        description=description,
    )


def registration_is_open(programme: Programme) -> bool:
    return (
        programme.status == Programme.Status.REGISTRATION_OPEN and not programme.registration_closed
    )


def places_taken(programme: Programme) -> int:
    """Registered places; a self-registration counts once its address is confirmed, so
    made-up addresses cannot fill a programme (and the count tells nothing about them)."""
    return programme.registrations.taking_part().count()


def _known_people(programme, addresses) -> dict:
    """E-mail addresses → users, for the addresses Kring knows (internal: in the
    organisation). Unknown ones are left out silently: an error would tell the registrant
    which addresses have an account."""
    users = {
        user.email.lower(): user
        for user in User.objects.filter(
            Q(email__in=addresses) | Q(email__in=[a.lower() for a in addresses])
        )
    }
    if programme.visibility == Programme.Visibility.INTERNAL:
        members = set(
            Membership.objects.filter(
                organisation=programme.organisation, user__in=users.values(), is_active=True
            ).values_list("user_id", flat=True)
        )
        users = {email: user for email, user in users.items() if user.pk in members}
    return users


def _named_line_manager(programme: Programme, email: str):
    """The person named as line manager, if they are an active member of the programme's
    organisation; anyone else is ignored without a word (see the module docstring)."""
    if not email:
        return None
    membership = (
        Membership.objects.filter(
            organisation=programme.organisation, is_active=True, user__email__iexact=email
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _answer_for_an_existing_account(programme: Programme, account, password: str) -> None:
    """Someone registered an address that has an account, without logging in: register
    nothing, and tell the address's owner how to register themselves."""
    make_password(password)  # as long as making an account takes, so timing tells nothing
    emails.send(
        "registration_account_exists",
        account.email,
        {
            "user": account,
            "programme": programme,
            "page_link": reverse("programmes:page", kwargs={"token": programme.registration_token}),
            "reset_link": reverse("accounts:password_reset"),
        },
        language=account.language,
    )


def _ask_to_confirm_address(programme: Programme, user) -> None:
    from kring.accounts.services import address_confirmation_link

    emails.send(
        "confirm_address",
        user.email,
        {"user": user, "programme": programme, "link": address_confirmation_link(user)},
        language=user.language,
    )


@transaction.atomic
def register(
    *, programme: Programme, user, data: dict, wishes: list[tuple[str, str]]
) -> Registration | None:
    """Register `user`, or a person described in `data` who is not logged in.

    A person who is not logged in gets a new account that cannot log in until the address
    is confirmed by the link mailed to it. When the address has an account already,
    nothing is registered (None): the mail to that address explains. The caller answers
    both the same way.
    """
    if not registration_is_open(programme):
        raise RegistrationError(_("Registration for this programme is closed."))
    anonymous = user is None or not user.is_authenticated
    own_email = (user.email if not anonymous else data["email"]).strip().lower()
    manager_email = (data.get("line_manager_email") or "").strip().lower()
    if manager_email and manager_email == own_email:
        raise RegistrationError(
            _("You cannot be your own line manager."), field="line_manager_email"
        )
    if own_email in {address for _kind, address in wishes}:
        raise RegistrationError(_("You cannot name yourself in a wish."), field="avoid")
    if anonymous:
        account = User.objects.filter(email__iexact=own_email).first()
        if account is not None:
            _answer_for_an_existing_account(programme, account, data["password"])
            return None
        user = User.objects.create_user(
            email=own_email, password=data["password"], full_name=data["full_name"]
        )
        _ask_to_confirm_address(programme, user)
    if programme.registrations.filter(user=user).exclude(status=Status.WITHDRAWN).exists():
        raise RegistrationError(_("You are already registered for this programme."))

    manager = _named_line_manager(programme, manager_email)
    wish_users = _known_people(programme, [address for _kind, address in wishes])

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
            # A named line manager is asked; until they answer they are nobody here. Any
            # named address waits alike, so the page does not tell whether it was known.
            "manager_confirmation": Confirmation.PENDING
            if manager_email or programme.requires_manager_confirmation
            else Confirmation.NOT_NEEDED,
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
    _record(
        AuditEvent.Event.CREATE,
        by=user,
        registration=registration,
        description=f"registered ({registration.status})",
    )
    if manager is not None and user.email_verified:
        # A new account's manager is asked once its address is confirmed, so nobody can
        # send managers mail by registering made-up people.
        _ask_manager(registration)
    return registration


def ask_line_managers_of(user) -> None:
    """After a person confirmed their address: ask the line managers they named."""
    for registration in Registration.objects.filter(
        user=user,
        line_manager__isnull=False,
        manager_token_hash="",
        manager_answered_at__isnull=True,
    ).select_related("programme", "line_manager"):
        _ask_manager(registration)


def issue_manager_token(registration: Registration) -> str:
    """A one-time link token for the line manager; only its hash is stored."""
    token, token_hash = new_token()
    registration.manager_confirmation = Confirmation.PENDING
    registration.manager_token_hash = token_hash
    registration.save(update_fields=["manager_confirmation", "manager_token_hash"])
    return token


def _ask_manager(registration: Registration) -> None:
    token = issue_manager_token(registration)
    link = reverse("programmes:manager_confirmation", kwargs={"token": token})
    manager = registration.line_manager
    emails.send(
        "manager_confirmation",
        manager.email,
        {"registration": registration, "link": link},
        language=manager.language,
    )


def registration_for_manager_token(token: str) -> Registration | None:
    return (
        Registration.objects.filter(
            manager_token_hash=hash_token(token), manager_answered_at__isnull=True
        )
        .select_related("programme", "user", "line_manager")
        .first()
    )


@transaction.atomic
def answer_manager_confirmation(*, registration: Registration, confirmed: bool) -> Registration:
    # The one answering is whoever holds the link mailed to the named line manager.
    """The line manager's answer; only a yes makes them the programme's line manager (they
    then follow the participation of this report), and it counts once."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.manager_answered_at is not None:
        raise RegistrationError(_("This question has been answered already."))
    registration.manager_confirmation = (
        Confirmation.CONFIRMED if confirmed else Confirmation.DECLINED
    )
    registration.manager_answered_at = timezone.now()
    registration.save(update_fields=["manager_confirmation", "manager_answered_at"])
    audit.record(
        AuditEvent.Event.CHANGE,
        actor=registration.line_manager,
        capacity=AuditEvent.Capacity.NONE,
        targets=[
            audit.Target(
                obj=registration,
                subject_id=registration.user_id,
                organisation_id=registration.programme.organisation_id,
            )
        ],
        description=f"line manager {registration.manager_confirmation}",
    )
    if confirmed and registration.line_manager_id is not None:
        ProgrammeRole.objects.get_or_create(
            programme=registration.programme,
            user_id=registration.line_manager_id,
            role=ProgrammeRole.Role.LINE_MANAGER,
        )
    return registration


@transaction.atomic
def withdraw(*, registration: Registration, by) -> Registration | None:
    """Withdraw a registration (the person's own, or as coordinator); the first person on
    the waiting list moves up.

    Returns the registration that moved up, if any.
    """
    registration = (
        Registration.objects.select_for_update().select_related("programme").get(pk=registration.pk)
    )
    was_registered = registration.status == Status.REGISTERED
    registration.status = Status.WITHDRAWN
    registration.save(update_fields=["status"])
    _record(AuditEvent.Event.CHANGE, by=by, registration=registration, description="withdrawn")
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
        _record(
            AuditEvent.Event.CHANGE,
            by=by,
            registration=waiting,
            description="moved up from the waiting list",
        )
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
def set_registration_closed(*, programme: Programme, closed: bool, by) -> Programme:
    """Close registration (or open it again) before the capacity is reached."""
    programme.registration_closed = closed
    programme.save(update_fields=["registration_closed"])
    audit.record(
        AuditEvent.Event.CHANGE,
        actor=by,
        capacity=AuditEvent.Capacity.COORDINATOR,
        targets=[
            audit.Target(obj=programme, subject_id=None, organisation_id=programme.organisation_id)
        ],
        description="registration closed" if closed else "registration opened again",
    )
    return programme
