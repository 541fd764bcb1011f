from django.urls import reverse

from kring.confidentiality.models import AuditEvent


def test_reading_a_case_is_recorded(world, login):
    client = login(world.people["facilitator"])
    client.get(reverse("meetings:case_detail", kwargs={"case_id": world.case.pk}))
    event = AuditEvent.objects.get(actor=world.people["facilitator"])
    assert (event.object_type, event.object_id) == ("meetings.case", str(world.case.pk))


def test_the_case_list_of_a_group_is_recorded_per_case(world, login):
    login(world.people["participant"]).get(
        reverse("groups:detail", kwargs={"group_id": world.group.pk})
    )
    assert AuditEvent.objects.filter(
        actor=world.people["participant"], object_id=str(world.case.pk)
    ).exists()


def test_an_organisational_view_reads_no_content_and_records_none(world, login):
    body = (
        login(world.people["coordinator"])
        .get(reverse("groups:detail", kwargs={"group_id": world.group.pk}))
        .content.decode()
    )
    assert "SECRET-" not in body
    assert not AuditEvent.objects.filter(actor=world.people["coordinator"]).exists()


def test_a_refused_read_is_recorded_as_refused_and_not_as_a_read(world, login):
    login(world.people["coordinator"]).get(
        reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    )
    event = AuditEvent.objects.get()
    assert event.event == AuditEvent.Event.REFUSED
    assert (event.actor, event.object_id) == (world.people["coordinator"], str(world.case.pk))
