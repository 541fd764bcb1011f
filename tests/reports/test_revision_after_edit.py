"""An edit after submission raises the revision and asks for approval again."""

import pytest
from django.core import mail

from kring.notifications.models import Notice
from kring.reports import services
from kring.reports.models import Report

pytestmark = pytest.mark.django_db


def _edit(report, by, capture, **changes):
    with capture(execute=True):
        return services.save_report(
            report=report, texts={**report.texts, **changes}, submit=False, by=by
        )


def test_an_edit_after_submission_asks_everyone_again(
    submitted, members, note_taker, django_capture_on_commit_callbacks, run_tasks
):
    services.react(report=submitted, decision="approve", by=members[0])
    services.react(report=submitted, decision="approve", by=members[2])
    services.react(report=submitted, decision="comment", comment="Naam fout", by=members[3])
    run_tasks()
    mail.outbox.clear()
    report = _edit(
        submitted, note_taker, django_capture_on_commit_callbacks, agreements="Naam verbeterd"
    )
    run_tasks()
    assert report.revision == 2 and report.status == Report.Status.AWAITING_APPROVAL
    state = services.approval_state(report)
    assert state["approved"] == [] and state["commented"] == []
    assert len(mail.outbox) == 4  # the four present
    assert Notice.objects.filter(kind="report_awaits_approval").count() == 8
    # The old approvals count no more: two new ones and the presenter make it final.
    services.react(report=report, decision="approve", by=members[0])
    services.react(report=report, decision="approve", by=members[2])
    services.react(report=report, decision="approve", by=members[3])
    report.refresh_from_db()
    assert report.status == Report.Status.FINAL


def test_saving_without_a_change_is_not_a_new_revision(
    submitted, note_taker, django_capture_on_commit_callbacks, run_tasks
):
    run_tasks()
    mail.outbox.clear()
    report = _edit(submitted, note_taker, django_capture_on_commit_callbacks)
    run_tasks()
    assert report.revision == 1 and not mail.outbox


def test_the_deadline_task_of_an_earlier_revision_does_nothing(
    submitted, members, note_taker, django_capture_on_commit_callbacks
):
    report = _edit(submitted, note_taker, django_capture_on_commit_callbacks, advice="Anders")
    Report.objects.filter(pk=report.pk).update(deadline=report.deadline.replace(year=2020))
    assert services.check_deadline(report_id=report.pk, revision=1) == "moved on"
    report.refresh_from_db()
    assert report.status == Report.Status.AWAITING_APPROVAL
    assert services.check_deadline(report_id=report.pk, revision=2) == "final"


def test_comments_of_an_earlier_revision_stay_readable(
    submitted, members, note_taker, login, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    services.react(report=submitted, decision="comment", comment="EERDER-COMMENTAAR", by=members[2])
    _edit(submitted, note_taker, django_capture_on_commit_callbacks, advice="Anders")
    page = login(members[0]).get(
        reverse("reports:detail", kwargs={"meeting_id": submitted.meeting_id})
    )
    assert "EERDER-COMMENTAAR" in page.content.decode()
