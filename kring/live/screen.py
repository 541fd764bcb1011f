"""The room screen: the projector of a meeting on site, paired with a short code.

Whoever leads opens it (a code of six characters from an alphabet without look-alikes,
valid 10 minutes); the projector's browser, signed in as nobody, types the code at
/scherm/ and then holds a secret token in its Django session. Only a hash of the token
is kept. The screen hears "changed, version N" like every device and fetches its own
view, read through `policy.read_room_screen` (no names, no drafts, nothing unrevealed).
It closes when the lead closes it, with the session, or after 12 hours.

Wrong codes are counted per browser session and per address and refused for a while
after too many, so guessing a code that is valid for ten minutes gets nowhere.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.methods import structure
from kring.planning.models import Meeting

from .models import LiveEvent, LiveSession, RoomScreen, ScreenPairingFailure
from .presence import raise_version
from .selectors import phase_and_timer

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: readable from the back of a room and typed on a remote.
ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 6
CODE_MINUTES = 10
SCREEN_HOURS = 12

# Wrong codes allowed in the window, per browser session and per address.
THROTTLE_MINUTES = 10
MAX_WRONG_PER_BROWSER = 5
MAX_WRONG_PER_ADDRESS = 20

# The key of the token in the projector's Django session.
SESSION_KEY = "kring_room_screen"


class ScreenError(Exception):
    pass


class WrongCode(ScreenError):
    pass


class Throttled(ScreenError):
    pass


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    """As typed: lower case, spaces and dashes are fine."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[: CODE_LENGTH * 2]


def current_screen(session: LiveSession, now: datetime | None = None) -> RoomScreen | None:
    """The session's screen that is open or waiting for its code, for the lead's control."""
    now = now or timezone.now()
    screen = (
        RoomScreen.objects.filter(session=session, closed_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-pk")
        .first()
    )
    if screen is None or (screen.paired_at is None and screen.code_expires_at <= now):
        return None
    return screen


@transaction.atomic
def open_screen(*, session: LiveSession, by, now: datetime | None = None) -> RoomScreen:
    """A new pairing code for the room's screen; an earlier screen of the session closes
    (one room, one screen)."""
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().select_related("meeting").get(pk=session.pk)
    if not policy.can(by, Action.OPEN_ROOM_SCREEN, session):
        raise ScreenError(_("Only whoever leads a meeting on site opens the room screen."))
    RoomScreen.objects.filter(session=session, closed_at__isnull=True).update(
        closed_at=now, code=None
    )
    for _attempt in range(10):
        try:
            with transaction.atomic():
                screen = RoomScreen.objects.create(
                    session=session,
                    code=new_code(),
                    code_expires_at=now + timedelta(minutes=CODE_MINUTES),
                    token_hash=_hash(secrets.token_urlsafe(32)),
                    created_by=by,
                    created_at=now,
                    expires_at=now + timedelta(hours=SCREEN_HOURS),
                )
            break
        except IntegrityError:  # that code is already waiting for another room
            continue
    else:  # pragma: no cover - 23^6 codes
        raise ScreenError(_("No pairing code could be made; try again."))
    raise_version(session.pk, LiveEvent.Kind.SCREEN, by=by, now=now, screen="opened")
    return screen


@transaction.atomic
def close_screen(*, session: LiveSession, by, now: datetime | None = None) -> int:
    """The lead closes the room's screen: it goes back to the pairing page."""
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().select_related("meeting").get(pk=session.pk)
    if not policy.can(by, Action.OPEN_ROOM_SCREEN, session):
        raise ScreenError(_("Only whoever leads a meeting on site closes the room screen."))
    closed = RoomScreen.objects.filter(session=session, closed_at__isnull=True).update(
        closed_at=now, code=None
    )
    if closed:
        raise_version(session.pk, LiveEvent.Kind.SCREEN, by=by, now=now, screen="closed")
    return closed


def _scopes(browser: str, address: str) -> list[tuple[str, int]]:
    scopes = []
    if browser:
        scopes.append((_hash(f"browser:{browser}"), MAX_WRONG_PER_BROWSER))
    if address:
        scopes.append((_hash(f"address:{address}"), MAX_WRONG_PER_ADDRESS))
    return scopes


def is_throttled(browser: str, address: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    since = now - timedelta(minutes=THROTTLE_MINUTES)
    return any(
        ScreenPairingFailure.objects.filter(scope=scope, at__gt=since).count() >= limit
        for scope, limit in _scopes(browser, address)
    )


def _count_wrong(browser: str, address: str, now: datetime) -> None:
    ScreenPairingFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
    ScreenPairingFailure.objects.bulk_create(
        [ScreenPairingFailure(scope=scope, at=now) for scope, _limit in _scopes(browser, address)]
    )


def pair(
    *, code: str, browser: str, address: str, now: datetime | None = None
) -> tuple[RoomScreen, str]:
    """The projector typed a code: the screen and its new secret token (for the browser's
    session). A wrong, used or expired code is counted; too many and nothing is tried."""
    now = now or timezone.now()
    if is_throttled(browser, address, now):
        raise Throttled(
            _("Too many wrong codes. Wait %(minutes)d minutes and try again.")
            % {"minutes": THROTTLE_MINUTES}
        )
    code = normalise(code)
    with transaction.atomic():
        screen = (
            RoomScreen.objects.select_for_update(of=("self",))
            .select_related("session__meeting__group__programme", "created_by")
            .filter(
                code=code,
                closed_at__isnull=True,
                paired_at__isnull=True,
                code_expires_at__gt=now,
            )
            .first()
            if len(code) == CODE_LENGTH
            else None
        )
        opener_may = screen is not None and policy.can(
            screen.created_by, Action.VIEW_LIVE_SESSION, screen.session
        )
        if (
            screen is None
            or not opener_may
            or screen.session.state == LiveSession.State.CLOSED
            or screen.session.meeting.mode != Meeting.Mode.ON_SITE
        ):
            screen = None
        else:
            token = secrets.token_urlsafe(32)
            screen.token_hash = _hash(token)
            screen.code = None
            screen.paired_at = now
            screen.save(update_fields=["token_hash", "code", "paired_at"])
            raise_version(screen.session_id, LiveEvent.Kind.SCREEN, now=now, screen="paired")
            return screen, token
    _count_wrong(browser, address, now)
    raise WrongCode(_("That code is not valid (any more). Check the code on the lead's screen."))


def screen_for_token(token: str | None, now: datetime | None = None) -> RoomScreen | None:
    """The open screen this token belongs to, or None."""
    if not token or not isinstance(token, str):
        return None
    screen = (
        RoomScreen.objects.select_related(
            "session__meeting__group__programme__organisation",
            "session__meeting__record__method_version",
            "created_by",
        )
        .filter(token_hash=_hash(token))
        .first()
    )
    if screen is None or not policy.room_screen_open(screen, now):
        return None
    return screen


def screen_snapshot(screen: RoomScreen, now: datetime | None = None) -> dict:
    """Everything the room's screen shows, as plain data: phase, timer, the group's
    instruction and the phase's revealed inputs (texts only, from the policy's reader)."""
    now = now or timezone.now()
    session = screen.session
    content = policy.read_room_screen(screen, now)
    # What the group does now: the questioners' instruction (everyone without a role of
    # their own); never the instruction of one person's role.
    data = phase_and_timer(session, "questioners", translation.get_language(), now)
    data |= {
        "timer_ends_at": data["timer_ends_at"] or "",
        "input_label": str(structure.INPUTS.get(data["input"], "")) if data["input"] else "",
        "content": content,
    }
    return data
