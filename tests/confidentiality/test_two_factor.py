"""The second factor (TOTP) a person sets up and verifies in the app."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.confidentiality.otp_views import PENDING_KEY

pytestmark = pytest.mark.django_db

SETUP = "/privacy/2fa/setup/"
VERIFY = "/privacy/2fa/verify/"


def code_for(key_hex: str) -> str:
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def wrong_code_for(key_hex: str) -> str:
    return f"{(int(code_for(key_hex)) + 1) % 1_000_000:06d}"


def test_the_setup_page_shows_a_qr_code_and_the_key_and_saves_nothing(world, login):
    client = login(world.people["privacy_officer"])
    response = client.get(SETUP)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert response.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert not TOTPDevice.objects.exists()


def test_a_first_right_code_sets_up_the_device_and_verifies_the_session(world, login):
    officer = world.people["privacy_officer"]
    client = login(officer)
    client.get(SETUP)
    key = client.session[PENDING_KEY]
    response = client.post(SETUP, {"token": code_for(key), "next": "/privacy/log/zorg-noord/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy/log/zorg-noord/"
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_first_code_sets_up_nothing(world, login):
    client = login(world.people["privacy_officer"])
    client.get(SETUP)
    response = client.post(SETUP, {"token": wrong_code_for(client.session[PENDING_KEY])})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_off_site_next_is_ignored(world, login):
    client = login(world.people["privacy_officer"])
    client.get(SETUP)
    code = code_for(client.session[PENDING_KEY])
    response = client.post(SETUP, {"token": code, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_someone_with_only_a_password_cannot_replace_the_device(world, login):
    """Otherwise whoever steals the password sets up their own phone."""
    officer = world.people["privacy_officer"]
    device = TOTPDevice.objects.create(user=officer, name="Kring", confirmed=True)
    client = login(officer)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"token": "123456"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]


def test_verify_accepts_the_current_code_once(world, login):
    officer = world.people["privacy_officer"]
    device = TOTPDevice.objects.create(user=officer, name="Kring", confirmed=True)
    client = login(officer)
    code = code_for(device.key)
    response = client.post(VERIFY, {"token": code, "next": "/privacy/log/zorg-noord/"})
    assert response.headers["Location"] == "/privacy/log/zorg-noord/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    # A fresh session, as someone who saw the code over the shoulder would have.
    client.logout()
    client = login(officer)
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_verify_refuses_a_wrong_code(world, login):
    officer = world.people["privacy_officer"]
    device = TOTPDevice.objects.create(user=officer, name="Kring", confirmed=True)
    client = login(officer)
    response = client.post(VERIFY, {"token": wrong_code_for(device.key)})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_verify_without_a_device_sends_to_setup(world, login):
    client = login(world.people["privacy_officer"])
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(SETUP)


def test_a_verified_person_may_replace_their_device(world, login):
    officer = world.people["privacy_officer"]
    old = TOTPDevice.objects.create(user=officer, name="Kring", confirmed=True)
    client = login(officer)
    client.post(VERIFY, {"token": code_for(old.key)})
    client.get(SETUP)
    key = client.session[PENDING_KEY]
    client.post(SETUP, {"token": code_for(key)})
    assert list(TOTPDevice.objects.filter(user=officer).values_list("key", flat=True)) == [key]
