import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_the_login_page_is_dutch_even_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in body
    assert "Inloggen bij Kring" in body
    assert "E-mailadres" in body


def test_it_logs_in_with_the_email_address_in_any_case(client):
    UserFactory(email="marloes@example.org")
    response = _login(client, "Marloes@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("core:dashboard")


def test_a_wrong_password_gets_a_clear_dutch_message(client):
    UserFactory(email="marloes@example.org")
    response = _login(client, "marloes@example.org", "wrong")
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in response.content.decode()


def test_it_blocks_login_after_repeated_failures(client):
    UserFactory(email="marloes@example.org")
    for _ in range(5):
        _login(client, "marloes@example.org", "wrong")
    response = _login(client, "marloes@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:logout"))
    assert response.headers["Location"] == reverse("accounts:login")
    assert client.get(reverse("core:dashboard")).status_code == 302
