from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def text_list(names) -> str:
    """ "Anna, Bram and Cor" ("Anna, Bram en Cor"): names as a sentence lists them."""
    return get_text_list([str(name) for name in names], _("and"))
