from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kring.core.forms import (
    CASE_TEXT_LENGTH,
    COMMENT_LENGTH,
    PLAN_TEXT_LENGTH,
    URL_LENGTH,
    BoundedDateField,
    BoundedModelMultipleChoiceField,
    limit_length,
)
from kring.groups.models import GroundRuleSet
from kring.organisations.models import Membership

from .models import CommunicationMessage, PreparationAssignment, Programme, ProgrammeGoal

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The parts of a plan of approach written as free text (a TextField each in the model).
PLAN_TEXTS = [
    "description",
    "reason",
    "context",
    "target_group",
    "preconditions",
    "methods",
    "evaluation_moments",
    "roles_and_tasks",
    "communication_plan",
]


class ProgrammePlanForm(forms.ModelForm):
    """The plan of approach and the programme's settings, on one page."""

    sponsor = forms.ModelChoiceField(
        label=_("Sponsor"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("The person in top management who approves the plan."),
    )
    facilitators = BoundedModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    video_link = forms.URLField(
        label=_("video link for online meetings"),
        required=False,
        assume_scheme="https",
        max_length=URL_LENGTH,
        help_text=_("For example a Teams or Jitsi room."),
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "description",
            "reason",
            "context",
            "target_group",
            "time_per_participant",
            "budget",
            "cost_per_participant",
            "preconditions",
            "starts_on",
            "ends_on",
            "group_size_min",
            "group_size_max",
            "meeting_count",
            "interval_weeks",
            "meeting_duration_minutes",
            "mode",
            "venue",
            "video_link",
            "methods",
            "evaluation_moments",
            "roles_and_tasks",
            "communication_plan",
            "ground_rule_set",
            "visibility",
            "capacity",
            "requires_manager_confirmation",
        ]
        field_classes = {"starts_on": BoundedDateField, "ends_on": BoundedDateField}
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in PLAN_TEXTS},
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(
            memberships__organisation=organisation, memberships__is_active=True
        )
        self.fields["sponsor"].queryset = people
        facilitators = people.filter(memberships__role=Membership.Role.FACILITATOR)
        if self.instance.run_by_id:
            facilitators = facilitators | get_user_model().objects.filter(
                memberships__organisation=self.instance.run_by,
                memberships__role=Membership.Role.FACILITATOR,
            )
        self.fields["facilitators"].queryset = facilitators.distinct()
        self.fields["ground_rule_set"].queryset = GroundRuleSet.objects.filter(
            organisation=organisation
        )
        for name in ["group_size_min", "group_size_max"]:
            self.fields[name].widget.attrs.update(min=4, max=10)
        for name in PLAN_TEXTS:
            limit_length(self.fields[name], PLAN_TEXT_LENGTH)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("group_size_min"), cleaned.get("group_size_max")
        if low is not None and not 4 <= low <= 10:
            self.add_error("group_size_min", _("An intervision group has 4 to 10 members."))
        if high is not None and not 4 <= high <= 10:
            self.add_error("group_size_max", _("An intervision group has 4 to 10 members."))
        if low and high and low > high:
            self.add_error(
                "group_size_max", _("The largest group cannot be smaller than the smallest.")
            )
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        count = cleaned.get("meeting_count")
        if count is not None and not 1 <= count <= 24:
            self.add_error("meeting_count", _("Choose between 1 and 24 meetings per group."))
        duration = cleaned.get("meeting_duration_minutes")
        if duration is not None and not 30 <= duration <= 480:
            self.add_error("meeting_duration_minutes", _("A meeting lasts 30 to 480 minutes."))
        weeks = cleaned.get("interval_weeks")
        if weeks is not None and not 1 <= weeks <= 52:
            self.add_error("interval_weeks", _("Choose between 1 and 52 weeks between meetings."))
        return cleaned


GoalFormSet = forms.inlineformset_factory(
    Programme,
    ProgrammeGoal,
    fields=["text"],
    extra=2,
    can_delete=True,
    labels={"text": _("Goal")},
)

MessageFormSet = forms.inlineformset_factory(
    Programme,
    CommunicationMessage,
    fields=["send_on", "audience", "subject"],
    field_classes={"send_on": BoundedDateField},
    extra=1,
    can_delete=True,
    widgets={"send_on": DATE_INPUT},
)


class StatusCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PreparationAssignmentForm(forms.ModelForm):
    class Meta:
        model = PreparationAssignment
        fields = ["text", "due_on"]
        field_classes = {"due_on": BoundedDateField}
        widgets = {"due_on": DATE_INPUT, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], CASE_TEXT_LENGTH)
