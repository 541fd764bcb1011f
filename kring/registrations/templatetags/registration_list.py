from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def wrappable_email(address: str) -> str:
    """An address that may break before its "@", so a long one does not widen a table."""
    local, at, domain = str(address).partition("@")
    if not at:
        return address
    return format_html("{}<wbr>@{}", local, domain)
