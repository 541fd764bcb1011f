"""The demo's reports: approved reports for the held meetings, group 1's last one waiting
for the demo participant's approval."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kring.accounts.models import User
from kring.groups.models import Group
from kring.notifications.models import Notice
from kring.planning.models import Meeting
from kring.reports import services
from kring.reports.models import Report, ReportApproval

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_held_meeting_has_a_report_approved_by_those_present(demo):
    held = Meeting.objects.filter(group__programme__status="running", status="held")
    assert held.exists() and Report.objects.count() == held.count()
    for report in Report.objects.filter(status=Report.Status.FINAL).select_related("meeting"):
        present = {user.pk for user in services.approvers(report.meeting)}
        approved = set(
            ReportApproval.objects.filter(report=report, decision="approve").values_list(
                "user_id", flat=True
            )
        )
        assert approved == present
        assert report.texts["roles"] and report.texts["present"]


def test_group_1s_last_report_waits_for_the_demo_participant(demo, login):
    participant = User.objects.get(email="deelnemer@delinde.example")
    group = Group.objects.get(programme__status="running", name="Groep 1")
    last = group.meetings.filter(status="held").order_by("starts_at").last()
    report = Report.objects.get(meeting=last)
    assert report.status == Report.Status.AWAITING_APPROVAL
    approvals = ReportApproval.objects.filter(report=report)
    assert approvals.count() == 1 and approvals.get().user != participant
    assert Notice.objects.filter(recipient=participant, kind="report_awaits_approval").exists()
    page = login(participant).get(reverse("reports:detail", kwargs={"meeting_id": last.pk}))
    assert page.status_code == 200 and 'name="decision"' in page.content.decode()
