"""The forms for a method: the method itself, one form per phase, and the import file.

The forms only collect text; `structure.validate` decides whether it is a method."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import structure

NAME_LENGTH = 120


def _text(label, *, long=False, required=True):
    if long:
        return forms.CharField(
            label=label,
            required=required,
            max_length=structure.MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return forms.CharField(label=label, required=required, max_length=NAME_LENGTH)


class MethodForm(forms.Form):
    name_nl = _text(_("Name in Dutch"))
    name_en = _text(_("Name in English"))
    description_nl = _text(_("Short description in Dutch"), long=True)
    description_en = _text(_("Short description in English"), long=True)
    complexity = forms.ChoiceField(label=_("Complexity"), choices=structure.COMPLEXITY.items())
    case_kinds = forms.MultipleChoiceField(
        label=_("Suits these kinds of case"),
        choices=structure.CASE_KINDS.items(),
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles it uses"),
        choices=structure.ROLES.items(),
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        return {
            "name_nl": content["name"]["nl"],
            "name_en": content["name"]["en"],
            "description_nl": content["description"]["nl"],
            "description_en": content["description"]["en"],
            "complexity": content["complexity"],
            "case_kinds": content["case_kinds"],
            "roles": content["roles"],
        }


class PhaseForm(forms.Form):
    title_nl = _text(_("Title in Dutch"))
    title_en = _text(_("Title in English"))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=structure.MAX_MINUTES)
    input = forms.ChoiceField(label=_("What the phase asks for"), choices=structure.INPUTS.items())
    reveal = forms.ChoiceField(label=_("Inputs are"), choices=structure.REVEAL.items())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in structure.ROLES.items():
            for language in structure.LANGUAGES:
                self.fields[f"{role}_{language}"] = _text(
                    _instruction_label(label, language), long=True, required=False
                )

    def role_fields(self):
        """Per role, its Dutch and English instruction fields, for the template."""
        return [
            (label, [self[f"{role}_{language}"] for language in structure.LANGUAGES])
            for role, label in structure.ROLES.items()
        ]

    @staticmethod
    def initial_from(phase: dict) -> dict:
        initial = {
            "title_nl": phase["title"]["nl"],
            "title_en": phase["title"]["en"],
            "minutes": phase["minutes"],
            "input": phase["input"],
            "reveal": phase["reveal"],
        }
        for role, text in phase["instructions"].items():
            for language in structure.LANGUAGES:
                initial[f"{role}_{language}"] = text.get(language, "")
        return initial

    def phase(self) -> dict:
        data = self.cleaned_data
        instructions = {}
        for role in structure.ROLES:
            text = {
                language: data.get(f"{role}_{language}", "") for language in structure.LANGUAGES
            }
            if any(value.strip() for value in text.values()):
                instructions[role] = text
        return {
            "title": {"nl": data["title_nl"], "en": data["title_en"]},
            "minutes": data["minutes"],
            "input": data["input"],
            "reveal": data["reveal"],
            "instructions": instructions,
        }


def _instruction_label(role_label, language):
    if language == "nl":
        return _("%(role)s: instruction in Dutch") % {"role": role_label}
    return _("%(role)s: instruction in English") % {"role": role_label}


PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=1, can_delete=True, can_order=True, max_num=structure.MAX_PHASES
)


def content_from(method_form: MethodForm, phase_formset) -> dict:
    """The content the valid forms describe, phases in the order asked for."""
    data = method_form.cleaned_data
    phases = [form.phase() for form in phase_formset.ordered_forms]
    return {
        "name": {"nl": data["name_nl"], "en": data["name_en"]},
        "description": {"nl": data["description_nl"], "en": data["description_en"]},
        "complexity": data["complexity"],
        "case_kinds": list(data["case_kinds"]),
        "roles": list(data["roles"]),
        "phases": phases,
    }


class ImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("For the organisation"), coerce=int)
    file = forms.FileField(label=_("Method file (.json)"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(org.pk, org.name) for org in organisations]


class CopyForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Copy to"), coerce=int)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(org.pk, org.name) for org in organisations]


class CyclePlanForm(forms.Form):
    """Per meeting number of the programme: a theme and a method (both optional)."""

    def __init__(self, *args, programme, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = list(range(1, programme.meeting_count + 1))
        self.methods = {method.pk: method for method, _version in methods}
        choices = [("", _("No method"))] + [
            (
                method.pk,
                version.name + (f" ({method.organisation.name})" if method.organisation else ""),
            )
            for method, version in methods
        ]
        for number in self.numbers:
            self.fields[f"theme_{number}"] = forms.CharField(
                label=_("Theme"), required=False, max_length=200
            )
            self.fields[f"method_{number}"] = forms.TypedChoiceField(
                label=_("Method"), required=False, choices=choices, coerce=int, empty_value=None
            )

    @staticmethod
    def initial_from(rows) -> dict:
        initial = {}
        for row in rows:
            initial[f"theme_{row.number}"] = row.theme
            initial[f"method_{row.number}"] = row.method.pk if row.method else ""
        return initial

    def rows(self):
        """Per meeting number its theme and method field, for the template."""
        return [
            (number, self[f"theme_{number}"], self[f"method_{number}"]) for number in self.numbers
        ]

    def entries(self) -> dict:
        data = self.cleaned_data
        return {
            number: (data[f"theme_{number}"], self.methods.get(data[f"method_{number}"]))
            for number in self.numbers
        }


class MeetingThemeForm(forms.Form):
    theme = forms.CharField(label=_("Theme of the meeting"), required=False, max_length=200)
