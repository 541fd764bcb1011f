"""English as Kring writes it: "Thursday 4 February 2027, 19:30", "€15,000.00".

Not Django's American defaults ("Feb. 4, 2027, 7:30 p.m."): the people are in the
Netherlands and read the same dates in either language.
"""

DATE_FORMAT = "j F Y"  # 4 February 2027
TIME_FORMAT = "H:i"  # 19:30
DATETIME_FORMAT = "j F Y, H:i"  # 4 February 2027, 19:30
YEAR_MONTH_FORMAT = "F Y"  # February 2027
MONTH_DAY_FORMAT = "j F"  # 4 February
SHORT_DATE_FORMAT = "j/n/Y"  # 4/2/2027
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

WEEKDAY_DATE_FORMAT = "l j F Y"  # Thursday 4 February 2027
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"  # Thursday 4 February 2027, 19:30
MONEY_FORMAT = "€{amount}"  # €15,000.00

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
