"""Issue 4's path in a browser: from a draft plan to published groups."""

import re

import pytest
from django.core import mail

from kring.core.demo import DEMO_PASSWORD, load_demo
from kring.groups.models import Group
from kring.programmes.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "E-mail;Naam;Functieniveau;Afdeling;Locatie;Beroep;Leidinggevende"
DEPARTMENTS = ["Wijkverpleging", "Dagbesteding", "Revalidatie", "Psychogeriatrie"]


def _rows(broken: bool) -> str:
    lines = [HEADER]
    for n in range(16):
        level = "Teamleider" if n == 0 else "Medewerker"
        manager = "hoofd.0@nieuw.example" if n == 1 else ""
        if broken and n == 3:
            level = "Directeur"  # not on the organisation's scale
        if broken and n == 4:
            manager = "onbekend@nieuw.example"  # nobody knows this manager
        lines.append(
            f"hoofd.{n}@nieuw.example;Nieuwe Collega {n:02d};{level};"
            f"{DEPARTMENTS[n % 4]};{['Amersfoort', 'Soest'][n % 2]};Verpleegkundige;{manager}"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def demo_with_immediate_tasks(settings):
    # The demo plans messages for later, which only a queue can hold; after it, the engine
    # runs inside the request, so no separate worker is needed.
    load_demo()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _accept(token):
    """What each invited person does when they follow the link in their mail."""
    from kring.accounts.models import Invitation
    from kring.accounts.services import accept_invitation

    invitation = Invitation.objects.find_open(token)
    accept_invitation(invitation=invitation, full_name=invitation.full_name, password="x-42-y")


def _move(page, to_status):
    page.click(f"button[name=to_status][value={to_status}]")
    page.wait_for_load_state()


def test_a_coordinator_goes_from_a_draft_plan_to_published_groups(
    page, live_server, tmp_path, demo_with_immediate_tasks
):
    _log_in(page, live_server, "coordinator@delinde.example")

    # A draft plan of approach, submitted to the sponsor.
    page.goto(f"{live_server.url}/programmes/new/")
    page.fill("#id_title", "Intervisie nieuwe collega's")
    page.fill("#id_reason", "Nieuwe collega's leren van elkaar.")
    page.fill("#id_goals-0-text", "Sneller ingewerkt")
    page.fill("#id_group_size_min", "4")
    page.fill("#id_group_size_max", "6")
    page.select_option("#id_sponsor", label="Henk Brouwer")
    page.click("form.plan-form button[type=submit]")
    programme = Programme.objects.get(title="Intervisie nieuwe collega's")
    assert programme.status == "draft"
    _move(page, "submitted")

    # The sponsor approves it.
    _log_in(page, live_server, "sponsor@delinde.example")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    _move(page, "approved")

    # The coordinator opens registration and imports participants.
    _log_in(page, live_server, "coordinator@delinde.example")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    _move(page, "registration_open")

    broken = tmp_path / "deelnemers.csv"
    broken.write_text(_rows(broken=True), encoding="utf-8-sig")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/participants/import/")
    page.set_input_files("input[type=file]", str(broken))
    page.click("main form button[type=submit]")
    page.click("main form button[type=submit]")  # the proposed column mapping
    report = page.locator("main").inner_text()
    assert "Directeur" in report and "onbekend@nieuw.example" in report
    assert page.locator("form[action$='/import/confirm/']").count() == 0
    assert programme.registrations.count() == 0  # nothing half-imported

    fixed = tmp_path / "deelnemers-goed.csv"
    fixed.write_text(_rows(broken=False), encoding="utf-8-sig")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/participants/import/")
    page.set_input_files("input[type=file]", str(fixed))
    page.click("main form button[type=submit]")
    page.click("main form button[type=submit]")
    page.click("form[action$='/import/confirm/'] button[type=submit]")
    # New people are not registered behind their backs: they are invited, when the
    # coordinator chooses, and take part once they accept.
    assert programme.registrations.count() == 0
    mail.outbox.clear()
    page.click("main form button[type=submit]")  # send the invitations
    page.wait_for_load_state()
    links = [re.search(r"/accounts/invitation/[^\s]+/", m.body).group() for m in mail.outbox]
    assert len(links) == 16
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{links[0]}")
    page.fill("#id_password1", "een-lang-wachtwoord-42")
    page.fill("#id_password2", "een-lang-wachtwoord-42")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for link in links[1:]:
        _accept(link.split("/")[-2])
    assert programme.registrations.count() == 16
    _log_in(page, live_server, "coordinator@delinde.example")

    # Compose groups with the engine.
    page.goto(f"{live_server.url}/groups/programme/{programme.pk}/composition/")
    page.fill("#id_time_limit", "2")
    page.click("main form button[type=submit]")
    page.wait_for_selector("section.proposal-group")
    # The lock buttons can be seen: their text is not the colour of the page behind them.
    lock_colour = page.eval_on_selector("button.link[name=lock]", "b => getComputedStyle(b).color")
    assert lock_colour != "rgb(255, 255, 255)"

    # Moving the report into the manager's group is refused, with the reason.
    proposal = programme.proposals.get()
    manager = programme.registrations.get(user__email="hoofd.0@nieuw.example").user_id
    report_id = programme.registrations.get(user__email="hoofd.1@nieuw.example").user_id
    manager_group = next(i for i, g in enumerate(proposal.groups, 1) if manager in g)
    page.select_option(f"#move-{report_id}", str(manager_group))
    page.click(f"form.inline-move:has(#move-{report_id}) button[type=submit]")
    assert (
        "Nieuwe Collega 00 is de leidinggevende van Nieuwe Collega 01"
        in page.locator(".messages").inner_text()
    )

    # Publish.
    page.click("form[action$='/publish/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/programmes/{programme.pk}/")
    groups = Group.objects.filter(programme=programme)
    assert groups.count() == len(proposal.groups)
    for group in groups:
        members = set(group.memberships.values_list("user_id", flat=True))
        assert not {manager, report_id} <= members
    programme.refresh_from_db()
    assert programme.status == "groups_formed"
