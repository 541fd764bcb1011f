import pytest

from kring.core.demo import DEMO_PASSWORD, load_demo
from kring.programmes.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_participant_logs_in_on_a_phone_and_sees_their_group(page, live_server):
    load_demo()
    _log_in(page, live_server, "deelnemer@delinde.example")

    page.get_by_role("heading", name="Mijn intervisie").wait_for()
    page.get_by_role("link", name="Groep 1", exact=True).first.click()

    page.get_by_role("heading", name="Groep 1", level=1).wait_for()
    members = page.locator("ul.members li")
    assert 4 <= members.count() <= 10
    assert page.get_by_text("Anna de Vries").count() >= 1
    assert page.get_by_text("Grenzen stellen bij een veeleisende familie").is_visible()
    # The layout fits a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_coordinator_sees_the_group_but_not_its_cases(page, live_server):
    load_demo()
    running = Programme.objects.get(status=Programme.Status.RUNNING)  # its title follows today
    _log_in(page, live_server, "coordinator@delinde.example")
    page.get_by_role("link", name=running.title).first.click()
    page.get_by_role("link", name="Groep 1").click()
    page.get_by_role("heading", name="Groep 1", level=1).wait_for()
    assert page.get_by_text("Grenzen stellen").count() == 0
