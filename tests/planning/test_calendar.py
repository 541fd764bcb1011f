from datetime import timedelta

from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from kring.planning import services


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_an_invitation_has_a_stable_uid_and_a_rising_sequence(world, soon, login):
    client = login(world.people["participant"])
    url = reverse("planning:meeting_ics", kwargs={"meeting_id": soon.pk})
    calendar, first = _event(client.get(url).content)
    assert calendar["METHOD"] == "REQUEST"
    assert int(first["SEQUENCE"]) == 0

    services.reschedule(
        meeting=soon,
        by=world.people["facilitator"],
        starts_at=soon.starts_at + timedelta(days=1),
        location="Zaal 3",
        online_link="",
    )
    calendar, moved = _event(client.get(url).content)
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == soon.starts_at
    assert str(moved["LOCATION"]) == "Zaal 3"


def test_a_cancellation_is_a_cancel_for_the_same_event(world, soon, login):
    services.cancel(meeting=soon, by=world.people["facilitator"])
    body = login(world.people["participant"]).get(
        reverse("planning:meeting_ics", kwargs={"meeting_id": soon.pk})
    )
    calendar, event = _event(body.content)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"


def test_changes_are_mailed_to_everyone_with_the_calendar_file(
    world, soon, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            meeting=soon,
            by=world.people["facilitator"],
            starts_at=soon.starts_at + timedelta(hours=2),
            location="Zaal 1",
            online_link="",
        )
    assert mail.outbox == []  # the worker sends, not the request
    run_tasks()
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {world.people["participant"].email, world.people["facilitator"].email}
    message = mail.outbox[0]
    assert message.subject.startswith("Verplaatst")
    (attachment,) = message.attachments
    assert (
        b"METHOD:REQUEST" in attachment.content.encode()
        if isinstance(attachment.content, str)
        else attachment.content
    )
    assert "Onderwerp" not in message.body  # no case content in notices


def test_the_personal_feed_opens_in_a_standard_parser_and_is_revocable(world, soon, client, login):
    page = login(world.people["participant"]).post(reverse("planning:reset_calendar"))
    feed_url = page.context["feed_url"]
    client.logout()
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"{soon.uid}@kring", f"{world.meeting.uid}@kring"}
    assert all("SECRET" not in e.to_ical().decode() for e in events)

    login(world.people["participant"]).post(reverse("planning:reset_calendar"))
    client.logout()
    assert client.get(feed_url).status_code == 404


def test_the_feed_holds_only_the_persons_own_groups(world, soon, client):
    other = world.people["other_participant"]
    token = services.reset_calendar_token(user=other)
    calendar = Calendar.from_ical(
        client.get(reverse("planning:feed", kwargs={"token": token})).content
    )
    assert calendar.walk("VEVENT") == []


def test_looking_at_the_calendar_page_makes_no_feed_address(world, login):
    participant = world.people["participant"]
    page = login(participant).get(reverse("planning:calendar"))
    participant.refresh_from_db()
    assert participant.calendar_token_hash is None
    assert page.context["feed_url"] is None
    assert reverse("planning:reset_calendar") in page.content.decode()  # the button makes it


def test_the_feed_address_is_shown_once_and_stored_only_as_a_hash(world, login, client):
    participant = world.people["participant"]
    made = login(participant).post(reverse("planning:reset_calendar"))
    token = made.context["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")
    participant.refresh_from_db()
    assert participant.calendar_token_hash and token not in participant.calendar_token_hash
    assert token not in client.get(reverse("planning:calendar")).content.decode()
    client.logout()
    assert client.get(made.context["feed_url"]).status_code == 200
