"""A written round under way in the demo: group 2 takes a case through the six-step method
in writing. It started two days ago; its first step closed early once everyone had read
the case, and the questions are coming in now. The worker closes the step at its deadline."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kring.confidentiality import policy
from kring.meetings import services as meeting_services
from kring.meetings.models import Case, MeetingCase
from kring.methods.models import Method

from . import inputs, selectors, services, written
from .models import LiveSession

DEMO_QUESTIONS = [
    "Wat maakte dat je op dat moment niets zei?",
    "Wie in het team denkt er net zo over als jij?",
    "Wat zou je collega zeggen als je het haar vroeg?",
]
DEMO_SITUATION = (
    "Ik heb het nog eens opgeschreven zoals ik het zou vertellen: de overdracht loopt al weken "
    "uit, en ik weet niet of ik het moet aankaarten of het zo moet laten."
)


def add_demo_written_round(group) -> LiveSession | None:
    """Group 2's round: its facilitator leads it, a member's open case is its case."""
    facilitator = group.facilitator
    chosen = set(MeetingCase.objects.values_list("case_id", flat=True))
    case = next(
        (
            case
            for case in sorted(policy.read_backlog(facilitator, group), key=lambda c: c.created_at)
            if case.status == Case.Status.OPEN and case.pk not in chosen
        ),
        None,
    )
    if case is None:
        return None
    now = timezone.now()
    started = now - timedelta(hours=48)
    with transaction.atomic():
        version = Method.objects.get(builtin_key="six-step", organisation=None).current
        meeting = written.plan_round(
            group=group, by=facilitator, method_version=version, starts_at=started
        )
        meeting_services.choose_case(case=case, meeting=meeting, by=facilitator)
        session = services.start_session(
            meeting=meeting, by=facilitator, now=started, pacing=LiveSession.Pacing.WRITTEN
        )
        inputs.submit(
            meeting=meeting,
            by=case.presenter,
            client_id=uuid.uuid4(),
            phase=1,
            text=DEMO_SITUATION,
        )
        members = selectors.present_members(meeting)
        for person in members:
            if person.pk != case.presenter_id:
                services.mark_ready(session=session, by=person, now=now - timedelta(hours=30))
        askers = [person for person in members if person.pk != case.presenter_id]
        for person, question in zip(askers, DEMO_QUESTIONS, strict=False):
            inputs.submit(
                meeting=meeting, by=person, client_id=uuid.uuid4(), phase=2, text=question
            )
    return LiveSession.objects.get(pk=session.pk)
