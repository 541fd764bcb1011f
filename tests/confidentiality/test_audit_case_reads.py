"""The member's page "Wie las mijn inbreng?": who read each of my cases, and when."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kring.confidentiality import audit
from kring.confidentiality.models import AuditEvent
from tests import factories as f

URL = reverse("confidentiality:case_reads")


def _read(case, reader, capacity, at=None):
    audit.record(
        AuditEvent.Event.READ,
        actor=reader,
        capacity=capacity,
        targets=[audit.Target(case, case.presenter_id, None)],
    )
    if at is not None:  # the log refuses updates through the ORM; tests move time by SQL
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {AuditEvent._meta.db_table} SET at = %s WHERE id = %s",  # noqa: S608
                [at, AuditEvent.objects.order_by("-id").first().pk],
            )


def _page(login, person, language="nl"):
    person.language = language
    person.save(update_fields=["language"])
    response = login(person).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_presenter_sees_who_read_their_case_in_which_role_and_when(world, login):
    client = login(world.people["facilitator"])
    client.get(reverse("meetings:case_detail", kwargs={"case_id": world.case.pk}))
    read = AuditEvent.objects.get(actor=world.people["facilitator"])

    body = _page(login, world.people["participant"])
    assert world.case.title in body
    assert "Facilitator" in body
    assert "intervisiebegeleider" in body  # the capacity, in Dutch
    local = timezone.localtime(read.at)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
    months += ["september", "oktober", "november", "december"]
    assert f"{local.day} {months[local.month - 1]} {local.year}, {local:%H:%M}" in body


def test_reads_are_listed_newest_first(world, login):
    member = f.UserFactory(full_name="Anna Eerder")
    later = f.UserFactory(full_name="Bert Later")
    now = timezone.now()
    _read(world.case, member, AuditEvent.Capacity.MEMBER, at=now - dt.timedelta(days=2))
    _read(world.case, later, AuditEvent.Capacity.MEMBER, at=now - dt.timedelta(days=1))

    body = _page(login, world.people["participant"])
    assert body.index("Bert Later") < body.index("Anna Eerder")


def test_the_presenters_own_reads_are_left_out(world, login):
    login(world.people["participant"]).get(
        reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    )
    body = _page(login, world.people["participant"], language="en")
    assert "Participant</td>" not in body
    assert "Nobody else has read this case yet." in body


def test_only_the_presenters_own_cases_are_shown(world, login):
    others_case = f.CaseFactory(
        group=world.other_group, presenter=world.people["other_participant"]
    )
    _read(others_case, world.people["other_facilitator"], AuditEvent.Capacity.FACILITATOR)
    _read(world.case, world.people["facilitator"], AuditEvent.Capacity.FACILITATOR)

    mine = _page(login, world.people["participant"])
    assert world.case.title in mine and others_case.title not in mine
    assert "Other Facilitator" not in mine

    theirs = _page(login, world.people["other_participant"])
    assert others_case.title in theirs and world.case.title not in theirs
    assert "Other Facilitator" in theirs


def test_someone_without_cases_sees_no_case_and_no_reader(world, login):
    _read(world.case, world.people["facilitator"], AuditEvent.Capacity.FACILITATOR)
    body = _page(login, world.people["facilitator"], language="en")
    assert world.case.title not in body
    assert "You have not brought in a case yet." in body


def test_a_withdrawn_case_keeps_its_reads(world, login):
    _read(world.case, world.people["facilitator"], AuditEvent.Capacity.FACILITATOR)
    world.case.status = world.case.Status.WITHDRAWN
    world.case.save()
    body = _page(login, world.people["participant"])
    assert world.case.title in body and "Facilitator" in body


def test_a_reader_whose_account_was_deleted_is_still_named(world, login):
    reader = f.UserFactory(full_name="Vera Vertrokken")
    _read(world.case, reader, AuditEvent.Capacity.MEMBER)
    reader.delete()
    assert "Vera Vertrokken" in _page(login, world.people["participant"])


def test_the_titles_on_the_page_are_read_through_the_audit_log(world, login):
    _page(login, world.people["participant"])
    entry = AuditEvent.objects.get()
    assert (entry.actor, entry.capacity, entry.object_id) == (
        world.people["participant"],
        AuditEvent.Capacity.AUTHOR,
        str(world.case.pk),
    )


def test_the_page_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_case_page_links_its_presenter_to_the_page(world, login):
    case_url = reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    assert URL in login(world.people["participant"]).get(case_url).content.decode()
    assert URL not in login(world.people["facilitator"]).get(case_url).content.decode()
