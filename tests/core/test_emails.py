"""E-mail leaves the request: a worker sends it, and tries again when the server fails."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.core import emails
from kring.planning.models import Meeting
from tests.factories import MeetingFactory


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _deliveries(**filters):
    return DBTaskResult.objects.filter(task_path__endswith="deliver_email", **filters)


@pytest.fixture
def soon(world):
    return MeetingFactory(group=world.group, starts_at=timezone.now() + timedelta(days=10))


def _make_due():
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_broken_mail_server_does_not_break_the_action_and_the_mail_follows_later(
    world, soon, login, settings, run_tasks, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.core.test_emails.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.people["facilitator"]).post(
            reverse("planning:cancel", kwargs={"meeting_id": soon.pk})
        )
    assert response.status_code == 302
    soon.refresh_from_db()
    assert soon.status == Meeting.Status.CANCELLED

    run_tasks()  # every first attempt fails and is put back for later
    assert mail.outbox == []
    retries = list(_deliveries(status="READY"))
    assert len(retries) == 2  # the member and the facilitator
    assert all(r.run_after > timezone.now() for r in retries)
    failed = _deliveries(status="SUCCESSFUL").first()
    assert failed.return_value["sent"] is False
    assert failed.return_value["error"] == "SMTPServerDisconnected"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _make_due()
    run_tasks()
    assert {m.to[0] for m in mail.outbox} == {
        world.people["participant"].email,
        world.people["facilitator"].email,
    }
    assert all(b"METHOD:CANCEL" in m.attachments[0][1].encode() for m in mail.outbox)


def test_after_the_last_attempt_the_delivery_fails_for_good(settings, db):
    # (db: rendering looks the recipient up, for links that let in who cannot log in yet)
    settings.EMAIL_BACKEND = "tests.core.test_emails.BrokenBackend"
    sealed = emails.seal(
        emails.render("moved_up", "someone@example.org", {"registration": None}, language="nl")
    )
    with pytest.raises(smtplib.SMTPException):
        emails.deliver(sealed=sealed, attempt=len(emails.RETRY_DELAYS) + 1)


def test_the_request_only_enqueues_and_the_queue_holds_no_readable_mail(
    world, soon, login, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(world.people["facilitator"]).post(
            reverse("planning:cancel", kwargs={"meeting_id": soon.pk})
        )
    assert mail.outbox == []
    run_tasks()
    assert len(mail.outbox) == 2
    stored = " ".join(str(row.args_kwargs) for row in _deliveries())
    assert world.people["participant"].email not in stored
    assert world.group.name not in stored
