"""The live sockets keep each person's ties (memberships, roles) across their stages and
heartbeats, and every change of a tie reaches the very next one, however it was written:
here always with a queryset update or delete, which sends no signal."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.confidentiality.models import TiesVersion
from kring.groups.models import Group, GroupMembership
from kring.live import consumers, pushed
from kring.meetings.models import RoleAssignment
from kring.organisations.models import ClientRelation, Membership
from kring.programmes.models import Programme, ProgrammeRole
from tests import factories as f

# Committed as the sockets see it: on PostgreSQL the version rises at the commit.
pytestmark = pytest.mark.django_db(transaction=True)

CSRF = {"csrftoken": "k" * 32}


def _stage(user, session) -> str | None:
    found = pushed.stage_for(user.pk, session.pk, CSRF, "localhost")
    return None if found is None else found.html


def _sees(user, session) -> bool:
    """What a heartbeat asks."""
    return consumers._visible_session(user.pk, session.pk) is not None


def _leave_groups(user) -> None:
    memberships = GroupMembership.objects.filter(user=user)
    memberships.update(joined_on=date(2020, 1, 1), left_on=date.today())


def _version() -> int:
    return TiesVersion.objects.get(pk=1).version


def test_the_second_stage_does_not_read_the_ties_again(started):
    member, session = started.member, started.session
    with CaptureQueriesContext(connection) as first:
        assert _stage(member, session)
    with CaptureQueriesContext(connection) as second:
        assert _stage(member, session)
    tables = " ".join(query["sql"] for query in second.captured_queries)
    assert "organisations_membership" in " ".join(q["sql"] for q in first.captured_queries)
    assert "organisations_membership" not in tables
    assert "groups_groupmembership" not in tables.split("FROM")[0]  # present members: fresh
    assert len(second) < len(first)


def test_a_membership_switched_off_ends_the_next_stage_and_heartbeat(started):
    member, session = started.member, started.session
    assert _stage(member, session) and _sees(member, session)
    Membership.objects.filter(user=member).update(is_active=False)
    assert _stage(member, session) is None
    assert not _sees(member, session)


def test_leaving_the_group_ends_the_next_stage_and_heartbeat(started):
    member, session = started.member, started.session
    assert _stage(member, session) and _sees(member, session)
    GroupMembership.objects.filter(user=member).update(
        joined_on=date(2020, 1, 1), left_on=date.today()
    )
    assert _stage(member, session) is None
    assert not _sees(member, session)


def test_an_account_switched_off_ends_the_next_stage_and_heartbeat(started):
    member, session = started.member, started.session
    assert _stage(member, session) and _sees(member, session)
    get_user_model().objects.filter(pk=member.pk).update(is_active=False)
    assert _stage(member, session) is None
    assert not _sees(member, session)


def test_a_facilitator_no_longer_facilitator_there_loses_the_session(started):
    facilitator, session = started.facilitator, started.session
    assert _stage(facilitator, session)
    Membership.objects.filter(user=facilitator).update(role=Membership.Role.MEMBER)
    assert _stage(facilitator, session) is None


def test_a_role_given_during_the_meeting_shows_in_the_next_stage(started):
    member, session = started.member, started.session
    assert "Jouw rol: Tijdbewaker" not in _stage(member, session)
    RoleAssignment.objects.filter(meeting=started.meeting, role="timekeeper").delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(meeting=started.meeting, user=member, role="timekeeper")]
    )
    assert "Jouw rol: Tijdbewaker" in _stage(member, session)


def test_a_language_chosen_shows_in_the_next_stage(started):
    member, session = started.member, started.session
    dutch = _stage(member, session)
    get_user_model().objects.filter(pk=member.pk).update(language="en")
    english = _stage(member, session)
    assert english != dutch and "Ready" in english


def test_a_group_moved_to_another_organisation_that_switched_the_member_off(started, world):
    """The viewer reads which organisation each of the person's groups belongs to."""
    member, session = started.member, started.session
    other = world.other_organisation
    f.MembershipFactory(user=member, organisation=other, is_active=False)
    assert _stage(member, session)
    Programme.objects.filter(pk=world.programme.pk).update(organisation=other)
    assert _stage(member, session) is None


@pytest.mark.parametrize(
    "change",
    [
        "membership",
        "client relation",
        "programme role",
        "group membership",
        "role at a meeting",
        "account switched off",
        "account's language",
        "group to another programme",
        "programme to another organisation",
    ],
)
def test_every_change_of_a_tie_raises_the_ties_version(world, change):
    person = world.people["participant"]
    zuid = world.other_organisation
    before = _version()
    if change == "membership":
        Membership.objects.filter(user=person).update(role=Membership.Role.COORDINATOR)
    elif change == "client relation":
        ClientRelation.objects.bulk_create([ClientRelation(firm=zuid, client=world.organisation)])
    elif change == "programme role":
        ProgrammeRole.objects.filter(user=person).delete()
    elif change == "group membership":
        GroupMembership.objects.filter(user=person).update(
            joined_on=date(2020, 1, 1), left_on=date.today()
        )
    elif change == "role at a meeting":
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(meeting=world.meeting, user=person, role="presenter")]
        )
    elif change == "account switched off":
        get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    elif change == "account's language":
        get_user_model().objects.filter(pk=person.pk).update(language="en")
    elif change == "group to another programme":
        other = f.ProgrammeFactory(organisation=world.organisation)
        before = _version()
        Group.objects.filter(pk=world.group.pk).update(programme=other)
    else:
        Programme.objects.filter(pk=world.programme.pk).update(organisation=zuid)
    assert _version() > before


def test_a_login_does_not_raise_the_ties_version(world):
    person = world.people["participant"]
    before = _version()
    get_user_model().objects.filter(pk=person.pk).update(last_login="2026-12-01T10:00:00Z")
    assert _version() == before
