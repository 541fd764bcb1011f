"""A marker in every private field, looked for wherever Kring sends data out (§7).

Pages (every GET URL of the authorization matrix), .ics files (a meeting's invitation and
the person's own calendar feed), the participant export (CSV and XLSX) and e-mails. Who
may read each field is mission.md's rule; everyone else must not meet the marker anywhere.
"""

import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from kring.evaluation.models import CheckAnswer
from kring.meetings.models import MeetingCase
from kring.planning import services as planning_services
from kring.planning.models import PollAnswer
from kring.programmes.models import Registration, Wish
from tests import factories as f

from .test_authorization_matrix import MATRIX, ROLES, _held_meeting, _poll

MARKERS = {
    "CASE-TITLE-MARKER": {"participant", "facilitator"},
    "CASE-TEXT-MARKER": {"participant", "facilitator"},
    "CASE-QUESTION-MARKER": {"participant", "facilitator"},
    "CASE-HELP-MARKER": {"participant", "facilitator"},
    "LOG-TEXT-MARKER": {"participant"},
    "ABSENCE-REASON-MARKER": {"participant", "facilitator"},
    "POLL-COMMENT-MARKER": {"participant", "facilitator"},
    "REGISTRATION-NOTES-MARKER": {"participant", "coordinator", "admin"},
    # A wish is the person it is about: someone who appears nowhere else in Kring.
    "WISHED-PERSON-MARKER": {"participant"},
    # A check remark: the group and its facilitator, shuffled, once three answered.
    "CHECK-REMARK-MARKER": {"participant", "facilitator"},
    # A meeting's report and a comment on it: the group and its facilitator.
    "REPORT-TEXT-MARKER": {"participant", "facilitator"},
    "REPORT-COMMENT-MARKER": {"participant", "facilitator"},
    # The meeting record: its inputs, agreements and the presenter's action points.
    "RECORD-INPUT-MARKER": {"participant", "facilitator"},
    "AGREEMENT-MARKER": {"participant", "facilitator"},
    "ACTION-POINT-MARKER": {"participant", "facilitator"},
}


def _plant_markers(world):
    """Every private field of the participant's, filled with its marker."""
    world.case.title = "CASE-TITLE-MARKER"
    world.case.situation = "CASE-TEXT-MARKER"
    world.case.question = "CASE-QUESTION-MARKER"
    world.case.help_wanted = "CASE-HELP-MARKER"
    world.case.save()
    # Chosen for the meeting, so its title is on the meeting page too.
    MeetingCase.objects.create(meeting=world.meeting, case=world.case, how="volunteered")
    world.log_entry.text = "LOG-TEXT-MARKER"
    world.log_entry.save()
    participant = world.people["participant"]
    planning_services.report_absence(
        meeting=world.meeting, user=participant, reason="ABSENCE-REASON-MARKER"
    )
    poll = _poll(world)
    for option in poll.options.all():
        PollAnswer.objects.create(
            option=option, user=participant, answer="yes", comment="POLL-COMMENT-MARKER"
        )
    registration, _ = Registration.objects.get_or_create(
        programme=world.programme, user=participant
    )
    registration.notes = "REGISTRATION-NOTES-MARKER"
    registration.save()
    wished = f.UserFactory(full_name="WISHED-PERSON-MARKER", email="wished-marker@example.org")
    Wish.objects.create(registration=registration, kind=Wish.Kind.PREFER, other=wished)
    checked = _held_meeting(world)["meeting_id"]
    for remark in ["CHECK-REMARK-MARKER", "", ""]:
        CheckAnswer.objects.create(meeting_id=checked, usefulness=4, safety=4, remark=remark)
    _plant_report_markers(world)
    _plant_record_markers(world)
    return poll


def _recorded_meeting(world):
    """An earlier held meeting of the group with a record: a question, agreements and the
    participant's action point (which the review of world.meeting's page shows)."""
    from datetime import timedelta

    from kring.meetings.models import RoleAssignment
    from kring.methods.models import Method
    from kring.planning.models import Meeting

    meeting = Meeting.objects.filter(group=world.group, record__isnull=False).first()
    if meeting is None:
        meeting = f.MeetingFactory(
            group=world.group,
            starts_at=world.meeting.starts_at - timedelta(weeks=6),
            status=Meeting.Status.HELD,
            method_version=Method.objects.get(builtin_key="incident", organisation=None).current,
        )
        RoleAssignment.objects.create(
            meeting=meeting, user=world.people["participant"], role="presenter"
        )
    return {"meeting_id": meeting.pk}


