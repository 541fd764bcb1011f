"""A member approves the revision they read: when the note taker changed the report after
the member opened it, their approval does not count for the text they never saw."""

import pytest
from django.urls import reverse

from kring.reports import services
from kring.reports.models import ReportApproval

pytestmark = pytest.mark.django_db


def test_an_approval_of_the_revision_read_does_not_count_for_a_newer_one(
    submitted, members, note_taker, login, held, django_capture_on_commit_callbacks
):
    client = login(members[2])
    page = client.get(reverse("reports:detail", kwargs={"meeting_id": held.pk})).content.decode()
    assert 'name="revision" value="1"' in page
    # Meanwhile the note taker changes the report: revision 2.
    with django_capture_on_commit_callbacks(execute=True):
        report = services.save_report(
            report=submitted,
            texts={**submitted.texts, "advice": "Iets heel anders"},
            submit=False,
            by=note_taker,
        )
    assert report.revision == 2
    response = client.post(
        reverse("reports:react", kwargs={"meeting_id": held.pk}),
        {"decision": "approve", "revision": "1"},
    )
    assert response.status_code == 400
    assert not ReportApproval.objects.filter(user=members[2]).exists()
    # The page shown again carries the revision now on it, so approving after reading works.
    assert 'name="revision" value="2"' in response.content.decode()
    response = client.post(
        reverse("reports:react", kwargs={"meeting_id": held.pk}),
        {"decision": "approve", "revision": "2"},
    )
    assert response.status_code == 302
    assert ReportApproval.objects.get(user=members[2]).revision == 2
