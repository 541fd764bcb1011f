"""Kick-off sessions: planning one, inviting its audience, recording who came, and noting
the questions and concerns raised there."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.core import emails
from kring.notifications import audiences
from kring.notifications import services as notifications
from kring.notifications.models import Notice
from kring.programmes.models import Programme, ProgrammeRole

from . import calendar
from .models import Kickoff, KickoffInvitation, KickoffQuestion

Role = ProgrammeRole.Role

# Who a kick-off is for.
AUDIENCE_ROLES = {
    Kickoff.Audience.MANAGEMENT: (Role.SPONSOR, Role.LINE_MANAGER),
    Kickoff.Audience.PARTICIPANTS: (Role.PARTICIPANT, Role.FACILITATOR),
}


class KickoffError(Exception):
    pass


def audience_of(kickoff: Kickoff) -> list:
    return audiences.people_in_roles(kickoff.programme, AUDIENCE_ROLES[kickoff.audience])


def _check_place(location: str, video_link: str) -> None:
    if not location.strip() and not video_link.strip():
        raise KickoffError(_("Give a place, a video link, or both."))


@transaction.atomic
def plan_kickoff(
    *,
    programme: Programme,
    audience: str,
    starts_at: datetime,
    duration_minutes: int,
    location: str,
    video_link: str,
    by,
) -> Kickoff:
    if programme.status == Programme.Status.CLOSED:
        raise KickoffError(_("The programme is closed."))
    _check_place(location, video_link)
    return Kickoff.objects.create(
        programme=programme,
        audience=audience,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        video_link=video_link.strip(),
        created_by=by,
    )


@transaction.atomic
def change_kickoff(
    *,
    kickoff: Kickoff,
    starts_at: datetime,
    duration_minutes: int,
    location: str,
    video_link: str,
    by,
) -> Kickoff:
    """Move or relocate a kick-off; everyone invited who is still of its audience gets the
    updated invitation (same UID, higher SEQUENCE)."""
    kickoff = Kickoff.objects.select_for_update().select_related("programme").get(pk=kickoff.pk)
    if kickoff.status == Kickoff.Status.HELD:
        raise KickoffError(_("This kick-off has been held; it can no longer be moved."))
    _check_place(location, video_link)
    changed = (
        kickoff.starts_at,
        kickoff.duration_minutes,
        kickoff.location,
        kickoff.video_link,
    ) != (
        starts_at,
        duration_minutes,
        location.strip(),
        video_link.strip(),
    )
    if not changed:
        return kickoff
    kickoff.starts_at, kickoff.duration_minutes = starts_at, duration_minutes
    kickoff.location, kickoff.video_link = location.strip(), video_link.strip()
    kickoff.ical_sequence += 1
    kickoff.save()
    # Only those invited who still belong to the audience: not a member switched off or a
    # participant who withdrew since.
    audience = {person.pk for person in audience_of(kickoff)}
    for invitation in kickoff.invitations.select_related("user"):
        if invitation.user_id in audience:
            _mail(kickoff, invitation.user, changed=True)
    return kickoff


def _mail(kickoff: Kickoff, user, *, changed: bool) -> None:
    emails.send(
        "kickoff_invitation",
        user.email,
        {"kickoff": kickoff, "programme": kickoff.programme, "user": user, "changed": changed},
        language=user.language,
        attachments=(
            (
                calendar.filename(kickoff),
                calendar.invitation(kickoff, user),
                "text/calendar; method=REQUEST",
            ),
        ),
    )


@transaction.atomic
def send_invitations(*, kickoff: Kickoff, by) -> int:
    """Invite everyone of the audience who has not been invited yet: a mail with the
    calendar file, and a notice in Kring. Returns how many were invited now."""
    kickoff = Kickoff.objects.select_for_update().select_related("programme").get(pk=kickoff.pk)
    if kickoff.status == Kickoff.Status.HELD:
        raise KickoffError(_("This kick-off has been held; nobody can be invited any more."))
    invited = set(kickoff.invitations.values_list("user_id", flat=True))
    new = [person for person in audience_of(kickoff) if person.pk not in invited]
    KickoffInvitation.objects.bulk_create(
        KickoffInvitation(kickoff=kickoff, user=person) for person in new
    )
    link = reverse("kickoffs:detail", kwargs={"kickoff_id": kickoff.pk})
    for person in new:
        _mail(kickoff, person, changed=False)
        notifications.notify(
            recipient=person,
            kind=Notice.Kind.KICKOFF_INVITATION,
            params={"programme": kickoff.programme.title, "when": kickoff.starts_at.isoformat()},
            link=link,
        )
    return len(new)


@transaction.atomic
def record_attendance(*, kickoff: Kickoff, statuses: dict[int, str], by) -> Kickoff:
    """Who came and who did not; recording it marks the kick-off as held."""
    kickoff = Kickoff.objects.select_for_update().get(pk=kickoff.pk)
    allowed = {KickoffInvitation.Status.ATTENDED, KickoffInvitation.Status.ABSENT}
    for invitation in kickoff.invitations.all():
        status = statuses.get(invitation.user_id)
        if status in allowed and status != invitation.status:
            invitation.status = status
            invitation.save(update_fields=["status"])
    if kickoff.status != Kickoff.Status.HELD:
        kickoff.status = Kickoff.Status.HELD
        kickoff.save(update_fields=["status"])
    return kickoff


@transaction.atomic
def note_question(*, kickoff: Kickoff, kind: str, text: str, by) -> KickoffQuestion:
    text = text.strip()
    if not text:
        raise KickoffError(_("Write down what was asked or raised."))
    return KickoffQuestion.objects.create(kickoff=kickoff, kind=kind, text=text, noted_by=by)
