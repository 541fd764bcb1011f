"""Form fields and limits shared by every form, so that no input a form accepts can break
a page, the database or a background task later.

- Dates: a date in year 1 or 9999 parses, but moving it by a time zone or a few weeks
  overflows Python's calendar (an `OverflowError` on the next page or in the worker). Kring
  plans intervision, so a date outside 2000–2099 is a typing error.
- Ids: a 30-digit id in a multiple choice or a query string overflows the database driver.
- Text: every free-text field has a maximum length that fits its use; Django refuses
  longer input with its own clear message and also refuses NUL characters, which
  PostgreSQL cannot store.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
# The largest id any database Kring runs on stores (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1

# Maximum lengths of free text, by use.
TITLE_LENGTH = 200
SHORT_TEXT_LENGTH = 300  # reasons, comments on a poll option, messages
COMMENT_LENGTH = 2_000  # comments, wishes, attributes
CASE_TEXT_LENGTH = 10_000  # a case, a learning-log entry, an assignment
PLAN_TEXT_LENGTH = 20_000  # one part of a plan of approach
URL_LENGTH = 2_000


def validate_date_in_range(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        )


class BoundedDateField(forms.DateField):
    """A date between 2000 and 2099."""

    default_validators = [validate_date_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between 2000 and 2099."""

    default_validators = [validate_date_in_range]


def database_id(value: object) -> int | None:
    """The id a text stands for, or None when it cannot be the id of a row.

    `str.isdigit()` is not enough: it accepts "²" (which `int()` refuses) and ids too large
    for the database.
    """
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids that cannot exist before asking the database (which would overflow)."""

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value:
                if database_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def limit_length(field: forms.CharField, max_length: int) -> None:
    """Give a field made from a model's TextField a maximum length, in the browser too."""
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(max_length))
    field.widget.attrs["maxlength"] = str(max_length)
