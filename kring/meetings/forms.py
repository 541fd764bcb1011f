from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from kring.core.forms import CASE_TEXT_LENGTH, TITLE_LENGTH
from kring.methods.structure import CASE_KINDS


class CaseForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LENGTH,
        help_text=_("A few words your group will recognise. Avoid names of clients or colleagues."),
    )
    situation = forms.CharField(
        label=_("Situation"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, who is involved (without names), what makes it hard for you."),
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The question you want the group to help you with, in one or two sentences."),
    )
    help_wanted = forms.CharField(
        label=_("What help do you want?"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: questions that make you think, other views, advice, or only to be heard."
        ),
    )
    kind = forms.ChoiceField(
        label=_("What kind of case is it?"),
        choices=[("", _("Not sure"))] + [(key, label) for key, label in CASE_KINDS.items()],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("It helps to choose a method that suits your case."),
    )


class LearningLogForm(forms.Form):
    text = forms.CharField(
        label=_("What do I take with me?"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you learned, want to try or want to remember. Only you can read it."),
    )
    meeting = forms.TypedChoiceField(
        label=_("About the meeting"), required=False, coerce=int, empty_value=None
    )
    case = forms.TypedChoiceField(
        label=_("About the case"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, meetings, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self._meetings = {m.pk: m for m in meetings}
        self._cases = {c.pk: c for c in cases}
        self.fields["meeting"].choices = [("", _("No meeting"))] + [
            (m.pk, f"{date_format(localtime(m.starts_at), 'j F Y')} — {m.group.name}")
            for m in meetings
        ]
        self.fields["case"].choices = [("", _("No case"))] + [(c.pk, c.title) for c in cases]
        if not cases:
            del self.fields["case"]

    def clean_meeting(self):
        value = self.cleaned_data["meeting"]
        return self._meetings.get(value) if value is not None else None

    def clean_case(self):
        value = self.cleaned_data["case"]
        return self._cases.get(value) if value is not None else None


class PhaseOutForm(forms.Form):
    """One stage per meeting of the group (fields `stage_<meeting id>`)."""

    def __init__(self, *args, meetings, stages, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import PhaseOutStage

        self.meetings = meetings
        for meeting in meetings:
            self.fields[f"stage_{meeting.pk}"] = forms.TypedChoiceField(
                label=meeting.starts_at,
                choices=PhaseOutStage.choices,
                coerce=int,
                initial=stages.get(meeting.pk, PhaseOutStage.FACILITATOR_LEADS),
            )

    def rows(self):
        return [(meeting, self[f"stage_{meeting.pk}"]) for meeting in self.meetings]

    def stages(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data[f"stage_{m.pk}"] for m in self.meetings}
