"""Dates and times as planning pages and mails say them: "donderdag 4 februari 2027",
"19:30", in the reader's language, with the project's own formats (kring/formats/), the
same ones the templates use through `kring_formats` (`weekday_date`, `meeting_when`)."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format, time_format

from kring.core.templatetags.kring_formats import own_format


def long_date(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, own_format("WEEKDAY_DATE_FORMAT"))


def clock(value: time | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return time_format(value, "TIME_FORMAT")