def _plant_record_markers(world):
    from kring.planning.models import Meeting
    from kring.records import services as record_services

    meeting = Meeting.objects.get(**{"pk": _recorded_meeting(world)["meeting_id"]})
    record = record_services.record_for(meeting)
    participant, facilitator = world.people["participant"], world.people["facilitator"]
    record_services.add_input(
        record=record,
        by=facilitator,
        kind="questions",
        phase=record_services.phase_for(record, "questions"),
        text="RECORD-INPUT-MARKER",
    )
    record_services.add_input(
        record=record,
        by=facilitator,
        kind="action_points",
        phase=record_services.phase_for(record, "action_points"),
        text="ACTION-POINT-MARKER",
        author=participant,
    )
    record_services.set_agreements(record=record, by=facilitator, text="AGREEMENT-MARKER")


def _plant_report_markers(world):
    """The held meeting's report, its text the marker, and the participant's comment."""
    from kring.reports import services as report_services
    from kring.reports.models import Report

    from .test_authorization_matrix import _report

    report = Report.objects.get(meeting_id=_report(world)["meeting_id"])
    report = report_services.save_report(
        report=report,
        texts={key: "REPORT-TEXT-MARKER" for key in report.texts},
        submit=False,
        by=world.people["facilitator"],
    )
    report_services.react(
        report=report,
        decision="comment",
        comment="REPORT-COMMENT-MARKER",
        by=world.people["participant"],
    )
    return report


def _resubmit_report(world):
    from kring.reports import services as report_services
    from kring.reports.models import Report

    report = Report.objects.get(meeting_id=_held_meeting(world)["meeting_id"])
    texts = {key: "REPORT-TEXT-MARKER, changed" for key in report.texts}
    report_services.save_report(
        report=report, texts=texts, submit=False, by=world.people["facilitator"]
    )


def _text(response) -> str:
    """What the response carries, readable: an XLSX unpacked, .ics lines unfolded."""
    content = b"".join(response) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", "replace").replace("\r\n ", "").replace("\n ", "")


def _leaks(text: str, reader_role: str) -> list[str]:
    return [
        marker
        for marker, readers in MARKERS.items()
        if marker in text and reader_role not in readers
    ]


