"""Opening a poll tells the group: each member and the facilitator get a link to answer,
and whoever has not answered a reminder before it closes (re-checked when it runs)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.planning import services
from kring.planning.selectors import polls_awaiting_answer

ZONE = ZoneInfo("Europe/Amsterdam")
OPTIONS = [datetime(2027, 3, 2, 14, tzinfo=ZONE), datetime(2027, 3, 4, 10, tzinfo=ZONE)]


def _make_due():
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def _open(world, django_capture_on_commit_callbacks, by=None, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_poll(
            group=world.group,
            title="Bijeenkomst 3",
            starts=OPTIONS,
            by=by or world.people["coordinator"],
            **extra,
        )


def test_opening_a_poll_mails_each_member_and_the_facilitator_a_link(
    world, run_tasks, django_capture_on_commit_callbacks
):
    poll = _open(world, django_capture_on_commit_callbacks)
    run_tasks()
    to = {m.to[0] for m in mail.outbox}
    assert to == {world.people["participant"].email, world.people["facilitator"].email}
    message = next(m for m in mail.outbox if m.to == [world.people["participant"].email])
    assert message.subject == "Wanneer kun jij? Datumpeiling van Groep Noord 1"
    assert reverse("planning:poll", kwargs={"poll_id": poll.pk}) in message.body
    assert "dinsdag 2 maart 2027, 14:00" in message.body
    assert "2027-03-02" not in message.body


def test_the_maker_of_the_poll_is_not_mailed_about_it(
    world, run_tasks, django_capture_on_commit_callbacks
):
    _open(world, django_capture_on_commit_callbacks, by=world.people["facilitator"])
    run_tasks()
    assert {m.to[0] for m in mail.outbox} == {world.people["participant"].email}


def test_opening_a_poll_from_the_page_says_the_group_was_told(world, login):
    response = login(world.people["facilitator"]).post(
        reverse("planning:poll_create", kwargs={"group_id": world.group.pk}),
        {"title": "Wanneer?", "option_1": "2027-03-02T14:00", "option_2": "2027-03-04T10:00"},
        follow=True,
    )
    assert "de groep heeft een link gekregen om te antwoorden" in response.content.decode()


def test_the_reminder_waits_for_the_day_before_it_closes_and_skips_who_answered(
    world, run_tasks, django_capture_on_commit_callbacks
):
    closes_on = timezone.localdate() + timedelta(days=10)
    poll = _open(world, django_capture_on_commit_callbacks, closes_on=closes_on)
    run_tasks()  # the announcement
    mail.outbox.clear()
    (reminder,) = DBTaskResult.objects.filter(task_path__endswith="remind_poll")
    assert timezone.localtime(reminder.run_after).date() == closes_on - timedelta(days=1)
    options = list(poll.options.all())
    services.answer_poll(
        poll=poll,
        user=world.people["participant"],
        answers={o.pk: ("yes", "") for o in options},
    )
    run_tasks()
    assert mail.outbox == []  # not due yet
    _make_due()
    run_tasks()
    assert [m.to[0] for m in mail.outbox] == [world.people["facilitator"].email]
    assert mail.outbox[0].subject.startswith("Herinnering: de datumpeiling van Groep Noord 1")


def test_a_reminder_for_a_poll_confirmed_meanwhile_sends_nothing(
    world, run_tasks, django_capture_on_commit_callbacks
):
    poll = _open(world, django_capture_on_commit_callbacks, closes_on=date.today() + timedelta(9))
    run_tasks()
    mail.outbox.clear()
    poll.is_closed = True
    poll.save()
    _make_due()
    run_tasks()
    assert mail.outbox == []


def test_polls_awaiting_an_answer_are_those_of_ones_groups_not_yet_answered(
    world, django_capture_on_commit_callbacks
):
    poll = _open(world, django_capture_on_commit_callbacks)
    participant, facilitator = world.people["participant"], world.people["facilitator"]
    assert list(polls_awaiting_answer(participant)) == [poll]
    assert list(polls_awaiting_answer(facilitator)) == [poll]
    assert list(polls_awaiting_answer(world.people["other_participant"])) == []
    first, second = poll.options.all()
    services.answer_poll(poll=poll, user=participant, answers={first.pk: ("yes", "")})
    assert list(polls_awaiting_answer(participant)) == [poll]  # one option still open
    services.answer_poll(poll=poll, user=participant, answers={second.pk: ("no", "")})
    assert list(polls_awaiting_answer(participant)) == []
    poll.is_closed = True
    poll.save()
    assert list(polls_awaiting_answer(facilitator)) == []
