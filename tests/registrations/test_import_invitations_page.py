"""The page after an import where the coordinator chooses whom to send a way in: those
not invited yet are ticked, everyone can be ticked, and a new link replaces an old one."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.accounts.models import Invitation
from kring.registrations import imports
from tests.factories import MembershipFactory, UserFactory

PEOPLE = ["anna.nieuw@example.org;Anna Nieuw", "bram.nieuw@example.org;Bram Nieuw"]


def _import(world, *rows):
    text = "\r\n".join(["E-mailadres;Naam", *rows]) + "\r\n"
    table = imports.read_table(SimpleUploadedFile("d.csv", text.encode("utf-8-sig")))
    mapping = imports.propose_mapping(table, programme=world.programme)
    imports.import_participants(
        programme=world.programme, table=table, mapping=mapping, by=world.people["coordinator"]
    )


@pytest.fixture
def page(world, login):
    client = login(world.people["coordinator"])
    url = reverse("programmes:import_invitations", kwargs={"programme_id": world.programme.pk})
    return client, url


def _post(client, url, keys, django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"selection": "1", "person": keys}, follow=True)
    run_tasks()
    return response


def _link(message):
    return re.search(r"/accounts/invitation/\S+/", message.body).group(0)


def test_the_page_names_everyone_and_ticks_those_not_invited_yet(world, page):
    _import(world, *PEOPLE)
    client, url = page
    response = client.get(url)
    body = response.content.decode()
    assert "Anna Nieuw" in body and "bram.nieuw@example.org" in body
    assert [ticked for _row, ticked in response.context["rows"]] == [True, True]
    assert mail.outbox == []  # looking sends nothing


def test_only_the_ticked_people_get_an_invitation(
    world, page, django_capture_on_commit_callbacks, run_tasks
):
    _import(world, *PEOPLE)
    client, url = page
    anna = next(r for r, _t in client.get(url).context["rows"] if r.name == "Anna Nieuw")
    response = _post(client, url, [anna.key], django_capture_on_commit_callbacks, run_tasks)
    assert [m.to for m in mail.outbox] == [["anna.nieuw@example.org"]]
    assert "1 uitnodiging verstuurd." in response.content.decode()
    assert Invitation.objects.get(email="bram.nieuw@example.org").sent_at is None


def test_sending_again_makes_a_new_link_and_the_old_one_stops_working(
    world, page, client, django_capture_on_commit_callbacks, run_tasks
):
    _import(world, PEOPLE[0])
    coordinator, url = page
    (row,) = [r for r, _t in coordinator.get(url).context["rows"]]
    _post(coordinator, url, [row.key], django_capture_on_commit_callbacks, run_tasks)
    first = _link(mail.outbox[0])

    rows = coordinator.get(url).context["rows"]
    assert [ticked for _r, ticked in rows] == [False]  # sent already: not ticked at first
    assert [t for _r, t in coordinator.get(url + "?select=all").context["rows"]] == [True]
    _post(coordinator, url, [row.key], django_capture_on_commit_callbacks, run_tasks)
    second = _link(mail.outbox[1])
    assert first != second
    coordinator.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_member_without_a_password_is_listed_and_gets_the_welcome(
    world, page, django_capture_on_commit_callbacks, run_tasks
):
    member = UserFactory(email="lid@example.org", full_name="Lid Zonder", email_verified_at=None)
    member.set_unusable_password()
    member.save()
    MembershipFactory(user=member, organisation=world.organisation)
    _import(world, "lid@example.org;Lid Zonder")
    client, url = page
    (row,) = [r for r, _t in client.get(url).context["rows"]]
    assert row.member
    _post(client, url, [row.key], django_capture_on_commit_callbacks, run_tasks)
    (message,) = mail.outbox
    assert message.subject.startswith("Welkom bij Kring")


def test_sending_with_nobody_ticked_sends_nothing_and_says_so(
    world, page, django_capture_on_commit_callbacks, run_tasks
):
    _import(world, *PEOPLE)
    client, url = page
    response = _post(client, url, [], django_capture_on_commit_callbacks, run_tasks)
    assert mail.outbox == []
    assert "Vink minstens één persoon aan" in response.content.decode()


def test_a_made_up_choice_is_ignored(world, page, django_capture_on_commit_callbacks, run_tasks):
    _import(world, *PEOPLE)
    client, url = page
    _post(
        client,
        url,
        ["invitation-abc", "registration-99999"],
        django_capture_on_commit_callbacks,
        run_tasks,
    )
    assert mail.outbox == []
