"""An import joins nobody who is not already an active member: others are invited, and a
coordinator's button sends the invitations, which are also the way in for imported people
who have no password."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kring.accounts.models import Invitation
from kring.organisations.models import Membership
from kring.programmes.models import ProgrammeRole, Registration
from kring.registrations import imports
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from tests.registrations.summary import summary_lines

HEADER = "E-mailadres;Naam;Afdeling"
NEW_PASSWORD = "Eigen-Wachtwoord-99"


def _table(*rows):
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return imports.read_table(SimpleUploadedFile("deelnemers.csv", text.encode("utf-8-sig")))


def _check(world, *rows):
    table = _table(*rows)
    mapping = imports.propose_mapping(table, programme=world.programme)
    return imports.check_import(programme=world.programme, table=table, mapping=mapping)


def _import(world, *rows):
    table = _table(*rows)
    mapping = imports.propose_mapping(table, programme=world.programme)
    return imports.import_participants(
        programme=world.programme, table=table, mapping=mapping, by=world.people["coordinator"]
    )


@pytest.fixture
def switched_off(world):
    membership = Membership.objects.get(user=world.people["outsider"])
    membership.is_active = False
    membership.save()
    return world.people["outsider"]


@pytest.fixture
def send(world, login, django_capture_on_commit_callbacks, run_tasks):
    """The coordinator presses "send the invitations"; returns the links by address."""

    def _send():
        client = login(world.people["coordinator"])
        url = reverse("programmes:import_invitations", kwargs={"programme_id": world.programme.pk})
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
        client.logout()
        run_tasks()
        return {
            message.to[0]: message.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
            for message in mail.outbox
        }

    return _send


def test_the_report_does_not_tell_which_addresses_have_a_kring_account(world):
    elsewhere = _check(world, f"{world.people['other_admin'].email};Other Admin;")
    unknown = _check(world, "nobody@example.org;Nobody;")
    with translation.override("en"):
        assert summary_lines(elsewhere) == summary_lines(unknown)
        lines = " ".join(summary_lines(unknown))
    assert "new to Kring" not in lines and "account" not in lines
    assert "not a member of the organisation yet" in lines


def test_people_outside_the_organisation_or_switched_off_are_reported_and_granted_nothing(
    world, switched_off, User
):
    other_admin = world.people["other_admin"]
    rows = [
        f"{other_admin.email};Other Admin;Wijkzorg",
        f"{switched_off.email};Outsider;Wijkzorg",
        "nieuw@example.org;Nieuwe Collega;Wijkzorg",
    ]
    plan = _check(world, *rows)
    assert (plan.not_members, plan.switched_off, plan.existing_members) == (2, ["Outsider"], 0)

    result = _import(world, *rows)
    assert (result.new_registrations, result.invited) == (0, 3)
    assert not Membership.objects.filter(user=other_admin, organisation=world.organisation)
    assert not Membership.objects.get(user=switched_off).is_active
    assert not Registration.objects.filter(programme=world.programme).exclude(
        user__in=[world.people["participant"], world.people["other_participant"]]
    )
    assert not ProgrammeRole.objects.filter(user__in=[other_admin, switched_off]).exists()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert mail.outbox == []  # nothing is mailed before the coordinator chooses to
    assert Invitation.objects.filter(programme=world.programme, sent_at=None).count() == 3


def test_an_invited_person_joins_with_the_imported_details_when_they_accept(
    world, switched_off, send, client
):
    department = DepartmentFactory(organisation=world.organisation, name="Wijkzorg")
    other_admin = world.people["other_admin"]
    _import(world, f"{other_admin.email};Other Admin;Wijkzorg", f"{switched_off.email};O;")
    links = send()
    assert set(links) == {other_admin.email, switched_off.email}

    client.post(links[other_admin.email])  # a confirmed account only says yes
    membership = Membership.objects.get(user=other_admin, organisation=world.organisation)
    assert (membership.role, membership.department) == (Membership.Role.MEMBER, department)
    registration = Registration.objects.get(programme=world.programme, user=other_admin)
    assert (registration.source, registration.department) == ("import", "Wijkzorg")
    assert ProgrammeRole.objects.filter(
        programme=world.programme, user=other_admin, role="participant"
    ).exists()

    client.post(links[switched_off.email])
    assert Membership.objects.get(user=switched_off).is_active
    assert Registration.objects.filter(programme=world.programme, user=switched_off).exists()


def test_a_new_person_chooses_a_password_through_the_invitation(world, send, client, User):
    _import(world, "nieuw@example.org;Nieuwe Collega;")
    link = send()["nieuw@example.org"]
    client.post(
        link, {"full_name": "Nieuwe Collega", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    user = User.objects.get(email="nieuw@example.org")
    assert Registration.objects.filter(programme=world.programme, user=user).exists()
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": "nieuw@example.org", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_imported_members_without_a_password_get_an_invitation_to_choose_one(
    world, send, client, login
):
    """A password reset skips people without a usable password, so they had no way in."""
    member = UserFactory(email="zonder.wachtwoord@example.org", email_verified_at=None)
    member.set_unusable_password()
    member.save()
    MembershipFactory(user=member, organisation=world.organisation)
    _import(world, f"{member.email};Zonder Wachtwoord;")
    assert Registration.objects.filter(user=member).exists()  # members are registered at once

    page = login(world.people["coordinator"]).get(
        reverse("programmes:import_invitations", kwargs={"programme_id": world.programme.pk})
    )
    assert page.context["without_password"] == 1
    link = send()[member.email]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'name="password1"' in client.get(link).content.decode()
    client.post(
        link,
        {"full_name": "Zonder Wachtwoord", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD) and member.email_verified


def test_only_the_programmes_managers_send_the_invitations(world, login):
    _import(world, "nieuw@example.org;Nieuwe Collega;")
    url = reverse("programmes:import_invitations", kwargs={"programme_id": world.programme.pk})
    for role in ["participant", "sponsor", "other_admin"]:
        assert login(world.people[role]).post(url).status_code in {403, 404}
    assert Invitation.objects.filter(programme=world.programme, sent_at=None).count() == 1
