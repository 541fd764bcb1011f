"""Kring's own date, time and number formats per language (settings.FORMAT_MODULE_PATH).

Django's defaults write English dates as "Feb. 4, 2027, 7:30 p.m."; Kring writes one form
in both languages: "4 februari 2027" / "4 February 2027", 24-hour times, and the weekday
where a meeting is meant (see kring.core.templatetags.kring_formats).
"""
