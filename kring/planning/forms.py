from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.forms import (
    SHORT_TEXT_LENGTH,
    TITLE_LENGTH,
    URL_LENGTH,
    BoundedDateField,
    BoundedDateTimeField,
)

from .models import Attendance, PollAnswer, Room

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


class RescheduleForm(forms.Form):
    starts_at = BoundedDateTimeField(label=_("New date and time"), widget=DATETIME_INPUT)
    location = forms.CharField(label=_("Location"), max_length=250, required=False)
    online_link = forms.URLField(
        label=_("Video link"), required=False, assume_scheme="https", max_length=URL_LENGTH
    )
    override_reason = forms.CharField(
        label=_("Why it should happen anyway"),
        help_text=_("Only needed when Kring sees a conflict; it is kept with the change."),
        max_length=SHORT_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        cleaned = super().clean()
        online = self.meeting.mode == self.meeting.Mode.ONLINE
        if online and not cleaned.get("online_link"):
            self.add_error("online_link", _("An online meeting needs a video link."))
        if not online and not cleaned.get("location"):
            self.add_error("location", _("A meeting on site needs a location."))
        return cleaned


class AbsenceForm(forms.Form):
    reason = forms.CharField(label=_("Reason (seen by your group's facilitator)"), max_length=300)


class AttendanceForm(forms.Form):
    """One choice per member: present, absent with notice, absent without notice."""

    def __init__(self, *args, members, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label),
            (Attendance.Status.ABSENT_WITH_NOTICE, Attendance.Status.ABSENT_WITH_NOTICE.label),
            (
                Attendance.Status.ABSENT_WITHOUT_NOTICE,
                Attendance.Status.ABSENT_WITHOUT_NOTICE.label,
            ),
        ]
        for user in members:
            status = current.get(user.pk)
            if status == Attendance.Status.EXPECTED or status is None:
                status = Attendance.Status.PRESENT
            self.fields[f"user_{user.pk}"] = forms.ChoiceField(
                label=user.full_name, choices=choices, initial=status, widget=forms.RadioSelect
            )

    def statuses(self) -> dict[int, str]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}


class PollForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_LENGTH, initial=_("When shall we meet?")
    )
    closes_on = BoundedDateField(
        label=_("Answer by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Without a date: a week from today. A day before, Kring reminds whoever has "
            "not answered yet."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, 7):
            self.fields[f"option_{number}"] = BoundedDateTimeField(
                label=_("Option %(number)s") % {"number": number},
                required=False,
                widget=DATETIME_INPUT,
            )

    def clean(self):
        cleaned = super().clean()
        starts = [cleaned.get(f"option_{n}") for n in range(1, 7) if cleaned.get(f"option_{n}")]
        if len(starts) < 2:
            raise forms.ValidationError(_("Give at least two options to choose from."))
        closes_on = cleaned.get("closes_on")
        if closes_on and closes_on < timezone.localdate():
            self.add_error("closes_on", _("Choose today or a later day."))
        cleaned["starts"] = starts
        return cleaned


class PollAnswerForm(forms.Form):
    def __init__(self, *args, options, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:
            answer = current.get(option.pk)
            self.fields[f"answer_{option.pk}"] = forms.ChoiceField(
                label=option.starts_at,
                choices=PollAnswer.Answer.choices,
                widget=forms.RadioSelect,
                initial=answer.answer if answer else None,
            )
            self.fields[f"comment_{option.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=300,
                initial=answer.comment if answer else "",
            )

    def rows(self):
        """(option, answer field, comment field) per option, for the template."""
        for option in self.options:
            yield option, self[f"answer_{option.pk}"], self[f"comment_{option.pk}"]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            option.pk: (
                self.cleaned_data[f"answer_{option.pk}"],
                self.cleaned_data.get(f"comment_{option.pk}", ""),
            )
            for option in self.options
        }


class ConfirmOptionForm(forms.Form):
    location = forms.CharField(label=_("Location"), max_length=250, required=False)
    online_link = forms.URLField(
        label=_("Video link (for an online meeting)"),
        required=False,
        assume_scheme="https",
        max_length=URL_LENGTH,
    )

    # Sent (hidden) by the second step, after the warnings were shown.
    accept_warnings = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("location") and not cleaned.get("online_link"):
            raise forms.ValidationError(_("Give a location or a video link."))
        return cleaned


class PlanningRulesForm(forms.Form):
    window_start = BoundedDateField(
        label=_("First possible date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = BoundedDateField(
        label=_("Last possible date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting_count = forms.IntegerField(label=_("Meetings per group"), min_value=1, max_value=24)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_times = forms.CharField(
        label=_("Start times"),
        max_length=SHORT_TEXT_LENGTH,
        help_text=_("Separated by commas, for example 09:30, 13:30."),
    )
    min_gap_days = forms.IntegerField(
        label=_("At least days between meetings"), min_value=1, max_value=366
    )
    max_gap_days = forms.IntegerField(
        label=_("At most days between meetings"), min_value=1, max_value=366, required=False
    )
    time_limit = forms.IntegerField(label=_("Time to search (seconds)"), min_value=1, max_value=300)

    def clean_start_times(self):
        from datetime import time

        times = []
        for part in self.cleaned_data["start_times"].split(","):
            part = part.strip()
            if not part:
                continue
            try:
                times.append(time.fromisoformat(part).strftime("%H:%M"))
            except ValueError as error:
                raise forms.ValidationError(
                    _("“%(value)s” is not a time like 13:30."), params={"value": part}
                ) from error
        if not times:
            raise forms.ValidationError(_("Give at least one start time."))
        return times

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if start and end and start >= end:
            self.add_error("window_end", _("The last date must come after the first."))
        low, high = cleaned.get("min_gap_days"), cleaned.get("max_gap_days")
        if low and high and low > high:
            self.add_error("max_gap_days", _("The most days cannot be fewer than the least."))
        return cleaned

    def rules(self) -> dict:
        data = dict(self.cleaned_data)
        data["window_start"] = data["window_start"].isoformat()
        data["window_end"] = data["window_end"].isoformat()
        return data


class BlackoutForm(forms.Form):
    starts_on = BoundedDateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = BoundedDateField(
        label=_("Last day"),
        required=False,
        help_text=_("Leave empty for a single day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Why"), max_length=120, help_text=_("For example: spring holiday.")
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and not end:
            cleaned["ends_on"] = start
        elif start and end and end < start:
            self.add_error("ends_on", _("The last day cannot come before the first."))
        return cleaned


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "location", "capacity"]
