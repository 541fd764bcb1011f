"""A written round: the six-step method in writing over days, with deadlines in the past
and the future (the session started in the past; a task made due stands for the time that
passes), reminders to exactly those who have not contributed, phases closed early because
everyone submitted, and the report and the check at the end. Mails never carry content."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.live import inputs, selectors, services, written
from kring.live.models import LiveEvent, LiveSession
from kring.meetings.models import MeetingCase
from kring.notifications.models import Notice
from kring.planning.models import Meeting
from kring.records.models import RecordInput
from kring.reports.models import Report
from tests import factories as f

HOURS = [24, 36, 12, 12, 36, 24]


@pytest.fixture
def round_(live, django_capture_on_commit_callbacks):
    """The live fixture's meeting as a written round, with the presenter's case chosen."""
    meeting = live.meeting
    meeting.mode = Meeting.Mode.WRITTEN
    meeting.location = ""
    meeting.save()
    case = f.CaseFactory(group=meeting.group, presenter=live.presenter)
    MeetingCase.objects.create(meeting=meeting, case=case, how="chosen", chosen_by=live.facilitator)
    live.case = case
    live.capture = django_capture_on_commit_callbacks
    return live


def _session(live) -> LiveSession:
    session = LiveSession.objects.get(meeting=live.meeting)
    session.meeting = Meeting.objects.get(pk=live.meeting.pk)
    return session


def _due(task_name: str) -> None:
    """Time passes until the tasks of this name are due (their deadline or reminder)."""
    rows = DBTaskResult.objects.filter(task_path__endswith=task_name, status="READY")
    rows.update(run_after=timezone.now() - timedelta(seconds=1))


def _write(live, user, kind_phase, text):
    with live.capture(execute=True):
        return inputs.submit(
            meeting=Meeting.objects.get(pk=live.meeting.pk),
            by=user,
            client_id=uuid.uuid4(),
            phase=kind_phase,
            text=text,
        )


def _mails_to(template_subject_start: str) -> set[str]:
    return {m.to[0] for m in mail.outbox if m.subject.startswith(template_subject_start)}


def test_a_whole_written_six_step_round(round_, run_tasks):
    live = round_
    present = selectors.present_members(live.meeting)
    others = [user for user in present if user.pk != live.presenter.pk]
    assert len(others) >= 4

    # Started a day and a half ago: the first phase's deadline (24 h) has passed.
    with live.capture(execute=True):
        services.start_session(
            meeting=live.meeting,
            by=live.process_facilitator,
            pacing=LiveSession.Pacing.WRITTEN,
            hours=HOURS,
            now=timezone.now() - timedelta(hours=36),
        )
    session = _session(live)
    assert session.pacing == "written" and session.phase_hours == HOURS
    assert session.timer_ends_at < timezone.now()
    run_tasks()  # the announcement of phase 1, then its deadline: phase 2 opens
    session = _session(live)
    assert session.phase == 2
    closed = session.events.get(kind=LiveEvent.Kind.ADVANCE, data__left=1)
    assert closed.by is None and closed.data["at_deadline"] is True
    # Phase 2 (the questions) is open for 36 hours from now.
    left = session.timer_ends_at - timezone.now()
    assert timedelta(hours=35, minutes=59) < left <= timedelta(hours=36)
    opened = _mails_to("Zorg Noord") | _mails_to(live.meeting.group.name)
    assert {user.email for user in present} <= opened
    assert Notice.objects.filter(kind=Notice.Kind.ROUND_PHASE_OPEN, params__number=2).count() == (
        len(present)
    )

    # Two questioners write; the reminder (due now) goes to exactly those not done: the
    # other questioners, and the presenter, who answers the questions in writing.
    first = _write(live, others[0], 2, "SECRET-WRITTEN question one")
    _write(live, others[1], 2, "SECRET-WRITTEN question two")
    mail.outbox.clear()
    _due("remind_round_phase")
    run_tasks()
    reminded = {m.to[0] for m in mail.outbox}
    waiting = {user.email for user in others[2:]} | {live.presenter.email}
    assert reminded == waiting
    assert all("Herinnering" in m.subject or "Reminder" in m.subject for m in mail.outbox)
    assert (
        set(
            Notice.objects.filter(kind=Notice.Kind.ROUND_REMINDER).values_list(
                "recipient__email", flat=True
            )
        )
        == waiting
    )
    assert _session(live).phase == 2

    # The others contribute (one says they are done): every question is in, and the
    # presenter hears it once (one mail, not one per question).
    mail.outbox.clear()
    for user in others[2:-1]:
        _write(live, user, 2, f"SECRET-WRITTEN question of {user.pk}")
    with live.capture(execute=True):
        services.mark_ready(session=_session(live), by=others[-1])
    run_tasks()
    assert _session(live).phase == 2
    assert [m.to[0] for m in mail.outbox] == [live.presenter.email]
    assert (
        Notice.objects.filter(
            recipient=live.presenter, kind=Notice.Kind.ROUND_INPUTS_IN, params__number=2
        ).count()
        == 1
    )
    assert not Notice.objects.filter(
        kind=Notice.Kind.ROUND_INPUTS_IN, recipient__in=others
    ).exists()

    # The presenter answers a question (an answer is not yet "done"), then says done: the
    # phase closes before its deadline, and the answer is shown with its question.
    with live.capture(execute=True):
        inputs.answer(
            meeting=Meeting.objects.get(pk=live.meeting.pk),
            by=live.presenter,
            question_id=first.pk,
            text="SECRET-WRITTEN my answer",
            client_id=uuid.uuid4(),
        )
    assert _session(live).phase == 2
    panel = inputs.panel(Meeting.objects.get(pk=live.meeting.pk), others[0])
    assert panel.answers[first.pk].text == "SECRET-WRITTEN my answer"
    with live.capture(execute=True):
        services.mark_ready(session=_session(live), by=live.presenter)
    session = _session(live)
    assert session.phase == 3
    assert session.events.get(kind=LiveEvent.Kind.ADVANCE, data__left=2).data["early"] is True
    mail.outbox.clear()
    run_tasks()  # phase 3's announcement
    assert len([m for m in mail.outbox if m.to[0] == live.presenter.email]) == 1
    # The old deadline of phase 2 comes: it changes nothing (the phase has closed).
    _due("close_round_phase")
    closes = DBTaskResult.objects.filter(task_path__endswith="close_round_phase")
    phase_3_close = closes.filter(args_kwargs__args__1=3)
    phase_3_close.update(run_after=timezone.now() + timedelta(days=1))
    run_tasks()
    assert _session(live).phase == 3

    # Phase 3: everyone writes their problem statement apart; once all are in, they are
    # shown together and the presenter chooses.
    for user in present:
        _write(live, user, 3, f"SECRET-WRITTEN statement of {user.pk}")
    session = _session(live)
    assert session.phase == 4
    statements = RecordInput.objects.filter(record__meeting=live.meeting, phase=3)
    assert {row.state for row in statements} == {RecordInput.State.REVEALED}
    with live.capture(execute=True):
        inputs.choose(
            meeting=Meeting.objects.get(pk=live.meeting.pk),
            by=live.presenter,
            statement_id=statements.first().pk,
            client_id=uuid.uuid4(),
        )
    session = _session(live)
    assert session.phase == 5  # only the presenter chooses: done when they have

    # Phase 5, the gossip: the presenter only reads. Two write, then the deadline passes.
    run_tasks()
    _write(live, others[0], 5, "SECRET-WRITTEN gossip")
    _write(live, others[1], 5, "SECRET-WRITTEN more gossip")
    assert live.presenter.pk not in {u.pk for u in selectors.not_ready(_session(live))}
    _due("close_round_phase")
    run_tasks()
    session = _session(live)
    assert session.phase == 6
    gossip_closed = session.events.get(kind=LiveEvent.Kind.ADVANCE, data__left=5)
    assert set(gossip_closed.data["not_ready"]) == {user.pk for user in others[2:]}

    # Phase 6: the presenter's take-away is the last contribution; the round closes, the
    # meeting is held, the report is drafted for the note taker and the check opens.
    mail.outbox.clear()
    _write(live, live.presenter, 6, "SECRET-WRITTEN what I take with me")
    session = _session(live)
    assert session.state == LiveSession.State.CLOSED
    meeting = Meeting.objects.get(pk=live.meeting.pk)
    assert meeting.status == Meeting.Status.HELD
    report = Report.objects.get(meeting=meeting)
    assert report.created_by_id == live.note_taker.pk
    run_tasks()
    checked = {m.to[0] for m in mail.outbox if "/check/" in m.body}
    assert {user.email for user in present} <= checked

    # Nothing that was written travels in a mail.
    sent = " ".join(m.subject + m.body + str(m.alternatives) for m in mail.outbox)
    assert "SECRET" not in sent


def test_no_mail_of_a_round_carries_what_was_written(round_, run_tasks):
    live = round_
    with live.capture(execute=True):
        services.start_session(
            meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
        )
        services.advance(session=_session(live), by=live.process_facilitator, from_phase=1)
    _write(live, live.member, 2, "SECRET-WRITTEN a question")
    _due("remind_round_phase")
    run_tasks()
    assert mail.outbox
    for message in mail.outbox:
        assert "SECRET" not in message.subject + message.body + str(message.alternatives)
        assert live.case.title not in message.body


def test_the_presenter_pauses_the_round_and_its_deadline_waits(round_, run_tasks):
    live = round_
    with live.capture(execute=True):
        services.start_session(
            meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
        )
    run_tasks()
    with live.capture(execute=True):
        services.pause(session=_session(live), by=live.presenter)
    _due("close_round_phase")
    run_tasks()
    assert _session(live).phase == 1  # paused: the deadline does not close it
    deadline = _session(live).timer_ends_at
    with live.capture(execute=True):
        services.resume(session=_session(live), by=live.presenter)
    assert _session(live).timer_ends_at > deadline  # moved on by the pause
    _due("close_round_phase")
    run_tasks()
    assert _session(live).phase == 2  # the new deadline's task closes it


def test_a_member_may_not_pause_the_round(round_):
    live = round_
    services.start_session(
        meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
    )
    with pytest.raises(services.NotAllowed):
        services.pause(session=_session(live), by=live.member)


def test_the_presenter_withdraws_the_case_and_the_round_stops(round_, run_tasks):
    live = round_
    with live.capture(execute=True):
        services.start_session(
            meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
        )
    with pytest.raises(written.RoundError):
        written.withdraw_case(session=_session(live), by=live.member)
    with live.capture(execute=True):
        written.withdraw_case(session=_session(live), by=live.presenter)
    session = _session(live)
    assert session.state == LiveSession.State.CLOSED and written.was_withdrawn(session)
    meeting = Meeting.objects.get(pk=live.meeting.pk)
    assert meeting.status == Meeting.Status.CANCELLED
    live.case.refresh_from_db()
    assert live.case.status == "withdrawn"
    assert not Report.objects.filter(meeting=meeting).exists()
    _due("close_round_phase")
    run_tasks()
    assert _session(live).state == LiveSession.State.CLOSED


def test_hours_per_phase_are_checked(round_):
    live = round_
    for hours in ([24] * 5, [0, 24, 24, 24, 24, 24], [24, 24, 24, 24, 24, 24 * 29]):
        with pytest.raises(services.LiveError):
            services.start_session(
                meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=hours
            )
    session = services.start_session(
        meeting=live.meeting, by=live.process_facilitator, pacing="written"
    )
    assert session.phase_hours == services.default_hours(selectors.phases_of(session))
    assert session.phase_hours == [24, 36, 12, 12, 36, 24]  # six days for the six steps


def test_a_live_meeting_goes_on_in_writing_and_back(
    started, run_tasks, django_capture_on_commit_callbacks
):
    live = started
    session = services.advance(session=_session(live), by=live.process_facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.change_pacing(
            session=_session(live),
            by=live.process_facilitator,
            pacing="written",
            hours=[1, 48, 1, 1, 1, 1],
        )
    assert session.pacing == "written" and session.phase == 2
    left = session.timer_ends_at - timezone.now()
    assert timedelta(hours=47) < left <= timedelta(hours=48)
    run_tasks()
    assert Notice.objects.filter(kind=Notice.Kind.ROUND_PHASE_OPEN).count() == len(
        selectors.present_members(live.meeting)
    )
    with pytest.raises(services.NotAllowed):
        services.change_pacing(session=_session(live), by=live.member, pacing="live")
    session = services.change_pacing(
        session=_session(live), by=live.process_facilitator, pacing="live"
    )
    assert session.pacing == "live"
    assert session.timer_ends_at - timezone.now() <= timedelta(minutes=15)
    assert session.events.filter(kind=LiveEvent.Kind.PACE).count() == 2


def test_a_written_round_is_planned_by_the_group_only(round_, client):
    live = round_
    group = live.meeting.group
    client.force_login(live.member)
    response = client.get(f"/groups/{group.pk}/written-round/")
    assert response.status_code == 200
    assert "Nieuwe schriftelijke ronde" in response.content.decode()
    method = live.meeting.method_version.method
    response = client.post(f"/groups/{group.pk}/written-round/", {"method": method.pk})
    assert response.status_code == 302
    meeting = Meeting.objects.filter(group=group, mode="written").latest("pk")
    assert meeting.method_version_id == live.meeting.method_version_id
    # The member who planned it leads it.
    assert meeting.role_assignments.get(user=live.member).role == "process_facilitator"
    response = client.post(f"/groups/{group.pk}/written-round/", {"method": "nonsense"})
    assert response.status_code == 400
    assert "Kies een van de werkvormen uit de lijst." in response.content.decode()
    client.force_login(live.world.people["outsider"])
    assert client.get(f"/groups/{group.pk}/written-round/").status_code == 404


def test_in_writing_a_phase_without_input_takes_contributions(round_):
    """Live, the situation is told in the room; in writing, it is written: a phase without
    input of its own takes everyone's contributions, kept in the record as such."""
    live = round_
    services.start_session(
        meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
    )
    meeting = Meeting.objects.get(pk=live.meeting.pk)
    panel = inputs.panel(meeting, live.presenter)
    assert panel.kind == "contributions"
    assert [slot.kind for slot in panel.slots] == ["contributions"]
    item = _write(live, live.presenter, 1, "SECRET-WRITTEN my situation")
    assert item.kind == "contributions" and item.phase == 1
    present = selectors.present_members(live.meeting)
    assert live.presenter.pk not in {u.pk for u in selectors.not_ready(_session(live))}
    for user in present:
        if user.pk != live.presenter.pk:
            services.mark_ready(session=_session(live), by=user)
    assert _session(live).phase == 2


