"""A six-step meeting of the demo, held from the browser from start to finish.

The facilitator records who came; the note taker keeps the record phase by phase on a
laptop and drafts the report; the presenter and a second member approve it on their
phones; the presenter's action point then opens the next meeting. The coordinator never
gets to read any of it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.core.demo import DEMO_PASSWORD, load_demo
from kring.groups.models import Group
from kring.meetings.models import RoleAssignment
from kring.planning.models import Attendance, Meeting
from kring.reports.models import Report, ReportApproval

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def _signed_in(browser, live_server, email, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Uitloggen").wait_for()
    return page


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _add(page, phase, text, button, *, by=None):
    """Type one input into a phase of the record and wait until it is listed there."""
    section = page.locator(f"#phase-{phase}")
    section.locator("textarea").first.fill(text)
    if by is not None:
        section.locator("select").first.select_option(label=by)
    section.get_by_role("button", name=button).click()
    page.locator(f"#phase-{phase} .record-inputs").get_by_text(text).wait_for()


def _the_meeting_of_today():
    """Group 1's next six-step meeting, moved to this afternoon: it has just ended."""
    group = Group.objects.get(programme__status="running", name="Groep 1")
    meeting = group.meetings.filter(status=Meeting.Status.PLANNED).order_by("starts_at").first()
    assert meeting.method_version.method.builtin_key == "six-step"
    following = group.meetings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at")[0]
    meeting.starts_at = timezone.now() - timedelta(hours=2)
    meeting.save(update_fields=["starts_at"])
    return group, meeting, following


