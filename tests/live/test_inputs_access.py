"""Nobody outside the group writes or reads live inputs: an outsider, a coordinator, another
organisation's people, a member who left and an anonymous visitor get 404 on every URL of
the inputs panel, and nothing changes (no row, no new version, no draft read)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from kring.confidentiality.models import AuditEvent
from kring.groups.models import GroupMembership
from kring.live import services as live_services
from kring.live.models import LiveSession
from kring.planning.models import Attendance
from kring.records.models import RecordInput

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_phase_two(started):
    session = live_services.advance(
        session=started.session, by=started.process_facilitator, now=at(10)
    )
    started.session = session
    return started


@pytest.fixture
def with_inputs(in_phase_two, client):
    """A member's submitted question and another member's draft."""
    live = in_phase_two
    client.force_login(live.member, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("live_inputs:submit", kwargs={"meeting_id": live.meeting.pk})
    client.post(url, {"client_id": str(uuid.uuid4()), "phase": 2, "text": "INGEDIEND"})
    client.force_login(live.timekeeper, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("live_inputs:draft", kwargs={"meeting_id": live.meeting.pk})
    client.post(url, {"client_id": str(uuid.uuid4()), "phase": 2, "text": "KLADJE"})
    client.logout()
    live.question = RecordInput.objects.get(state="submitted")
    return live


def removed_member(live):
    membership = GroupMembership.objects.get(group=live.meeting.group, user=live.member)
    membership.left_on = membership.joined_on + timedelta(days=1)
    membership.save()
    return live.member


def outsiders(live, zuid):
    people = live.world.people
    return {
        "outsider": people["outsider"],
        "coordinator": people["coordinator"],
        "sponsor": people["sponsor"],
        "other group's member": people["other_participant"],
        "other organisation": zuid.people["zuid_participant"],
        "other organisation's facilitator": zuid.people["zuid_facilitator"],
    }


def every_url(live):
    meeting = live.meeting.pk
    item = live.question.pk
    fresh = str(uuid.uuid4())
    return [
        ("get", reverse("live_inputs:panel", kwargs={"meeting_id": meeting}), {}),
        (
            "post",
            reverse("live_inputs:draft", kwargs={"meeting_id": meeting}),
            {"client_id": fresh, "phase": 2, "text": "X"},
        ),
        (
            "post",
            reverse("live_inputs:submit", kwargs={"meeting_id": meeting}),
            {"client_id": fresh, "phase": 2, "text": "X"},
        ),
        (
            "post",
            reverse("live_inputs:choose", kwargs={"meeting_id": meeting}),
            {"client_id": fresh, "statement": item},
        ),
        (
            "post",
            reverse("live_inputs:rate", kwargs={"meeting_id": meeting}),
            {"client_id": fresh, "question": item, "rating": "warm"},
        ),
        (
            "post",
            reverse("live_inputs:withdraw", kwargs={"meeting_id": meeting, "input_id": item}),
            {},
        ),
        (
            "post",
            reverse("live_inputs:edit", kwargs={"meeting_id": meeting, "input_id": item}),
            {"client_id": fresh, "text": "X"},
        ),
    ]


def state_of(live):
    return (
        sorted(RecordInput.objects.values_list("pk", "state", "text")),
        LiveSession.objects.get(pk=live.session.pk).version,
    )


def test_nobody_outside_the_group_reads_or_writes(with_inputs, zuid, client):
    live = with_inputs
    before = state_of(live)
    for who, user in {**outsiders(live, zuid), "removed member": removed_member(live)}.items():
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for method, url, data in every_url(live):
            response = getattr(client, method)(url, data, HTTP_HX_REQUEST="true")
            assert response.status_code == 404, (who, url)
            assert "INGEDIEND" not in response.content.decode()
            assert "KLADJE" not in response.content.decode()
    assert state_of(live) == before
    # Their attempts at the content are in the audit log.
    assert AuditEvent.objects.filter(event=AuditEvent.Event.REFUSED).exists()


def test_an_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(with_inputs, client):
    live = with_inputs
    before = state_of(live)
    for method, url, data in every_url(live):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/login" in response.url or "login" in response.url
    assert state_of(live) == before


def test_a_member_reported_absent_reads_but_does_not_write(in_phase_two, login):
    live = in_phase_two
    Attendance.objects.update_or_create(
        meeting=live.meeting,
        user=live.member,
        defaults={"status": Attendance.Status.ABSENT_WITH_NOTICE},
    )
    client = login(live.member)
    panel = client.get(reverse("live_inputs:panel", kwargs={"meeting_id": live.meeting.pk}))
    assert panel.status_code == 200
    assert "<textarea" not in panel.content.decode()
    response = client.post(
        reverse("live_inputs:submit", kwargs={"meeting_id": live.meeting.pk}),
        {"client_id": str(uuid.uuid4()), "phase": 2, "text": "Toch"},
    )
    assert response.status_code == 404
    assert not RecordInput.objects.exists()


def test_the_groups_facilitator_types_only_for_members(in_phase_two, login):
    """The facilitator takes no part in the content: no input of their own, but they may
    type for a member without a device (they keep the record)."""
    live = in_phase_two
    client = login(live.facilitator)
    url = reverse("live_inputs:submit", kwargs={"meeting_id": live.meeting.pk})
    own = client.post(url, {"client_id": str(uuid.uuid4()), "phase": 2, "text": "Eigen"})
    assert own.status_code == 404
    for_member = client.post(
        url,
        {"client_id": str(uuid.uuid4()), "phase": 2, "text": "Voor Mark", "author": live.member.pk},
    )
    assert for_member.status_code == 302
    [item] = RecordInput.objects.all()
    assert item.author == live.member and item.entered_by == live.facilitator


def test_someone_elses_client_id_is_not_taken_over(with_inputs, login):
    live = with_inputs
    draft = RecordInput.objects.get(state="draft")
    response = login(live.member).post(
        reverse("live_inputs:draft", kwargs={"meeting_id": live.meeting.pk}),
        {"client_id": str(draft.client_id), "phase": 2, "text": "OVERGENOMEN"},
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.text == "KLADJE"


def test_the_panel_for_the_other_organisations_meeting_id_is_a_404(with_inputs, zuid, login):
    client = login(with_inputs.member)
    url = reverse("live_inputs:panel", kwargs={"meeting_id": zuid.meeting.pk})
    assert client.get(url).status_code == 404


def test_a_member_typing_for_another_is_refused_and_it_stays_in_the_audit_log(in_phase_two, login):
    live = in_phase_two
    response = login(live.timekeeper).post(
        reverse("live_inputs:draft", kwargs={"meeting_id": live.meeting.pk}),
        {
            "client_id": str(uuid.uuid4()),
            "phase": 2,
            "text": "Namens Mark",
            "author": live.member.pk,
        },
    )
    assert response.status_code == 404
    assert not RecordInput.objects.exists()
    assert AuditEvent.objects.filter(event=AuditEvent.Event.REFUSED, actor=live.timekeeper).exists()
