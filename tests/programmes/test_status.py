import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from kring.programmes import services
from kring.programmes.models import Programme
from tests.factories import ProgrammeFactory


@pytest.fixture
def draft(world):
    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    return world.programme


def _move(client, programme, to_status, comment=""):
    return client.post(
        reverse("programmes:change_status", kwargs={"programme_id": programme.pk}),
        {"to_status": to_status, "comment": comment},
        follow=True,
    )


def test_the_coordinator_submits_and_the_sponsor_approves(world, draft, login):
    _move(login(world.people["coordinator"]), draft, "submitted")
    draft.refresh_from_db()
    assert draft.status == "submitted"

    # The coordinator cannot approve their own plan.
    response = _move(login(world.people["coordinator"]), draft, "approved")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert "kan niet van" in response.content.decode()

    _move(login(world.people["sponsor"]), draft, "approved", comment="Akkoord, succes!")
    draft.refresh_from_db()
    assert draft.status == "approved"
    history = list(draft.status_changes.values_list("to_status", "by__email", "comment"))
    assert history == [
        ("submitted", "coordinator@example.org", ""),
        ("approved", "sponsor@example.org", "Akkoord, succes!"),
    ]


def test_the_sponsor_can_send_the_plan_back_with_a_comment(world, draft, login):
    _move(login(world.people["coordinator"]), draft, "submitted")
    _move(login(world.people["sponsor"]), draft, "draft", comment="Budget ontbreekt")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.status_changes.last().comment == "Budget ontbreekt"


@pytest.mark.parametrize("role", ["participant", "facilitator", "line_manager"])
def test_others_cannot_move_a_programme(world, draft, login, role):
    _move(login(world.people[role]), draft, "submitted")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not draft.status_changes.exists()


def test_a_programme_cannot_skip_steps(world, draft):
    with pytest.raises(services.TransitionError):
        services.change_status(programme=draft, to_status="running", by=world.people["coordinator"])
    with pytest.raises(services.TransitionError):
        services.change_status(
            programme=draft, to_status="nonsense", by=world.people["coordinator"]
        )


def test_a_closed_programme_stays_closed():
    assert Programme.TRANSITIONS[Programme.Status.CLOSED] == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"group_size_min": 3},
        {"group_size_max": 11},
        {"group_size_min": 8, "group_size_max": 6},
        {"status": "bogus"},
        {"meeting_count": 0},
    ],
)
def test_the_database_refuses_programmes_that_break_the_rules(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(**fields)


def test_the_sponsor_sees_the_decision_not_status_jargon(world, login):
    world.programme.status = Programme.Status.SUBMITTED
    world.programme.save()
    page = login(world.people["sponsor"]).get(
        reverse("programmes:detail", kwargs={"programme_id": world.programme.pk})
    )
    body = page.content.decode()
    assert "Plan goedkeuren" in body and "Terugsturen met opmerking" in body
    assert "Naar “" not in body


def test_a_plan_is_sent_back_only_with_a_comment(world, login):
    world.programme.status = Programme.Status.SUBMITTED
    world.programme.save()
    response = _move(login(world.people["sponsor"]), world.programme, "draft")
    world.programme.refresh_from_db()
    assert world.programme.status == Programme.Status.SUBMITTED
    assert "wat er aan het plan moet veranderen" in response.content.decode()


def test_the_evaluation_starts_only_after_a_meeting_was_held(world, login):
    client = login(world.people["coordinator"])
    response = _move(client, world.programme, "evaluating")
    world.programme.refresh_from_db()
    assert world.programme.status == Programme.Status.RUNNING
    assert "Er is nog geen bijeenkomst gehouden" in response.content.decode()

    world.meeting.status = "held"
    world.meeting.save()
    _move(client, world.programme, "evaluating")
    world.programme.refresh_from_db()
    assert world.programme.status == Programme.Status.EVALUATING


def test_the_meetings_start_only_once_they_are_planned(world, login):
    world.programme.status = Programme.Status.GROUPS_FORMED
    world.programme.save()
    world.meeting.delete()
    client = login(world.people["coordinator"])
    page = client.get(reverse("programmes:detail", kwargs={"programme_id": world.programme.pk}))
    assert "plan eerst de bijeenkomsten" in page.content.decode()
    _move(client, world.programme, "running")
    world.programme.refresh_from_db()
    assert world.programme.status == Programme.Status.GROUPS_FORMED
