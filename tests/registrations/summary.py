import re

from django.template.loader import render_to_string
from django.utils.html import strip_tags


def summary_lines(plan) -> list[str]:
    """The sentences of the import report's summary, as the coordinator reads them."""
    html = render_to_string("registrations/import/_summary.html", {"plan": plan})
    items = re.findall(r"<li>(.*?)</li>", html, flags=re.S)
    return [" ".join(strip_tags(item).split()) for item in items]
