import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

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
    membership = (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if membership is not None and not (membership.is_active and not can_log_in(membership.user)):
        raise InvitationError("already a member")
    # A member who cannot log in yet (imported, never set a password) gets the welcome
    # invitation: it lets them choose a password; their membership and role stay as they are.
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
        account = account_for_invitation(invitation)
        emails.send(
            "invitation",
            invitation.email,
            {
                "invitation": invitation,
                "link": reverse("accounts:accept_invitation", kwargs={"token": token}),
                "inviter": by,
                # Already a member (imported): a welcome to choose a password, not a
                # question whether to join.
                "welcome": account is not None
                and is_active_member(account, invitation.organisation),
            },
            language=account.language if account else by.language,
        )
        sent += 1
    return sent


def is_active_member(user, organisation) -> bool:
    return Membership.objects.filter(organisation=organisation, user=user, is_active=True).exists()


def account_for_invitation(invitation: Invitation):
    return User.objects.filter(email__iexact=invitation.email).first()


def needs_new_password(user) -> bool:
    """An unconfirmed account gets its password from the invitation: a password typed by
    whoever made the account before its owner (open registration) must not survive. So
    does an account that never had one (an imported member)."""
    return user is None or not user.email_verified or not user.has_usable_password()


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


# A way in for people who cannot log in yet: imported members who never chose a password,
# and accounts whose address is not confirmed. Every mail to them carries, instead of a
# bare link to a page, a link that first lets them choose a password (which proves the
# address, since the link came to it) and then opens the page.


def can_log_in(user) -> bool:
    """The person has a password of their own and a confirmed address."""
    return user.is_active and user.has_usable_password() and user.email_verified


class FirstPasswordTokenGenerator(PasswordResetTokenGenerator):
    """Like Django's reset tokens (nothing stored; dead once a password is set), but valid
    for a month: a meeting invitation may wait that long in a mailbox."""

    key_salt = "kring.accounts.FirstPasswordTokenGenerator"
    valid_for = timedelta(days=30)

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.email}{user.email_verified_at}{timestamp}"

    def check_token(self, user, token):
        if not (user and token) or token.count("-") != 1:
            return False
        timestamp_b36, _hash = token.split("-")
        try:
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        expected = self._make_token_with_timestamp(user, timestamp, self.secret)
        if not constant_time_compare(expected, token):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= self.valid_for.total_seconds()


first_password_tokens = FirstPasswordTokenGenerator()


def login_link_for(user, next_url: str) -> str:
    """The link (a path) to put in a mail to `user` for the page `next_url`.

    Someone who can log in gets the page itself (logging in on the way, as always). Someone
    who cannot yet gets a link to choose their password first, which then opens the page;
    once they have chosen one, the same link leads to the login and on to the page.
    """
    if user is None or not user.is_active or can_log_in(user):
        return next_url
    path = reverse(
        "accounts:first_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": first_password_tokens.make_token(user),
        },
    )
    return f"{path}?{urlencode({'next': next_url})}"


def user_for_first_password(uidb64: str, token: str):
    """The account a first-password link is for, if the link is valid; else None."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not user.is_active or not first_password_tokens.check_token(user, token):
        return None
    return user


# Links that work without logging in, or are themselves a way in: left as they are.
OPEN_LINKS = {
    "programmes:manager_confirmation",
    "planning:feed",
}
OPEN_NAMESPACES = {"accounts", "admin"}


def _needs_login(path: str) -> bool:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    if match.view_name in OPEN_LINKS or set(match.namespaces) & OPEN_NAMESPACES:
        return False
    return not match.route.endswith(".ics")


def with_ways_in(message: dict, site_url: str) -> dict:
    """A rendered mail with every link to a page replaced by `login_link_for` its
    recipient, when the recipient cannot log in yet (`kring.core.emails` calls this)."""
    user = User.objects.filter(email__iexact=message["to"]).first()
    if user is None or not user.is_active or can_log_in(user):
        return message
    pattern = re.compile(re.escape(site_url) + r"(/[^\s\"'<>]*)")

    def replace(match):
        path = match.group(1)
        if not _needs_login(path):
            return match.group(0)
        return site_url + login_link_for(user, path)

    return {
        **message,
        "body": pattern.sub(replace, message["body"]),
        "html": pattern.sub(replace, message["html"]),
    }


@transaction.atomic
def set_first_password(*, user, password: str) -> None:
    """The person followed a link mailed to them and chose a password: the address is
    theirs. Same as confirming an address (other sessions end, named line managers are
    asked now)."""
    confirm_address(user=user, password=password)
