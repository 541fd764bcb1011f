from django import forms
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
