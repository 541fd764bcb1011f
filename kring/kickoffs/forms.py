from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import COMMENT_LENGTH, URL_LENGTH, BoundedDateTimeField

from .models import Kickoff, KickoffInvitation, KickoffQuestion

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class KickoffForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("For whom"), choices=Kickoff.Audience.choices, widget=forms.RadioSelect
    )
    starts_at = BoundedDateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=90
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=250,
        required=False,
        help_text=_("For example: De Linde Amersfoort, Lindezaal."),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        max_length=URL_LENGTH,
        help_text=_("For people who join online; leave empty for a session on site only."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the audience decides who was invited: it stays
            del self.fields["audience"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("location") and not cleaned.get("video_link"):
            if "location" not in self.errors and "video_link" not in self.errors:
                self.add_error("location", _("Give a place, a video link, or both."))
        return cleaned


class KickoffAttendanceForm(forms.Form):
    """Per invited person: attended or absent."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (KickoffInvitation.Status.ATTENDED, KickoffInvitation.Status.ATTENDED.label),
            (KickoffInvitation.Status.ABSENT, KickoffInvitation.Status.ABSENT.label),
        ]
        for invitation in invitations:
            initial = invitation.status
            if initial == KickoffInvitation.Status.INVITED:
                initial = KickoffInvitation.Status.ATTENDED
            self.fields[f"user_{invitation.user_id}"] = forms.ChoiceField(
                label=invitation.user.full_name,
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect,
                required=False,
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name.split("_")[1]): value for name, value in self.cleaned_data.items() if value
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KickoffQuestion.Kind.choices,
        initial=KickoffQuestion.Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What was asked or raised"),
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
