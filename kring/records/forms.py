"""Forms of the record page: each carries a hidden client id made when the form is shown,
so a second submit of the same form (a double click, a resend) is not a second input."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import COMMENT_LENGTH

from .models import ActionPointFollowUp, RecordInput
from .services import MAX_AGREEMENTS

TEXT_LABELS = {
    "contributions": _("Contribution"),
    "questions": _("Question"),
    "problem_statements": _("Problem statement in one sentence"),
    "analysis": _("Analysis note"),
    "advice": _("Advice"),
    "gossip": _("Gossip note"),
    "takeaways": _("What the presenter takes with them"),
    "action_points": _("Action point"),
}
BUTTONS = {
    "contributions": _("Add the contribution"),
    "questions": _("Add the question"),
    "problem_statements": _("Add the statement"),
    "analysis": _("Add the note"),
    "advice": _("Add the advice"),
    "gossip": _("Add the note"),
    "takeaways": _("Add the take-away"),
    "action_points": _("Add the action point"),
}


def _people_choices(people, *, blank_label=None):
    choices = [(str(user.pk), user.full_name) for user in people]
    if blank_label is not None:
        choices.insert(0, ("", blank_label))
    return choices


class ClientIdForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())


class InputForm(ClientIdForm):
    """An input of a phase; the author is a member (or the group), for take-aways and
    action points one of the presenters."""

    text = forms.CharField(max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    author = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, kind, members, presenters, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.kind = kind
        self.fields["text"].label = TEXT_LABELS[kind]
        self.button = BUTTONS[kind]
        if kind in {"takeaways", "action_points"}:
            people = presenters or members
            self.fields["author"].label = _("Presenter")
            self.fields["author"].required = True
            self.fields["author"].choices = _people_choices(people)
            if len(people) == 1:
                self.initial.setdefault("author", str(people[0].pk))
        else:
            self.fields["author"].label = _("By")
            self.fields["author"].choices = _people_choices(
                members, blank_label=_("The group (no name)")
            )
        self.people = {user.pk: user for user in list(members) + list(presenters)}

    def clean_author(self):
        user_id = self.cleaned_data.get("author")
        return self.people.get(user_id) if user_id is not None else None


class ChoiceForm(ClientIdForm):
    statement = forms.TypedChoiceField(
        label=_("The statement that fits best"), coerce=int, widget=forms.RadioSelect
    )
    presenter = forms.TypedChoiceField(label=_("Presenter"), coerce=int, required=False)

    def __init__(self, *args, statements, presenters, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = {item.pk: item for item in statements}
        self.presenters = {user.pk: user for user in presenters}
        self.fields["statement"].choices = [(item.pk, item.text) for item in statements]
        if len(presenters) > 1:
            self.fields["presenter"].required = True
            self.fields["presenter"].choices = _people_choices(presenters)
        else:
            del self.fields["presenter"]

    def clean_statement(self):
        return self.statements[self.cleaned_data["statement"]]

    def clean_presenter(self):
        return self.presenters[self.cleaned_data["presenter"]]


class RatingForm(ClientIdForm):
    question = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(choices=RecordInput.Rating.choices)
    presenter = forms.TypedChoiceField(label=_("Presenter"), coerce=int, required=False)

    def __init__(self, *args, questions, presenters, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {item.pk: item for item in questions}
        self.presenters = {user.pk: user for user in presenters}
        if len(presenters) > 1:
            self.fields["presenter"].required = True
            self.fields["presenter"].choices = _people_choices(presenters)
        else:
            del self.fields["presenter"]

    def clean_question(self):
        question = self.questions.get(self.cleaned_data["question"])
        if question is None:
            raise forms.ValidationError(_("Choose one of the questions."))
        return question

    def clean_presenter(self):
        return self.presenters[self.cleaned_data["presenter"]]


class AgreementsForm(forms.Form):
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        max_length=MAX_AGREEMENTS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group agreed: the next meeting, who brings a case, rules."),
    )


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(choices=ActionPointFollowUp.Status.choices)
