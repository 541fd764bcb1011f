from django.contrib import messages


def report_form_errors(request, form) -> None:
    """Show a form's errors as messages, for small forms posted from another page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
