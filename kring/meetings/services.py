from django.db import transaction

from .models import Case, LearningLogEntry


@transaction.atomic
def submit_case(*, group, presenter, title: str, description: str) -> Case:
    return Case.objects.create(
        group=group, presenter=presenter, title=title, description=description
    )


@transaction.atomic
def withdraw_case(*, case: Case) -> Case:
    """The presenter may withdraw a case at any time; it then disappears from the backlog."""
    case.status = Case.Status.WITHDRAWN
    case.save(update_fields=["status"])
    return case


@transaction.atomic
def add_learning_log_entry(*, author, text: str) -> LearningLogEntry:
    return LearningLogEntry.objects.create(author=author, text=text)
