"""The inputs panel inside the live page (`live/_inputs.html`), rendered for its viewer
through `kring.live.inputs.panel`, the same as the panel's own URL returns it."""

import uuid

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def live_inputs_panel(context, meeting):
    from kring.live.input_views import panel_context

    request = context["request"]
    return render_to_string(
        "live/_inputs_panel.html", panel_context(request, meeting), request=request
    )


@register.simple_tag
def new_client_id() -> str:
    """For a form shown without JavaScript; live-inputs.js makes its own in the browser."""
    return str(uuid.uuid4())
