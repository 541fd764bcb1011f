"""The facilitator's phase-out plan (afbouw): set per meeting, seen by the group."""

from django.urls import reverse

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.meetings import rota
from kring.meetings.models import PhaseOutStep

from .test_rota import crew  # noqa: F401  (fixture)


def test_the_facilitator_sets_the_stages_on_the_plan_page(world, crew, login):  # noqa: F811
    _members, meetings = crew
    client = login(world.people["facilitator"])
    url = reverse("meetings:phase_out", args=[world.group.pk])
    data = {f"stage_{m.pk}": str(stage) for m, stage in zip(meetings, [1, 2, 3, 4], strict=True)}
    response = client.post(url, data)
    assert response.status_code == 302
    assert rota.stages(world.group) == {
        m.pk: s for m, s in zip(meetings, [1, 2, 3, 4], strict=True)
    }


def test_a_stage_that_does_not_exist_is_refused_and_nothing_is_saved(world, crew, login):  # noqa: F811
    _members, meetings = crew
    client = login(world.people["facilitator"])
    url = reverse("meetings:phase_out", args=[world.group.pk])
    data = {f"stage_{m.pk}": "2" for m in meetings}
    data[f"stage_{meetings[1].pk}"] = "9"
    response = client.post(url, data)
    assert response.status_code == 200
    assert not PhaseOutStep.objects.exists()
    # What was typed stays on the page.
    assert 'value="2" selected' in response.content.decode()


def test_members_see_where_the_group_stands_on_the_group_page(world, crew, login):  # noqa: F811
    _members, meetings = crew
    rota.set_phase_out(
        group=world.group, stages_by_meeting={meetings[0].pk: 2}, by=world.people["facilitator"]
    )
    page = login(world.people["participant"]).get(reverse("groups:detail", args=[world.group.pk]))
    assert "stage 2 of 4" in page.content.decode() or "fase 2 van 4" in page.content.decode()


def test_roles_are_for_the_group_its_facilitator_and_coordinators_only(world):
    allowed = {
        who for who, user in world.people.items() if policy.can(user, Action.VIEW_ROTA, world.group)
    }
    assert allowed == {"participant", "facilitator", "coordinator", "admin"}


def test_the_coordinator_sees_the_stage_on_the_group_page(world, crew, login):  # noqa: F811
    page = login(world.people["coordinator"]).get(reverse("groups:detail", args=[world.group.pk]))
    assert 'id="rota"' in page.content.decode()
