"""Dates and times as planning pages and mails say them: "donderdag 4 februari 2027",
"19:30". Month and day names follow the active language (Django's date formatting), so
no ISO date or English month name reaches a Dutch reader."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format, time_format

LONG_DATE = "l j F Y"
TIME = "H:i"


def long_date(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, LONG_DATE)


def clock(value: time | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return time_format(value, TIME)