def _urls(world, poll):
    urls = [
        reverse(name, kwargs=rule.kwargs(world))
        for name, rule in sorted(MATRIX.items())
        if rule.method == "get"
    ]
    programme = {"programme_id": world.programme.pk}
    return urls + [
        reverse("planning:poll", kwargs={"poll_id": poll.pk}),
        reverse("programmes:export_participants", kwargs={**programme, "file_format": "xlsx"}),
        reverse("programmes:export_participants", kwargs={**programme, "file_format": "csv"}),
        reverse("planning:meeting_ics", kwargs={"meeting_id": world.meeting.pk}),
        # The held meeting's own page shows the check's aggregate too.
        reverse("planning:meeting_detail", kwargs=_held_meeting(world)),
        # The record of an earlier meeting, and its own page (the record's summary).
        reverse("records:record", kwargs=_recorded_meeting(world)),
        reverse("planning:meeting_detail", kwargs=_recorded_meeting(world)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_private_field_reaches_anyone_who_may_not_read_it(role, world, client):
    poll = _plant_markers(world)
    urls = _urls(world, poll)
    if role != "anonymous":
        user = world.people[role]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        urls.append(
            reverse(
                "planning:feed", kwargs={"token": planning_services.reset_calendar_token(user=user)}
            )
        )
    seen = set()
    for url in urls:
        text = _text(client.get(url))
        assert not _leaks(text, role), f"{role} meets {_leaks(text, role)} on {url}"
        seen |= {marker for marker in MARKERS if marker in text}
    # The markers are really shown to their readers, so their absence above means something.
    expected = {
        "participant": set(MARKERS) - {"WISHED-PERSON-MARKER"},  # wishes are not shown back
        "facilitator": {
            "CASE-TITLE-MARKER",
            "CASE-TEXT-MARKER",
            "CASE-QUESTION-MARKER",
            "CASE-HELP-MARKER",
            "ABSENCE-REASON-MARKER",
            "POLL-COMMENT-MARKER",
            "CHECK-REMARK-MARKER",
            "REPORT-TEXT-MARKER",
            "REPORT-COMMENT-MARKER",
            "RECORD-INPUT-MARKER",
            "AGREEMENT-MARKER",
            "ACTION-POINT-MARKER",
        },
        "coordinator": {"REGISTRATION-NOTES-MARKER"},
    }.get(role, set())
    assert expected <= seen, f"{role} should see {expected - seen}"


def _mail_text(message) -> str:
    parts = [message.subject, message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload()
        parts.append(content.decode() if isinstance(content, bytes) else str(content))
    return "\n".join(parts).replace("\r\n ", "").replace("\n ", "")


def test_no_private_field_is_mailed_to_anyone_who_may_not_read_it(
    world, django_capture_on_commit_callbacks, run_tasks
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kring.programmes.models import Programme
    from kring.registrations import services as registration_services

    _plant_markers(world)
    programme = world.programme
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.visibility = Programme.Visibility.OPEN  # so the wish about an outsider counts
    programme.registration_token = "marker-token"
    programme.save()
    Registration.objects.filter(user=world.people["participant"]).update(
        status=Registration.Status.WITHDRAWN
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register(
            programme=programme,
            user=world.people["participant"],
            data={
                "organisation_name": "Zorg Noord",
                "notes": "REGISTRATION-NOTES-MARKER",
                "line_manager_email": "line_manager@example.org",
            },
            wishes=[(Wish.Kind.PREFER, "wished-marker@example.org")],
        )
        planning_services.reschedule(
            meeting=world.meeting,
            starts_at=datetime(2027, 2, 8, 14, tzinfo=ZoneInfo("Europe/Amsterdam")),
            location="Zaal 9",
            online_link="",
            by=world.people["facilitator"],
        )
        planning_services.send_reminder(
            meeting_id=world.meeting.pk,
            planned_start=world.meeting.starts_at.isoformat(),
            days=1,
        )
        planning_services.cancel(meeting=world.meeting, by=world.people["facilitator"])
        _resubmit_report(world)  # those present are asked to approve it again, by mail
    run_tasks()
    registration = Registration.objects.get(user=world.people["participant"])
    assert registration.notes == "REGISTRATION-NOTES-MARKER" and registration.wishes.exists()

    role_of = {user.email: role for role, user in world.people.items()}
    recipients = set()
    for message in mail.outbox:
        text = _mail_text(message)
        for address in message.to + message.cc + message.bcc:
            role = role_of.get(address, address)
            recipients.add(role)
            assert not _leaks(text, role), (
                f"mail {message.subject!r} to {role}: {_leaks(text, role)}"
            )
    # The line manager was asked, members and facilitator told: the check above had mail.
    assert {"line_manager", "participant", "facilitator"} <= recipients


def test_the_audit_log_names_no_private_field(world, login):
    """The privacy officer sees who read what, never what it said."""
    from .test_privacy_officer import EXPORT, LOG, verified_login

    poll = _plant_markers(world)
    urls = _urls(world, poll)
    for role in ["participant", "facilitator", "other_participant", "coordinator"]:
        client = login(world.people[role])
        for url in urls:
            client.get(url)
    officer = verified_login(login, world.people["privacy_officer"])
    for url in [LOG, EXPORT]:
        response = officer.get(url)
        assert response.status_code == 200
        text = _text(response)
        assert "Participant" in text  # whose data was read is there
        assert not _leaks(text, "privacy_officer"), url


@pytest.mark.parametrize("role", ["anonymous", "line_manager"])
def test_the_line_managers_confirmation_page_shows_no_notes_or_wishes(role, world, client):
    from kring.registrations import services as registration_services

    _plant_markers(world)
    registration = Registration.objects.get(user=world.people["participant"])
    registration.line_manager = world.people["line_manager"]
    registration.save()
    token = registration_services.issue_manager_token(registration)
    if role != "anonymous":
        client.force_login(world.people[role], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("programmes:manager_confirmation", kwargs={"token": token}))
    assert response.status_code == 200
    assert "Participant" in response.content.decode()  # it is about this person
    assert not _leaks(_text(response), "line_manager")
