"""Every page of every demo role fits a phone and a desktop, and axe-core finds no WCAG 2.1
A/AA violation on it (issue 9, items 7 and §3).

The walk starts at each role's start page, follows the links of the page and its menu
(same site, GET only, three clicks deep) and measures each page at 390 and 1280 px.
A failure names the role, the page, the width and what is wrong.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.core.demo import DEMO_PASSWORD, LOGINS, load_demo
from kring.groups import composition
from kring.groups.models import Proposal
from kring.planning.models import DatePoll, PollOption
from kring.programmes.models import Programme, ProgrammeRole

from .walk import Walk, log_in, measure, walk_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Platform staff work in Django's admin, which is not Kring's to restyle; their start page
# is still walked.
ROLES = [email for email, _ in LOGINS]


def _pages_the_demo_lacks():
    """A proposal to review and a date poll to answer: pages a coordinator and a group
    see in a real week, which the demo (published groups, planned meetings) has none of."""
    programme = Programme.objects.get(title="Intervisie 2026-2027")
    coordinator = programme.roles.get(role=ProgrammeRole.Role.COORDINATOR).user
    groups = [
        list(group.memberships.values_list("user_id", flat=True))
        for group in programme.groups.order_by("pk")
    ]
    Proposal.objects.create(
        programme=programme,
        number=2,
        status=Proposal.Status.READY,
        rules=composition.default_rules(programme),
        groups=groups,
        objective=161.5,
        created_by=coordinator,
    )
    group = programme.groups.order_by("pk").first()
    poll = DatePoll.objects.create(
        group=group,
        title="Extra bijeenkomst",
        created_by=coordinator,
        closes_on=timezone.localdate() + timedelta(days=14),
    )
    start = timezone.now().replace(hour=18, minute=30, second=0, microsecond=0)
    PollOption.objects.bulk_create(
        PollOption(poll=poll, starts_at=start + timedelta(days=days)) for days in (21, 22, 28)
    )


@pytest.fixture
def demo(db):
    load_demo()
    _pages_the_demo_lacks()


def _second_factor(role, base_url):
    """The privacy officer reads the audit log after a TOTP code, as on their phone."""
    if not role.startswith("privacy@"):
        return None
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=get_user_model().objects.get(email=role), name="Kring", confirmed=True
    )

    def verify(page):
        page.goto(f"{base_url}/privacy/2fa/verify/?next=/")
        page.fill("#id_token", f"{TOTP(device.bin_key).token():06d}")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    return verify


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_fits_both_widths_without_axe_violations(
    browser, live_server, demo, role
):
    context = browser.new_context(viewport={"width": 1280, "height": 844})
    try:
        walk = walk_role(
            context,
            live_server.url,
            role,
            DEMO_PASSWORD,
            after_login=_second_factor(role, live_server.url),
        )
    finally:
        context.close()
    assert len(walk.pages) >= 3, f"{role} reached only {walk.pages}"
    if role.startswith("privacy@"):
        assert any(path.startswith("/privacy/log/") for path in walk.pages), walk.pages
    _fail_on(walk.findings, walk.pages)


def _fail_on(findings, pages):
    if findings:
        problems = "\n".join(str(finding) for finding in findings)
        pytest.fail(f"{len(pages)} pages walked; problems:\n{problems}", pytrace=False)


def test_the_pages_before_logging_in_fit_both_widths_without_axe_violations(
    browser, live_server, demo
):
    context = browser.new_context(viewport={"width": 1280, "height": 844})
    try:
        walk = walk_role(context, live_server.url, "visitor", None, start="/accounts/login/")
    finally:
        context.close()
    assert "/accounts/login/" in walk.pages
    _fail_on(walk.findings, walk.pages)


def test_the_error_pages_look_like_kring_at_both_widths(browser, live_server, demo, rf):
    from kring.core.views import server_error

    broken = server_error(rf.get("/")).content.decode()
    context = browser.new_context(viewport={"width": 1280, "height": 844})
    page = context.new_page()
    page.route("**/broken/", lambda route: route.fulfill(body=broken, content_type="text/html"))
    findings = []
    try:
        log_in(page, live_server.url, "deelnemer@delinde.example", DEMO_PASSWORD)
        for path, heading in [
            ("/bestaat-niet/", "Pagina niet gevonden"),
            ("/broken/", "Er ging iets mis"),
        ]:
            page.goto(live_server.url + path)
            assert page.get_by_role("heading", level=1).inner_text() == heading
            assert page.locator(".site-header .brand").is_visible()
            measure(page, walk := Walk("deelnemer@delinde.example"), path)
            findings += walk.findings
    finally:
        context.close()
    _fail_on(findings, ["/bestaat-niet/", "/broken/"])
