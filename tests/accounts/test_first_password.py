"""People who cannot log in yet (imported members who never chose a password) get a way in:
every mail links to choosing a password first and then to the page it is about."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from kring.accounts.services import can_log_in, login_link_for
from kring.groups import services as group_services
from kring.groups.models import GroupMembership
from kring.organisations.models import Membership
from kring.programmes.models import Registration
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "Lindeboom-wandeling-77"


def _never_logged_in(email="geimporteerd@example.org", organisation=None):
    user = UserFactory(email=email, full_name="Jan van der Berg", email_verified_at=None)
    user.set_unusable_password()
    user.save()
    if organisation is not None:
        MembershipFactory(user=user, organisation=organisation)
    return user


def _path(link: str) -> str:
    return link.split("127.0.0.1:8000", 1)[1]


@pytest.mark.django_db
def test_someone_who_can_log_in_gets_the_page_itself():
    user = UserFactory()
    assert can_log_in(user)
    assert login_link_for(user, "/groups/3/") == "/groups/3/"


@pytest.mark.django_db
def test_the_link_lets_them_choose_a_password_and_then_opens_the_page(client, world):
    user = _never_logged_in(organisation=world.organisation)
    link = login_link_for(user, reverse("core:dashboard"))
    assert link.startswith("/accounts/welcome/")

    page = client.get(link)
    assert page.status_code == 200
    assert "Kies je wachtwoord" in page.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()  # opening the link (a mail scanner) changes nothing

    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.headers["Location"] == reverse("core:dashboard")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.email_verified
    assert client.get(reverse("core:dashboard")).status_code == 200

    client.logout()
    again = client.get(link)  # an old mail still leads to the page, through the login
    assert again.status_code == 404
    assert "/accounts/login/?next=%2F" in again.content.decode()


@pytest.mark.django_db
def test_a_link_to_another_site_does_not_take_them_there(client, world):
    user = _never_logged_in(organisation=world.organisation)
    link = login_link_for(user, "https://evil.example/")
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.headers["Location"] == reverse("core:dashboard")


def test_the_group_published_mail_to_a_never_logged_in_member_sets_a_password_first(
    world,
    pool,
    compose,
    client,
    run_tasks,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    member = pool[6]
    member.set_unusable_password()
    member.email_verified_at = None
    member.save()
    Registration.objects.filter(user=member).update(source=Registration.Source.IMPORT)
    proposal = compose()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        group_services.publish(proposal=proposal, by=world.people["coordinator"])
    run_tasks()
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    group = GroupMembership.objects.current().get(user=member).group
    group_page = reverse("groups:detail", kwargs={"group_id": group.pk})
    link = _path(re.search(r"http://\S+/accounts/welcome/\S+", message.body).group(0))
    assert "/accounts/welcome/" in message.alternatives[0][0]

    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.headers["Location"] == group_page
    assert client.get(group_page).status_code == 200

    # Someone who can log in gets the bare link to their group page.
    other = next(m for m in mail.outbox if m.to == [pool[7].email])
    assert "/accounts/welcome/" not in other.body


def test_the_invite_on_the_people_page_welcomes_an_imported_member_without_a_password(
    world, login, client, run_tasks, django_capture_on_commit_callbacks
):
    member = _never_logged_in(organisation=world.organisation)
    admin = login(world.people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("organisations:invite", kwargs={"slug": world.organisation.slug}),
            {"email": member.email, "full_name": member.full_name, "role": "member"},
        )
    assert response.status_code == 302  # not refused as "already a member"
    admin.logout()
    run_tasks()
    (message,) = mail.outbox
    assert "Welkom bij Kring" in message.subject
    link = _path(re.search(r"http://\S+/accounts/invitation/\S+/", message.body).group(0))
    client.post(
        link, {"full_name": member.full_name, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD) and member.email_verified
    assert Membership.objects.get(user=member, organisation=world.organisation).role == "member"


def test_the_invite_still_refuses_someone_who_can_log_in(world, login):
    admin = login(world.people["admin"])
    response = admin.post(
        reverse("organisations:invite", kwargs={"slug": world.organisation.slug}),
        {"email": world.people["participant"].email, "full_name": "X", "role": "member"},
    )
    assert response.status_code == 200
    assert "al lid" in response.content.decode()
