"""After the kick-off: who came, and the questions and concerns noted for the coordinator."""

from django.urls import reverse

from kring.kickoffs import services
from kring.kickoffs.models import Kickoff, KickoffInvitation, KickoffQuestion


def _invited(world, plan_kickoff):
    kickoff = plan_kickoff()
    services.send_invitations(kickoff=kickoff, by=world.people["coordinator"])
    return kickoff


def test_recording_attendance_marks_who_came_and_the_kickoff_held(world, plan_kickoff, login):
    kickoff = _invited(world, plan_kickoff)
    participant, other = world.people["participant"], world.people["other_participant"]
    login(world.people["coordinator"]).post(
        reverse("kickoffs:attendance", args=[kickoff.pk]),
        {f"user_{participant.pk}": "attended", f"user_{other.pk}": "absent"},
    )
    statuses = dict(KickoffInvitation.objects.values_list("user__email", "status"))
    assert statuses[participant.email] == "attended"
    assert statuses[other.email] == "absent"
    kickoff.refresh_from_db()
    assert kickoff.status == Kickoff.Status.HELD
    page = login(world.people["coordinator"]).get(reverse("kickoffs:detail", args=[kickoff.pk]))
    assert "4 personen uitgenodigd, 1 aanwezig." in page.content.decode()


def test_a_participant_does_not_record_attendance(world, plan_kickoff, login):
    kickoff = _invited(world, plan_kickoff)
    participant = world.people["participant"]
    response = login(participant).post(
        reverse("kickoffs:attendance", args=[kickoff.pk]), {f"user_{participant.pk}": "attended"}
    )
    assert response.status_code == 403  # they know the kick-off: it is their invitation
    assert not KickoffInvitation.objects.exclude(status="invited").exists()


def test_questions_noted_by_the_facilitator_are_listed_for_the_coordinator(
    world, plan_kickoff, login
):
    kickoff = _invited(world, plan_kickoff)
    url = reverse("kickoffs:note_question", args=[kickoff.pk])
    facilitator = login(world.people["facilitator"])
    facilitator.post(url, {"kind": "question", "text": "Telt de tijd als werktijd?"})
    facilitator.post(url, {"kind": "concern", "text": "Ik ben bang dat het te veel tijd kost."})
    page = login(world.people["coordinator"]).get(
        reverse("kickoffs:list", args=[world.programme.pk])
    )
    body = page.content.decode()
    assert "Telt de tijd als werktijd?" in body
    assert "Ik ben bang dat het te veel tijd kost." in body
    assert "genoteerd door Facilitator" in body
    assert list(KickoffQuestion.objects.values_list("kind", flat=True)) == ["question", "concern"]


def test_an_empty_question_is_refused_and_nothing_is_noted(world, plan_kickoff, login):
    kickoff = _invited(world, plan_kickoff)
    response = login(world.people["coordinator"]).post(
        reverse("kickoffs:note_question", args=[kickoff.pk]), {"kind": "question", "text": "  "}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not KickoffQuestion.objects.exists()


def test_participants_do_not_see_the_questions_or_note_them(world, plan_kickoff, login):
    kickoff = _invited(world, plan_kickoff)
    services.note_question(
        kickoff=kickoff, kind="concern", text="Zorg over privacy.", by=world.people["coordinator"]
    )
    client = login(world.people["participant"])
    page = client.get(reverse("kickoffs:detail", args=[kickoff.pk])).content.decode()
    assert "Zorg over privacy." not in page
    response = client.post(
        reverse("kickoffs:note_question", args=[kickoff.pk]), {"kind": "question", "text": "Hoi"}
    )
    assert response.status_code == 403
    assert KickoffQuestion.objects.count() == 1
