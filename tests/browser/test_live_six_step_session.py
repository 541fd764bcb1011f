"""A whole six-step meeting run live: the process facilitator on a laptop, the presenter and
a member on phones, and the room's projector paired by code. From the case chosen for the
meeting to the report draft and the one-minute check, with a reload in the middle of a
phase and a phone that loses its connection while sending: nothing typed is lost and
nothing arrives twice, and the screen never shows a name.
"""

import os
import tempfile
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.core.demo import load_demo
from kring.evaluation.models import CheckParticipation
from kring.groups.models import Group
from kring.live.models import LiveEvent, LiveSession
from kring.meetings.models import MeetingCase, RoleAssignment
from kring.planning.models import Attendance, Meeting
from kring.records.models import RecordInput
from kring.reports.models import Report

from .asgi_server import device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}


def _device(browser, server, viewport, user=None):
    page = device(browser, server, user, viewport=viewport)
    DEVICES.append(page)
    return page


# The devices of the running test, photographed when it fails.
DEVICES = []


def _eventually(check, timeout=15):
    """Poll `check()` until it is true (the pages' Content Security Policy forbids the
    string evaluation Playwright's wait_for_function needs)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


def _photograph(page, name):
    """With KRING_SCREENSHOTS=<folder>, a picture of the page to look at."""
    folder = os.environ.get("KRING_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/live-{name}.png", full_page=True)


def _phase_of(page) -> int:
    return int(page.locator(".live-stage").first.get_attribute("data-phase") or 0)


def _at_phase(page, number):
    """The stage and the inputs panel under it have both followed to phase `number`."""
    panel = page.locator(".live-inputs-panel")

    def followed():
        return _phase_of(page) == number and (
            not panel.count() or panel.first.get_attribute("data-phase") == str(number)
        )

    _eventually(followed)


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


def _write(page, text, *, send=True, kind=None):
    """Type into the empty place to write in the inputs panel (of one kind of input when
    the phase asks for more than one), and send it."""
    where = f"#live-inputs section[aria-labelledby$='-{kind}']" if kind else "#live-inputs"
    form = page.locator(f"{where} form[data-live-input]").last
    form.locator("textarea").fill(text)
    if send:
        form.get_by_role("button").first.click()
    return form


def _advance(lead):
    phase = _phase_of(lead)
    lead.locator("#live-advance").click()
    anyway = lead.locator("#live-advance-anyway")
    _eventually(lambda: anyway.count() > 0 or _phase_of(lead) == phase + 1)
    if anyway.count():
        anyway.click()
    _at_phase(lead, phase + 1)


def _the_meeting_of_now():
    """Group 1's next six-step meeting, moved to now; its case was chosen for it."""
    group = Group.objects.get(programme__status="running", name="Groep 1")
    meeting = group.meetings.filter(status=Meeting.Status.PLANNED).order_by("starts_at").first()
    assert meeting.method_version.method.builtin_key == "six-step"
    meeting.starts_at = timezone.now() - timedelta(minutes=5)
    meeting.save(update_fields=["starts_at"])
    return group, meeting


@pytest.fixture
def devices():
    """Photographs of every device when the test fails, in a folder the failure names."""
    DEVICES.clear()
    yield DEVICES
    DEVICES.clear()


def test_a_six_step_meeting_runs_live_on_phones_and_the_room_screen(
    browser, asgi_live_server, devices
):
    try:
        _run_live_meeting(browser, asgi_live_server)
    except BaseException as failure:
        shots = tempfile.mkdtemp(prefix="kring-live-")
        for number, page in enumerate(devices):
            page.screenshot(path=f"{shots}/device-{number}.png", full_page=True)
        failure.add_note(f"the devices at the failure: {shots}")
        raise


