"""The demo's held meetings have records following their methods, and group 1's next
meeting opens with open action points of its presenters."""

import pytest
from django.core.management import call_command

from kring.confidentiality import policy
from kring.planning.models import Meeting
from kring.records.models import MeetingRecord
from kring.records.selectors import record_digest

pytestmark = pytest.mark.django_db


def test_the_demo_records_and_the_review_of_group_1(django_user_model):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    held = Meeting.objects.filter(group__programme__status="running", status="held")
    assert MeetingRecord.objects.filter(meeting__in=held).count() == held.count() > 0
    for record in MeetingRecord.objects.filter(meeting__in=held).select_related("method_version"):
        assert record.method_version == record.meeting.method_version
        phases = {p["input"] for p in record.method_version.content["phases"]}
        digest = record_digest(
            policy.read_record(record.meeting.group.facilitator, record.meeting).record
        )
        assert digest["questions"] and digest["takeaways"] and digest["action_points"]
        if "presenter_choice" in phases:
            assert digest["chosen_statement"]
        assert all(name for name, _text in digest["action_points"])
    participant = django_user_model.objects.get(email="deelnemer@delinde.example")
    upcoming = (
        Meeting.objects.filter(group__name="Groep 1", status="planned")
        .order_by("starts_at")
        .first()
    )
    points = policy.read_open_action_points(participant, upcoming)
    assert 2 <= len(points) <= 6
