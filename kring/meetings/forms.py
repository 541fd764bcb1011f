from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import CASE_TEXT_LENGTH, TITLE_LENGTH


class CaseForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LENGTH,
        help_text=_("A few words your group will recognise. Avoid names of clients or colleagues."),
    )
    description = forms.CharField(
        label=_("Situation and question"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sketch the situation and the question you want to bring in."),
    )


class LearningLogForm(forms.Form):
    text = forms.CharField(
        label=_("What did you learn or want to remember?"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


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
