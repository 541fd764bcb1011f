"""The meetings app listens to the planning app: an absence notice mends that meeting's
roles; a held meeting has discussed its chosen cases; a cancelled one gives them back."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from kring.planning import signals as planning_signals
from kring.planning.models import Attendance, Meeting

from . import rota, services


@receiver(post_save, sender=Attendance, dispatch_uid="rota_repairs_after_absence")
def repair_rota_after_absence(sender, instance: Attendance, raw=False, **kwargs):
    if raw or instance.status != Attendance.Status.ABSENT_WITH_NOTICE:
        return
    meeting = instance.meeting
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        return  # recording afterwards who was there changes no roles
    rota.repair_after_absence(meeting=instance.meeting, user=instance.user)


@receiver(post_save, sender=Attendance, dispatch_uid="rota_gives_back_after_withdrawal")
def give_role_back_after_withdrawal(sender, instance: Attendance, raw=False, **kwargs):
    """An absence notice withdrawn (`planning.services.withdraw_absence`): the role that
    was taken over goes back, if the stand-in's role was not changed since."""
    if raw or instance.status != Attendance.Status.EXPECTED:
        return
    meeting = instance.meeting
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        return
    rota.give_back_after_withdrawal(meeting=meeting, user=instance.user)


@receiver(planning_signals.meeting_held, dispatch_uid="cases_discussed_when_held")
def cases_discussed_when_held(sender, meeting_id, **kwargs):
    services.mark_discussed(meeting_id=meeting_id)


@receiver(post_save, sender=Meeting, dispatch_uid="cases_freed_when_cancelled")
def cases_freed_when_cancelled(sender, instance: Meeting, raw=False, **kwargs):
    if not raw and instance.status == Meeting.Status.CANCELLED:
        services.free_cases_of_cancelled(instance)
