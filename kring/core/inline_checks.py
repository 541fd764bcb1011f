"""Inline validation: a field is checked as soon as the person leaves it.

A form view opts in by calling `answer_inline_check(request, form)` right after binding
the form, before it saves anything. On a page it renders, the call marks the form, so its
fields ask (through htmx, on `change`) for their own check: the whole form is posted with
the header `X-Kring-Check` naming the field, the view's access checks run as for any post,
and this answers with that one field re-rendered with its errors, nothing saved. Without
JavaScript nothing changes: the form is checked when it is sent.
"""

from django.http import HttpResponse

CHECK_HEADER = "X-Kring-Check"


def answer_inline_check(request, form) -> HttpResponse | None:
    """The one field's check when this request asks for it; otherwise None, and the form
    is marked so that its fields ask for their check as they are filled in."""
    form.checks_inline = True
    name = request.headers.get(CHECK_HEADER)
    if request.method != "POST" or not getattr(request, "htmx", False) or not name:
        return None
    if name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()  # runs every clean, so rules that compare two fields speak up too
    return HttpResponse(form[name].as_field_group())