def test_live_a_phase_without_input_takes_none(started):
    meeting = Meeting.objects.get(pk=started.meeting.pk)
    panel = inputs.panel(meeting, started.presenter)
    assert panel.kind == "none" and panel.slots == []
    with pytest.raises(inputs.RecordError):
        inputs.submit(
            meeting=meeting, by=started.member, client_id=uuid.uuid4(), phase=1, text="said"
        )


def test_a_written_round_is_not_in_the_calendar_feed(round_):
    from kring.planning import services as planning_services

    live = round_
    other = f.MeetingFactory(group=live.meeting.group)
    feed = list(planning_services.feed_meetings(live.member))
    assert other in feed and live.meeting not in feed


def test_only_the_presenter_answers_and_only_in_writing(round_, started):
    live = round_
    meeting = Meeting.objects.get(pk=live.meeting.pk)
    services.advance(session=_session(live), by=live.process_facilitator)
    question = _write(live, live.member, 2, "SECRET-WRITTEN asked live")
    with pytest.raises(inputs.RecordError):  # live, the presenter answers out loud
        inputs.answer(
            meeting=meeting,
            by=live.presenter,
            question_id=question.pk,
            text="written",
            client_id=uuid.uuid4(),
        )
    services.change_pacing(session=_session(live), by=live.process_facilitator, pacing="written")
    with pytest.raises(inputs.RecordError):  # not the presenter's question to answer
        inputs.answer(
            meeting=meeting,
            by=live.timekeeper,
            question_id=question.pk,
            text="mine",
            client_id=uuid.uuid4(),
        )
    inputs.answer(
        meeting=meeting,
        by=live.presenter,
        question_id=question.pk,
        text="SECRET-WRITTEN the answer",
        client_id=uuid.uuid4(),
    )
    assert inputs.panel(meeting, live.presenter).answering[0][1].text == (
        "SECRET-WRITTEN the answer"
    )
    # The record page shows it with its question, to the group.
    from django.test import Client

    client = Client()
    client.force_login(live.member)
    page = client.get(f"/meetings/{meeting.pk}/record/").content.decode()
    assert page.index("SECRET-WRITTEN asked live") < page.index("SECRET-WRITTEN the answer")


