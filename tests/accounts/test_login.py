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


def test_spelling_the_address_differently_does_not_escape_the_lockout(client):
    UserFactory(email="marloes@example.org")
    # 28 different spellings, each tried once: upper-case letters and spaces around it.
    variants = []
    for number in range(28):
        letters = "".join(
            char.upper() if (number + 1) >> index & 1 else char
            for index, char in enumerate("marloes")
        )
        variants.append(" " * (number % 3) + letters + "@example.org" + " " * (number // 14))
    assert len(set(variants)) == 28 and "marloes@example.org" not in variants
    for variant in variants:
        _login(client, variant, "wrong")
    response = _login(client, "marloes@example.org", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_password_tried_on_many_accounts_from_one_address_is_locked_out(client, settings):
    for number in range(settings.KRING_IP_FAILURE_LIMIT):
        UserFactory(email=f"person{number}@example.org")
        _login(client, f"person{number}@example.org", "Welkom01!")
    UserFactory(email="sanne@example.org")
    response = _login(client, "sanne@example.org", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_few_failures_on_other_accounts_from_the_same_office_do_not_lock_out(client):
    for number in range(6):
        UserFactory(email=f"colleague{number}@example.org")
        _login(client, f"colleague{number}@example.org", "wrong")
    UserFactory(email="sanne@example.org")
    response = _login(client, "sanne@example.org", PASSWORD)
    assert response.status_code == 302


def test_logging_in_to_an_own_account_does_not_reset_the_count_of_the_ip_address(client, settings):
    UserFactory(email="attacker@example.org")
    for number in range(settings.KRING_IP_FAILURE_LIMIT - 1):
        UserFactory(email=f"person{number}@example.org")
        _login(client, f"person{number}@example.org", "Welkom01!")
        if number == 10:
            assert _login(client, "attacker@example.org", PASSWORD).status_code == 302
            client.logout()
    _login(client, "last@example.org", "Welkom01!")
    response = _login(client, "attacker@example.org", PASSWORD)
    assert response.status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_ip_count(client, settings):
    """Without a proxy of our own, X-Forwarded-For is whatever the client says."""
    for number in range(settings.KRING_IP_FAILURE_LIMIT):
        UserFactory(email=f"person{number}@example.org")
        client.post(
            reverse("accounts:login"),
            {"username": f"person{number}@example.org", "password": "Welkom01!"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    UserFactory(email="sanne@example.org")
    response = client.post(
        reverse("accounts:login"),
        {"username": "sanne@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.0.1.1",
    )
    assert response.status_code == 429


def test_behind_our_proxy_each_forwarded_client_has_its_own_count(client, settings):
    settings.KRING_BEHIND_PROXY = True
    for number in range(settings.KRING_IP_FAILURE_LIMIT):
        UserFactory(email=f"person{number}@example.org")
        _login(client, f"person{number}@example.org", "Welkom01!")  # all from 127.0.0.1
    UserFactory(email="sanne@example.org")
    response = client.post(
        reverse("accounts:login"),
        {"username": "sanne@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 302
