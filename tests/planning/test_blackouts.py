"""Periods without meetings: the coordinator adds them on the planning page and the
planner leaves them free."""

from datetime import date

from django.urls import reverse

from kring.planning.models import BlackoutPeriod
from kring.planning.rules import default_rules
from kring.planning.scheduler import build_problem


def test_a_coordinator_adds_and_removes_a_period_without_meetings(world, login):
    client = login(world.people["coordinator"])
    url = reverse("planning:programme_blackouts", kwargs={"programme_id": world.programme.pk})
    client.post(url, {"starts_on": "2027-02-22", "ends_on": "2027-02-26", "reason": "Voorjaar"})
    period = BlackoutPeriod.objects.get()
    assert period.created_by == world.people["coordinator"]
    assert (period.starts_on, period.ends_on, period.reason) == (
        date(2027, 2, 22),
        date(2027, 2, 26),
        "Voorjaar",
    )
    page = client.get(reverse("planning:programme", kwargs={"programme_id": world.programme.pk}))
    assert "maandag 22 februari 2027 tot en met vrijdag 26 februari 2027: Voorjaar" in (
        page.content.decode()
    )
    client.post(url, {"remove": str(period.pk)})
    assert not BlackoutPeriod.objects.exists()


def test_a_single_day_needs_no_last_day_and_a_reversed_period_is_refused(world, login):
    client = login(world.people["coordinator"])
    url = reverse("planning:programme_blackouts", kwargs={"programme_id": world.programme.pk})
    client.post(url, {"starts_on": "2027-03-01", "reason": "Studiedag"})
    assert BlackoutPeriod.objects.get().ends_on == date(2027, 3, 1)
    response = client.post(
        url,
        {"starts_on": "2027-03-10", "ends_on": "2027-03-01", "reason": "Omgekeerd"},
        follow=True,
    )
    assert "De laatste dag kan niet vóór de eerste liggen." in response.content.decode()
    assert BlackoutPeriod.objects.count() == 1


def test_the_planner_gets_every_day_of_a_period_as_a_blackout_date(world):
    BlackoutPeriod.objects.create(
        programme=world.programme,
        starts_on=date(2027, 2, 22),
        ends_on=date(2027, 2, 24),
        reason="Voorjaar",
    )
    rules = {**default_rules(world.programme), "window_start": "2027-01-04"}
    rules["window_end"] = "2027-06-30"
    problem, _already = build_problem(world.programme, rules)
    assert list(problem.blackout_dates) == [
        date(2027, 2, 22),
        date(2027, 2, 23),
        date(2027, 2, 24),
    ]
