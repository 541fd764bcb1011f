"""The printable report: the report alone, no navigation, print styles for A4."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_print_page_shows_the_report_without_navigation(submitted, members, login):
    page = login(members[2]).get(
        reverse("reports:print", kwargs={"meeting_id": submitted.meeting_id})
    )
    assert page.status_code == 200
    body = page.content.decode()
    for section in submitted.format_version.localised_sections():
        assert section["title"] in body
    assert 'aria-label="Hoofdmenu"' not in body and "site-header" not in body
    assert "reports.css" in body


def test_the_print_styles_are_for_a4_without_the_back_link():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "kring/static/kring/reports.css").read_text()
    assert "size: A4" in css and ".print-back { display: none; }" in css


@pytest.mark.parametrize(
    "role", ["coordinator", "sponsor", "line_manager", "admin", "other_participant", "outsider"]
)
def test_nobody_outside_the_group_prints_it(submitted, world, login, role):
    url = reverse("reports:print", kwargs={"meeting_id": submitted.meeting_id})
    assert login(world.people[role]).get(url).status_code == 404


def test_before_a_draft_the_print_page_leads_to_the_report_page(held, members, login):
    response = login(members[2]).get(reverse("reports:print", kwargs={"meeting_id": held.pk}))
    assert response.status_code == 302
