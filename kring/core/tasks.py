from django_tasks import task

from . import emails


@task()
def deliver_email(sealed: str, attempt: int = 1) -> dict:
    """Send one rendered e-mail; a failing mail server means another try later."""
    return emails.deliver(sealed=sealed, attempt=attempt)
