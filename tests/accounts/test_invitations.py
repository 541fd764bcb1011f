from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Invitation
from kring.organisations.models import Membership


@pytest.fixture
def invite(world, login, run_tasks, django_capture_on_commit_callbacks):
    def _invite(email="nieuw@example.org", role="facilitator"):
        admin = world.people["admin"]
        client = login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("organisations:invite", kwargs={"slug": world.organisation.slug}),
                {"email": email, "full_name": "Nieuwe Collega", "role": role},
            )
        client.logout()
        run_tasks()
        (message,) = mail.outbox[-1:]
        return message.body.split("http://127.0.0.1:8000", 1)[1].split()[0]

    return _invite


def test_an_invitation_mail_carries_a_working_one_time_link(world, client, invite, User):
    link = invite()
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert "Zorg Noord" in mail.outbox[0].subject

    page = client.get(link)
    assert "Word lid van Zorg Noord" in page.content.decode()
    response = client.post(
        link,
        {
            "full_name": "Nieuwe Collega",
            "password1": "Zomer-aan-zee-2027",
            "password2": "Zomer-aan-zee-2027",
        },
    )
    assert response.headers["Location"] == reverse("core:dashboard")
    user = User.objects.get(email="nieuw@example.org")
    assert Membership.objects.get(user=user, organisation=world.organisation).role == "facilitator"
    assert client.get(reverse("core:dashboard")).status_code == 200

    client.logout()
    again = client.get(link)
    assert again.status_code == 404
    assert "Deze uitnodiging werkt niet meer" in again.content.decode()


def test_the_database_keeps_only_a_hash_of_the_token(world, invite):
    link = invite()
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash


def test_an_expired_invitation_does_not_work(world, client, invite):
    link = invite()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(link).status_code == 404


def test_mismatched_passwords_keep_what_was_typed(world, client, invite):
    link = invite()
    response = client.post(
        link, {"full_name": "Nieuwe Collega", "password1": "Zomer-aan-zee-2027", "password2": "x"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "De twee wachtwoorden zijn niet gelijk." in body
    assert 'value="Nieuwe Collega"' in body


def test_someone_with_an_account_only_confirms(world, client, invite):
    link = invite(email=world.people["other_admin"].email, role="member")
    page = client.get(link)
    assert "Je hebt al een account" in page.content.decode()
    client.post(link)
    assert Membership.objects.filter(
        user=world.people["other_admin"], organisation=world.organisation
    ).exists()


def test_inviting_an_existing_member_is_refused_with_a_reason(world, login):
    client = login(world.people["admin"])
    response = client.post(
        reverse("organisations:invite", kwargs={"slug": world.organisation.slug}),
        {"email": world.people["participant"].email, "full_name": "X", "role": "member"},
    )
    assert "is al lid van de organisatie" in response.content.decode()
    assert mail.outbox == []
