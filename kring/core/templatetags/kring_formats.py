"""Dates, times, money and numbers as Kring writes them, in the reader's language.

`{% load kring_formats %}`, then:

- `{{ meeting.starts_at|meeting_when }}`: "donderdag 4 februari 2027, 19:30"
- `{{ poll_option.day|weekday_date }}`: "donderdag 4 februari 2027"
- `{{ programme.budget|money }}`: "€ 15.000,00"
- `{{ count|number }}`, `{{ score|number:1 }}`: "1.234", "161,5"

Plain dates use Django's own `|date` (DATE_FORMAT: "4 februari 2027") and `|time`
("19:30"); the formats per language live in kring/formats/.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils import formats, numberformat, translation

register = template.Library()

# Used when a language has no format module of Kring's own.
FALLBACKS = {
    "WEEKDAY_DATE_FORMAT": "l j F Y",
    "WEEKDAY_DATETIME_FORMAT": "l j F Y, H:i",
    "MONEY_FORMAT": "€ {amount}",
}
NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"


def own_format(name: str) -> str:
    """A format Django does not know by name, from kring/formats/<language>/formats.py."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    for module in formats.get_format_modules(language):
        if hasattr(module, name):
            return getattr(module, name)
    return FALLBACKS[name]


@register.filter(expects_localtime=True, is_safe=False)
def weekday_date(value) -> str:
    """The day a meeting is on: "donderdag 4 februari 2027"."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, own_format("WEEKDAY_DATE_FORMAT"))


@register.filter(expects_localtime=True, is_safe=False)
def meeting_when(value) -> str:
    """The day and time a meeting starts: "donderdag 4 februari 2027, 19:30"."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, own_format("WEEKDAY_DATETIME_FORMAT"))


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _grouped(amount: Decimal, decimals: int | None) -> str:
    return numberformat.format(
        amount,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=formats.get_format("NUMBER_GROUPING"),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.filter(is_safe=True)
def money(value) -> str:
    """An amount in euro with cents: "€ 15.000,00" (the sign never on a line of its own)."""
    amount = _decimal(value)
    if amount is None or value in (None, ""):
        return ""
    text = own_format("MONEY_FORMAT").format(amount=_grouped(amount, 2))
    return text.replace(" ", NO_BREAK_SPACE)


@register.filter(is_safe=True)
def number(value, decimals=None) -> str:
    """A number with the language's separators: "1.234", "161,5" (`|number:1`)."""
    amount = _decimal(value)
    if amount is None or value in (None, ""):
        return ""
    if decimals in (None, ""):
        return _grouped(amount, None)
    return _grouped(amount, int(decimals))