def test_a_running_round_is_no_meeting_to_record_attendance_for(round_):
    from kring.core.selectors import facilitator_block

    live = round_
    live.meeting.starts_at = timezone.now() - timedelta(hours=30)
    live.meeting.save()
    services.start_session(
        meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
    )
    block = facilitator_block(live.facilitator, [live.meeting.group], timezone.now())
    item = next(item for item in block if item.group.pk == live.meeting.group_id)
    assert live.meeting not in item.attendance_to_record
    assert item.next_meeting != live.meeting


def test_a_written_round_takes_no_place_in_the_groups_cycle_plan(round_):
    from kring.methods.cycle import series_numbers

    live = round_
    numbers = series_numbers(live.meeting.group)
    assert live.meeting.pk not in numbers


def test_in_writing_an_input_is_editable_until_its_phase_closes(round_):
    live = round_
    services.start_session(
        meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
    )
    services.advance(session=_session(live), by=live.process_facilitator)
    meeting = Meeting.objects.get(pk=live.meeting.pk)
    question = _write(live, live.member, 2, "SECRET-WRITTEN first wording")
    question = inputs.edit(
        meeting=meeting,
        by=live.member,
        item=question,
        text="SECRET-WRITTEN better",
        client_id=uuid.uuid4(),
    )
    services.advance(session=_session(live), by=live.process_facilitator)
    for change in (
        lambda: inputs.edit(
            meeting=meeting, by=live.member, item=question, text="later", client_id=uuid.uuid4()
        ),
        lambda: inputs.withdraw(meeting=meeting, by=live.member, item=question),
    ):
        with pytest.raises(inputs.RecordError):
            change()
    question.refresh_from_db()
    assert question.text == "SECRET-WRITTEN better" and question.state == "submitted"


def test_the_lead_closing_the_statements_step_shows_them_together(round_):
    live = round_
    services.start_session(
        meeting=live.meeting, by=live.process_facilitator, pacing="written", hours=HOURS
    )
    for number in (1, 2):
        services.advance(session=_session(live), by=live.process_facilitator, from_phase=number)
    _write(live, live.member, 3, "SECRET-WRITTEN one statement")
    services.advance(session=_session(live), by=live.process_facilitator, from_phase=3)
    statements = RecordInput.objects.filter(record__meeting=live.meeting, phase=3)
    assert {row.state for row in statements} == {RecordInput.State.REVEALED}
