from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse

from kring.planning.models import DatePoll, Meeting, PollOption
from tests.factories import GroupMembershipFactory, UserFactory

ZONE = ZoneInfo("Europe/Amsterdam")


def test_a_date_poll_ranks_options_and_the_best_becomes_a_meeting(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    second = UserFactory(full_name="Tweede Lid")
    GroupMembershipFactory(group=world.group, user=second)
    facilitator = login(world.people["facilitator"])
    facilitator.post(
        reverse("planning:poll_create", kwargs={"group_id": world.group.pk}),
        {"title": "Bijeenkomst 2", "option_1": "2027-03-02T14:00", "option_2": "2027-03-04T10:00"},
    )
    poll = DatePoll.objects.get(title="Bijeenkomst 2")
    early, late = poll.options.order_by("starts_at")

    def answer(user, early_answer, late_answer):
        login(user).post(
            reverse("planning:poll", kwargs={"poll_id": poll.pk}),
            {f"answer_{early.pk}": early_answer, f"answer_{late.pk}": late_answer},
        )

    answer(world.people["participant"], "no", "yes")
    answer(second, "yes", "if_need_be")
    page = login(world.people["participant"]).get(
        reverse("planning:poll", kwargs={"poll_id": poll.pk})
    )
    ranking = page.context["ranking"]
    assert [row["option"] for row in ranking] == [late, early]  # fewer "no" wins the tie

    with django_capture_on_commit_callbacks(execute=True):
        login(world.people["facilitator"]).post(
            reverse("planning:poll_confirm", kwargs={"option_id": late.pk}),
            # The facilitator did not answer: planning it anyway is an explicit choice.
            {"location": "Zaal 5", "accept_warnings": "1"},
        )
    meeting = Meeting.objects.get(
        group=world.group, starts_at=datetime(2027, 3, 4, 10, tzinfo=ZONE)
    )
    assert meeting.location == "Zaal 5"
    run_tasks()
    assert {m.to[0] for m in mail.outbox} >= {world.people["participant"].email, second.email}
    poll.refresh_from_db()
    assert poll.is_closed


def test_a_poll_needs_two_options(world, login):
    response = login(world.people["facilitator"]).post(
        reverse("planning:poll_create", kwargs={"group_id": world.group.pk}),
        {"title": "Eén optie", "option_1": "2027-03-02T14:00"},
    )
    assert response.status_code == 200
    assert not PollOption.objects.exists()
