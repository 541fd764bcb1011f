"""Issue 5's path in a browser: the demo programme's groups planned for a year."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from kring.core.demo import DEMO_PASSWORD, load_demo
from kring.planning.models import Meeting
from kring.programmes.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_groups_are_planned_for_a_year_from_the_browser(page, live_server, run_tasks):
    load_demo()
    programme = Programme.objects.get(status="running")
    # The demo follows today's date: plan from next month to the end of the programme.
    window_start = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=4)
    Meeting.objects.filter(status="planned").delete()  # plan the rest of the year afresh
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coordinator@delinde.example")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    page.click(f"a[href='/planning/programmes/{programme.pk}/']")
    page.fill("#id_window_start", window_start.isoformat())
    page.fill("#id_window_end", programme.ends_on.isoformat())
    page.fill("#id_time_limit", "10")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#run-status .badge")
    run_tasks()  # the worker plans; htmx fetches the result by itself
    page.wait_for_selector("form[action$='/confirm/']")
    assert "Groep 8" in page.locator("main").inner_text()

    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/programmes/{programme.pk}/")
    planned = Meeting.objects.filter(group__programme=programme, status="planned")
    per_group = {group.pk: planned.filter(group=group).count() for group in programme.groups.all()}
    assert all(count >= 1 for count in per_group.values()) and len(per_group) == 8
    rooms = [(m.room_id, m.starts_at) for m in planned]
    assert len(rooms) == len(set(rooms))  # no room booked twice at once
    run_tasks()  # the worker sends the invitations
    assert any(message.attachments for message in mail.outbox)  # invitations went out

    # The participant's feed now lists the new meetings.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "deelnemer@delinde.example")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/planning/calendar/")
    page.click("main form button[type=submit]")  # make my calendar address (shown once)
    feed_url = page.input_value("#feed-url")
    feed = page.request.get(feed_url)
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert len(events) >= 6
