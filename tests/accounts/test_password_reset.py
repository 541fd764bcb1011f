import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_reset_link_by_email_lets_the_user_choose_a_new_password(
    client, run_tasks, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sanne@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "sanne@example.org"})
    assert response.headers["Location"] == reverse("accounts:password_reset_done")
    run_tasks()  # the worker sends the mail
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Kies een nieuw wachtwoord voor Kring"
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]

    form_page = client.get(path, follow=True)
    assert "Kies een nieuw wachtwoord" in form_page.content.decode()
    new_password = "Lindeboom-wandeling-77"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.headers["Location"] == reverse("core:dashboard")  # logged in, on their page
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.headers["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_used_or_forged_link_says_so_in_dutch(client):
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"})
    )
    assert "Deze link werkt niet meer" in response.content.decode()


def test_an_account_without_a_password_gets_a_link_to_set_one_and_lands_logged_in(
    client, world, run_tasks, django_capture_on_commit_callbacks
):
    """An imported member never had a password: Django's reset skips such accounts."""
    user = UserFactory(email="geimporteerd@example.org", email_verified_at=None)
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email.upper()})
    assert response.headers["Location"] == reverse("accounts:password_reset_done")
    run_tasks()
    (message,) = mail.outbox
    assert message.subject == "Kies je wachtwoord voor Kring"
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body).group(0)
    form_page = client.get(link.split("127.0.0.1:8000", 1)[1], follow=True)
    new_password = "Lindeboom-wandeling-77"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.headers["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(new_password) and user.email_verified

    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": user.email, "password": new_password}
    )
    assert login.status_code == 302


def test_an_unknown_and_a_passwordless_address_get_the_same_answer(client, world):
    user = UserFactory(email="zonder@example.org")
    user.set_unusable_password()
    user.save()
    known = client.post(reverse("accounts:password_reset"), {"email": user.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})
    assert known.headers["Location"] == unknown.headers["Location"]
