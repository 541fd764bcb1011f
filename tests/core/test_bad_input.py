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


def test_the_widest_planning_rules_the_form_accepts_do_not_fail_the_task(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    from kring.planning.models import PlanningRun

    form_page = login(world.people["coordinator"]).get(
        reverse("planning:programme", kwargs={"programme_id": world.programme.pk})
    )
    fields = form_page.context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.people["coordinator"]).post(
            reverse("planning:programme", kwargs={"programme_id": world.programme.pk}),
            {
                "window_start": "2000-01-01",
                "window_end": "2099-12-31",
                "meeting_count": str(fields["meeting_count"].max_value),
                "weekdays": ["0", "1", "2", "3", "4"],
                "start_times": ", ".join(f"{hour:02}:00" for hour in range(24)),
                "min_gap_days": str(fields["min_gap_days"].max_value),
                "max_gap_days": str(fields["max_gap_days"].max_value),
                "time_limit": "1",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    run_tasks()  # fails the test when the task fails
    assert PlanningRun.objects.get().status != PlanningRun.Status.QUEUED


# Maximum lengths and NUL characters: refused with a message, never stored.


def test_a_case_situation_of_100_000_characters_is_refused_and_not_stored(world, login):
    from kring.meetings.models import Case

    response = login(world.people["participant"]).post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        {
            "title": "Te lang",
            "situation": "x" * 100_000,
            "question": "Wat nu?",
            "help_wanted": "Advies",
        },
    )
    assert response.status_code == 200
    # Django's own message, in Dutch: at most 10000 characters, there are 100000 now.
    assert "10000" in response.content.decode()
    assert "100000" in response.content.decode()
    assert response.context["form"].has_error("situation", code="max_length")
    assert Case.objects.count() == 1  # only the case the world started with


def test_a_case_of_10_000_characters_is_still_accepted(world, login):
    from kring.meetings.models import Case

    response = login(world.people["participant"]).post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        {
            "title": "Precies genoeg",
            "situation": "x" * 10_000,
            "question": "Wat nu?",
            "help_wanted": "Advies",
        },
    )
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_a_plan_text_of_100_000_characters_is_refused_and_not_stored(world, login):
    response = login(world.people["coordinator"]).post(
        reverse("programmes:create"), _plan_data(reason="x" * 100_000)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("reason", code="max_length")
    assert 'maxlength="20000"' in response.content.decode()
    assert not Programme.objects.filter(title="Intervisie voor teamleiders").exists()


@pytest.mark.parametrize(
    ("url_name", "kwargs", "role", "data", "field"),
    [
        (
            "meetings:add_case",
            lambda world: {"group_id": world.group.pk},
            "participant",
            {"title": "Nul", "situation": "a\x00b", "question": "Wat?", "help_wanted": "Advies"},
            "situation",
        ),
        (
            "meetings:learning_log",
            lambda world: {},
            "participant",
            {"text": "a\x00b"},
            "text",
        ),
        (
            "programmes:create",
            lambda world: {},
            "coordinator",
            _plan_data(methods="a\x00b"),
            "methods",
        ),
    ],
)
def test_nul_characters_are_refused_because_postgresql_cannot_store_them(
    world, login, url_name, kwargs, role, data, field
):
    response = login(world.people[role]).post(reverse(url_name, kwargs=kwargs(world)), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code="null_characters_not_allowed")


def test_an_imported_file_with_nul_characters_is_refused(world, login):
    """Form fields refuse NUL (Django's ProhibitNullCharactersValidator); so must a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"E-mailadres;Naam\r\nanna@example.org;Anna\x00 de Vries\r\n"
    response = login(world.people["coordinator"]).post(
        reverse("programmes:import_participants", kwargs={"programme_id": world.programme.pk}),
        {"file": SimpleUploadedFile("deelnemers.csv", content)},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("file")


@pytest.mark.parametrize("organisation", ["0001-01-01", "²", HUGE])
def test_a_new_programme_for_an_organisation_that_is_no_id_is_not_an_error(
    world, login, organisation
):
    client = login(world.people["coordinator"])
    response = client.get(reverse("programmes:create"), {"organisation": organisation})
    assert response.status_code == 200
    response = client.post(
        reverse("programmes:create"), _plan_data(organisation=organisation, title="Zonder id")
    )
    assert response.status_code == 302
    assert Programme.objects.get(title="Zonder id").organisation == world.organisation


@pytest.mark.parametrize("comment", ["x" * 100_000, "a\x00b"])
def test_a_status_comment_that_is_too_long_or_holds_nul_is_refused_and_nothing_changes(
    world, login, comment
):
    programme = world.programme
    programme.status = Programme.Status.DRAFT
    programme.save(update_fields=["status"])
    response = login(world.people["coordinator"]).post(
        reverse("programmes:change_status", kwargs={"programme_id": programme.pk}),
        {"to_status": "submitted", "comment": comment},
        follow=True,
    )
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.status == Programme.Status.DRAFT
    assert not programme.status_changes.exists()


def test_a_programme_starting_on_a_leap_day_without_an_end_can_be_planned(world, login):
    from datetime import date

    world.programme.starts_on, world.programme.ends_on = date(2028, 2, 29), None
    world.programme.save(update_fields=["starts_on", "ends_on"])
    response = login(world.people["coordinator"]).get(
        reverse("planning:programme", kwargs={"programme_id": world.programme.pk})
    )
    assert response.status_code == 200
    assert response.context["form"].initial["window_end"] == "2029-02-28"


@pytest.mark.parametrize("weeks", ["0", "32767"])
def test_an_interval_of_no_or_hundreds_of_years_of_weeks_is_a_form_error(world, login, weeks):
    response = login(world.people["coordinator"]).post(
        reverse("programmes:create"), _plan_data(interval_weeks=weeks)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("interval_weeks")
    assert not Programme.objects.filter(title="Intervisie voor teamleiders").exists()


def test_a_queued_proposal_asking_for_more_groups_than_people_fails_with_a_reason(
    world, run_tasks, django_capture_on_commit_callbacks
):
    """Rules saved before the form had its limit reach the worker without crashing it."""
    from kring.groups import composition, services

    rules = {**composition.default_rules(world.programme), "group_count": 10**30}
    with django_capture_on_commit_callbacks(execute=True):
        services.start_composition(
            programme=world.programme, rules=rules, by=world.people["coordinator"]
        )
    run_tasks()  # fails the test when the task fails
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.FAILED
    assert proposal.explanation[0]["rule"] == "input"