def _run_live_meeting(browser, asgi_live_server):
    server = asgi_live_server
    load_demo()
    group, meeting = _the_meeting_of_now()
    roles = {a.role: a.user for a in meeting.role_assignments.select_related("user")}
    lead_user = roles[RoleAssignment.Role.PROCESS_FACILITATOR]
    presenter_user = roles[RoleAssignment.Role.PRESENTER]
    absent = set(
        meeting.attendances.filter(status=Attendance.Status.ABSENT_WITH_NOTICE).values_list(
            "user_id", flat=True
        )
    )
    member_user = next(
        m.user
        for m in group.memberships.current().select_related("user")
        if m.user_id not in absent and m.user_id not in {r.pk for r in roles.values()}
    )
    case = MeetingCase.objects.get(meeting=meeting).case
    assert case.presenter_id == presenter_user.pk

    lead = _device(browser, server, LAPTOP, lead_user)
    presenter = _device(browser, server, PHONE, presenter_user)
    member = _device(browser, server, PHONE, member_user)
    screen = _device(browser, server, PROJECTOR)  # the projector signs in as nobody

    # The lead finds the live meeting on the meeting page and starts it.
    lead.goto(f"{server.url}/planning/meetings/{meeting.pk}/")
    lead.get_by_role("link", name="Live bijeenkomst").click()
    lead.wait_for_url(f"{server.url}/meetings/{meeting.pk}/live/")
    for page in (presenter, member):
        page.goto(f"{server.url}/meetings/{meeting.pk}/live/")
        page.get_by_text("De live bijeenkomst is nog niet begonnen").wait_for()
    lead.locator("#live-start").click()
    _at_phase(lead, 1)
    # The phones follow by themselves, each with its own instruction.
    for page in (presenter, member):
        _at_phase(page, 1)
        page.locator("#live-phase-title").get_by_text("Situatie en vraag").wait_for()
        _fits(page)
    assert "inbrenger" in presenter.locator(".live-role").inner_text().lower()
    assert "inbrenger" not in member.locator(".live-role h2").inner_text().lower()
    assert case.title in member.content()

    # The room screen: the lead opens it, the projector types the code.
    lead.locator("#live-screen-open").click()
    code = lead.locator("#live-screen-code").inner_text().strip()
    screen.goto(f"{server.url}/scherm/")
    screen.locator("#screen-code").fill(code)
    screen.locator("#screen-pair-submit").click()
    screen.locator(".screen-title").get_by_text("Situatie en vraag").wait_for()

    # Phase 1 -> 2: the member is ready, the presenter not; the lead is asked first.
    member.locator("#live-ready").click()
    _eventually(lambda: member.locator("#live-ready[aria-pressed=true]").count() == 1)
    lead.locator("#live-advance").click()
    lead.locator("#live-advance-anyway").wait_for()
    assert presenter_user.full_name in lead.locator(".live-confirm").inner_text()
    assert member_user.full_name not in lead.locator(".live-confirm").inner_text()
    lead.locator("#live-advance-anyway").click()
    for page in (lead, presenter, member):
        _at_phase(page, 2)
    screen.locator(".screen-title").get_by_text("Vragen stellen").wait_for()

    # Questions. One sent at once; a second one typed and the phone reloaded before sending.
    _write(member, "Wat maakt dat je zo snel ja zegt?")
    presenter.locator("#live-inputs").get_by_text("Wat maakt dat je zo snel ja zegt?").wait_for()
    draft = "Wie in de familie zou jij het liefst eerst spreken?"
    _write(member, draft, send=False)
    _eventually(
        lambda: RecordInput.objects.filter(
            record__meeting=meeting, state=RecordInput.State.DRAFT, author=member_user
        ).exists()
    )
    member.reload()
    _at_phase(member, 2)
    restored = member.locator("#live-inputs textarea").evaluate_all(
        "(fields) => fields.map((field) => field.value)"
    )
    assert draft in restored
    # The draft is the member's own: not on the presenter's phone, not on the screen.
    assert draft not in presenter.content()
    assert draft not in screen.content()
    fields = member.locator("#live-inputs textarea")
    fields.nth(restored.index(draft)).locator("xpath=ancestor::form[1]").get_by_role(
        "button"
    ).first.click()
    presenter.locator("#live-inputs").get_by_text(draft).wait_for()

    # The member's phone loses its connection while sending a third question.
    offline = "Wat zou er gebeuren als je een keer nee zegt?"
    member.context.set_offline(True)
    _write(member, offline)
    member.locator("#live-inputs").get_by_text("Niet verbonden").first.wait_for()
    member.context.set_offline(False)
    presenter.locator("#live-inputs").get_by_text(offline).wait_for(timeout=40_000)
    sent = RecordInput.objects.current().filter(
        record__meeting=meeting, kind="questions", author=member_user
    )
    assert sorted(item.text for item in sent.exclude(state=RecordInput.State.DRAFT)) == sorted(
        ["Wat maakt dat je zo snel ja zegt?", draft, offline]
    )
    screen.get_by_text(offline).wait_for()
    for page, name in ((member, "member-questions-390"), (presenter, "presenter-questions-390")):
        _photograph(page, name)
    _photograph(lead, "lead-questions-1280")
    _photograph(screen, "screen-questions-1280x720")
    assert member_user.full_name not in screen.content()

    # Phase 3: problem statements, written apart and shown together.
    _advance(lead)
    _at_phase(member, 3)
    _at_phase(presenter, 3)
    statement = "Zij durft geen nee te zeggen uit angst de familie teleur te stellen."
    _write(member, statement)
    _write(presenter, "Ik wil het iedereen naar de zin maken.")
    _eventually(
        lambda: (
            RecordInput.objects.filter(record__meeting=meeting, kind="problem_statements")
            .exclude(state=RecordInput.State.DRAFT)
            .count()
            == 2
        )
    )
    assert statement not in screen.content() and statement not in presenter.content()
    lead.locator("#live-reveal").click()
    _eventually(
        lambda: LiveEvent.objects.filter(
            session__meeting=meeting, kind=LiveEvent.Kind.REVEAL
        ).exists()
    )
    screen.get_by_text(statement).wait_for()
    _photograph(screen, "screen-statements-1280x720")
    assert member_user.full_name not in screen.content()
    assert presenter_user.full_name not in screen.content()

    # Phase 4: the presenter chooses the statement that fits best.
    _advance(lead)
    _at_phase(presenter, 4)
    choice = presenter.locator("form.live-choice")
    choice.get_by_label(statement).check()
    choice.get_by_role("button").click()
    _eventually(
        lambda: (
            RecordInput.objects.current()
            .filter(record__meeting=meeting, kind="presenter_choice")
            .exists()
        )
    )

    # Phase 5: gossip; phase 6: the presenter's take-away.
    _advance(lead)
    _at_phase(member, 5)
    _write(member, "Ik denk dat ze bang is om als lastig gezien te worden.")
    _advance(lead)
    _at_phase(presenter, 6)
    _write(presenter, "Ik begin het gesprek met wat wij wel doen.", kind="takeaways")
    _write(presenter, "Volgende week bel ik de dochter terug.", kind="action_points")
    _eventually(
        lambda: (
            RecordInput.objects.filter(
                record__meeting=meeting, kind__in=["takeaways", "action_points"]
            )
            .exclude(state=RecordInput.State.DRAFT)
            .count()
            == 2
        )
    )

    # The lead closes: the meeting is held, the report drafted, the check opens everywhere.
    lead.locator("#live-close").first.click()
    lead.locator("#live-close-confirmed").click()
    lead.wait_for_url(f"**/meetings/{meeting.pk}/check/**")
    member.wait_for_url(f"**/meetings/{meeting.pk}/check/**", timeout=20_000)
    presenter.wait_for_url(f"**/meetings/{meeting.pk}/check/**", timeout=20_000)
    # The screen expires with the session: it goes back to asking for a code.
    screen.get_by_text("Het scherm in de zaal is gesloten").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert LiveSession.objects.get(meeting=meeting).state == LiveSession.State.CLOSED
    assert Report.objects.filter(meeting=meeting).exists()
    _fits(member)
    _photograph(member, "check-390")
    # The member answers the check on the phone.
    member.get_by_role("radio", name="4").first.check()
    member.get_by_role("radio", name="5").last.check()
    member.get_by_role("button", name="Verstuur mijn check").click()
    _eventually(
        lambda: CheckParticipation.objects.filter(
            meeting=meeting, user=member_user, answered=True
        ).exists()
    )

    # Nothing arrived twice, and no draft is left of what was sent.
    inputs = RecordInput.objects.filter(record__meeting=meeting)
    texts = [item.text for item in inputs.exclude(state=RecordInput.State.DRAFT)]
    assert len(texts) == len(set(texts))

    # A new visit to the screen's page is asked for a code, and shows nothing of the meeting.
    screen.goto(f"{server.url}/scherm/live/")
    screen.locator("#screen-code").wait_for()
    assert offline not in screen.content() and case.title not in screen.content()
    for page in (lead, presenter, member, screen):
        page.context.close()
