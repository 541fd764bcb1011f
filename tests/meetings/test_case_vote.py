"""A short vote of the members on the backlog: one vote each, the result only after
closing, the top case(s) chosen, a tie to the case brought in first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.meetings import services
from kring.meetings.models import Case, CaseVote, MeetingCase

from .case_helpers import case_of, member, process_facilitator


@pytest.fixture
def vote_world(world):
    world.bert = member(world, "Bert Jansen")
    world.carla = member(world, "Carla Smit")
    world.second = case_of(world, world.bert, title="Werkdruk en nee zeggen")
    world.third = case_of(world, world.carla, title="Onenigheid met de huisarts")
    # The world's case was brought in first.
    Case.objects.filter(pk=world.case.pk).update(created_at=timezone.now() - timedelta(days=3))
    world.chooser = process_facilitator(world)
    return world


def _ballot(client, world, case):
    return client.post(
        reverse("meetings:cast_ballot", kwargs={"meeting_id": world.meeting.pk, "case_id": case.pk})
    )


def test_the_top_case_is_chosen_and_the_tally_shows_only_once_closed(vote_world, login):
    w = vote_world
    login(w.chooser).post(reverse("meetings:open_vote", kwargs={"meeting_id": w.meeting.pk}))
    assert CaseVote.objects.get(meeting=w.meeting).is_open
    _ballot(login(w.people["participant"]), w, w.second)
    _ballot(login(w.bert), w, w.second)
    _ballot(login(w.carla), w, w.third)
    page = login(w.carla).get(reverse("planning:meeting_detail", args=[w.meeting.pk]))
    body = page.content.decode()
    assert "3 leden hebben tot nu toe gestemd" in body
    assert "2 stemmen" not in body  # no running count while it is open

    login(w.chooser).post(reverse("meetings:close_vote", kwargs={"meeting_id": w.meeting.pk}))
    choice = MeetingCase.objects.get(meeting=w.meeting)
    assert (choice.case, choice.how) == (w.second, "voted")
    body = login(w.carla).get(reverse("planning:meeting_detail", args=[w.meeting.pk]))
    assert "2 stemmen" in body.content.decode()


def test_one_vote_per_member_changeable_while_open(vote_world):
    w = vote_world
    vote = services.open_vote(meeting=w.meeting, places=1, by=w.chooser)
    services.cast_ballot(vote=vote, case=w.second, by=w.bert)
    services.cast_ballot(vote=vote, case=w.third, by=w.bert)
    assert list(vote.ballots.values_list("case_id", flat=True)) == [w.third.pk]


def test_a_tie_goes_to_the_case_brought_in_first(vote_world):
    w = vote_world
    vote = services.open_vote(meeting=w.meeting, places=1, by=w.chooser)
    services.cast_ballot(vote=vote, case=w.second, by=w.bert)
    services.cast_ballot(vote=vote, case=w.case, by=w.carla)
    (chosen,) = services.close_vote(vote=vote, by=w.chooser)
    assert chosen.case == w.case


def test_two_places_choose_the_two_top_cases(vote_world):
    w = vote_world
    vote = services.open_vote(meeting=w.meeting, places=2, by=w.chooser)
    services.cast_ballot(vote=vote, case=w.second, by=w.bert)
    services.cast_ballot(vote=vote, case=w.third, by=w.carla)
    chosen = services.close_vote(vote=vote, by=w.chooser)
    assert {c.case for c in chosen} == {w.second, w.third}


def test_only_the_process_facilitator_opens_and_closes_and_only_members_vote(vote_world, login):
    w = vote_world
    response = login(w.bert).post(reverse("meetings:open_vote", args=[w.meeting.pk]))
    assert response.status_code == 403
    vote = services.open_vote(meeting=w.meeting, places=1, by=w.chooser)
    assert login(w.bert).post(reverse("meetings:close_vote", args=[w.meeting.pk])).status_code == (
        403
    )
    assert _ballot(login(w.people["facilitator"]), w, w.second).status_code == 403
    assert _ballot(login(w.people["coordinator"]), w, w.second).status_code == 403
    assert not vote.ballots.exists()


def test_a_closed_vote_takes_no_ballots(vote_world):
    w = vote_world
    vote = services.open_vote(meeting=w.meeting, places=1, by=w.chooser)
    services.close_vote(vote=vote, by=w.chooser)
    with pytest.raises(services.CaseError):
        services.cast_ballot(vote=vote, case=w.second, by=w.bert)


def test_a_vote_needs_two_open_cases(world):
    with pytest.raises(services.CaseError):
        services.open_vote(meeting=world.meeting, places=1, by=world.people["facilitator"])
