import re

import pytest
from django.core import mail
from django.urls import reverse

from kring.programmes.models import Programme, ProgrammeRole, Registration, Wish
from tests.factories import FunctionLevelFactory, MembershipFactory, UserFactory


@pytest.fixture
def open_programme(world):
    programme = world.programme
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.registration_token = "join-token"
    programme.save()
    return programme


def _page(programme):
    return reverse("programmes:page", kwargs={"token": programme.registration_token})


def _join(client, programme, **data):
    payload = {"accept_ground_rules": "on", **data}
    return client.post(_page(programme), payload)


def test_a_member_registers_with_attributes_and_private_wishes(world, open_programme, login):
    newcomer = MembershipFactory(organisation=world.organisation).user
    level = FunctionLevelFactory(organisation=world.organisation, name="Senior", rank=2)
    client = login(newcomer)
    assert "Waarom?" in client.get(_page(open_programme)).content.decode()
    response = _join(
        client,
        open_programme,
        function_level=level.pk,
        department="Wijkzorg",
        location="Zwolle",
        profession="Verpleegkundige",
        line_manager_email=world.people["line_manager"].email,
        prefer_1=world.people["participant"].email,
        avoid=world.people["other_participant"].email,
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=newcomer)
    assert registration.status == Registration.Status.REGISTERED
    assert (registration.department, registration.function_level) == ("Wijkzorg", level)
    assert registration.line_manager == world.people["line_manager"]
    assert {(wish.kind, wish.other.email) for wish in registration.wishes.all()} == {
        (Wish.Kind.PREFER, "participant@example.org"),
        (Wish.Kind.AVOID, "other_participant@example.org"),
    }
    assert ProgrammeRole.objects.filter(
        programme=open_programme, user=newcomer, role="participant"
    ).exists()


def test_the_people_named_in_wishes_never_see_them(world, open_programme, login):
    newcomer = MembershipFactory(organisation=world.organisation).user
    _join(login(newcomer), open_programme, avoid=world.people["other_participant"].email)
    for role in ["other_participant", "participant", "facilitator", "sponsor"]:
        client = login(world.people[role])
        for url in [reverse("core:dashboard"), _page(open_programme)]:
            assert newcomer.full_name not in client.get(url).content.decode()
    # The coordinator sees that there is a wish, not whom it is about; the person sees it.
    coordinator_view = login(world.people["coordinator"]).get(
        reverse("programmes:registrations", kwargs={"programme_id": open_programme.pk})
    )
    assert "Niet met" not in coordinator_view.content.decode()
    assert [r.wishes.count() for r in coordinator_view.context["registrations"]] == [1]
    # Not even to the person: which addresses matched would tell who has an account.
    own_view = login(newcomer).get(_page(open_programme)).content.decode()
    assert "Other Participant" not in own_view


def test_registration_without_accepting_the_ground_rules_is_refused(world, open_programme, login):
    newcomer = MembershipFactory(organisation=world.organisation).user
    response = login(newcomer).post(_page(open_programme), {"department": "Wijkzorg"})
    assert response.status_code == 200
    assert 'value="Wijkzorg"' in response.content.decode()
    assert not Registration.objects.filter(user=newcomer).exists()


def test_wishes_about_unknown_people_are_dropped_without_a_word(world, open_programme, login):
    """A message for unknown addresses only would tell who has an account (hole 8.5.5)."""
    newcomer = MembershipFactory(organisation=world.organisation).user
    client = login(newcomer)
    unknown = _join(client, open_programme, prefer_1="stranger@example.org")
    assert unknown.status_code == 302
    registration = Registration.objects.get(user=newcomer)
    assert registration.wishes.count() == 0
    page = client.get(_page(open_programme)).content.decode()
    assert "stranger@example.org" not in page


def test_a_full_programme_puts_people_on_the_waiting_list_and_moves_them_up(
    world, open_programme, login, run_tasks, django_capture_on_commit_callbacks
):
    open_programme.capacity = 1
    open_programme.save()
    first, second = (MembershipFactory(organisation=world.organisation).user for _ in range(2))
    _join(login(first), open_programme)
    _join(login(second), open_programme)
    assert Registration.objects.get(user=second).status == Registration.Status.WAITING

    registration = Registration.objects.get(user=first)
    with django_capture_on_commit_callbacks(execute=True):
        login(first).post(
            reverse("programmes:withdraw_registration", kwargs={"registration_id": registration.pk})
        )
    assert Registration.objects.get(user=second).status == Registration.Status.REGISTERED
    run_tasks()
    assert mail.outbox[-1].to == [second.email]


def test_the_coordinator_closes_registration(world, open_programme, login):
    login(world.people["coordinator"]).post(
        reverse("programmes:toggle_registration", kwargs={"programme_id": open_programme.pk}),
        {"closed": "1"},
    )
    newcomer = MembershipFactory(organisation=world.organisation).user
    client = login(newcomer)
    assert (
        "Aanmelden voor dit programma is gesloten."
        in client.get(_page(open_programme)).content.decode()
    )
    _join(client, open_programme)
    assert not Registration.objects.filter(user=newcomer).exists()


def test_a_line_manager_confirms_by_email_link(
    world, open_programme, login, client, run_tasks, django_capture_on_commit_callbacks
):
    open_programme.requires_manager_confirmation = True
    open_programme.save()
    newcomer = MembershipFactory(organisation=world.organisation).user
    with django_capture_on_commit_callbacks(execute=True):
        _join(
            login(newcomer), open_programme, line_manager_email=world.people["line_manager"].email
        )
    registration = Registration.objects.get(user=newcomer)
    assert registration.manager_confirmation == "pending"
    run_tasks()
    (message,) = mail.outbox
    assert message.to == [world.people["line_manager"].email]
    link = re.search(r"/programmes/confirm/\S+/", message.body).group(0)

    client.logout()
    client.post(link, {"answer": "yes"})
    registration.refresh_from_db()
    assert registration.manager_confirmation == "confirmed"
    assert client.get(link).status_code == 404  # the link works once


def test_an_open_programme_takes_people_from_other_organisations(world, open_programme, client):
    open_programme.visibility = Programme.Visibility.OPEN
    open_programme.save()
    response = _join(
        client,
        open_programme,
        full_name="Joris Extern",
        email="joris@andere-zorg.example",
        password="Herfst-in-Utrecht-55",
        organisation_name="Andere Zorg",
        profession="Maatschappelijk werker",
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user__email="joris@andere-zorg.example")
    assert registration.organisation_name == "Andere Zorg"


def test_an_internal_programme_is_not_for_other_organisations(world, open_programme, login):
    response = login(world.people["other_admin"]).get(_page(open_programme))
    assert response.status_code == 404


def test_someone_cannot_register_twice(world, open_programme, login):
    user = UserFactory()
    MembershipFactory(user=user, organisation=world.organisation)
    client = login(user)
    _join(client, open_programme)
    _join(client, open_programme)
    assert Registration.objects.filter(user=user).count() == 1
