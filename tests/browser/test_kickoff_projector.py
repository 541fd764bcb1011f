"""On the room's projector the agenda shows one section at a time, moved by the keyboard
or the links (presentation.js, a static file: the CSP allows no inline script)."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visible_headings(page):
    return [h.inner_text() for h in page.locator(".slide h1, .slide h2").all() if h.is_visible()]


def test_the_agenda_moves_one_screen_at_a_time(page, live_server, world, plan_kickoff):
    kickoff = plan_kickoff()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("E-mailadres").fill(world.people["coordinator"].email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/**")

    page.goto(f"{live_server.url}{reverse('kickoffs:presentation', args=[kickoff.pk])}")
    assert _visible_headings(page) == ["Intervisie Noord"]
    page.keyboard.press("ArrowRight")
    assert _visible_headings(page) == ["Waarom?"]
    page.get_by_role("link", name="Volgende").locator("visible=true").click()
    assert _visible_headings(page) == ["Wat?"]
    assert page.url.endswith("#slide-3")  # a reload stays on this screen
    page.keyboard.press("ArrowLeft")
    assert _visible_headings(page) == ["Waarom?"]
    page.keyboard.press("End")
    assert _visible_headings(page) == ["Vragen?"]
    page.reload()
    assert _visible_headings(page) == ["Vragen?"]
