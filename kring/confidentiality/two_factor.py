"""The second factor that guards the audit log: one TOTP authenticator per person.

A person sets up an authenticator app in Kring (scan a QR code, confirm with a first
code) and afterwards verifies each session with a code before the audit log opens.
"""

import time
from base64 import b32encode

import segno
from django.db import transaction
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

# The number of 30-second steps a code may be off, as django-otp's TOTPDevice allows.
TOLERANCE = 1


def new_secret() -> str:
    """A fresh hex-encoded TOTP key, as django-otp stores it."""
    return random_hex(20)


def readable_secret(key: str) -> str:
    """The key as people type it into an authenticator app: base32 in groups of four."""
    text = b32encode(bytes.fromhex(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(*, user, key: str) -> str:
    """The otpauth:// link of an (unsaved) device as an inline SVG QR code."""
    url = TOTPDevice(user=user, key=key).config_url
    # A white quiet zone and background, so phones read it in a dark theme too.
    return segno.make(url, error="m").svg_inline(scale=4, border=4, light="#fff")


def has_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def _matching_totp(key: str, token: str) -> TOTP | None:
    """The TOTP of `key` positioned at the step where `token` is its code, or None."""
    token = token.strip().replace(" ", "")
    if not token.isdigit():
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    return totp if totp.verify(int(token), tolerance=TOLERANCE) else None


@transaction.atomic
def confirm_device(*, user, key: str, token: str) -> TOTPDevice | None:
    """Save the authenticator the person just set up, if `token` proves they have it.

    It replaces any earlier one (a new phone). The first code counts as used, so it
    cannot be replayed to verify a session.
    """
    totp = _matching_totp(key, token)
    if totp is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user,
        name="Kring",
        key=key,
        confirmed=True,
        tolerance=TOLERANCE,
        drift=totp.drift,
        last_t=totp.t(),
    )


def verify(*, user, token: str) -> TOTPDevice | None:
    """The person's device if `token` is its current code (throttled by django-otp)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return None
    return verify_token(user, device.persistent_id, token.strip().replace(" ", ""))


def is_throttled(user) -> bool:
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    return device is not None and not device.verify_is_allowed()[0]
