"""Private data beyond content: absence reasons, poll comments, wishes and registration notes
are encrypted at rest and shown only to the roles that may read them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kring.groups import composition, services
from kring.planning.models import Attendance, DatePoll, PollAnswer, PollOption
from kring.programmes.models import Registration, Wish
from tests.factories import MeetingFactory

MARKER = "Geheim-7f3a"


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def absence(world):
    meeting = MeetingFactory(group=world.group, starts_at=timezone.now() + timedelta(days=5))
    Attendance.objects.create(
        meeting=meeting,
        user=world.people["participant"],
        status=Attendance.Status.ABSENT_WITH_NOTICE,
        reason=f"ziekenhuis {MARKER}",
    )
    return meeting


@pytest.fixture
def poll(world):
    poll = DatePoll.objects.create(
        group=world.group, title="Bijeenkomst 3", created_by=world.people["facilitator"]
    )
    option = PollOption.objects.create(poll=poll, starts_at=timezone.now() + timedelta(days=20))
    PollAnswer.objects.create(
        option=option, user=world.people["participant"], answer="no", comment=f"op {MARKER}"
    )
    return poll


@pytest.fixture
def registrations(world):
    mine = Registration.objects.create(
        programme=world.programme, user=world.people["participant"], notes=f"dienst {MARKER}"
    )
    theirs = Registration.objects.create(
        programme=world.programme, user=world.people["other_participant"]
    )
    Wish.objects.create(registration=mine, kind=Wish.Kind.AVOID, other=theirs.user)
    return mine, theirs


def test_the_database_holds_none_of_it_in_plain_text(world, absence, poll, registrations):
    stored = [
        *_raw("planning_attendance", "reason"),
        *_raw("planning_pollanswer", "comment"),
        *_raw("programmes_registration", "notes"),
        *_raw("programmes_wish", "kind"),
        *_raw("programmes_wish", "other_person"),
    ]
    assert stored and not any(MARKER in value for value in stored)
    assert not any(value in {"avoid", "prefer"} for value in stored)
    assert str(world.people["other_participant"].pk) not in _raw("programmes_wish", "other_person")
    # …and the app reads them back.
    assert Attendance.objects.get().reason.endswith(MARKER)
    assert Wish.objects.get().other == world.people["other_participant"]


def _meeting_page(login, user, meeting):
    return (
        login(user)
        .get(reverse("planning:meeting_detail", kwargs={"meeting_id": meeting.pk}))
        .content.decode()
    )


def test_an_absence_reason_is_for_the_person_and_the_groups_facilitator(world, login, absence):
    assert MARKER in _meeting_page(login, world.people["participant"], absence)
    assert MARKER in _meeting_page(login, world.people["facilitator"], absence)
    for role in ["coordinator", "admin"]:
        page = _meeting_page(login, world.people[role], absence)
        assert "Participant" in page  # the absence itself is organisational
        assert MARKER not in page


def test_poll_comments_are_for_the_group_only(world, login, poll):
    url = reverse("planning:poll", kwargs={"poll_id": poll.pk})
    for role in ["participant", "facilitator"]:
        assert MARKER in login(world.people[role]).get(url).content.decode()
    page = login(world.people["coordinator"]).get(url)
    assert page.status_code == 200
    assert MARKER not in page.content.decode()


def test_registration_notes_are_for_the_person_and_the_coordinators(world, login, registrations):
    world.programme.status = world.programme.Status.REGISTRATION_OPEN
    world.programme.registration_token = "join-token"
    world.programme.save()
    page = reverse("programmes:page", kwargs={"token": "join-token"})
    listing = reverse("programmes:registrations", kwargs={"programme_id": world.programme.pk})
    assert MARKER in login(world.people["participant"]).get(page).content.decode()
    assert MARKER in login(world.people["coordinator"]).get(listing).content.decode()
    assert MARKER not in login(world.people["other_participant"]).get(page).content.decode()
    for role in ["facilitator", "sponsor", "other_participant"]:
        response = login(world.people[role]).get(listing)
        assert MARKER not in response.content.decode()


def test_the_coordinator_learns_that_a_wish_went_unmet_not_whom_it_was_about(world, registrations):
    mine, theirs = registrations
    Wish.objects.filter(registration=mine).update(kind=Wish.Kind.PREFER)
    pool = composition.load_pool(world.programme)
    assert pool.prefer == [(mine.user_id, theirs.user_id)]
    (first, second) = composition.describe(pool, [[mine.user_id], [theirs.user_id]])
    assert first["unmet_wishes"] == [mine.user.full_name]
    assert theirs.user.full_name not in str(first["unmet_wishes"])


def test_a_broken_not_with_wish_names_the_group_not_the_people(world, registrations):
    mine, theirs = registrations
    pool = composition.load_pool(world.programme)
    rules = {**composition.default_rules(world.programme)}
    rules["group_size_min"] = 2
    broken = composition.check(pool, rules, [[mine.user_id, theirs.user_id]], {})
    problems = services.refusals(pool, broken)
    (problem,) = [p for p in problems if "wish" in p or "wens" in p]
    assert mine.user.full_name not in problem
    assert theirs.user.full_name not in problem


def test_notes_typed_when_registering_are_kept_encrypted(world, login):
    world.programme.status = world.programme.Status.REGISTRATION_OPEN
    world.programme.registration_token = "join-token"
    world.programme.save()
    newcomer = world.people["outsider"]
    response = login(newcomer).post(
        reverse("programmes:page", kwargs={"token": "join-token"}),
        {"accept_ground_rules": "on", "notes": f"nachtdienst {MARKER}"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(user=newcomer).notes == f"nachtdienst {MARKER}"
    assert not any(MARKER in value for value in _raw("programmes_registration", "notes"))
