"""Mail really leaves through SMTP: a local aiosmtpd server receives it."""

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.planning import services


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def test_invitations_and_reminders_reach_a_real_smtp_server(
    world, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    starts = timezone.now() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_meeting(
            group=world.group,
            by=world.people["facilitator"],
            starts_at=starts,
            duration_minutes=120,
            mode="on_site",
            location="Zaal 4",
        )
    run_tasks()  # the invitations; the reminders are not due yet
    invitations = list(smtp_server.messages)
    assert {m.rcpt_tos[0] for m in invitations} == {
        world.people["participant"].email,
        world.people["facilitator"].email,
    }
    assert b"METHOD:REQUEST" in invitations[0].content

    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()
    reminders = smtp_server.messages[len(invitations) :]
    assert len(reminders) == 4  # two reminders, two people
    assert all(b"Zaal 4" in m.content for m in reminders)
