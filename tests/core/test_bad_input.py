"""Bad input answers with a form error or 404, never a server error, and saves nothing.

Each test here is one input that once ended in an `OverflowError` (or would have stored
something that later broke a page or a background task).
"""

import pytest
from django.urls import reverse

from kring.groups.models import Proposal
from kring.planning.models import DatePoll, Meeting
from kring.programmes.models import Programme
from tests.programmes.test_plan import _plan_data

HUGE = "9" * 30  # far beyond any database integer


@pytest.mark.parametrize("when", ["0001-01-01T10:00", "9999-12-31T23:30"])
def test_a_poll_option_far_in_the_past_or_future_is_a_form_error(world, login, when):
    response = login(world.people["facilitator"]).post(
        reverse("planning:poll_create", kwargs={"group_id": world.group.pk}),
        {"title": "Ver weg", "option_1": when, "option_2": "2027-03-04T10:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("option_1", code="date_out_of_range")
    assert not DatePoll.objects.filter(title="Ver weg").exists()


@pytest.mark.parametrize("when", ["0001-01-01T10:00", "9999-12-31T23:30"])
def test_a_reschedule_far_in_the_past_or_future_is_refused_and_nothing_is_saved(world, login, when):
    client = login(world.people["facilitator"])
    before = Meeting.objects.get(pk=world.meeting.pk).starts_at
    response = client.post(
        reverse("planning:reschedule", kwargs={"meeting_id": world.meeting.pk}),
        {"starts_at": when, "location": "Zaal 9"},
        follow=True,
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode() and "2099" in response.content.decode()
    assert Meeting.objects.get(pk=world.meeting.pk).starts_at == before
    page = client.get(reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk}))
    assert page.status_code == 200


def test_a_huge_facilitator_id_in_a_new_plan_is_a_form_error(world, login):
    response = login(world.people["coordinator"]).post(
        reverse("programmes:create"), _plan_data(facilitators=HUGE, sponsor=HUGE)
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"facilitators", "sponsor"}
    assert not Programme.objects.filter(title="Intervisie voor teamleiders").exists()


def test_a_huge_facilitator_id_in_an_edited_plan_is_a_form_error(world, login):
    programme = world.programme
    programme.status = Programme.Status.DRAFT
    programme.save(update_fields=["status"])
    response = login(world.people["coordinator"]).post(
        reverse("programmes:plan_edit", kwargs={"programme_id": programme.pk}),
        _plan_data(title="Gewijzigd", facilitators=[HUGE, "-1"]),
    )
    assert response.status_code == 200
    assert "facilitators" in response.context["form"].errors
    programme.refresh_from_db()
    assert programme.title != "Gewijzigd"


def test_a_huge_proposal_id_in_the_comparison_is_not_found(world, login):
    response = login(world.people["coordinator"]).get(
        reverse("groups:compare", kwargs={"programme_id": world.programme.pk}),
        {"proposal": [HUGE, "1"]},
    )
    assert response.status_code == 404


def _composition_data(**overrides):
    data = {
        "group_size_min": "4",
        "group_size_max": "8",
        "group_count": "",
        "max_level_spread": "",
        "time_limit": "1",
        "weight_department": "5",
        "weight_location": "5",
        "weight_profession": "5",
        "weight_level": "5",
        "weight_wishes": "5",
        "weight_history": "5",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["group_count", "max_level_spread"])
def test_a_huge_number_for_the_composition_is_a_form_error_and_no_task_starts(
    world, login, run_tasks, field
):
    response = login(world.people["coordinator"]).post(
        reverse("groups:composition", kwargs={"programme_id": world.programme.pk}),
        _composition_data(**{field: HUGE}),
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Proposal.objects.exists()
    run_tasks()


def test_the_largest_group_count_the_form_accepts_does_not_fail_the_task(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    form = (
        login(world.people["coordinator"])
        .get(reverse("groups:composition", kwargs={"programme_id": world.programme.pk}))
        .context["form"]
    )
    largest = form.fields["group_count"].max_value
    assert largest is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.people["coordinator"]).post(
            reverse("groups:composition", kwargs={"programme_id": world.programme.pk}),
            _composition_data(group_count=str(largest)),
        )
    assert response.status_code == 302
    run_tasks()  # fails the test when the task fails
    assert Proposal.objects.get().status in {
        Proposal.Status.READY,
        Proposal.Status.INFEASIBLE,
        Proposal.Status.FAILED,
    }
