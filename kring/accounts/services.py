from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from kring.core import emails
from kring.core.tokens import new_token
from kring.organisations.models import Membership, Organisation

from .models import Invitation

User = get_user_model()


class InvitationError(Exception):
    pass


def invite_member(
    *, organisation: Organisation, email: str, full_name: str, role: str, by
) -> Invitation:
    """Create a one-time invitation link and mail it.

    The returned invitation carries `token`, known only now: the database keeps its hash.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise InvitationError("already a member")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            full_name=full_name,
            role=role,
            token_hash=new_token()[1],
            created_by=by,
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        send_invitations(invitations=[invitation], by=by)
    return invitation


@transaction.atomic
def send_invitations(*, invitations, by) -> int:
    """Mail each invitation with a fresh one-time link, valid from now.

    The token is made here, not when the invitation was stored: imports store invitations
    first and the coordinator sends them later, and only a hash is ever kept. Each
    returned invitation carries `token` for as long as the caller holds it.
    """
    sent = 0
    for invitation in invitations:
        token, token_hash = new_token()
        invitation.token_hash = token_hash
        invitation.sent_at = timezone.now()
        invitation.expires_at = invitation.sent_at + Invitation.VALID_FOR
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        invitation.token = token
        emails.send(
            "invitation",
            invitation.email,
            {
                "invitation": invitation,
                "link": reverse("accounts:accept_invitation", kwargs={"token": token}),
                "inviter": by,
            },
            language=by.language,
        )
        sent += 1
    return sent


def account_for_invitation(invitation: Invitation):
    return User.objects.filter(email__iexact=invitation.email).first()


def needs_new_password(user) -> bool:
    """An unconfirmed account gets its password from the invitation: a password typed by
    whoever made the account before its owner (open registration) must not survive."""
    return user is None or not user.email_verified


@transaction.atomic
def accept_invitation(*, invitation: Invitation, full_name: str, password: str | None):
    """Join the organisation (and the programme of an import) as the invited address.

    The link was mailed to the address, so following it proves the address. An account
    whose address was not confirmed yet takes the new password, and every other session
    of it ends: someone else may have made the account and be logged in to it.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationError("invitation used or expired")
    now = timezone.now()
    user = account_for_invitation(invitation)
    if user is None:
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name, email_verified_at=now
        )
    elif needs_new_password(user):
        if not password:
            raise InvitationError("a new password is needed")
        user.set_password(password)  # changes the session hash: other sessions end
        user.full_name = full_name or user.full_name
        user.email_verified_at = now
        user.save(update_fields=["password", "full_name", "email_verified_at"])
        end_sessions_of(user)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and not membership.is_active:
        # A switched-off member said yes to coming back; the old role does not return.
        membership.is_active = True
        membership.role = invitation.role
        membership.save(update_fields=["is_active", "role"])
    if invitation.programme_id is not None:
        from kring.registrations.imports import join_imported_programme

        join_imported_programme(invitation=invitation, membership=membership)
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return user


def end_sessions_of(user) -> None:
    """Log the user out everywhere (database sessions are the only kind Kring uses)."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


# Confirming an address: a link mailed to it, as Django's password reset does it. The
# token is an HMAC over the account's state, so nothing is stored and it stops working
# once the address is confirmed or the password changes.


class AddressConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "kring.accounts.AddressConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.email}{user.email_verified_at}{timestamp}"


address_confirmation_tokens = AddressConfirmationTokenGenerator()


def address_confirmation_link(user) -> str:
    return reverse(
        "accounts:confirm_address",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": address_confirmation_tokens.make_token(user),
        },
    )


def user_for_address_confirmation(uidb64: str, token: str):
    """The account a confirmation link is for, if the link is still valid; else None."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if user.email_verified or not address_confirmation_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
@transaction.atomic
def confirm_address(*, user, password: str) -> None:
    """The address is the person's own: they may log in with the password they choose now,
    every other session of the account ends (an impostor may have made it), and what they
    asked for while it was unconfirmed (a line manager's confirmation) goes out now."""
    from kring.registrations.services import ask_line_managers_of

    user.set_password(password)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    end_sessions_of(user)
    ask_line_managers_of(user)


def set_language(*, user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
