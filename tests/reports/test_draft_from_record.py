"""The report is drafted from the meeting's record, in the programme's report format."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from kring.confidentiality.models import AuditEvent
from kring.meetings.models import MeetingCase
from kring.records.models import MeetingRecord, RecordInput
from kring.reports import services
from kring.reports.models import Report
from tests import factories as f

pytestmark = pytest.mark.django_db


def _input(record, kind, text, *, phase=0, author=None, by, **extra):
    return RecordInput.objects.create(
        record=record,
        client_id=uuid.uuid4(),
        phase=phase,
        kind=kind,
        text=text,
        author=author,
        entered_by=by,
        state=RecordInput.State.SUBMITTED,
        **extra,
    )


@pytest.fixture
def record(world, held, members, note_taker):
    record = MeetingRecord.objects.create(
        meeting=held, method_version=held.method_version, agreements="We beginnen om 14:00."
    )
    _input(record, "questions", "Wat heb je al geprobeerd?", phase=2, by=note_taker)
    statement = _input(
        record, "problem_statements", "Hoe zeg ik nee zonder te kwetsen?", phase=3, by=note_taker
    )
    _input(record, "problem_statements", "Een andere zin", phase=3, by=note_taker)
    _input(
        record,
        "presenter_choice",
        "",
        phase=4,
        by=note_taker,
        author=members[0],
        refers_to=statement,
    )
    _input(record, "advice", "Oefen het gesprek met een collega.", by=note_taker)
    _input(
        record, "takeaways", "Ik mag grenzen stellen.", phase=6, by=note_taker, author=members[0]
    )
    _input(
        record,
        "action_points",
        "Gesprek plannen met de teamleider.",
        by=note_taker,
        author=members[0],
    )
    withdrawn = _input(record, "advice", "Ingetrokken advies", by=note_taker)
    withdrawn.state = RecordInput.State.WITHDRAWN
    withdrawn.save()
    case = f.CaseFactory(group=world.group, presenter=members[0], title="Nee zeggen")
    MeetingCase.objects.create(meeting=held, case=case, how="volunteered")
    f.MeetingFactory(
        group=world.group, starts_at=held.starts_at + timedelta(days=28), location="Zaal 3"
    )
    return record


def test_the_draft_follows_the_default_format_and_the_record(record, held, note_taker):
    report = services.draft_report(held, note_taker)
    texts = report.texts
    assert [s["key"] for s in report.format_version.sections] == list(texts)
    assert held.method_version.name in texts["method"]
    assert "Member 1" in texts["roles"] and "Participant" in texts["roles"]
    assert "Member 3" in texts["roles"]  # a questioner: present, no role
    assert "Member 4" in texts["present"] and "Member 4" not in texts["present"].split("\n")[0]
    assert "Nee zeggen" in texts["cases"]
    assert texts["question"] == "Hoe zeg ik nee zonder te kwetsen?"
    assert "Wat heb je al geprobeerd?" in texts["main_questions"]
    assert "Oefen het gesprek met een collega." in texts["advice"]
    assert "Ingetrokken advies" not in texts["advice"]
    assert "Ik mag grenzen stellen." in texts["takeaways"]
    assert "Participant: Gesprek plannen met de teamleider." in texts["action_points"]
    assert texts["agreements"] == "We beginnen om 14:00."
    assert "Zaal 3" in texts["next_meeting"]
    assert report.status == Report.Status.DRAFT and report.revision == 0


def test_drafting_reads_the_record_through_the_audit_and_records_the_report(
    record, held, note_taker
):
    report = services.draft_report(held, note_taker)
    reads = AuditEvent.objects.filter(actor=note_taker, event=AuditEvent.Event.READ)
    assert reads.filter(description="meeting record").exists()
    assert reads.filter(description="cases of a meeting").exists()
    created = AuditEvent.objects.get(actor=note_taker, event=AuditEvent.Event.CREATE)
    assert created.object_id == str(report.pk) and created.description == "report drafted"
    assert created.organisation_id == held.group.programme.organisation_id


def test_the_stored_report_is_encrypted(record, held, note_taker):
    from django.db import connection

    services.draft_report(held, note_taker)
    with connection.cursor() as cursor:
        cursor.execute("select sections from reports_report")
        (stored,) = cursor.fetchone()
    assert "Oefen het gesprek" not in stored


def test_an_organisation_format_is_used_for_its_programmes(world, record, held, note_taker):
    sections = [
        {
            "key": "summary",
            "title": {"nl": "Samenvatting", "en": "Summary"},
            "prompt": {"nl": "", "en": ""},
            "source": "advice",
        }
    ]
    services.save_format(organisation=world.organisation, sections_data=sections, by=None)
    report = services.draft_report(held, note_taker)
    assert list(report.texts) == ["summary"]
    assert "Oefen het gesprek met een collega." in report.texts["summary"]


def test_without_a_record_the_draft_still_has_the_meeting_facts(held, note_taker):
    report = services.draft_report(held, note_taker)
    assert "Member 1" in report.texts["roles"]
    assert report.texts["advice"] == ""


def test_only_the_note_taker_or_the_facilitator_drafts(world, held, members, login):
    url = reverse("reports:draft", kwargs={"meeting_id": held.pk})
    assert login(members[2]).post(url).status_code == 403  # the timekeeper reads, no more
    assert login(world.people["coordinator"]).post(url).status_code == 404
    response = login(world.people["facilitator"]).post(url)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("reports:edit", kwargs={"meeting_id": held.pk})
    with pytest.raises(services.ReportError):
        services.draft_report(held, members[1])  # a meeting has one report


def test_a_meeting_still_to_come_has_no_report_to_draft(world, note_taker, login):
    from django.utils import timezone

    coming = f.MeetingFactory(group=world.group, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(services.ReportError):
        services.draft_report(coming, world.people["facilitator"])


def test_without_problem_statements_the_draft_gives_the_presenters_question(
    world, held, members, note_taker
):
    case = f.CaseFactory(
        group=world.group,
        presenter=members[0],
        title="Nee zeggen",
        question="Hoe zeg ik nee tegen een familie die elke dag belt?",
    )
    MeetingCase.objects.create(meeting=held, case=case, how="chosen")
    report = services.draft_report(held, note_taker)
    assert report.texts["question"] == "- Hoe zeg ik nee tegen een familie die elke dag belt?"
