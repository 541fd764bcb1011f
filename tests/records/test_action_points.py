"""The presenter's action points open the next meeting: "Review of last meeting"."""

from datetime import timedelta

import pytest
from django.urls import reverse

from kring.confidentiality import policy
from kring.records import services
from kring.records.models import ActionPointFollowUp
from tests import factories as f


def _point(held, text="Ik bel de dochter voor een gesprek."):
    return services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="action_points",
        phase=0,
        text=text,
        author=held.presenter,
    )


@pytest.fixture
def next_meeting(held):
    return f.MeetingFactory(
        group=held.meeting.group, starts_at=held.meeting.starts_at + timedelta(weeks=6)
    )


def _follow_up(client, meeting, point, status):
    return client.post(
        reverse("records:follow_up", kwargs={"meeting_id": meeting.pk, "input_id": point.pk}),
        {"status": status},
    )


def test_the_next_meeting_page_shows_the_open_action_points(held, next_meeting, login):
    _point(held)
    page = (
        login(held.member)
        .get(reverse("planning:meeting_detail", kwargs={"meeting_id": next_meeting.pk}))
        .content.decode()
    )
    assert "Ik bel de dochter voor een gesprek." in page
    assert held.presenter.full_name in page
    # Only its presenter marks it.
    assert 'name="status"' not in page


def test_the_presenter_marks_it_done_and_it_no_longer_opens_a_later_meeting(
    held, next_meeting, login
):
    point = _point(held)
    client = login(held.presenter)
    page = client.get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": next_meeting.pk})
    ).content.decode()
    assert 'name="status" value="done"' in page
    response = _follow_up(client, next_meeting, point, "done")
    assert response.status_code == 302 and response["Location"].endswith("#review")
    assert ActionPointFollowUp.objects.get().status == "done"
    # Still shown as done at the meeting where it was marked...
    (shown,) = policy.read_open_action_points(held.presenter, next_meeting)
    assert shown.status_here == "done"
    # ...but not at the one after.
    later = f.MeetingFactory(
        group=held.meeting.group, starts_at=next_meeting.starts_at + timedelta(weeks=6)
    )
    assert policy.read_open_action_points(held.presenter, later) == []


def test_carried_on_stays_open_for_the_following_meeting(held, next_meeting, login):
    point = _point(held)
    _follow_up(login(held.presenter), next_meeting, point, "carried_on")
    later = f.MeetingFactory(
        group=held.meeting.group, starts_at=next_meeting.starts_at + timedelta(weeks=6)
    )
    (shown,) = policy.read_open_action_points(held.member, later)
    assert shown.carried_on_before and shown.status_here == ""


def test_marking_raises_the_records_version(held, next_meeting):
    point = _point(held)
    before = held.record.version
    services.follow_up_action_point(
        action_point=point, at_meeting=next_meeting, by=held.presenter, status="done"
    )
    held.record.refresh_from_db()
    assert held.record.version == before + 1


def test_someone_else_may_not_mark_it(held, next_meeting, login):
    point = _point(held)
    assert _follow_up(login(held.member), next_meeting, point, "done").status_code == 403
    assert _follow_up(login(held.facilitator), next_meeting, point, "done").status_code == 403
    assert not ActionPointFollowUp.objects.exists()


def test_an_action_point_is_not_reviewed_at_its_own_or_an_earlier_meeting(held, world):
    point = _point(held)
    with pytest.raises(services.RecordError):
        services.follow_up_action_point(
            action_point=point, at_meeting=held.meeting, by=held.presenter, status="done"
        )
    assert policy.read_open_action_points(held.presenter, held.meeting) == []


def test_coordinator_and_other_groups_see_no_review(held, next_meeting, world, login):
    _point(held)
    for role in ["coordinator", "other_participant", "admin"]:
        assert policy.read_open_action_points(world.people[role], next_meeting) == []
    page = (
        login(world.people["coordinator"])
        .get(reverse("planning:meeting_detail", kwargs={"meeting_id": next_meeting.pk}))
        .content.decode()
    )
    assert "Ik bel de dochter" not in page


def test_a_withdrawn_action_point_is_not_reviewed(held, next_meeting):
    point = _point(held)
    services.withdraw_input(item=point, by=held.note_taker)
    assert policy.read_open_action_points(held.member, next_meeting) == []


def test_an_action_point_corrected_after_it_was_marked_done_stays_done(held, next_meeting, login):
    point = _point(held)
    _follow_up(login(held.presenter), next_meeting, point, "done")
    services.edit_input(
        item=point,
        by=held.note_taker,
        text="Ik bel de zoon voor een gesprek.",
        author=held.presenter,
    )
    later = f.MeetingFactory(
        group=held.meeting.group, starts_at=next_meeting.starts_at + timedelta(weeks=6)
    )
    assert policy.read_open_action_points(held.presenter, later) == []
    (shown,) = policy.read_open_action_points(held.presenter, next_meeting)
    assert shown.action_point.text == "Ik bel de zoon voor een gesprek."
    assert shown.status_here == "done"
