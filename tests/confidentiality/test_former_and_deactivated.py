"""What people lose when their tie ends, on the pages and not only in `can()` (§7).

A former group member, a facilitator whose group went to someone else, a deactivated user,
a deactivated membership, a withdrawn case and platform staff without a role in the
organisation: each finds 404 (or the login page) where they used to find content.
"""

import pytest
from django.urls import reverse

from kring.confidentiality.policy import Action, can
from kring.groups.models import GroupMembership
from kring.meetings.models import Case
from kring.planning import services as planning_services
from kring.planning.models import Attendance, PollAnswer
from tests import factories as f

from .snapshot import changes, database_snapshot
from .test_private_markers import _text, _urls

MARKER = "STILL-PRIVATE-MARKER"


def _group_content_of_someone_else(world):
    """A newer member's case, absence reason and poll comment in the participant's group."""
    newcomer = f.UserFactory(email="newcomer@example.org", full_name="Nieuw Lid")
    f.MembershipFactory(user=newcomer, organisation=world.organisation)
    f.GroupMembershipFactory(group=world.group, user=newcomer)
    case = f.CaseFactory(
        group=world.group, presenter=newcomer, title=f"{MARKER}-case", situation=MARKER
    )
    planning_services.report_absence(meeting=world.meeting, user=newcomer, reason=MARKER)
    poll = planning_services.create_poll(
        group=world.group,
        title="Wanneer?",
        starts=[world.meeting.starts_at],
        by=world.people["facilitator"],
    )
    PollAnswer.objects.create(
        option=poll.options.get(), user=newcomer, answer="yes", comment=MARKER
    )
    return case, poll


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _sees_marker_nowhere(client, world, poll, user):
    urls = _urls(world, poll) + [
        reverse(
            "planning:feed",
            kwargs={"token": planning_services.reset_calendar_token(user=user)},
        )
    ]
    for url in urls:
        assert MARKER not in _text(client.get(url)), f"{user} still sees content on {url}"


def _group_urls(world, case, poll):
    return [
        reverse("groups:detail", kwargs={"group_id": world.group.pk}),
        reverse("meetings:case_detail", kwargs={"case_id": case.pk}),
        reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk}),
        reverse("planning:meeting_ics", kwargs={"meeting_id": world.meeting.pk}),
        reverse("planning:poll", kwargs={"poll_id": poll.pk}),
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
    ]


def _posts_change_nothing(client, posts):
    for url, data in posts:
        before = database_snapshot()
        assert client.post(url, data).status_code == 404, url
        assert not changes(before, database_snapshot()), url


def test_a_former_member_no_longer_sees_or_does_anything_in_the_group(world, client):
    case, poll = _group_content_of_someone_else(world)
    participant = world.people["participant"]
    assert client.get("/").status_code  # warm up nothing; the tie ends now
    GroupMembership.objects.filter(user=participant, group=world.group).update(left_on="2027-01-01")
    client = _login(client, participant)
    for url in _group_urls(world, case, poll):
        assert client.get(url).status_code == 404, url
    _sees_marker_nowhere(client, world, poll, participant)
    meeting = {"meeting_id": world.meeting.pk}
    _posts_change_nothing(
        client,
        [
            (reverse("planning:absence", kwargs=meeting), {"reason": "Weg"}),
            (reverse("meetings:add_case", kwargs={"group_id": world.group.pk}), {"title": "x"}),
            (reverse("groups:accept_ground_rules", kwargs={"group_id": world.group.pk}), {}),
            (
                reverse("planning:poll", kwargs={"poll_id": poll.pk}),
                {f"answer_{poll.options.get().pk}": "yes"},
            ),
            (reverse("meetings:withdraw_case", kwargs={"case_id": world.case.pk}), {}),
        ],
    )


def test_a_reassigned_facilitator_loses_the_group_and_the_new_one_gains_it(world, client):
    case, poll = _group_content_of_someone_else(world)
    former = world.people["facilitator"]
    world.group.facilitator = world.people["other_facilitator"]
    world.group.save()
    client = _login(client, former)
    for url in _group_urls(world, case, poll):
        assert client.get(url).status_code == 404, url
    _sees_marker_nowhere(client, world, poll, former)
    meeting = {"meeting_id": world.meeting.pk}
    _posts_change_nothing(
        client,
        [
            (
                reverse("planning:reschedule", kwargs=meeting),
                {"starts_at": "2027-02-08T14:00", "location": "Zaal 9"},
            ),
            (reverse("planning:cancel", kwargs=meeting), {}),
            (reverse("planning:attendance", kwargs=meeting), {}),
            (
                reverse("planning:poll_confirm", kwargs={"option_id": poll.options.get().pk}),
                {"location": "Zaal 1"},
            ),
        ],
    )
    successor = _login(client, world.people["other_facilitator"])
    page = successor.get(reverse("meetings:case_detail", kwargs={"case_id": case.pk}))
    assert page.status_code == 200 and MARKER in page.content.decode()


