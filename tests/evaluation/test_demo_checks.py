import pytest
from django.core.management import call_command
from django.urls import reverse

from kring.evaluation.models import CheckParticipation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_participant_finds_an_open_check_and_the_groups_results(demo, client):
    open_check = CheckParticipation.objects.get(
        user__email="deelnemer@delinde.example", answered=False
    )
    meeting = open_check.meeting
    client.force_login(open_check.user, backend="django.contrib.auth.backends.ModelBackend")
    form = client.get(reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk}))
    assert form.status_code == 200 and 'type="radio"' in form.content.decode()
    page = client.get(reverse("planning:meeting_detail", kwargs={"meeting_id": meeting.pk}))
    assert "mensen hebben geantwoord." in page.content.decode()
