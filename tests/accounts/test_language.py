import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_can_switch_to_english_and_it_is_remembered(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert "Wat is Kring?" in client.get(reverse("core:dashboard")).content.decode()

    response = client.post(
        reverse("accounts:switch_language"), {"language": "en", "next": reverse("core:dashboard")}
    )
    assert response.headers["Location"] == reverse("core:dashboard")
    user.refresh_from_db()
    assert user.language == "en"

    client.cookies.clear()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(reverse("core:dashboard")).content.decode()
    assert '<html lang="en">' in body
    assert "What is Kring?" in body


def test_an_anonymous_visitor_switches_by_cookie(client):
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    assert "Log in to Kring" in client.get(reverse("accounts:login")).content.decode()


def test_the_switch_does_not_redirect_to_other_sites(client):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == reverse("core:dashboard")
