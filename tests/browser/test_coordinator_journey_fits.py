"""The coordinator's first steps on the demo, measured at a phone's and a desktop's width
after every step, including a form sent back with errors (issue 9: "a browser test walks the
coordinator journey of the demo ... on a 390 px and a 1280 px viewport")."""

import pytest

from kring.core.demo import DEMO_PASSWORD, load_demo
from kring.programmes.models import Programme

from .walk import Walk, log_in, measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_plans_a_programme_and_the_sponsor_approves_it_on_any_screen(
    browser, live_server
):
    load_demo()
    context = browser.new_context(viewport={"width": 1280, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk = Walk("journey")

    def step(name):
        page.wait_for_load_state()
        measure(page, walk, name)

    try:
        log_in(page, live_server.url, "coordinator@delinde.example", DEMO_PASSWORD)
        step("dashboard")
        page.goto(f"{live_server.url}/programmes/new/")
        step("new plan")

        # Sent without a title: the form comes back with its errors, and what was typed.
        page.fill("#id_reason", "Nieuwe collega's leren van elkaar.")
        page.click("form.plan-form button[type=submit]")
        step("plan with errors")
        assert page.locator(".errorlist").count() >= 1
        assert page.input_value("#id_reason") == "Nieuwe collega's leren van elkaar."

        page.fill("#id_title", "Intervisie nieuwe collega's")
        page.fill("#id_goals-0-text", "Sneller ingewerkt")
        page.fill("#id_group_size_min", "4")
        page.fill("#id_group_size_max", "6")
        page.select_option("#id_sponsor", label="Henk Brouwer")
        page.click("form.plan-form button[type=submit]")
        step("programme page")
        programme = Programme.objects.get(title="Intervisie nieuwe collega's")

        page.click("button[name=to_status][value=submitted]")
        step("plan submitted")
        page.goto(f"{live_server.url}/programmes/{programme.pk}/plan/print/")
        step("printable plan")

        page.context.clear_cookies()
        log_in(page, live_server.url, "sponsor@delinde.example", DEMO_PASSWORD)
        step("sponsor's dashboard")
        page.goto(f"{live_server.url}/programmes/{programme.pk}/")
        page.click("button[name=to_status][value=approved]")
        step("plan approved")
        programme.refresh_from_db()
        assert programme.status == "approved"
    finally:
        context.close()
    problems = "\n".join(str(finding) for finding in walk.findings)
    assert not walk.findings, problems
