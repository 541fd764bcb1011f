from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kring.core import emails
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
    token, token_hash = Invitation.new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            full_name=full_name,
            role=role,
            token_hash=token_hash,
            created_by=by,
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        invitation.token = token
        link = reverse("accounts:accept_invitation", kwargs={"token": token})
        transaction.on_commit(
            lambda: emails.send(
                "invitation",
                email,
                {"invitation": invitation, "link": link, "inviter": by},
                language=by.language,
            )
        )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, full_name: str, password: str | None):
    """Join the organisation; a new person also gets an account with their password."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationError("invitation used or expired")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
    Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def set_language(*, user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
