"""In a real browser a field is checked as soon as the person leaves it: the error appears
under the field without sending the form, and what was typed stays."""

import pytest

from kring.core.demo import DEMO_PASSWORD, load_demo
from kring.programmes.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plan_form_says_what_is_wrong_when_a_field_is_left(page, live_server):
    load_demo()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coordinator@delinde.example")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    count = Programme.objects.count()

    page.goto(f"{live_server.url}/programmes/new/")
    page.fill("#id_title", "Intervisie voor nieuwe teamleiders")
    page.fill("#id_group_size_min", "8")
    page.fill("#id_group_size_max", "6")
    page.press("#id_group_size_max", "Tab")  # leaving the field sends its check
    error = page.locator("#id_group_size_max_field .errorlist")
    error.wait_for()
    assert "smallest" in error.inner_text() or "kleinste" in error.inner_text()
    assert page.input_value("#id_group_size_max") == "6"  # what was typed stays
    assert page.input_value("#id_title") == "Intervisie voor nieuwe teamleiders"
    assert page.url == f"{live_server.url}/programmes/new/"
    assert Programme.objects.count() == count  # a check saves nothing

    page.fill("#id_group_size_max", "9")
    page.press("#id_group_size_max", "Tab")
    page.locator("#id_group_size_max_field .errorlist").wait_for(state="detached")
