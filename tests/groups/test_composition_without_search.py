"""A worker compiles the engine before its first task, and a run that had no time to
search is never shown as a proposal: the page says so and offers to compose again."""

import pytest
from django.urls import reverse

import engine.grouping
from kring.groups import services
from kring.groups.apps import warm_up_for_the_worker
from kring.groups.models import Proposal


@pytest.fixture
def warm_ups(monkeypatch):
    calls = []
    monkeypatch.setattr(engine.grouping, "warm_up", lambda: calls.append(True))
    return calls


def test_the_worker_compiles_the_engine_before_it_takes_tasks(warm_ups):
    assert warm_up_for_the_worker(["manage.py", "db_worker", "--queue-name", "*"])
    assert warm_ups == [True]


def test_the_web_server_and_other_commands_do_not_wait_for_it(warm_ups):
    assert not warm_up_for_the_worker(["manage.py", "runserver"])
    assert not warm_up_for_the_worker(["manage.py", "migrate", "db_worker"])
    assert warm_ups == []


@pytest.fixture
def no_time_to_search(monkeypatch):
    real = engine.grouping.solve

    def out_of_time(problem, **kwargs):  # the time ran out before the first step
        return real(problem, **{**kwargs, "max_iterations": 0})

    monkeypatch.setattr(services.grouping, "solve", out_of_time)


def test_a_run_without_search_is_not_presented_as_a_proposal(
    world, pool, login, compose, no_time_to_search, django_capture_on_commit_callbacks
):
    proposal = compose()
    assert proposal.status == Proposal.Status.FAILED
    assert proposal.progress["searched"] is False
    assert proposal.groups == []
    client = login(world.people["coordinator"])
    body = client.get(reverse("groups:proposal", kwargs={"proposal_id": proposal.pk}))
    body = body.content.decode()
    assert "De tijd was om voordat Kring kon zoeken" in body
    assert "Opnieuw samenstellen met deze regels" in body
    assert "proposal-group" not in body and "Deze groepen publiceren" not in body


def test_composing_again_after_a_run_without_search_starts_a_new_run_with_the_same_rules(
    world, pool, login, compose, no_time_to_search, django_capture_on_commit_callbacks
):
    failed = compose(group_size_max=5)
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_reoptimise", kwargs={"proposal_id": failed.pk})
    )
    again = Proposal.objects.exclude(pk=failed.pk).get()
    assert response.url == reverse("groups:proposal", kwargs={"proposal_id": again.pk})
    assert again.rules == failed.rules and again.based_on is None


def test_a_run_that_searched_records_how_much(
    world, pool, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    assert proposal.status == Proposal.Status.READY
    assert proposal.progress["searched"] is True
    assert proposal.progress["iterations"] > 0
