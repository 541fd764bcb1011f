"""Dutch: "donderdag 4 februari 2027, 19:30", "€ 15.000,00"."""

DATE_FORMAT = "j F Y"  # 4 februari 2027
TIME_FORMAT = "H:i"  # 19:30
DATETIME_FORMAT = "j F Y, H:i"  # 4 februari 2027, 19:30
YEAR_MONTH_FORMAT = "F Y"  # februari 2027
MONTH_DAY_FORMAT = "j F"  # 4 februari
SHORT_DATE_FORMAT = "j-n-Y"  # 4-2-2027
SHORT_DATETIME_FORMAT = "j-n-Y H:i"
FIRST_DAY_OF_WEEK = 1  # maandag

# Kring's own names (read by kring_formats): a meeting's day and moment.
WEEKDAY_DATE_FORMAT = "l j F Y"  # donderdag 4 februari 2027
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"  # donderdag 4 februari 2027, 19:30
MONEY_FORMAT = "€ {amount}"  # € 15.000,00

# The first input format is also how a date field writes its value: <input type="date">
# needs ISO (2027-02-04), so ISO comes first; Dutch ways of typing a date still parse.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d-%m-%y", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H.%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
