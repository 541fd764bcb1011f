"""Every e-mail is three templates: emails/<name>-subject.txt, -body.txt and -body.html.

Mail never leaves inside a request. `send` renders the message at once, in the recipient's
language, and hands it to the `deliver_email` task after the transaction commits; the
worker talks to the SMTP server and tries again later when it fails. Rendering before
enqueueing keeps the task's payload plain JSON (templates need model objects, which a
queue cannot carry), and makes a retry send exactly the message of the moment of the
action. The payload is sealed with the field-encryption keys, because links in it (password
reset, invitations) are secrets and the queue is a database table.
"""

import base64
import json
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kring.confidentiality.encryption import decrypt, encrypt

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd … attempt; after the last one the task fails for good (and
# shows as failed in the task results).
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)


def send(
    name: str,
    to: str,
    context: dict,
    *,
    language: str = "nl",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> None:
    """Render one e-mail now and send it from the worker once the transaction commits."""
    sealed = seal(render(name, to, context, language=language, attachments=attachments))

    def enqueue():
        from .tasks import deliver_email

        deliver_email.enqueue(sealed)

    transaction.on_commit(enqueue)


def render(
    name: str,
    to: str,
    context: dict,
    *,
    language: str = "nl",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> dict:
    """The finished message as plain JSON-ready data."""
    from kring.accounts.services import with_ways_in

    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        body = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    # Someone who cannot log in yet gets links that let them choose a password first.
    return with_ways_in(
        {
            "name": name,
            "to": to,
            "subject": " ".join(subject.split()),
            "body": body,
            "html": html,
            "attachments": [
                [filename, base64.b64encode(content).decode(), mimetype]
                for filename, content, mimetype in attachments
            ],
        },
        settings.SITE_URL,
    )


def seal(message: dict) -> str:
    return encrypt(json.dumps(message))


def unseal(sealed: str) -> dict:
    return json.loads(decrypt(sealed))


def deliver(*, sealed: str, attempt: int = 1) -> dict:
    """Hand one message to the mail server; on a server failure try again later.

    Returns what happened, which the task queue keeps as the task's result: a failed
    attempt is recorded there with its error and the time of the next try.
    """
    from .tasks import deliver_email

    message = unseal(sealed)
    email = EmailMultiAlternatives(message["subject"], message["body"], to=[message["to"]])
    email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message["attachments"]:
        email.attach(filename, base64.b64decode(content), mimetype)
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        # No address in the log: it is personal data and the task id identifies the mail.
        if attempt > len(RETRY_DELAYS) or not deliver_email.get_backend().supports_defer:
            logger.error("E-mail %r failed for good after %d attempts", message["name"], attempt)
            raise
        retry_at = timezone.now() + RETRY_DELAYS[attempt - 1]
        deliver_email.using(run_after=retry_at).enqueue(sealed, attempt + 1)
        logger.warning("E-mail %r failed (attempt %d), retrying", message["name"], attempt)
        return {
            "sent": False,
            "attempt": attempt,
            # The class and SMTP code only: the full text may name the recipient.
            "error": type(error).__name__,
            "smtp_code": getattr(error, "smtp_code", None),
            "retry_at": retry_at.isoformat(),
        }
    return {"sent": True, "attempt": attempt}
