"""Who is told that a report waits, and that the telling never carries its content."""

import pytest
from django.core import mail

from kring.notifications.models import Notice
from kring.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(drafted, note_taker):
    texts = {key: "REPORT-TEXT-MARKER" for key in drafted.texts}
    return services.save_report(report=drafted, texts=texts, submit=False, by=note_taker)


def test_the_members_present_are_told_without_the_content(
    marked, members, note_taker, world, django_capture_on_commit_callbacks, run_tasks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(report=marked, texts=marked.texts, submit=True, by=note_taker)
    run_tasks()
    present = {members[0].email, members[1].email, members[2].email, members[3].email}
    assert {address for message in mail.outbox for address in message.to} == present
    for message in mail.outbox:
        text = message.subject + message.body + "".join(c for c, _t in message.alternatives)
        assert "REPORT-TEXT-MARKER" not in text
        assert f"/meetings/{marked.meeting_id}/report/" in text
    notices = Notice.objects.filter(kind=Notice.Kind.REPORT_AWAITS_APPROVAL)
    assert {notice.recipient.email for notice in notices} == present
    for notice in notices:
        assert "REPORT-TEXT-MARKER" not in notice.text
        assert world.group.name in notice.text


def test_a_saved_draft_tells_nobody(marked, note_taker, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(
            report=marked, texts={**marked.texts, "advice": "x"}, submit=False, by=note_taker
        )
    assert not mail.outbox
    assert not Notice.objects.filter(kind=Notice.Kind.REPORT_AWAITS_APPROVAL).exists()
