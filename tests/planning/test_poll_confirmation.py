"""Confirming a poll's option warns about missing answers and about conflicts with the
group's other meetings, and plans nothing until the person confirms explicitly."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from kring.planning import services
from kring.planning.models import DatePoll, Meeting, MeetingChange
from tests.factories import GroupMembershipFactory, MeetingFactory, UserFactory

ZONE = ZoneInfo("Europe/Amsterdam")


def _poll_with_one_answer_of_five(world):
    for name in ["Anna de Vries", "Bram Jansen", "Cem Yilmaz"]:
        GroupMembershipFactory(group=world.group, user=UserFactory(full_name=name))
    # The group already meets on 1 February (world.meeting) and on 8 March.
    MeetingFactory(group=world.group, starts_at=datetime(2027, 3, 8, 14, tzinfo=ZONE))
    poll = services.create_poll(
        group=world.group,
        title="Bijeenkomst 7",
        starts=[
            datetime(2027, 3, 12, 14, tzinfo=ZONE),  # 4 days after 8 March
            datetime(2027, 4, 19, 14, tzinfo=ZONE),
        ],
        by=world.people["coordinator"],
    )
    close, far = poll.options.order_by("starts_at")
    services.answer_poll(
        poll=poll,
        user=world.people["participant"],
        answers={close.pk: ("yes", ""), far.pk: ("no", "")},
    )
    return poll, close, far


def _confirm(client, option, **extra):
    return client.post(
        reverse("planning:poll_confirm", kwargs={"option_id": option.pk}),
        {"location": "Zaal 5", **extra},
    )


def test_confirming_with_missing_answers_and_too_close_warns_and_plans_nothing(world, login):
    poll, close, _far = _poll_with_one_answer_of_five(world)
    page = _confirm(login(world.people["coordinator"]), close)
    assert page.status_code == 409
    text = page.content.decode()
    assert (
        "1 van de 5 mensen heeft deze peiling beantwoord; nog niet: "
        "Anna de Vries, Bram Jansen, Cem Yilmaz, Facilitator." in text
    )
    assert "Dat is maar 4 dagen na de bijeenkomst van deze groep op maandag 8 maart 2027" in text
    assert "Toch plannen" in text
    assert not Meeting.objects.filter(starts_at=close.starts_at).exists()
    poll.refresh_from_db()
    assert not poll.is_closed


def test_the_explicit_confirmation_plans_it_and_records_the_warnings(world, login):
    poll, close, _far = _poll_with_one_answer_of_five(world)
    coordinator = world.people["coordinator"]
    response = _confirm(login(coordinator), close, accept_warnings="1")
    assert response.status_code == 302
    meeting = Meeting.objects.get(starts_at=close.starts_at)
    change = MeetingChange.objects.get(meeting=meeting)
    assert change.kind == MeetingChange.Kind.PLANNED and change.by == coordinator
    assert {c["kind"] for c in change.conflicts} == {"missing_answers", "too_close"}
    assert DatePoll.objects.get(pk=poll.pk).is_closed


def test_an_option_everyone_answered_without_conflicts_is_planned_at_once(world, login):
    poll = services.create_poll(
        group=world.group,
        title="Volgende",
        starts=[datetime(2027, 4, 19, 14, tzinfo=ZONE), datetime(2027, 4, 20, 14, tzinfo=ZONE)],
        by=world.people["coordinator"],
    )
    options = list(poll.options.all())
    for user in [world.people["participant"], world.people["facilitator"]]:
        services.answer_poll(poll=poll, user=user, answers={o.pk: ("yes", "") for o in options})
    response = _confirm(login(world.people["facilitator"]), options[0])
    assert response.status_code == 302
    assert Meeting.objects.filter(starts_at=options[0].starts_at).exists()


def test_the_poll_page_tells_the_planner_who_has_not_answered(world, login):
    poll, _close, _far = _poll_with_one_answer_of_five(world)
    page = login(world.people["facilitator"]).get(
        reverse("planning:poll", kwargs={"poll_id": poll.pk})
    )
    text = page.content.decode()
    assert "5 mensen beantwoorden deze peiling." in text
    assert "Nog niet geantwoord: Anna de Vries, Bram Jansen, Cem Yilmaz, Facilitator." in text
    assert "vrijdag 12 maart 2027, 14:00" in text  # the options, in Dutch
