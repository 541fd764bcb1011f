from django.urls import reverse

from kring.programmes.models import Programme, ProgrammeRole


def _plan_data(**overrides):
    data = {
        "title": "Intervisie voor teamleiders",
        "description": "Zes bijeenkomsten met collega's van andere locaties.",
        "reason": "Teamleiders staan er vaak alleen voor.",
        "context": "",
        "target_group": "Alle teamleiders",
        "time_per_participant": "12 uur per jaar",
        "budget": "15000",
        "cost_per_participant": "250",
        "preconditions": "",
        "starts_on": "2027-01-11",
        "ends_on": "2027-12-17",
        "group_size_min": "5",
        "group_size_max": "8",
        "meeting_count": "6",
        "interval_weeks": "6",
        "meeting_duration_minutes": "120",
        "mode": "on_site",
        "venue": "Hoofdkantoor",
        "methods": "Incidentmethode, roddelmethode",
        "evaluation_moments": "Na bijeenkomst 3 en 6",
        "roles_and_tasks": "",
        "communication_plan": "",
        "visibility": "internal",
        "capacity": "",
        "goals-TOTAL_FORMS": "2",
        "goals-INITIAL_FORMS": "0",
        "goals-0-text": "Reflecteren op eigen handelen",
        "goals-1-text": "Leren van andere afdelingen",
        "messages-TOTAL_FORMS": "1",
        "messages-INITIAL_FORMS": "0",
        "messages-0-send_on": "2026-12-01",
        "messages-0-audience": "participants",
        "messages-0-subject": "Uitnodiging kick-off",
    }
    data.update(overrides)
    return data


def test_a_coordinator_writes_a_plan_with_separate_goals(world, login):
    client = login(world.people["coordinator"])
    response = client.post(
        reverse("programmes:create"), _plan_data(sponsor=world.people["sponsor"].pk)
    )
    assert response.status_code == 302
    programme = Programme.objects.get(title="Intervisie voor teamleiders")
    assert programme.status == Programme.Status.DRAFT
    assert list(programme.goals.values_list("text", flat=True)) == [
        "Reflecteren op eigen handelen",
        "Leren van andere afdelingen",
    ]
    assert programme.messages.get().audience == "participants"
    roles = set(programme.roles.values_list("user__email", "role"))
    assert ("coordinator@example.org", "coordinator") in roles
    assert ("sponsor@example.org", "sponsor") in roles


def test_a_plan_with_impossible_group_sizes_is_refused_and_kept(world, login):
    client = login(world.people["coordinator"])
    response = client.post(
        reverse("programmes:create"), _plan_data(group_size_min="3", group_size_max="12")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Een intervisiegroep heeft 4 tot 10 leden.") == 2
    assert "Reflecteren op eigen handelen" in body  # nothing typed is lost
    assert not Programme.objects.filter(title="Intervisie voor teamleiders").exists()


def test_only_a_draft_plan_can_be_edited(world, login):
    client = login(world.people["coordinator"])
    response = client.get(
        reverse("programmes:plan_edit", kwargs={"programme_id": world.programme.pk})
    )
    assert response.status_code == 302  # running: back to the programme with a message


def test_the_printable_plan_shows_the_whole_plan(world, login):
    world.programme.goals.create(text="Meer werkplezier")
    body = (
        login(world.people["sponsor"])
        .get(reverse("programmes:plan_print", kwargs={"programme_id": world.programme.pk}))
        .content.decode()
    )
    assert "Meer werkplezier" in body
    assert world.programme.reason in body


def test_facilitators_are_assigned_from_the_plan(world, login):
    client = login(world.people["coordinator"])
    client.post(
        reverse("programmes:create"),
        _plan_data(facilitators=[world.people["facilitator"].pk]),
    )
    programme = Programme.objects.get(title="Intervisie voor teamleiders")
    assert programme.roles.filter(
        role=ProgrammeRole.Role.FACILITATOR, user=world.people["facilitator"]
    ).exists()
