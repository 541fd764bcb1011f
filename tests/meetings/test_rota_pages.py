"""The rota from the browser: the table, swaps, the group and meeting pages."""

import pytest
from django.urls import reverse

from kring.meetings import rota
from kring.meetings.models import RoleAssignment, RoleSwap

from .test_rota import crew  # noqa: F401  (fixture)


@pytest.fixture
def planned(world, crew):  # noqa: F811
    rota.plan_rota(group=world.group, by=world.people["facilitator"])
    return crew


def test_the_facilitator_proposes_the_rota_from_the_rota_page(world, crew, login):  # noqa: F811
    client = login(world.people["facilitator"])
    response = client.post(reverse("meetings:rota_plan", args=[world.group.pk]), follow=True)
    assert "The rota has been planned" in response.content.decode() or "ingepland" in (
        response.content.decode()
    )
    assert RoleAssignment.objects.filter(meeting__group=world.group).count() == 12
    page = client.get(reverse("meetings:rota", args=[world.group.pk])).content.decode()
    for a in RoleAssignment.objects.filter(meeting=crew[1][0]):
        assert a.user.full_name in page


def test_members_see_the_coming_roles_on_the_group_and_meeting_pages(world, planned, login):
    members, meetings = planned
    client = login(world.people["participant"])
    presenter = RoleAssignment.objects.get(meeting=meetings[0], role="presenter").user
    group_page = client.get(reverse("groups:detail", args=[world.group.pk])).content.decode()
    assert 'id="rota"' in group_page and presenter.full_name in group_page
    meeting_page = client.get(
        reverse("planning:meeting_detail", args=[meetings[0].pk])
    ).content.decode()
    assert 'id="roles"' in meeting_page and presenter.full_name in meeting_page


def test_another_groups_facilitator_does_not_see_the_roles(world, planned, login):
    client = login(world.people["other_facilitator"])
    assert client.get(reverse("meetings:rota", args=[world.group.pk])).status_code == 404


def test_a_member_asks_to_swap_from_the_table_and_the_other_accepts(world, planned, login):
    members, meetings = planned
    held = {a.user_id: a.role for a in RoleAssignment.objects.filter(meeting=meetings[0])}
    asker = next(u for u in members if u.pk in held)
    other = next(u for u in members if u.pk not in held)
    login(asker).post(reverse("meetings:ask_swap", args=[meetings[0].pk]), {"asked": other.pk})
    swap = RoleSwap.objects.get()
    client = login(other)
    page = client.get(reverse("meetings:rota", args=[world.group.pk])).content.decode()
    assert reverse("meetings:answer_swap", args=[swap.pk]) in page
    client.post(reverse("meetings:answer_swap", args=[swap.pk]), {"answer": "accept"})
    assert RoleAssignment.objects.get(meeting=meetings[0], user=other).role == held[asker.pk]


def test_asking_to_swap_with_someone_outside_the_group_says_so(world, planned, login):
    members, meetings = planned
    held = [a.user for a in RoleAssignment.objects.filter(meeting=meetings[0])]
    response = login(held[0]).post(
        reverse("meetings:ask_swap", args=[meetings[0].pk]),
        {"asked": world.people["other_participant"].pk},
        follow=True,
    )
    assert response.status_code == 200
    assert not RoleSwap.objects.exists()
    assert "Choose another member" in response.content.decode() or "ander lid" in (
        response.content.decode()
    )
