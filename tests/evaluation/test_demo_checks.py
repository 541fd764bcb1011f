import pytest
from django.core.management import call_command
from django.urls import reverse

from kring.evaluation.models import CheckParticipation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_participant_sees_the_results_of_their_groups_last_check(demo, client):
    participation = CheckParticipation.objects.get(
        user__email="deelnemer@delinde.example", answered=False
    )
    meeting = participation.meeting  # the last held meeting: its check has closed since
    client.force_login(participation.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("planning:meeting_detail", kwargs={"meeting_id": meeting.pk}))
    assert "mensen hebben geantwoord." in page.content.decode()
    assert "gemiddeld" in page.content.decode()
    late = client.get(reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk}))
    assert late.status_code in {403, 404}
