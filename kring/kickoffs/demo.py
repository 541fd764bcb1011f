"""Demo data for kick-offs and the communication plan (called from kring/core/demo.py).

The running programme had its two kick-offs before the first meetings, with attendance and
the questions people raised, and its communication plan is half done: messages sent,
one confirmed for next week, drafts still to review.
"""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from kring.notifications import audiences
from kring.notifications import services as notifications
from kring.notifications.models import CommunicationDispatch, Notice
from kring.programmes.models import CommunicationMessage, Programme

from .models import Kickoff, KickoffInvitation, KickoffQuestion
from .services import audience_of

Audience = CommunicationMessage.Audience


def add_demo_kickoffs_and_messages(programme, coordinator, facilitator, today) -> None:
    zone = timezone.get_default_timezone()
    starts_on = programme.starts_on

    def at(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=zone)

    management = Kickoff.objects.create(
        programme=programme,
        audience=Kickoff.Audience.MANAGEMENT,
        starts_at=at(starts_on - timedelta(days=26), 10),
        duration_minutes=60,
        location="De Linde Amersfoort, bestuurskamer",
        status=Kickoff.Status.HELD,
        created_by=coordinator,
    )
    participants = Kickoff.objects.create(
        programme=programme,
        audience=Kickoff.Audience.PARTICIPANTS,
        starts_at=at(starts_on + timedelta(days=8), 15),
        duration_minutes=90,
        location="De Linde Amersfoort, Lindezaal",
        video_link="https://meet.delinde.example/aftrapsessie",
        status=Kickoff.Status.HELD,
        created_by=coordinator,
    )
    for kickoff in (management, participants):
        invited = audience_of(kickoff)
        KickoffInvitation.objects.bulk_create(
            KickoffInvitation(
                kickoff=kickoff,
                user=person,
                # Most came; a few were absent (shifts, leave).
                status=KickoffInvitation.Status.ABSENT
                if index % 9 == 4
                else KickoffInvitation.Status.ATTENDED,
            )
            for index, person in enumerate(invited)
        )
        Notice.objects.bulk_create(
            Notice(
                recipient=person,
                kind=Notice.Kind.KICKOFF_INVITATION,
                params={"programme": programme.title, "when": kickoff.starts_at.isoformat()},
                link=reverse("kickoffs:detail", kwargs={"kickoff_id": kickoff.pk}),
                read_at=kickoff.starts_at - timedelta(days=5),
            )
            for person in invited
        )
        Notice.objects.filter(
            kind=Notice.Kind.KICKOFF_INVITATION, link__endswith=f"/{kickoff.pk}/"
        ).update(created_at=kickoff.starts_at - timedelta(days=21))
    KickoffQuestion.objects.create(
        kickoff=participants,
        kind=KickoffQuestion.Kind.QUESTION,
        text="Tellen de bijeenkomsten als werktijd, ook voor wie in de avonddienst werkt?",
        noted_by=coordinator,
    )
    KickoffQuestion.objects.create(
        kickoff=participants,
        kind=KickoffQuestion.Kind.CONCERN,
        text="Een paar mensen vrezen dat hun leidinggevende hoort wat ze in de groep vertellen.",
        noted_by=facilitator,
    )

    plan = [
        (starts_on - timedelta(days=35), Audience.EVERYONE, "Aankondiging van het traject"),
        (
            starts_on + timedelta(days=14),
            Audience.LINE_MANAGERS,
            "Wat intervisie van je team vraagt",
        ),
        (today + timedelta(days=9), Audience.PARTICIPANTS, "Nieuwsbrief: de eerste ronde"),
        (today + timedelta(days=40), Audience.FACILITATORS, "De procesrol overdragen"),
        (
            programme.ends_on - timedelta(days=30),
            Audience.EVERYONE,
            "Uitnodiging voor de evaluatie",
        ),
    ]
    messages = [
        CommunicationMessage.objects.create(
            programme=programme, send_on=_weekday(send_on), audience=audience, subject=subject
        )
        for send_on, audience, subject in plan
    ]
    confirmed_at = at(starts_on - timedelta(days=40), 11)
    for message, body in [
        (
            messages[0],
            "Dit najaar start De Linde met intervisie: zes keer per jaar twee uur met collega's "
            "van andere afdelingen een vraag uit je eigen werk bespreken. In de aftrapsessie "
            "hoor je er alles over.",
        ),
        (
            messages[1],
            "Je medewerkers zitten inmiddels in hun intervisiegroep. Geef ze de tijd om mee te "
            "doen; wat er in de groep besproken wordt, blijft in de groep.",
        ),
    ]:
        sent_at = at(message.send_on, 9)
        CommunicationDispatch.objects.create(
            message=message,
            subject=message.subject,
            body=body,
            status=CommunicationDispatch.Status.SENT,
            planned_for=message.send_on,
            planned_audience=message.audience,
            confirmed_by=coordinator,
            confirmed_at=confirmed_at,
            sent_at=sent_at,
            recipients_count=len(audiences.audience_of(programme, message.audience)),
        )
    # Confirmed for next week: the worker sends it on its date.
    notifications.confirm(
        message=messages[2],
        subject="Nieuwsbrief: de eerste ronde zit erop",
        body="De eerste bijeenkomsten zijn geweest. In deze nieuwsbrief: wat deelnemers ervan "
        "vonden, en een tip voor het inbrengen van een casus.",
        by=coordinator,
    )
    # A draft the coordinator has started on; the last message nobody has looked at yet.
    notifications.save_draft(
        message=messages[3],
        subject=messages[3].subject,
        body="Vanaf de vierde bijeenkomst neemt een van de deelnemers de procesrol over.",
        by=coordinator,
    )
    # The plan of the programme that awaits approval: its sponsor has been told.
    for submitted in Programme.objects.filter(
        organisation_id=programme.organisation_id, status=Programme.Status.SUBMITTED
    ):
        notifications.plan_submitted(submitted)


def _weekday(day):
    """Messages go out on a working day: a Saturday or Sunday moves to the Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day
