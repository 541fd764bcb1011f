"""One Dutch way of writing dates, times and amounts everywhere (issue 9, item 12): the
weekday where a meeting is meant ("donderdag 4 februari 2027, 19:30"), "4 februari 2027"
for a date, 24-hour times, "€ 15.000,00"; never an ISO date or an English abbreviation."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from kring.planning import services as planning

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
THURSDAY_EVENING = datetime(2027, 2, 4, 19, 30, tzinfo=AMSTERDAM)
NOT_DUTCH = re.compile(r"2027-02-04|\bFeb\b|\bfeb\.|\bThu\b|[ap]\.m\.|7:30")
NBSP = "\N{NO-BREAK SPACE}"


def _render(text, language, **context):
    with translation.override(language):
        return Template("{% load kring_formats %}" + text).render(Context(context))


def _text(response):
    """The page without its form values (type=date inputs keep ISO, as HTML wants)."""
    return re.sub(r'value="[^"]*"', "", response.content.decode())


@pytest.fixture
def thursday_meeting(world):
    world.meeting.starts_at = THURSDAY_EVENING
    world.meeting.save()
    programme = world.programme
    programme.starts_on, programme.ends_on = date(2027, 2, 4), date(2027, 12, 16)
    programme.budget, programme.cost_per_participant = Decimal("15000"), Decimal("1250.5")
    programme.save()
    return world.meeting


def test_a_meeting_is_written_with_its_weekday_and_a_24_hour_time():
    assert _render("{{ at|meeting_when }}", "nl", at=THURSDAY_EVENING) == (
        "donderdag 4 februari 2027, 19:30"
    )
    assert _render("{{ at|weekday_date }}", "nl", at=THURSDAY_EVENING) == (
        "donderdag 4 februari 2027"
    )
    assert _render("{{ at|meeting_when }}", "en", at=THURSDAY_EVENING) == (
        "Thursday 4 February 2027, 19:30"
    )


def test_a_time_stored_in_utc_is_shown_in_amsterdam_time():
    utc = THURSDAY_EVENING.astimezone(ZoneInfo("UTC"))
    assert _render("{{ at|meeting_when }}", "nl", at=utc).endswith("19:30")
    assert _render("{{ at|time }}", "nl", at=utc) == "19:30"


def test_a_plain_date_is_day_month_year_in_both_languages():
    day = date(2027, 2, 4)
    assert _render("{{ day|date }}", "nl", day=day) == "4 februari 2027"
    assert _render("{{ day|date }}", "en", day=day) == "4 February 2027"
    assert _render("{{ at }}", "en", at=THURSDAY_EVENING) == "4 February 2027, 19:30"


def test_money_has_the_euro_sign_thousands_separators_and_cents():
    assert _render("{{ amount|money }}", "nl", amount=Decimal("15000")) == f"€{NBSP}15.000,00"
    assert _render("{{ amount|money }}", "en", amount=Decimal("15000")) == "€15,000.00"
    assert _render("{{ amount|money }}", "nl", amount=None) == ""


def test_numbers_have_dutch_separators():
    assert _render("{{ n|number }}", "nl", n=1234) == "1.234"
    assert _render("{{ n|number:1 }}", "nl", n=161.54) == "161,5"


def test_a_date_input_keeps_its_iso_value_in_dutch():
    class Window(forms.Form):
        first = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override("nl"):
        html = str(Window(initial={"first": date(2027, 2, 4)})["first"])
        assert 'value="2027-02-04"' in html
        assert Window({"first": "2027-02-04"}).is_valid()
        assert Window({"first": "04-02-2027"}).is_valid()  # typed the Dutch way


def test_the_meeting_page_names_the_weekday_in_dutch(world, login, thursday_meeting):
    response = login(world.people["participant"]).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": thursday_meeting.pk})
    )
    text = _text(response)
    assert "donderdag 4 februari 2027, 19:30" in text
    assert not NOT_DUTCH.search(text)


def test_the_meeting_page_in_english_has_no_american_dates(world, login, thursday_meeting):
    participant = world.people["participant"]
    participant.language = "en"
    participant.save()
    response = login(participant).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": thursday_meeting.pk})
    )
    text = _text(response)
    assert "Thursday 4 February 2027, 19:30" in text
    assert not NOT_DUTCH.search(text)


def test_the_printable_plan_shows_dates_and_money_the_dutch_way(world, login, thursday_meeting):
    response = login(world.people["coordinator"]).get(
        reverse("programmes:plan_print", kwargs={"programme_id": world.programme.pk})
    )
    text = _text(response)
    assert "4 februari 2027 – 16 december 2027" in text
    assert f"€{NBSP}15.000,00" in text
    assert f"€{NBSP}1.250,50" in text
    assert not NOT_DUTCH.search(text)


def test_the_programme_list_writes_months_in_full(world, login, thursday_meeting):
    text = _text(login(world.people["coordinator"]).get(reverse("programmes:list")))
    assert "4 februari 2027" in text
    assert not NOT_DUTCH.search(text)


def test_a_meeting_invitation_mail_names_the_weekday_in_dutch(
    world, thursday_meeting, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.notify_invited([thursday_meeting])
    run_tasks()
    to_participant = [m for m in mail.outbox if world.people["participant"].email in m.to]
    assert to_participant
    message = to_participant[0]
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "donderdag 4 februari 2027, 19:30" in message.body
    assert "4 februari" in message.subject
    for text in (message.subject, message.body, html):
        assert not NOT_DUTCH.search(text)
