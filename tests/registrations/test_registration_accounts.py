"""Self-registration and accounts: an address is proven before it logs in, registration
tells a stranger nothing about which addresses have accounts, and a named line manager
gets nothing before they confirm."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kring.programmes.models import Programme, ProgrammeRole, Registration
from tests.factories import PASSWORD, MembershipFactory

NEW_PASSWORD = "Herfst-in-Utrecht-55"


@pytest.fixture
def open_programme(world):
    programme = world.programme
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.visibility = Programme.Visibility.OPEN
    programme.registration_token = "join-token"
    programme.save()
    return programme


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks, run_tasks):
    """Run an action as if its transaction committed, then deliver the mail it sent."""

    def _committed(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        run_tasks()
        return result

    return _committed


def _page(programme):
    return reverse("programmes:page", kwargs={"token": programme.registration_token})


def _register(client, programme, email, password=NEW_PASSWORD, **data):
    payload = {
        "accept_ground_rules": "on",
        "full_name": "Joris Extern",
        "email": email,
        "password": password,
        "organisation_name": "Andere Zorg",
        **data,
    }
    return client.post(_page(programme), payload, follow=True)


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def _link(message, pattern):
    return re.search(pattern, message.body).group(0)


def test_a_new_account_logs_in_only_after_the_address_is_confirmed(
    world, open_programme, english, committed, User
):
    page = committed(_register, english, open_programme, "joris@andere-zorg.example")
    assert "Check your mailbox" in page.content.decode()
    assert "_auth_user_id" not in english.session  # not logged in by registering

    refused = _login(english, "joris@andere-zorg.example", NEW_PASSWORD)
    assert refused.status_code == 200
    assert "Your e-mail address is not confirmed yet" in refused.content.decode()

    (message,) = mail.outbox
    assert message.to == ["joris@andere-zorg.example"]
    link = _link(message, r"/accounts/confirm/\S+/\S+/")
    assert english.get(link).status_code == 200
    assert not User.objects.get(email="joris@andere-zorg.example").email_verified  # GET asks
    committed(english.post, link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert english.session["_auth_user_id"]
    english.logout()
    assert _login(english, "joris@andere-zorg.example", NEW_PASSWORD).status_code == 302
    assert english.get(link).status_code == 404  # the link works once


def test_a_wrong_password_says_nothing_about_confirmation(
    world, open_programme, english, committed
):
    committed(_register, english, open_programme, "joris@andere-zorg.example")
    response = _login(english, "joris@andere-zorg.example", "wrong-password")
    assert "not confirmed" not in response.content.decode()


def test_registering_an_address_that_has_an_account_answers_the_same_and_changes_nothing(
    world, open_programme, english, committed, User
):
    known = world.people["other_admin"]
    for email in ["joris@andere-zorg.example", known.email]:
        response = committed(
            _register, english, open_programme, email, password="Aanvaller-wachtwoord-1"
        )
        body = response.content.decode().replace(email, "ADDRESS")
        assert response.status_code == 200
        assert "Check your mailbox: we have sent a message to ADDRESS" in body
        assert "already" not in body
    known.refresh_from_db()
    assert known.check_password(PASSWORD)
    assert not Registration.objects.filter(user=known).exists()

    (to_owner,) = [message for message in mail.outbox if message.to == [known.email]]
    assert "already have a Kring account" in to_owner.body or "al een account" in to_owner.body
    assert _page(open_programme) in to_owner.body


def test_places_left_do_not_change_until_an_address_is_confirmed(
    world, open_programme, english, committed
):
    open_programme.capacity = 1
    open_programme.save()
    for number in range(3):
        committed(_register, english, open_programme, f"verzonnen{number}@example.org")
    newcomer = MembershipFactory(organisation=world.organisation).user
    english.force_login(newcomer, backend="django.contrib.auth.backends.ModelBackend")
    english.post(_page(open_programme), {"accept_ground_rules": "on", "organisation_name": "X"})
    assert Registration.objects.get(user=newcomer).status == Registration.Status.REGISTERED


def test_an_invitation_to_an_unconfirmed_account_sets_a_new_password_and_ends_other_sessions(
    world, open_programme, client, login, committed, User
):
    """Someone registers the address before its owner has an account; the owner's later
    invitation must not just "confirm" an account whose password the other person chose."""
    victim = "nieuwe.collega@example.org"
    committed(_register, client, open_programme, victim, password="Aanvaller-wachtwoord-1")
    account = User.objects.get(email=victim)
    intruder = client.__class__()
    intruder.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
    mail.outbox.clear()

    admin = login(world.people["admin"])
    committed(
        admin.post,
        reverse("organisations:invite", kwargs={"slug": world.organisation.slug}),
        {"email": victim, "full_name": "Nieuwe Collega", "role": "member"},
    )
    admin.logout()
    (invitation,) = [message for message in mail.outbox if message.to == [victim]]
    link = invitation.body.split("http://127.0.0.1:8000", 1)[1].split()[0]

    page = client.get(link).content.decode()
    assert 'name="password1"' in page  # not the "you already have an account" confirmation
    client.post(
        link,
        {
            "full_name": "Nieuwe Collega",
            "password1": "Eigen-Wachtwoord-99",
            "password2": "Eigen-Wachtwoord-99",
        },
    )
    account.refresh_from_db()
    assert account.email_verified
    assert account.check_password("Eigen-Wachtwoord-99")
    assert not account.check_password("Aanvaller-wachtwoord-1")
    assert intruder.get(reverse("core:dashboard")).status_code == 302  # logged out
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_line_manager_of_another_organisation_cannot_be_named(
    world, open_programme, english, committed, login
):
    other_admin = world.people["other_admin"]
    committed(
        _register,
        english,
        open_programme,
        "joris@andere-zorg.example",
        line_manager_email=other_admin.email,
    )
    registration = Registration.objects.get(user__email="joris@andere-zorg.example")
    assert registration.line_manager is None
    assert not ProgrammeRole.objects.filter(programme=open_programme, user=other_admin).exists()
    client = login(other_admin)
    detail = reverse("programmes:detail", kwargs={"programme_id": open_programme.pk})
    assert client.get(detail).status_code == 404
    assert not [message for message in mail.outbox if message.to == [other_admin.email]]


def test_a_named_line_manager_gets_nothing_until_they_confirm(
    world, open_programme, login, client, committed
):
    manager = MembershipFactory(organisation=world.organisation).user
    newcomer = MembershipFactory(organisation=world.organisation).user
    member_client = login(newcomer)
    committed(
        member_client.post,
        _page(open_programme),
        {
            "accept_ground_rules": "on",
            "organisation_name": "Zorg Noord",
            "line_manager_email": manager.email,
        },
    )
    registration = Registration.objects.get(user=newcomer)
    assert registration.line_manager == manager
    assert registration.manager_confirmation == Registration.ManagerConfirmation.PENDING
    assert not ProgrammeRole.objects.filter(programme=open_programme, user=manager).exists()
    detail = reverse("programmes:detail", kwargs={"programme_id": open_programme.pk})
    assert login(manager).get(detail).status_code in {403, 404}

    (message,) = [message for message in mail.outbox if message.to == [manager.email]]
    client.logout()
    client.post(_link(message, r"/programmes/confirm/\S+/"), {"answer": "yes"})
    assert ProgrammeRole.objects.filter(
        programme=open_programme, user=manager, role=ProgrammeRole.Role.LINE_MANAGER
    ).exists()


def test_the_line_manager_of_a_new_account_is_asked_only_after_the_address_is_confirmed(
    world, open_programme, client, committed
):
    manager = world.people["line_manager"]
    committed(
        _register,
        client,
        open_programme,
        "joris@andere-zorg.example",
        line_manager_email=manager.email,
    )
    assert not [message for message in mail.outbox if message.to == [manager.email]]
    (confirmation,) = mail.outbox
    committed(
        client.post,
        _link(confirmation, r"/accounts/confirm/\S+/\S+/"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert [message for message in mail.outbox if message.to == [manager.email]]


def test_the_page_answers_alike_for_a_known_and_an_unknown_line_manager(
    world, open_programme, login
):
    pages = []
    for manager_email in [world.people["line_manager"].email, "niemand@example.org"]:
        newcomer = MembershipFactory(organisation=world.organisation).user
        client = login(newcomer)
        client.post(
            _page(open_programme),
            {
                "accept_ground_rules": "on",
                "organisation_name": "Zorg Noord",
                "line_manager_email": manager_email,
            },
        )
        page = client.get(_page(open_programme)).content.decode()
        page = re.sub(r'value="[^"]*"|\d+', "", page.replace(newcomer.full_name, "X"))
        pages.append(page)
    assert "Your line manager has not confirmed yet" in pages[0] or "nog niet" in pages[0]
    assert pages[0] == pages[1]


def test_a_password_typed_by_whoever_registered_the_address_does_not_survive_confirmation(
    world, open_programme, client, committed, User
):
    """An impostor registers the owner's address with a password of their own; the owner,
    following the link in their mailbox, chooses the password, and the impostor's is gone."""
    victim = "eigenaar@example.org"
    committed(_register, client, open_programme, victim, password="Aanvaller-wachtwoord-1")
    link = _link(mail.outbox[-1], r"/accounts/confirm/\S+/\S+/")
    owner = client.__class__()
    owner.get(link)
    committed(owner.post, link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    intruder = client.__class__()
    refused = _login(intruder, victim, "Aanvaller-wachtwoord-1")
    assert refused.status_code == 200 and "_auth_user_id" not in intruder.session
    assert _login(client.__class__(), victim, NEW_PASSWORD).status_code == 302


def test_confirming_without_a_password_confirms_nothing(
    world, open_programme, client, committed, User
):
    committed(_register, client, open_programme, "iemand@example.org")
    link = _link(mail.outbox[-1], r"/accounts/confirm/\S+/\S+/")
    response = client.post(link, {})
    assert response.status_code == 200
    assert not User.objects.get(email="iemand@example.org").email_verified