def test_a_deactivated_user_reaches_nothing_and_their_feed_stops(world, client):
    case, poll = _group_content_of_someone_else(world)
    participant = world.people["participant"]
    token = planning_services.reset_calendar_token(user=participant)
    participant.is_active = False
    participant.save()
    client = _login(client, participant)
    for url in _group_urls(world, case, poll) + [reverse("meetings:learning_log")]:
        response = client.get(url)
        assert response.status_code in {302, 404}, url
        assert MARKER not in response.content.decode()
        assert "SECRET-" not in response.content.decode()
    assert client.get(reverse("planning:feed", kwargs={"token": token})).status_code == 404
    assert not can(participant, Action.VIEW_CASE, case)


@pytest.mark.parametrize(
    "role, url_name",
    [
        ("admin", "organisations:people"),
        ("admin", "planning:rooms"),
        ("coordinator", "programmes:registrations"),
        ("coordinator", "programmes:export_participants"),
        ("privacy_officer", "audit_log:entries"),
        ("outsider", "programmes:page"),
        # Facilitating, like coordinating, rests on the role in the organisation (or the
        # firm that runs the programme): a facilitator who left reads no case any more.
        ("facilitator", "meetings:case_detail"),
        ("facilitator", "groups:detail"),
        ("facilitator", "planning:meeting_detail"),
    ],
)
def test_a_deactivated_membership_takes_the_organisations_pages_with_it(
    role, url_name, world, client
):
    from .test_authorization_matrix import MATRIX

    rule = MATRIX[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world))
    client = _login(client, world.people[role])
    assert client.get(url).status_code in {200, 302}  # before: theirs
    world.people[role].memberships.update(is_active=False)
    response = client.get(url)
    # 403 where their programme role still tells them the programme exists
    assert response.status_code in {403, 404}, (role, url_name, response.status_code)


def test_a_withdrawn_case_leaves_the_group_page_feed_and_mail_of_everyone_else(world, login):
    from kring.meetings import services as meeting_services

    world.case.title = f"{MARKER}-withdrawn"
    world.case.save()
    meeting_services.withdraw_case(case=world.case, by=world.people["participant"])
    group_page = reverse("groups:detail", kwargs={"group_id": world.group.pk})
    for role in ["facilitator", "coordinator"]:
        client = login(world.people[role])
        assert MARKER not in client.get(group_page).content.decode(), role
        assert (
            client.get(reverse("meetings:case_detail", kwargs={"case_id": world.case.pk}))
        ).status_code == 404
    presenter = login(world.people["participant"])
    assert MARKER in presenter.get(group_page).content.decode()
    assert Case.objects.get(pk=world.case.pk).status == Case.Status.WITHDRAWN


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_platform_staff_without_a_role_find_no_content_and_no_organisation(flags, world, client):
    staff = f.UserFactory(email="staff@kring.example", full_name="Platform Beheer", **flags)
    case, poll = _group_content_of_someone_else(world)
    Attendance.objects.update(reason=MARKER)
    client = _login(client, staff)
    org = {"slug": world.organisation.slug}
    programme = {"programme_id": world.programme.pk}
    for url in _group_urls(world, case, poll) + [
        reverse("programmes:detail", kwargs=programme),
        reverse("programmes:registrations", kwargs=programme),
        reverse("programmes:export_participants", kwargs={**programme, "file_format": "csv"}),
        reverse("organisations:people", kwargs=org),
        reverse("planning:rooms", kwargs=org),
        reverse("audit_log:entries", kwargs=org),
    ]:
        assert client.get(url).status_code == 404, url
    _sees_marker_nowhere(client, world, poll, staff)
    for url in [
        "/admin/meetings/case/",
        f"/admin/meetings/case/{case.pk}/change/",
        "/admin/meetings/learninglogentry/",
        "/admin/planning/attendance/",
        "/admin/planning/pollanswer/",
    ]:
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, url
        assert MARKER not in response.content.decode() and "SECRET-" not in (
            response.content.decode()
        ), url


def test_a_facilitator_whose_membership_ended_no_longer_finds_the_group_listed(world, login):
    client = login(world.people["facilitator"])
    assert world.group.name in client.get(reverse("core:dashboard")).content.decode()
    world.people["facilitator"].memberships.update(is_active=False)
    assert world.group.name not in client.get(reverse("core:dashboard")).content.decode()


def test_a_line_manager_whose_membership_ended_no_longer_sees_their_reports(world, login):
    manager = world.people["line_manager"]
    report = world.people["participant"].memberships.get()
    client = login(manager)
    assert "Participant" in client.get(reverse("core:dashboard")).content.decode()
    manager.memberships.update(is_active=False)
    assert "Participant" not in client.get(reverse("core:dashboard")).content.decode()
    assert not can(manager, Action.VIEW_PARTICIPATION, report)


def test_a_sponsor_whose_membership_ended_no_longer_decides_on_the_plan(world, login):
    from kring.programmes.models import Programme

    world.programme.status = Programme.Status.SUBMITTED
    world.programme.save()
    sponsor = world.people["sponsor"]
    sponsor.memberships.update(is_active=False)
    client = login(sponsor)
    url = reverse("programmes:change_status", kwargs={"programme_id": world.programme.pk})
    before = database_snapshot()
    assert client.post(url, {"to_status": "approved"}).status_code in {403, 404}
    assert not changes(before, database_snapshot())
    print_url = reverse("programmes:plan_print", kwargs={"programme_id": world.programme.pk})
    assert client.get(print_url).status_code in {403, 404}
