"""When a report is final: the presenter(s) and a majority of those present approved, or
the deadline passed without objection (a comment objects). The deadline task re-checks the
report when it runs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.reports import services
from kring.reports.models import Report, ReportSettings

pytestmark = pytest.mark.django_db
APPROVE, COMMENT = "approve", "comment"


def _approve(report, *people):
    for person in people:
        services.react(report=report, decision=APPROVE, by=person)
    report.refresh_from_db()
    return report


def _time_passes(report, days):
    """Move the clock `days` forward for this report: its submission, deadline and the
    deadline task it queued lie that much further in the past."""
    Report.objects.filter(pk=report.pk).update(
        submitted_at=report.submitted_at - timedelta(days=days),
        deadline=report.deadline - timedelta(days=days),
    )
    for task in DBTaskResult.objects.filter(status="READY"):
        task.run_after = task.run_after - timedelta(days=days)
        task.save(update_fields=["run_after"])
    report.refresh_from_db()


def test_submitting_opens_the_approval_with_the_programmes_period(
    world, drafted, note_taker, django_capture_on_commit_callbacks
):
    ReportSettings.objects.create(programme=world.programme, approval_days=3)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.save_report(
            report=drafted, texts=drafted.texts, submit=True, by=note_taker
        )
    assert report.status == Report.Status.AWAITING_APPROVAL and report.revision == 1
    assert before + timedelta(days=3) <= report.deadline <= timezone.now() + timedelta(days=3)
    task = DBTaskResult.objects.get(task_path__endswith="check_report_deadline")
    assert abs(task.run_after - report.deadline) < timedelta(seconds=1)


def test_presenter_and_majority_make_it_final(submitted, members):
    # Four present (Member 4 sent apologies): a majority is three, the presenter among them.
    report = _approve(submitted, members[1], members[2])
    assert report.status == Report.Status.AWAITING_APPROVAL
    report = _approve(report, members[0])
    assert report.status == Report.Status.FINAL
    assert report.final_because == Report.FinalBecause.APPROVED


def test_a_majority_without_the_presenter_is_not_enough(submitted, members):
    report = _approve(submitted, members[1], members[2], members[3])
    assert report.status == Report.Status.AWAITING_APPROVAL
    state = services.approval_state(report)
    assert state["presenters_pending"] == [members[0]]


def test_the_presenter_alone_is_not_a_majority(submitted, members):
    report = _approve(submitted, members[0], members[1])
    assert report.status == Report.Status.AWAITING_APPROVAL


def test_two_presenters_both_approve(submitted, held, members):
    from kring.meetings.models import RoleAssignment

    RoleAssignment.objects.filter(meeting=held, user=members[3]).update(role="presenter")
    report = _approve(submitted, members[0], members[1], members[2])
    assert report.status == Report.Status.AWAITING_APPROVAL
    report = _approve(report, members[3])
    assert report.status == Report.Status.FINAL


def test_only_members_present_react(submitted, world, members):
    for person in [members[4], world.people["facilitator"], world.people["coordinator"]]:
        with pytest.raises(services.ReportError):
            services.react(report=submitted, decision=APPROVE, by=person)


def test_a_comment_needs_text(submitted, members):
    with pytest.raises(services.ReportError):
        services.react(report=submitted, decision=COMMENT, comment="  ", by=members[2])


def test_the_deadline_without_objection_makes_it_final(submitted, members, run_tasks):
    _approve(submitted, members[1])
    run_tasks()  # the deadline has not come: the task waits
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.AWAITING_APPROVAL
    assert services.check_deadline(report_id=submitted.pk, revision=1) == "not yet"
    _time_passes(submitted, days=7)
    run_tasks()
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.FINAL
    assert submitted.final_because == Report.FinalBecause.DEADLINE


def test_a_comment_objects_so_the_deadline_does_not_make_it_final(submitted, members, run_tasks):
    services.react(
        report=submitted, decision=COMMENT, comment="Mijn naam klopt niet.", by=members[2]
    )
    _time_passes(submitted, days=7)
    run_tasks()
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.AWAITING_APPROVAL


def test_changing_a_comment_into_an_approval_lifts_the_objection(submitted, members, run_tasks):
    services.react(report=submitted, decision=COMMENT, comment="Klopt niet.", by=members[2])
    services.react(report=submitted, decision=APPROVE, by=members[2])
    _time_passes(submitted, days=7)
    run_tasks()
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.FINAL


def test_a_final_report_takes_no_more_reactions_or_edits(submitted, members, note_taker):
    report = _approve(submitted, members[0], members[1], members[2])
    with pytest.raises(services.ReportError):
        services.react(report=report, decision=APPROVE, by=members[3])
    with pytest.raises(services.ReportError):
        services.save_report(report=report, texts={}, submit=False, by=note_taker)


def test_approving_from_the_report_page(submitted, members, login, held):
    client = login(members[2])
    url = reverse("reports:detail", kwargs={"meeting_id": held.pk})
    page = client.get(url)
    assert "I approve this report" in page.content.decode() or "Ik keur" in page.content.decode()
    response = client.post(
        reverse("reports:react", kwargs={"meeting_id": held.pk}), {"decision": "approve"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Member 2" in page  # the approver's name, for the group


def test_a_comment_without_text_keeps_the_form(submitted, members, login, held):
    response = login(members[2]).post(
        reverse("reports:react", kwargs={"meeting_id": held.pk}), {"decision": "comment"}
    )
    assert response.status_code == 400
    assert 'value="comment" checked' in response.content.decode().replace("\n", " ") or (
        "checked" in response.content.decode()
    )