def test_a_six_step_meeting_is_recorded_reported_approved_and_opens_the_next(browser, live_server):
    load_demo()
    group, meeting, following = _the_meeting_of_today()
    roles = {a.role: a.user for a in meeting.role_assignments.select_related("user")}
    presenter = roles[RoleAssignment.Role.PRESENTER]
    note_taker = roles[RoleAssignment.Role.NOTE_TAKER]
    absent = set(
        meeting.attendances.filter(status=Attendance.Status.ABSENT_WITH_NOTICE).values_list(
            "user_id", flat=True
        )
    )
    members = [m.user for m in group.memberships.current().select_related("user")]
    questioner = next(
        u for u in members if u not in roles.values() and u.pk not in absent
    )  # someone who only asks questions, and came

    # The facilitator records who came: the meeting has been held.
    facilitator = _signed_in(browser, live_server, group.facilitator.email, LAPTOP)
    facilitator.goto(f"{live_server.url}/planning/meetings/{meeting.pk}/")
    for member in members:
        status = "absent_notice" if member.pk in absent else "present"
        facilitator.locator(f"input[name=user_{member.pk}][value={status}]").check()
    facilitator.get_by_role("button", name="Aanwezigheid opslaan").click()
    facilitator.get_by_text("De aanwezigheid is vastgelegd.").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD

    # The note taker keeps the record, phase by phase, on a laptop.
    notes = _signed_in(browser, live_server, note_taker.email, LAPTOP)
    notes.goto(f"{live_server.url}/planning/meetings/{meeting.pk}/")
    notes.get_by_role("link", name="Notulen invullen").click()
    notes.get_by_role("heading", name="2. Vragen stellen").wait_for()
    _add(notes, 2, "Wat heb je de familie al gezegd?", "Vraag toevoegen", by=questioner.full_name)
    _add(notes, 2, "Wie in het team weet hiervan?", "Vraag toevoegen")
    _add(
        notes,
        3,
        "Hoe blijf ik duidelijk zonder de relatie te verliezen?",
        "Probleemstelling toevoegen",
    )
    _add(notes, 3, "Wanneer mag ik nee zeggen tegen een cliënt?", "Probleemstelling toevoegen")
    notes.reload()  # the presenter's choice offers the statements once they are there
    choice = notes.locator("#phase-4")
    choice.get_by_label("Hoe blijf ik duidelijk zonder de relatie te verliezen?").check()
    choice.get_by_role("button", name="Keuze van de inbrenger opslaan").click()
    notes.locator("#phase-4 .chosen").get_by_text("Hoe blijf ik duidelijk").wait_for()
    _add(notes, 5, "Ze lijkt bang om de cliënt teleur te stellen.", "Notitie toevoegen")
    _add(
        notes,
        6,
        "Ik mag grenzen stellen en toch warm blijven.",
        "Toevoegen wat de inbrenger meeneemt",
    )
    action_point = "Ik bespreek met mijn teamleider wanneer ik de familie terugbel."
    points = notes.locator("section", has=notes.get_by_role("heading", name="Actiepunten"))
    points.locator("textarea").fill(action_point)
    points.get_by_role("button", name="Actiepunt toevoegen").click()
    notes.get_by_text(action_point).wait_for()
    notes.get_by_role("textbox", name="Afspraken").fill(
        "Volgende keer brengt iemand anders een casus in."
    )
    notes.get_by_role("button", name="Afspraken opslaan").click()
    _fits(notes, LAPTOP["width"])

    # ... and drafts the report from the record, then submits it for approval.
    notes.goto(f"{live_server.url}/planning/meetings/{meeting.pk}/")
    notes.get_by_role("link", name="Maak het concept van het verslag uit de notulen").click()
    notes.get_by_role("button", name="Maak het concept van het verslag uit de notulen").click()
    notes.get_by_role("heading", name="Verslag bewerken").wait_for()
    drafted = notes.locator("textarea").evaluate_all("(areas) => areas.map(a => a.value)")
    assert any("Hoe blijf ik duidelijk zonder de relatie te verliezen?" in t for t in drafted)
    assert any(action_point in t for t in drafted)
    notes.get_by_role("button", name="Ter goedkeuring indienen").click()
    notes.get_by_role("heading", name="Goedkeuring").wait_for()
    report = Report.objects.get(meeting=meeting)
    assert report.status == Report.Status.AWAITING_APPROVAL

    # The presenter and one questioner approve it on their phones.
    for person in (presenter, questioner):
        phone = _signed_in(browser, live_server, person.email, PHONE)
        phone.goto(f"{live_server.url}/meetings/{meeting.pk}/report/")
        phone.get_by_text("Hoe blijf ik duidelijk zonder de relatie te verliezen?").first.wait_for()
        _fits(phone, PHONE["width"])
        phone.get_by_label("Ik keur dit verslag goed").check()
        phone.get_by_role("button", name="Mijn reactie versturen").click()
        phone.get_by_role("heading", name="Goedkeuring").wait_for()
        phone.context.close()
    approved = set(
        ReportApproval.objects.filter(
            report=report, revision=report.revision, decision=ReportApproval.Decision.APPROVE
        ).values_list("user_id", flat=True)
    )
    assert approved == {presenter.pk, questioner.pk}
    notes.reload()
    approval = notes.locator("section", has=notes.get_by_role("heading", name="Goedkeuring"))
    assert presenter.full_name in approval.inner_text()
    assert questioner.full_name in approval.inner_text()

    # The presenter's action point opens the next meeting, for the presenter to mark.
    phone = _signed_in(browser, live_server, presenter.email, PHONE)
    phone.goto(f"{live_server.url}/planning/meetings/{following.pk}/")
    review = phone.locator("#review-section")
    review.get_by_text(action_point).wait_for()
    assert review.get_by_role("button", name="Gedaan").count() >= 1
    _fits(phone, PHONE["width"])

    # The coordinator finds neither the record nor the report.
    coordinator = _signed_in(browser, live_server, "coordinator@delinde.example", LAPTOP)
    for path in (f"/meetings/{meeting.pk}/record/", f"/meetings/{meeting.pk}/report/"):
        coordinator.goto(f"{live_server.url}{path}")
        coordinator.get_by_role("heading", name="Pagina niet gevonden").wait_for()
        assert action_point not in coordinator.content()
